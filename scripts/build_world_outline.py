"""Regenerate the world outline the dashboard's map draws: detente/data/world/countries-110m.geojson.

Run at development time only (the dashboard reads the shipped file offline, never this source):

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne
    .venv/bin/python scripts/build_world_outline.py --downloads /tmp/ne

Source: Natural Earth's 1:110m "Admin 0 - Countries" (public domain), as geopandas 0.14.4 ships it in its
wheel (``geopandas/datasets/naturalearth_lowres``; geopandas is BSD-3-Clause). geopandas replaced Natural
Earth's "-99" ISO codes of sovereign countries by their ADM0_A3 code and drew Crimea with Ukraine. The
wheel is read as a zip file (an installed geopandas is used when no ``--downloads`` is given): installing
geopandas 0.14 would bring fiona with GDAL, pyproj and shapely, about 50 MB, to read a 180 kB file, so the
shapefile and its attribute table are read here with the standard library.

Output: GeoJSON (RFC 7946: outer rings counter-clockwise), one feature per country with ``iso_a3`` and
``name``, each ring simplified (Douglas-Peucker, ``--tolerance`` degrees) and rounded to ``--digits``
decimals. About 100 kB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import struct
import sys
import zipfile
from importlib.util import find_spec
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "detente" / "data" / "world" / "countries-110m.geojson"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
WHEEL = "geopandas-0.14.4-*.whl"
# Codes Natural Earth leaves as -99 that geopandas does not fill (not "Sovereign country" or "Country"),
# spelled the way the gazetteer spells them.
CODE_FIXES = {"Kosovo": "XKX"}

Ring = list[tuple[float, float]]


def read_source(downloads: Path | None) -> tuple[bytes, bytes]:
    """The .shp and .dbf bytes of naturalearth_lowres, from the downloaded wheel or an installed geopandas."""
    if downloads is not None:
        wheels = sorted(downloads.glob(WHEEL))
        if not wheels:
            raise SystemExit(
                f"{downloads}: no {WHEEL} here; run 'pip download --no-deps geopandas==0.14.4 -d {downloads}'"
            )
        with zipfile.ZipFile(wheels[-1]) as wheel:
            return wheel.read(MEMBER + ".shp"), wheel.read(MEMBER + ".dbf")
    spec = find_spec("geopandas")  # finds the package without importing it (and pandas with it)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("geopandas is not installed: pass --downloads DIR (see this script's docstring)")
    base = Path(next(iter(spec.submodule_search_locations))).parent / MEMBER
    return base.with_suffix(".shp").read_bytes(), base.with_suffix(".dbf").read_bytes()


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The attribute table (dBase III): one dict of stripped strings per record."""
    count, header_size, record_size = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    at = 32
    while data[at] != 0x0D:
        name = data[at : at + 11].split(b"\0")[0].decode("ascii")
        fields.append((name.lower(), data[at + 16]))
        at += 32
    records = []
    for i in range(count):
        row = data[header_size + i * record_size : header_size + (i + 1) * record_size]
        values, offset = {}, 1  # the first byte flags a deleted record
        for name, size in fields:
            values[name] = row[offset : offset + size].decode("latin-1").strip()
            offset += size
        records.append(values)
    return records


def read_shp(data: bytes) -> list[list[Ring]]:
    """Every polygon record's rings (shape type 5), in file order."""
    shapes, at = [], 100
    while at < len(data):
        _number, words = struct.unpack(">ii", data[at : at + 8])
        content = data[at + 8 : at + 8 + 2 * words]
        at += 8 + 2 * words
        (kind,) = struct.unpack("<i", content[:4])
        if kind == 0:  # a null shape
            shapes.append([])
            continue
        if kind != 5:
            raise SystemExit(f"naturalearth_lowres.shp: shape type {kind}, expected polygons (5)")
        parts, points = struct.unpack("<ii", content[36:44])
        starts = [*list(struct.unpack(f"<{parts}i", content[44 : 44 + 4 * parts])), points]
        xy = struct.unpack(f"<{2 * points}d", content[44 + 4 * parts : 44 + 4 * parts + 16 * points])
        coords = list(zip(xy[0::2], xy[1::2], strict=True))
        shapes.append([coords[starts[i] : starts[i + 1]] for i in range(parts)])
    return shapes


def signed_area(ring: Ring) -> float:
    """Positive for counter-clockwise rings (shoelace formula)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring, keeping its first point (also its last)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # A closed ring's two ends coincide: split at the point farthest from the start, so the recursion has a
    # chord to measure against.
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = ring[i]
            dist = (
                abs(dy * (px - ax) - dx * (py - ay)) / norm
                if norm
                else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            )
            if dist > best:
                best, index = dist, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(ring, keep, strict=True) if kept]


def polygons(rings: list[Ring], tolerance: float, digits: int) -> list[list[list[list[float]]]]:
    """Shapefile rings (outer clockwise, holes counter-clockwise, each hole after its outer ring) as
    GeoJSON polygons with counter-clockwise outer rings; rings too small to draw are left out."""
    found: list[list[list[list[float]]]] = []
    for ring in rings:
        small = simplify(ring, tolerance)
        points = [[round(x, digits), round(y, digits)] for x, y in small]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(points) < 4 or abs(signed_area([(x, y) for x, y in points])) < tolerance**2:
            continue
        hole = signed_area(ring) > 0  # counter-clockwise in a shapefile
        if hole and found:
            found[-1].append(points[::-1])  # RFC 7946: holes clockwise
        elif not hole:
            found.append([points[::-1]])
    return found


def build(downloads: Path | None, tolerance: float, digits: int) -> dict[str, object]:
    shp, dbf = read_source(downloads)
    features = []
    for record, rings in zip(read_dbf(dbf), read_shp(shp), strict=True):
        code = CODE_FIXES.get(record["name"], record["iso_a3"])
        shapes = polygons(rings, tolerance, digits)
        if not shapes:
            continue
        features.append({
            "type": "Feature",
            "properties": {"iso_a3": None if code == "-99" else code, "name": record["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": shapes},
        })  # fmt: skip
    features.sort(key=lambda f: f["properties"]["name"])  # type: ignore[index]
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--downloads", type=Path, help="folder holding the geopandas 0.14.4 wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.08, help="simplification, degrees")
    parser.add_argument("--digits", type=int, default=2, help="decimals kept per coordinate")
    args = parser.parse_args(argv)
    outline = build(args.downloads, args.tolerance, args.digits)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(outline, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    features = outline["features"]
    points = sum(len(r) for f in features for p in f["geometry"]["coordinates"] for r in p)  # type: ignore[index, union-attr]
    print(f"{args.out}: {len(features)} countries, {points} points, {len(text) // 1024} kB", file=sys.stderr)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
