"""Sets a phrase names itself (``detente.actors.named_sets``, twenty-third session): countries coordinated on
one sector noun ("the Thai and Chinese governments", "ministers from Britain, Canada and France") and the
people of a grouping of states ("G7 foreign ministers", "the Quad members"). Every sentence is written for
these tests (none is a gold sentence)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from detente.actors.evaluation import GoldMention, MentionResult
from detente.actors.named_sets import NAMED_SET, groupings
from detente.actors.sets import is_set, members
from detente.events.roles import with_set_members
from tests.test_actors_sets import ref_at

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


@pytest.mark.parametrize(("text", "phrase", "codes", "sector"), [
    ("The Chilean and Peruvian governments signed a fisheries pact on Monday.", "Chilean", ["CHL", "PER"], "GOV"),
    ("Kenyan and Ugandan troops patrolled the border.", "Kenyan", ["KEN", "UGA"], "MIL"),
    ("U.S., British and French officials met in Geneva.", "U.S.", ["USA", "GBR", "FRA"], "GOV"),
    ("Ministers from Chile, Peru and Bolivia met in La Paz.", "Ministers", ["CHL", "PER", "BOL"], "GOV"),
    # the parse hangs the last of an Oxford-comma list on the noun
    ("The leaders of Chile, Peru, and the United States met in Lima.", "leaders", ["CHL", "PER", "USA"], "GOV"),
])  # fmt: skip
def test_countries_coordinated_on_one_noun_are_one_set_of_every_country(coder, text, phrase, codes, sector):
    ref = ref_at(coder(text), phrase)
    assert ref is not None and is_set(ref) and ref.reason == NAMED_SET
    assert list(members(ref)) == codes and ref.sector == sector and ref.country == "UNK"
    # the noun's words and every country's are inside the one ref (refs never overlap)
    assert text.index(phrase) >= ref.start and ref.text.split()[-1] in text


@pytest.mark.parametrize(("text", "phrase"), [
    ("The Antigua and Barbuda authorities arrested two men.", "Antigua and Barbuda authorities"),  # one country
    ("Chilean and indigenous leaders met in Lima.", "Chilean"),  # a word that is no country
    ("Chilean officials and Peruvian farmers met in Lima.", "Chilean officials"),  # two phrases of their own
    # officials of one country, wherever they work
    ("South Korean officials from Seoul and Washington held a meeting.", "South Korean officials"),
])  # fmt: skip
def test_one_country_or_two_phrases_is_no_named_set(coder, text, phrase):
    ref = ref_at(coder(text), phrase)
    assert ref is not None and not is_set(ref)


def test_the_two_after_a_named_set_takes_up_its_members(coder):
    doc = coder("The Chilean and Peruvian governments signed a fisheries pact. The two governments will patrol "
                "the coast together.")  # fmt: skip
    later = ref_at(doc, "The two governments")
    assert later is not None and set(members(later)) == {"CHL", "PER"}


def test_they_for_a_named_set_is_the_set(coder):
    doc = coder(
        "Chilean and Peruvian fishermen protested in Lima on Monday, saying they had lost their catch."
    )
    they = ref_at(doc, "they")
    assert they is not None and set(members(they)) == {"CHL", "PER"}


@pytest.mark.parametrize(("text", "phrase", "codes"), [
    ("G7 finance ministers met in Rome on Friday.", "G7 finance ministers", {"USA", "CAN", "GBR", "FRA", "DEU",
                                                                              "ITA", "JPN"}),
    ("The Quad members pledged to keep sea lanes open.", "The Quad members", {"USA", "JPN", "IND", "AUS"}),
    ("Leaders of the Quad met in Tokyo.", "Leaders of the Quad", {"USA", "JPN", "IND", "AUS"}),
    ("Envoys from the Group of Seven industrial nations met in Ottawa.", "Envoys", {"USA", "CAN", "GBR", "FRA",
                                                                                   "DEU", "ITA", "JPN"}),
    # a region's adjective is no actor of its own, and its states are the grouping's
    ("The Baltic states condemned the strike.", "Baltic", {"EST", "LVA", "LTU"}),
])  # fmt: skip
def test_the_people_of_a_grouping_of_states_are_its_members(coder, text, phrase, codes):
    ref = ref_at(coder(text), phrase)
    assert ref is not None and is_set(ref) and set(members(ref)) == codes and ref.sector == "GOV"


@pytest.mark.parametrize(("text", "phrase"), [
    ("The Baltic Sea states met in Riga.", "Baltic"),  # another grouping, not the three
    ("The Baltic Fleet sailed from Kaliningrad.", "Baltic"),
    ("The Gulf states braced for the hurricane.", "Gulf"),  # "Gulf" alone is no grouping (docs/actors.md)
])  # fmt: skip
def test_a_region_word_in_another_name_is_no_grouping(coder, text, phrase):
    ref = ref_at(coder(text), phrase)
    assert ref is None or not is_set(ref)


def test_a_grouping_named_alone_or_with_a_member_in_the_phrase_stays_itself(coder):
    alone = ref_at(coder("The Quad said on Monday it would meet again."), "Quad")
    assert alone is not None and not is_set(alone) and alone.country == "IGO"
    owned = ref_at(coder("Japan's Quad partners objected to the plan."), "Quad")
    assert owned is None or not is_set(owned)


def test_a_grouping_has_the_members_of_the_articles_date():
    brics = next(g for g in groupings() if "BRICS" in g.names)
    assert "IRN" not in brics.members_on(dt.date(2020, 5, 1))
    assert "IRN" in brics.members_on(dt.date(2025, 5, 1)) and "IRN" in brics.members_on(None)
    assert "ZAF" not in brics.members_on(dt.date(2009, 6, 16))


def test_a_named_set_is_every_member_to_events_and_to_the_mention_gold(coder):
    doc = coder("The Chilean and Peruvian governments signed a fisheries pact on Monday.")
    ref = ref_at(doc, "Chilean")
    assert ref is not None
    parties = with_set_members([ref])
    assert [(p.country, p.sector) for p in parties] == [("CHL", "GOV"), ("PER", "GOV")]
    for code in ("CHL", "PER"):
        gold = GoldMention("s1", doc.text, "The Chilean and Peruvian governments", code, "GOV", "mention")
        assert MentionResult(gold, ref).country_ok


@pytest.mark.parametrize("text", [
    "The G-8 nations in Japan agreed on aid.",  # the grouping's noun and its place were one agent noun
    "U.S., British and French officials met in Geneva with Quad leaders.",
])  # fmt: skip
def test_refs_never_overlap_after_a_named_set(coder, text):
    refs = sorted(coder(text)._.actors, key=lambda r: r.start)
    assert any(is_set(r) for r in refs)
    assert all(a.end <= b.start for a, b in itertools.pairwise(refs))
