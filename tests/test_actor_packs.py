"""Actor packs: the file format, merging, the Phoenix import (CAMEO codes -> ISO and PLOVER through the
mapping file), the Wikidata dump importer, precedence between packs and curated data, and `detente kb`."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.actors import phoenix
from detente.actors.knowledge_base import (
    DATA_DIR,
    PACK_DIR,
    RANK_PACK,
    KnowledgeBase,
    build_kb,
    load_file,
)
from detente.actors.packs import Pack, PackActor, PackInfo, PackRole, merge_packs, read_pack, write_pack
from detente.actors.wikidata import import_dump, position_sector, wikidata_time
from detente.cli import cli
from detente.config import Settings
from detente.errors import ConfigError, KnowledgeBaseError
from detente.records import SECTORS

SAMPLE_DUMP = Path(__file__).parent / "data" / "actors" / "wikidata-sample.json"


# -- the pack format -----------------------------------------------------------------------------


def test_a_pack_round_trips_through_jsonl_and_gzip(tmp_path):
    actor = PackActor(
        "person:ana-kova", "Ana Kova", "person", "CZE", None, ("Kova",),
        (PackRole("GOV", "Minister of Finance", dt.date(2024, 1, 15)),), after="ELI",
    )  # fmt: skip
    pack = Pack(PackInfo("cabinet", "my notes", "CC0", dt.date(2026, 1, 1)), (actor,))
    for name in ("cabinet.jsonl", "cabinet.jsonl.gz"):
        back = read_pack(write_pack(pack, tmp_path / name))
        assert back.info == pack.info
        assert back.actors == (actor,)


def test_a_cabinet_csv_is_one_row_per_post(tmp_path):
    path = tmp_path / "cabinet.csv"
    path.write_text(
        "id,name,kind,country,sector,aliases,title,start,end\n"
        "# one row per post; rows sharing an id are one person\n"
        "person:ana-kova,Ana Kova,person,CZE,GOV,Kova,Minister of Finance,2024-01-15,\n"
        "person:ana-kova,Ana Kova,person,CZE,LEG,,Member of Parliament,2017-10-21,2024-01-15\n"
        "org:blue-heron,Blue Heron Collective,ngo,FRA,SOC,BHC,,,\n",
        encoding="utf-8",
    )
    pack = read_pack(path)
    kova, heron = pack.actors
    assert (kova.kind, kova.country, kova.aliases) == ("person", "CZE", ("Kova",))
    assert [(r.sector, r.title, r.start) for r in kova.roles] == [
        ("GOV", "Minister of Finance", dt.date(2024, 1, 15)),
        ("LEG", "Member of Parliament", dt.date(2017, 10, 21)),
    ]
    assert (heron.kind, heron.country, heron.sector, heron.roles) == ("ngo", "FRA", "SOC", ())
    kb = KnowledgeBase()
    load_file(kb, path)
    assert kb.resolve("Ana Kova", dt.date(2025, 3, 1)).actor.sector == "GOV"
    assert kb.resolve("Ana Kova", dt.date(2020, 3, 1)).actor.sector == "LEG"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"name": "X", "country": "Narnia"}', "country 'Narnia' is not a 3-letter code"),
        ('{"name": "X", "country": "FRA", "sector": "SPIES"}', "unknown sector 'SPIES'"),
        ('{"name": "X", "kind": "person", "roles": [{"sector": "GOV"}]}', "a person needs a country"),
        ('{"name": "X", "kind": "person", "country": "FRA", "roles": [{"sector": "GOV", "start": "2024"}]}',
         "bad date '2024'"),
        ('{"country": "FRA"}', "has no name"),
        ("not json", "not JSON"),
    ],
)  # fmt: skip
def test_a_bad_pack_line_names_the_file_and_the_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"pack": "bad"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        read_pack(path)
    assert str(err.value).startswith(f"{path}: entry on line 2: ") and message in str(err.value)


def test_merging_packs_keeps_the_later_actor_and_every_name():
    old = Pack(
        PackInfo("a", until=dt.date(2015, 1, 1)),
        (PackActor("org:x", "X Front", "organization", "SYR", "REB", ("XF",)),),
    )
    new = Pack(PackInfo("b"), (PackActor("org:x", "X Liberation Front", "organization", "SYR", "REB", ("XLF",)),
                               PackActor("org:y", "Y Party", "party", "SYR", "PTY")))  # fmt: skip
    merged = merge_packs([old, new], "both")
    x, y = merged.actors
    assert (x.name, set(x.aliases)) == ("X Liberation Front", {"XLF", "X Front", "XF"})
    assert y.name == "Y Party"
    assert merged.info.until is None  # the newer pack has no end, so neither has the merge


def test_kb_build_from_merges_packs_and_the_result_loads(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text(
        "name,kind,country,sector,aliases\nBlue Heron Collective,ngo,FRA,SOC,BHC\n", encoding="utf-8"
    )
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"name": "Gray Owl Front", "kind": "organization", "country": "MLI", "sector": "REB"})
                 + "\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "mine.jsonl.gz"
    result = CliRunner().invoke(cli, ["kb", "build", "--from", str(a), "--from", str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{out}: 2 actor(s) from 2 pack(s)\n"
    kb = build_kb(extra=[out])
    assert kb.resolve("Gray Owl Front").actor.country == "MLI"
    assert kb.resolve("BHC").actor.sector == "SOC"


def test_kb_build_from_needs_out():
    result = CliRunner().invoke(cli, ["kb", "build", "--from", "x.csv"])
    assert result.exit_code == 2 and "--from needs --out" in result.output


# -- settings name the packs ---------------------------------------------------------------------


def test_settings_name_which_packs_load():
    assert Settings().actor_packs == ("phoenix",)
    assert Settings.from_mapping({"actor_packs": []}).actor_packs == ()
    bare = build_kb(packs=())
    full = build_kb(packs=("phoenix",))
    assert bare.resolve("Ahsan Iqbal").method == "unknown"
    assert full.resolve("Ahsan Iqbal", dt.date(2008, 6, 1)).actor.country == "PAK"
    with pytest.raises(KnowledgeBaseError, match="no shipped actor pack 'nope'"):
        build_kb(packs=("nope",))
    with pytest.raises(ConfigError):
        Settings.from_mapping({"actor_pack": ["phoenix"]})


# -- the CAMEO -> PLOVER mapping file --------------------------------------------------------------


def test_every_mapping_row_gives_a_detente_code():
    with phoenix.MAPPING_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert rows, "the mapping file has rows"
    for row in rows:
        if row["kind"] == "sector":
            assert row["plover"] in SECTORS, row
        elif row["kind"] in ("country", "territory", "special"):
            assert len(row["plover"]) == 3 and row["plover"].isupper(), row
        else:
            assert row["kind"] in ("region", "modifier", "drop") and not row["plover"], row


def test_iso_codes_map_to_themselves_and_old_codes_to_today_states():
    mapping = phoenix.load_mapping()
    with (DATA_DIR / "countries.csv").open(encoding="utf-8") as handle:
        iso = [r["iso3"] for r in csv.DictReader(line for line in handle if not line.startswith("#"))]
    # Territories keep their own ISO code (GRL, PRI), as every state does (docs/actors.md, Territories).
    assert all(mapping.country(code) == code for code in iso if code != "WST")
    assert [mapping.country(c) for c in ("ROM", "TMP", "KSV", "USR", "DDR", "YUG", "PRI", "BMU")] == [
        "ROU", "TLS", "XKX", "RUS", "DEU", "SRB", "PRI", "BMU"]  # fmt: skip
    assert mapping.country("MEA") is None and mapping.country("KNT") is None  # a region, a fiction


@pytest.mark.parametrize(
    ("code", "country", "sector"),
    [
        ("AFGGOVAGR", "AFG", "GOV"),  # the first agent code is the primary sector
        ("USAMED", "USA", "JRN"),  # CAMEO MED is media
        ("GBRHLH", "GBR", "MED"),  # CAMEO HLH is health
        ("IGOUNOREFHCR", "IGO", "GOV"),  # an IGO body: GOV, whatever its topic
        ("IGOUNOJUDICJ", "IGO", "JUD"),  # ... unless a court, a force, a police
        ("IGOWSTNATMIL", "IGO", "MIL"),
        ("NGOHRI", "UNK", "SOC"),  # an NGO has no state
        ("MNCJPN", "JPN", "BUS"),  # a multinational: its home country
        ("IMGMUSALQ", "UNK", "REB"),
        ("SYRRADREB", "SYR", "REB"),  # modifiers are skipped
        ("CHNMUS", "CHN", "REL"),
        ("MEAREB", "UNK", "REB"),  # a regional group: no country
    ],
)
def test_cameo_codes_convert_to_plover(code, country, sector):
    found = phoenix.convert_code(code)
    assert (found.country, found.sector, found.drop) == (country, sector, False)


@pytest.mark.parametrize("code", ["MEA", "KNT", "---", "USAJNK", "EUR"])
def test_regions_fictions_and_junk_are_dropped(code):
    assert phoenix.convert_code(code).drop


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("320101-331108", dt.date(1932, 1, 1), dt.date(1933, 11, 9)),
        (">011222", dt.date(2001, 12, 22), None),  # 00-30 are 20YY
        ("<061231", None, dt.date(2007, 1, 1)),
        ("19270101-730717", dt.date(1927, 1, 1), dt.date(1973, 7, 18)),
        ("> 140608", dt.date(2014, 6, 8), None),  # a stray space
        ("1920030320-20060520", dt.date(2003, 3, 20), dt.date(2006, 5, 21)),  # "19" typed twice
    ],
)
def test_tabari_date_restrictions(text, start, end):
    assert phoenix.parse_restriction(text) == (start, end)


def test_dictionary_names_read_as_news_writes_them():
    assert phoenix.display_name("HAMID_KARZAI_") == ("Hamid Karzai", [])
    assert phoenix.display_name("MUHAMMAD_AL-BARADEI_") == ("Muhammad al-Baradei", [])
    assert phoenix.display_name("UN_SECURITY_COUNCIL_", acronym_max=6) == ("UN Security Council", [])
    assert phoenix.display_name("BO_XILAI_") == ("Bo Xilai", [])  # a person's two-letter name stays a name
    assert phoenix.display_name("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_") == ("Aden Abyan Islamic Army", ["AAIA"])
    assert phoenix.display_name("IAEA_", acronym_max=6) == ("IAEA", [])


def test_a_tabari_record_becomes_a_dated_person(tmp_path):
    path = tmp_path / "Test.Countries.actors.txt"
    path.write_text(
        "# a comment\n"
        "ZEMBLA_  [AFG]\n"
        "HAMID_KARZAI_  # CountryInfo.txt\n+KARZAI_\n+PRESIDENT_KARZAI_\n"
        "\t[AFGELI 750101-000101]\n\t[AFGGOV >011222]\n\t[AFGELI]\n"
        "TALIBAN_ [AFGREB] #  kkl\n+HASSAN_AKHUND_\n"
        "UN_BODIES_\n\n",
        encoding="utf-8",
    )
    entries = list(phoenix.read_tabari_actors(path))
    assert [e.names[0] for e in entries] == ["ZEMBLA_", "HAMID_KARZAI_", "TALIBAN_"]  # no code: dropped
    mapping = phoenix.load_mapping()
    karzai = phoenix.convert_entry(entries[1], path.name, mapping)[0]
    assert (karzai.kind, karzai.country, karzai.aliases) == ("person", "AFG", ("Karzai", "President Karzai"))
    assert [(r.sector, r.start, r.end) for r in karzai.roles] == [
        ("ELI", dt.date(1975, 1, 1), dt.date(2000, 1, 2)), ("GOV", dt.date(2001, 12, 22), None)]  # fmt: skip
    assert karzai.after == "ELI"
    # TABARI lists a body's leaders as its aliases; a name that reads as a person's becomes one
    taliban = phoenix.convert_entry(entries[2], path.name, mapping, frozenset({"hassan"}))
    assert [(a.name, a.kind, a.country, a.sector) for a in taliban] == [
        ("Taliban", "organization", "AFG", "REB"), ("Hassan Akhund", "person", "AFG", "REB")]  # fmt: skip


def test_agent_nouns_expand_plurals_and_substitutions(tmp_path):
    path = tmp_path / "agents.txt"
    path.write_text(
        "!PERSON! = MAN, WOMAN\nFARM_WORKER [~AGR]\nPOLICE_ {} [~COP]\nCONGRESS!PERSON! [~LEG]\n"
        "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]\nJUNK_WORD [~JNK]\n",
        encoding="utf-8",
    )
    got = {noun: (forms, sector) for noun, forms, sector in phoenix.read_agents(path, phoenix.load_mapping())}
    assert got == {
        "farm worker": (["farm workers"], "AGR"), "police": ([], "COP"),
        "congressman": ([], "LEG"), "congresswoman": ([], "LEG"),
        "attorney general": (["attorneys general"], "GOV"),
    }  # fmt: skip


def test_the_shipped_pack_carries_its_licence_and_source():
    notice = (PACK_DIR / phoenix.LICENSE_NAME).read_text(encoding="utf-8")
    assert "MIT License" in notice and phoenix.PETRARCH_COMMIT in notice and phoenix.NGEC_COMMIT in notice
    with gzip.open(PACK_DIR / "phoenix.jsonl.gz", "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    assert header["pack"] == "phoenix" and phoenix.PETRARCH_COMMIT in header["source"]
    assert header["until"].startswith("2015")


def test_the_shipped_pack_is_what_the_dictionaries_give(tmp_path):
    """``detente kb build`` from ../shared reproduces the shipped pack byte for byte."""
    from tests.conftest import shared_path

    reference = shared_path("reference", "petrarch2")
    if not reference.exists():
        pytest.skip(f"{reference} is absent (shared material is not in this checkout)")
    path, _ = phoenix.ship_phoenix_pack(reference.parents[1], tmp_path)
    assert path.read_bytes() == (PACK_DIR / "phoenix.jsonl.gz").read_bytes()


# -- precedence ------------------------------------------------------------------------------------


def test_curated_entries_win_after_the_dictionaries_end(kb):
    # Phoenix knows Putin too; its spellings lead to the curated entry, whose posts go on after 2015.
    assert kb.resolve("Vladimir Putin", dt.date(2025, 1, 1)).actor.actor_id == "person:vladimir-putin"
    assert kb.resolve("President Vladimir Putin").actor.actor_id == "person:vladimir-putin"
    assert not [e for e, _ in kb.index["vladimir putin"] if e.rank == RANK_PACK]


def test_a_pack_person_is_dated_by_the_article(kb):
    koller = kb.resolve("Arnold Koller", dt.date(1997, 6, 1))  # Swiss president in 1997 (Phoenix only)
    assert (koller.actor.country, koller.actor.sector, koller.method) == ("CHE", "GOV", "exact")
    assert kb.resolve("Arnold Koller", dt.date(2005, 6, 1)).actor.sector == "ELI"


def test_a_users_file_wins_over_curated_and_packs(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"name": "NATO", "kind": "organization", "country": "BEL", "sector": "SOC"}) + "\n",
                    encoding="utf-8")  # fmt: skip
    assert build_kb(extra=[path]).resolve("NATO").actor.country == "BEL"


# -- Wikidata --------------------------------------------------------------------------------------


def test_a_wikidata_dump_streams_into_a_pack():
    pack = import_dump(SAMPLE_DUMP)
    by_name = {a.name: a for a in pack.actors}
    assert set(by_name) == {"Frank-Walter Steinmeier", "Ban Ki-moon", "Ana Senatora", "United Nations",
                            "Christian Democratic Union", "Blue Rivers Daily"}  # fmt: skip
    fws = by_name["Frank-Walter Steinmeier"]
    assert (fws.id, fws.country, fws.aliases) == ("wikidata:Q76658", "DEU", ("Steinmeier",))
    assert [(r.sector, r.title, r.start, r.end, r.country) for r in fws.roles] == [
        ("GOV", "Federal Minister for Foreign Affairs", dt.date(2013, 12, 17), dt.date(2017, 1, 27), None),
        ("GOV", "President of Germany", dt.date(2017, 3, 19), None, None),
    ]
    ban = by_name["Ban Ki-moon"]
    assert ban.country == "KOR" and ban.roles[0].country == "IGO"  # the UN's own official
    assert by_name["Ana Senatora"].country == "USA" and by_name["Ana Senatora"].roles[0].sector == "LEG"
    assert by_name["Ana Senatora"].roles[0].start == dt.date(2021, 1, 1)  # a year: its first day
    cdu = by_name["Christian Democratic Union"]
    assert (cdu.kind, cdu.country, cdu.sector, cdu.aliases) == ("party", "DEU", "PTY", ("CDU",))
    assert (by_name["United Nations"].country, by_name["United Nations"].sector) == ("IGO", "GOV")
    assert by_name["Blue Rivers Daily"].sector == "JRN"


def test_a_wikidata_pack_resolves_people_by_date(tmp_path):
    out = tmp_path / "wikidata.jsonl.gz"
    result = CliRunner().invoke(cli, ["kb", "wikidata", str(SAMPLE_DUMP), "--out", str(out)])
    assert result.exit_code == 0, result.output
    kb = KnowledgeBase()
    load_file(kb, out)
    assert kb.resolve("Ban Ki-moon", dt.date(2010, 1, 1)).actor.country == "IGO"
    assert kb.resolve("Ban Ki-moon", dt.date(2020, 1, 1)).actor.country == "KOR"  # home again, ELI
    assert kb.resolve("Ban Ki-moon", dt.date(2020, 1, 1)).actor.sector == "ELI"
    assert kb.resolve("Steinmeier", dt.date(2015, 1, 1)).actor.sector == "GOV"


def test_wikidata_values():
    assert wikidata_time({"time": "+2013-12-17T00:00:00Z", "precision": 11}) == dt.date(2013, 12, 17)
    assert wikidata_time({"time": "+1990-00-00T00:00:00Z", "precision": 9}) == dt.date(1990, 1, 1)
    assert wikidata_time("nonsense") is None
    assert position_sector("member of the Bundestag") == "LEG"
    assert position_sector("Chief Justice of India") == "JUD"
    assert position_sector("Minister of Defence") == "GOV"


def test_a_missing_dump_says_so(tmp_path):
    result = CliRunner().invoke(
        cli, ["kb", "wikidata", str(tmp_path / "none.json"), "--out", str(tmp_path / "x.jsonl")]
    )
    assert result.exit_code == 1 and "no such Wikidata dump" in result.output
