"""The packaged gazetteer: contents, lookups, disambiguation, demonyms and bad files."""

from __future__ import annotations

import pytest

from detente.errors import KnowledgeBaseError
from detente.gazetteer import DATA_DIR, Entry, Gazetteer, default_gazetteer, normalize_name


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def test_loads_and_holds_every_kind():
    # Load time is not asserted here (timed tests fail on a loaded machine); `make bench` reports it.
    fresh = Gazetteer.load()
    kinds = {fresh.resolve(n).kind for n in ("Ukraine", "Kharkiv Oblast", "Beijing", "Sahel")}
    assert kinds == {"country", "admin", "city", "region"}
    assert len(fresh) > 30_000
    assert sum(p.stat().st_size for p in DATA_DIR.iterdir()) < 5_000_000


@pytest.mark.parametrize(
    ("name", "expected", "kind"),
    [
        ("the Russian Far East", "Russian Far East", "region"),
        ("Siberia", "Siberia", "region"),
        ("Central Asia", "Central Asia", "region"),
        ("the Middle East", "Middle East", "region"),
        ("Donbass", "Donbas", "region"),
        ("Crimea", "Crimea", "region"),
        ("the Arctic", "Arctic", "region"),
        ("the Balkans", "Balkans", "region"),
        ("the Caucasus", "Caucasus", "region"),
        ("the South China Sea", "South China Sea", "region"),
        ("Taiwan Strait", "Taiwan Strait", "region"),
        ("the Gaza Strip", "Gaza", "region"),
        ("the West Bank", "West Bank", "region"),
        ("Kashmir", "Kashmir", "region"),
        ("Kiev", "Kyiv", "city"),
        ("Moscow", "Moscow", "city"),
        ("the U.S.", "United States", "country"),
        ("Britain", "United Kingdom", "country"),
        ("Xinjiang", "Xinjiang", "admin"),
        ("Donetsk region", "Donetsk", "admin"),
    ],
)
def test_names_resolve(gazetteer, name, expected, kind):
    entry = gazetteer.resolve(name)
    assert entry is not None and (entry.name, entry.kind) == (expected, kind)
    assert -90 <= entry.lat <= 90 and -180 <= entry.lon <= 180


def test_regions_carry_their_countries(gazetteer):
    far_east = gazetteer.resolve("Russian Far East")
    assert far_east.country == "RUS" and far_east.countries == ("RUS",)
    central_asia = gazetteer.resolve("Central Asia")
    assert central_asia.country is None and {"KAZ", "UZB"} <= set(central_asia.countries)


def test_population_and_article_countries_disambiguate(gazetteer):
    assert gazetteer.resolve("Moscow").country == "RUS"  # not Moscow, Idaho
    assert gazetteer.resolve("Paris").country == "FRA"
    assert gazetteer.resolve("Georgia").kind == "country"
    us_state = gazetteer.resolve("Georgia", {"USA": 3})
    assert (us_state.kind, us_state.country) == ("admin", "USA")
    assert gazetteer.resolve("Georgia", {"USA": 3, "GEO": 1}).kind == "country"


def test_demonyms_are_not_places(gazetteer):
    for word in ("Russian", "Russians", "Chinese", "American"):
        assert gazetteer.is_demonym(word)
        assert gazetteer.resolve(word) is None
    assert not gazetteer.is_demonym("Russia")
    assert gazetteer.lookup("Allied States") == []


def test_hand_built_gazetteer():
    springfield_il = Entry("t:1", "Springfield", "city", "USA", 39.8, -89.6, 116_000, ("USA",))
    springfield_ma = Entry("t:2", "Springfield", "city", "USA", 42.1, -72.6, 155_000, ("USA",))
    small = Gazetteer(
        [(springfield_il, ["springfield"]), (springfield_ma, ["springfield"])], ["Springfieldian"]
    )
    assert small.lookup("SPRINGFIELD") == [springfield_il, springfield_ma]
    assert small.resolve("Springfield") == springfield_ma  # larger population
    assert small.resolve("Springfieldian") is None
    place = springfield_il.to_place("Springfield", 10, 21)
    assert (place.gazetteer_id, place.kind, place.start, place.end) == ("t:1", "city", 10, 21)


def test_normalize_name():
    assert normalize_name("  The  Gaza Strip ") == "gaza strip"
    assert normalize_name("Russia’s") == "russia"
    assert normalize_name("Zaporizhzhia") == normalize_name("ZAPORIZHZHIA")
    assert normalize_name("Bogotá") == "bogota"


def test_bad_files_raise_knowledge_base_errors(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="cannot read the gazetteer"):
        Gazetteer.load(tmp_path)
    (tmp_path / "places.tsv").write_text("x\tcity\tBadtown\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="bad row"):
        Gazetteer.load(tmp_path)
    (tmp_path / "places.tsv").write_text("x\tcity\tBadtown\tUSA\tnorth\t0\t1\tbadtown\t\n", encoding="utf-8")
    (tmp_path / "regions.yaml").write_text("- {name: Nowhere}\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"regions\.yaml"):
        Gazetteer.load(tmp_path)
    (tmp_path / "regions.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="9 tab-separated"):
        Gazetteer.load(tmp_path).lookup("Badtown")


def test_context_does_not_lift_a_tiny_namesake(gazetteer):
    assert gazetteer.resolve("Paris", {"USA": 10}).country == "FRA"  # not Paris, Texas
    assert gazetteer.resolve("Vienna", {"USA": 10}).country == "AUT"  # not Vienna, Virginia
    assert gazetteer.resolve("New Delhi").name == "New Delhi"  # the name as written beats an alias


def test_generic_words_and_translated_aliases_are_not_places(gazetteer):
    for word in ("South", "West", "the Gulf", "Central"):
        assert gazetteer.lookup(word) == [], word
    assert gazetteer.lookup("White House") == []  # a translation of Casablanca, not a spelling of it
