"""The actor knowledge base: keys, case rules, roles over time, fuzzy names, user files."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.actors.knowledge_base import RANK_CURATED, build_kb, fold, skeleton
from detente.errors import KnowledgeBaseError


def test_fold_drops_dots_accents_and_hyphens():
    assert fold("U.S.") == "us"
    assert fold("Côte d'Ivoire") == "cote divoire"
    assert fold("Greek-Cypriot") == "greek cypriot"


def test_transliterations_share_a_skeleton():
    assert (
        skeleton("Si Jin-Pching")
        == skeleton("Xi Jinping")
        == skeleton("Si Ťin-pching")
        == skeleton("Xi Jin Ping")
    )
    assert skeleton("Putin") != skeleton("Xi Jinping")


@pytest.mark.parametrize(
    ("text", "country", "sector", "method"),
    [
        ("Russia", "RUS", None, "exact"),
        ("the Kremlin", "RUS", "GOV", "alias"),  # a name of the Russian government, not its own
        ("Downing Street", "GBR", "GOV", "alias"),
        ("FSB", "RUS", "SPY", "exact"),
        ("NATO", "IGO", "MIL", "exact"),
        ("The New York Times", "USA", "JRN", "exact"),
        ("WeChat", "CHN", "BUS", "exact"),
        ("Mossad", "ISR", "SPY", "exact"),
        ("People's Republic of China", "CHN", None, "alias"),
    ],
)
def test_exact_and_alias_resolution(kb, text, country, sector, method):
    res = kb.resolve(text)
    assert (res.actor.country, res.actor.sector, res.method) == (country, sector, method)


def test_case_rules_keep_pronouns_and_common_words_out(kb):
    assert kb.lookup("us", "US") is not None
    assert kb.lookup("us", "us") is None
    assert kb.lookup("china", "china") is None
    assert kb.lookup("china", "China") is not None
    assert kb.lookup("the hill", "The Hill") is not None
    assert kb.lookup("the hill", "The hill") is None


def test_role_follows_publication_date(kb):
    trump = kb.resolve("Donald Trump", dt.date(2019, 6, 1)).actor
    assert (trump.country, trump.sector) == ("USA", "GOV")
    assert kb.resolve("Donald Trump", dt.date(2022, 6, 1)).actor.sector == "ELI"
    assert kb.resolve("Trump", dt.date(2025, 6, 9)).actor.sector == "GOV"
    assert kb.resolve("Marco Rubio", dt.date(2025, 6, 9)).actor.sector == "GOV"
    assert kb.resolve("Marco Rubio", dt.date(2019, 6, 1)).actor.sector == "LEG"


@pytest.mark.parametrize("spelling", ["Si Jin-Pching", "Si Ťin-pching", "Xi Jin Ping", "Xi Jinping"])
def test_transliterated_names_resolve(kb, spelling):
    res = kb.resolve(spelling, dt.date(2025, 6, 9))
    assert res.actor.actor_id == "person:xi-jinping"
    assert res.actor.sector == "GOV"
    assert 0.5 < res.confidence <= 0.95


def test_unknown_names_stay_unknown(kb):
    res = kb.resolve("Zorbulon Quatch")
    assert res.actor.country == "UNK"
    assert res.method == "unknown"


def test_user_files_add_actors(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "- name: Blue Heron Collective\n  country: FRA\n  sector: CVL\n  aliases: [BHC]\n"
        "- id: person:ana-kova\n  name: Ana Kova\n  country: CZE\n"
        "  roles: [{sector: GOV, title: Minister, start: 2020-01-01, end: 2023-01-01}]\n",
        encoding="utf-8",
    )
    (tmp_path / "mine.csv").write_text(
        "actor_id,name,country,sector,kind,aliases\norg:tiny-paper,Tiny Paper,AUT,JRN,outlet,TP Daily\n",
        encoding="utf-8",
    )
    kb = build_kb([tmp_path / "mine.yaml", tmp_path / "mine.csv"])
    assert kb.resolve("BHC").actor.country == "FRA"
    assert kb.resolve("TP Daily").actor.sector == "JRN"
    assert kb.resolve("Ana Kova", dt.date(2021, 1, 1)).actor.sector == "GOV"
    assert kb.resolve("Ana Kova", dt.date(2024, 1, 1)).actor.sector == "ELI"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- name: Bad\n  country: Russia\n", "3-letter"),
        ("- name: Bad\n  country: RUS\n  sector: XYZ\n", "unknown sector"),
        ("- country: RUS\n", "no name"),
        ("- [unbalanced\n", "not valid YAML"),
    ],
)
def test_bad_user_files_name_the_file_and_problem(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message) as info:
        build_kb([path])
    assert "bad.yaml" in str(info.value)


@pytest.mark.parametrize(
    ("spelling", "actor_id"),
    [
        ("Wolodymyr Selenskyj", "person:volodymyr-zelensky"),  # German
        ("Sergej Lawrow", "person:sergei-lavrov"),  # German
        ("Ławrow", "person:sergei-lavrov"),  # Polish
        ("Vladimir Poutine", "person:vladimir-putin"),  # French
        ("Benjamin Netanjahu", "person:benjamin-netanyahu"),  # Czech/German
        ("Ali Chameneí", "person:ali-khamenei"),  # Czech
        ("Donalda Trumpa", "person:donald-trump"),  # Czech declension
    ],
)
def test_european_renderings_of_names(kb, spelling, actor_id):
    res = kb.resolve(spelling)
    assert res.actor.actor_id == actor_id
    assert res.method in ("exact", "alias", "fuzzy")


def test_namesakes_are_told_apart_by_date(kb):
    assert kb.resolve("George Bush", dt.date(1991, 1, 1)).actor.actor_id == "person:george-h-w-bush"
    assert kb.resolve("George Bush", dt.date(2003, 1, 1)).actor.actor_id == "person:george-w-bush"


def test_built_in_data_loads_and_every_person_has_a_country():
    # How long loading takes is measured in benchmarks/kb_load.py, not asserted here.
    kb = build_kb()
    people = [e for e in kb.entries if e.lex == "person"]
    assert len(people) > 500
    assert all(len(e.actor.country) == 3 for e in people)
    assert all(e.roles for e in people if e.rank == RANK_CURATED)  # curated people come with their posts
