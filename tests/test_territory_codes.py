"""Territories keep their own ISO 3166-1 alpha-3 code: the knowledge base, the CAMEO conversion, the pack, the map.

A place, people or body of a dependent territory with its own ISO code takes that code, as Hong Kong takes HKG
(Guam GUM, Puerto Rico PRI, Aruba ABW, New Caledonia NCL); the state's own organs there stay the state's (the
US Navy in Guam is USA MIL). The Phoenix dictionaries write a territory after its state ("USAGUM", "GBRFLKGOV")
and PLOVER folds it into the state; detente does not (docs/actors.md, "Territories").
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json

import pytest

from detente.actors import phoenix
from detente.actors.knowledge_base import DATA_DIR, PACK_DIR
from detente.gazetteer import default_gazetteer
from detente.web import map as world

# The territories named in the lead's decision (issue 11) and their states.
TERRITORIES = {"GUM": "USA", "PRI": "USA", "ABW": "NLD", "NCL": "FRA", "VGB": "GBR", "GRL": "DNK", "FLK": "GBR",
               "REU": "FRA", "ESH": "MAR", "CUW": "NLD"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "country", "sector"),
    [
        ("Guam", "GUM", None),
        ("Guamanian", "GUM", None),
        ("Puerto Rico", "PRI", None),
        ("Puerto Rican", "PRI", None),
        ("Puerto Ricans", "PRI", None),
        ("New Caledonia", "NCL", None),
        ("Nouméa", "NCL", "GOV"),  # the capital as a metonym of its government, as 'Nuuk' is Greenland's
        ("Noumea", "NCL", "GOV"),
        ("Aruba", "ABW", None),
        ("Aruban", "ABW", None),
        ("British Virgin Islands", "VGB", None),
        ("Greenland", "GRL", None),
        ("Falkland Islands", "FLK", None),
        ("Falklands", "FLK", None),
        ("Réunion", "REU", None),
        ("Western Sahara", "ESH", None),
        ("Sahrawi", "ESH", None),
        ("Curaçao", "CUW", None),
        ("Curacao", "CUW", None),
        ("Bermuda", "BMU", None),
        ("Macau", "MAC", None),
        ("Polisario", "ESH", "REB"),  # the territory's own movement, not the administering state's
    ],
)
def test_territory_names_resolve_to_their_own_code(kb, text, country, sector):
    found = kb.resolve(text, dt.date(2024, 5, 1))
    assert found is not None, text
    assert (found.actor.country, found.actor.sector) == (country, sector), text


def test_the_states_keep_their_own_names(kb):
    # The rule moves only the territories: the states' names and "Samoa" (the state WSM) stay as they were.
    for text, country in (("United States", "USA"), ("France", "FRA"), ("Morocco", "MAR"), ("Netherlands", "NLD"),
                          ("Denmark", "DNK"), ("Samoa", "WSM"), ("American Samoa", "ASM")):  # fmt: skip
        found = kb.resolve(text, dt.date(2024, 5, 1))
        assert found is not None and found.actor.country == country, text


def test_common_words_are_no_territories(kb):
    # 'Réunion' folds to a common word; a bare 'Jersey' in news is New Jersey far more often than the island,
    # so Jersey (JEY) is named only in full ("Bailiwick of Jersey").
    for text in ("reunion", "jersey", "Jersey", "New Jersey"):
        found = kb.resolve(text, dt.date(2024, 5, 1))
        assert found is None or found.actor.country not in ("REU", "JEY"), text


def test_every_territory_is_a_country_of_the_knowledge_base():
    with (DATA_DIR / "countries.csv").open(encoding="utf-8") as handle:
        rows = {r["iso3"]: r for r in csv.DictReader(line for line in handle if not line.startswith("#"))}
    assert set(TERRITORIES) <= set(rows)
    # Every ISO code the gazetteer gives a country place is one the actors know too (SCG, Serbia and
    # Montenegro, is a former state the gazetteer keeps for old places).
    gazetteer_codes = {line.split("\t")[3] for line in _gazetteer_lines() if line.split("\t")[1] == "country"}
    assert gazetteer_codes - set(rows) <= {"SCG"}


def _gazetteer_lines() -> list[str]:
    from detente.gazetteer import DATA_DIR as GAZETTEER_DIR

    with (GAZETTEER_DIR / "places.tsv").open(encoding="utf-8") as handle:
        return [line for line in handle if not line.startswith("#")]


@pytest.mark.model
def test_the_stage_codes_a_territory_and_leaves_the_state_its_organs(actors_coder):
    doc = actors_coder("Guam's governor met the U.S. Navy in Guam after Puerto Rican protesters marched.")
    refs = {r.text: (r.country, r.sector) for r in doc._.actors}
    governor = next(v for k, v in refs.items() if "governor" in k)
    assert governor == ("GUM", "GOV"), refs
    navy = next(v for k, v in refs.items() if "Navy" in k)
    assert navy == ("USA", "MIL"), refs  # the state's own organ there stays the state's
    protesters = next(v for k, v in refs.items() if "protesters" in k)
    assert protesters[0] == "PRI", refs


@pytest.mark.model
def test_the_stage_codes_new_caledonia_and_aruba(actors_coder):
    doc = actors_coder("Kanak leaders in Nouméa rejected the vote, while Aruban police arrested two men.")
    countries = {r.text: r.country for r in doc._.actors}
    assert any(country == "NCL" for text, country in countries.items() if "Kanak" in text), countries
    assert countries.get("Aruban police") == "ABW", countries
    assert "FRA" not in countries.values() and "NLD" not in countries.values(), countries


@pytest.mark.parametrize(
    ("code", "country", "sector"),
    [
        ("USAGUM", "GUM", None),  # Phoenix: the state's code, then its territory's
        ("USAPRIGOV", "PRI", "GOV"),  # Puerto Rico's governor
        ("GBRFLKGOV", "FLK", "GOV"),
        ("GBRVGBELI", "VGB", "ELI"),
        ("DNKGRL", "GRL", None),
        ("FRANCL", "NCL", None),
        ("GBRIMYGOV", "IMN", "GOV"),  # CAMEO's Isle of Man IMY is ISO IMN
        ("ABW", "ABW", None),  # a territory's code alone
        ("BMUGOV", "BMU", "GOV"),
        ("MNCBMU", "BMU", "BUS"),  # a company at home in Bermuda
        ("USAMIL", "USA", "MIL"),  # the state's own organs are the state's
        ("NLDANT", "NLD", None),  # the Netherlands Antilles no longer has an ISO code
    ],
)
def test_cameo_territories_convert_to_their_own_code(code, country, sector):
    found = phoenix.convert_code(code)
    assert (found.country, found.sector, found.drop) == (country, sector, False)


def test_the_shipped_pack_codes_territories_as_themselves():
    with gzip.open(PACK_DIR / "phoenix.jsonl.gz", "rt", encoding="utf-8") as handle:
        actors = [json.loads(line) for line in handle.read().splitlines()[1:]]
    countries = {a["name"]: a for a in actors if a["kind"] == "country"}
    for name, code in (("Guam", "GUM"), ("Puerto Rico", "PRI"), ("Aruba", "ABW"), ("New Caledonia", "NCL"),
                       ("Greenland", "GRL"), ("Falkland Islands", "FLK"), ("Bermuda", "BMU")):  # fmt: skip
        assert countries[name]["country"] == code, name
        assert countries[name]["id"] == f"phoenix:country:{code.lower()}:{name.lower().replace(' ', '-')}"
    # A territory is no name of another block (Phoenix lists Western Sahara among Morocco's names).
    assert "Western Sahara" not in countries["Morocco"].get("aliases", [])
    assert "Christmas Island" not in countries["Australia"].get("aliases", [])
    # The people and bodies Phoenix codes "GBRFLK...", "USAPRI..." are the territory's too.
    assert not [
        a for a in actors if a["id"].startswith(("phoenix:country:usa:guam", "phoenix:country:nld:aruba"))
    ]


def test_the_gazetteer_and_the_map_agree_with_the_actors():
    gazetteer = default_gazetteer()
    for name, code in (("Guam", "GUM"), ("Puerto Rico", "PRI"), ("Aruba", "ABW"), ("Nouméa", "NCL"),
                       ("New Caledonia", "NCL"), ("Willemstad", "CUW"), ("Western Sahara", "ESH")):  # fmt: skip
        entry = gazetteer.resolve(name)
        assert entry is not None and entry.country == code, name
    outlines = world.countries_by_code()
    # Territories large enough for the 1:110m outline are shaded under their own code; the rest are points.
    assert {"PRI", "NCL", "GRL", "FLK", "ESH"} <= set(outlines)
