"""Kosovo is XKX everywhere: the knowledge base, the CAMEO conversion, the shipped pack, the gazetteer and the map.

Kosovo has no official ISO 3166 code. PLOVER writes KOS and CAMEO KSV; detente uses XKX, the user-assigned
code of the EU, IMF and World Bank and the one the project's annotations use. The actors stage, the gazetteer
and the map must agree, or a Kosovo actor would never meet a Kosovo place (or its shaded outline).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re

import pytest

from detente.actors import phoenix
from detente.actors.knowledge_base import DATA_DIR, PACK_DIR, SPECIAL_COUNTRIES
from detente.analytics.places import PlaceCount
from detente.gazetteer import default_gazetteer
from detente.records import Place
from detente.web import map as world
from detente.web.pages import CODE_LEGEND


@pytest.mark.parametrize(
    ("text", "actor_id", "sector"),
    [
        ("Kosovo", "country:XKX", None),
        ("Republic of Kosovo", "country:XKX", None),
        ("Kosovar", "country:XKX", None),
        ("Kosovars", "country:XKX", None),
        ("Pristina", "group:xkx-gov", "GOV"),  # the capital as a metonym of the government
        ("Kosovo Liberation Army", "org:kla", "REB"),
    ],
)
def test_kosovo_names_resolve_to_xkx(kb, text, actor_id, sector):
    found = kb.resolve(text, dt.date(2024, 5, 1))
    assert found is not None
    assert (found.actor.actor_id, found.actor.country, found.actor.sector) == (actor_id, "XKX", sector)


@pytest.mark.parametrize(
    ("name", "date"),
    [("Albin Kurti", dt.date(2024, 5, 1)), ("Atifete Jahjaga", dt.date(2012, 5, 1))],  # curated, Phoenix
)
def test_kosovo_people_are_of_xkx(kb, name, date):
    found = kb.resolve(name, date)
    assert found is not None and (found.actor.country, found.actor.sector) == ("XKX", "GOV")


@pytest.mark.model
def test_the_actors_stage_codes_kosovars_and_pristina_xkx(actors_coder):
    doc = actors_coder("Hundreds of Kosovars protested in Pristina as Kosovo police watched.")
    countries = {r.text: r.country for r in doc._.actors}
    assert countries.get("Kosovars") == "XKX", countries
    assert "KOS" not in countries.values()
    assert any(text.endswith("police") and country == "XKX" for text, country in countries.items()), countries
    adjective = {
        r.text: (r.country, r.sector) for r in actors_coder("Kosovar police arrested two men.")._.actors
    }
    assert adjective == {"Kosovar police": ("XKX", "COP")}


@pytest.mark.parametrize(
    ("code", "country", "sector"),
    [("KSV", "XKX", None), ("KSVGOV", "XKX", "GOV"), ("KSVMIL", "XKX", "MIL"), ("KOSGOV", "XKX", "GOV")],
)
def test_cameo_kosovo_converts_to_xkx(code, country, sector):
    # CAMEO's own code is KSV; PLOVER's (and older detente's) KOS converts too.
    found = phoenix.convert_code(code)
    assert (found.country, found.sector, found.drop) == (country, sector, False)
    assert phoenix.load_mapping().country(code[:3]) == "XKX"


def test_no_shipped_actor_data_codes_kosovo_kos():
    for name in ("countries.csv", "cameo.csv", "leaders.csv", "ethnic.csv", "orgs.csv"):
        with (DATA_DIR / name).open(encoding="utf-8") as handle:
            rows = list(csv.reader(line for line in handle if not line.lstrip().startswith("#")))
        header, body = rows[0], rows[1:]
        # The mapping file's input column may name KOS (PLOVER's code): only what it maps to counts.
        columns = [i for i, h in enumerate(header) if h != "cameo" and h != "note"]
        assert not [row for row in body if any(i < len(row) and row[i] == "KOS" for i in columns)], name
    with gzip.open(PACK_DIR / "phoenix.jsonl.gz", "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert not [line for line in lines if '"KOS"' in line or ":kos:" in line]
    kosovo = [json.loads(line) for line in lines if '"country":"XKX"' in line]
    assert any(a["kind"] == "country" and a["name"] == "Kosovo" for a in kosovo)
    assert "XKX" in SPECIAL_COUNTRIES and "KOS" not in SPECIAL_COUNTRIES
    assert "XKX" in dict(CODE_LEGEND) and "KOS" not in dict(CODE_LEGEND)


def test_the_gazetteer_and_the_map_agree_with_the_actors():
    gazetteer = default_gazetteer()
    for name in ("Kosovo", "Pristina", "Prizren"):
        entry = gazetteer.resolve(name)
        assert entry is not None and entry.country == "XKX", name
    assert "XKX" in world.countries_by_code()


def test_the_map_shades_kosovo():
    kosovo = Place("Kosovo", "XKX", 42.67, 21.17, "geonames:831053", "country", "Kosovo", 0, 6)
    count = PlaceCount("geonames:831053", kosovo, 3, 4)
    svg = str(world.world_map([count], {count.key: "/events?place=geonames:831053"}))
    outline = world.countries_by_code()["XKX"].path
    # Shaded: drawn inside the place's link with a fill, not among the plain land outlines.
    shaded = re.search(r'<a class="place country"[^>]*data-place="geonames:831053"[^>]*>.*?</a>', svg)
    assert shaded is not None and outline in shaded.group(0) and "fill=" in shaded.group(0)
    assert 'data-country="XKX"' not in svg
