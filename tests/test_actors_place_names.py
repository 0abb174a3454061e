"""A country's or a city's name inside a person's name is no country; a country's possessive before a person
with only titles between is the person's country; a body whose name ends on a country is of that country
(twenty-second session; the classes were read off the role errors of the annotated synthetic stories and the
tuning half; the sentences here are written for these tests)."""

from __future__ import annotations

import pytest

from detente.records import ActorRef
from tests.test_actors_sets import ref_at as covering

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jordan Peterson criticized the government on Monday.", "Jordan Peterson"),
        ("Chad Smith, a spokesman for the company, said the talks would resume.", "Chad Smith"),
        ("Analyst Georgia Williams said the deal was weak.", "Georgia Williams"),
    ],
)
def test_a_countrys_name_as_a_given_name_gives_no_country(coder, text, name):
    ref = covering(coder(text), name)
    assert ref is not None and name in ref.text
    assert ref.country == "UNK"  # not JOR, TCD, GEO: a person the knowledge base lacks


def test_a_citys_name_as_a_family_name_is_part_of_the_name(coder):
    doc = coder("Maltese Prime Minister Joseph Muscat has commended the police of his country.")
    ref = covering(doc, "Muscat")
    assert ref is not None and "Joseph Muscat" in ref.text
    assert (ref.country, ref.sector) == ("MLT", "GOV")  # not Oman's government (its capital)
    assert all(r.country != "OMN" for r in doc._.actors)


def test_a_country_before_a_title_inside_the_name_still_gives_the_country(coder):
    # the recogniser may take the country into the PERSON entity; a title beside it keeps it a modifier
    ref = covering(coder("Jordan King Abdullah met the visiting delegation in Amman."), "Jordan")
    assert ref is not None and ref.country == "JOR"


def test_a_countrys_possessive_before_a_titled_person_is_the_persons_country(coder):
    doc = coder("Saudi Arabia's King Abdullah has signed a decree lifting the ban on women driving.")
    ref = covering(doc, "King Abdullah")
    assert ref is not None and (ref.country, ref.sector) == ("SAU", "GOV")  # not Jordan's King Abdullah II
    assert covering(coder("Jordan's King Abdullah met the delegation."), "King Abdullah").country == "JOR"


def test_a_possessive_past_a_word_that_is_no_title_gives_nothing(coder):
    ref = covering(coder("Belarus's ally Vladimir Putin said the sanctions would fail."), "Putin")
    assert ref is not None and ref.country == "RUS"  # an ally is not of the possessor's country


def test_a_bodys_possessor_is_still_no_nationality(coder):
    ref = covering(coder("Iran's Hezbollah fired rockets across the border."), "Hezbollah")
    assert ref is not None and ref.country != "IRN"


@pytest.mark.parametrize(
    ("text", "country_word", "country"),
    [
        ("Greenpeace Netherlands said the convoy would reach Oslo on Friday.", "Netherlands", "NLD"),
        ("Citing Liberia, officials said the border would stay closed.", "Liberia", "LBR"),
    ],
)
def test_a_country_the_recogniser_takes_into_a_name_is_still_the_country(coder, text, country_word, country):
    ref = covering(coder(text), country_word)
    assert ref is not None and ref.country == country


# -- a body whose name ends on its country -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "body", "country"),
    [
        ("The Tourism Authority of Thailand expects more visitors, officials in Hanoi said.", "Tourism Authority", "THA"),
        ("Air France said it would suspend its flights to Tokyo on Friday.", "Air France", "FRA"),
        ("Olayinka Badmus of Breakthrough Action Nigeria said the strain posed a risk.", "Breakthrough Action", "NGA"),
    ],
)  # fmt: skip
def test_a_body_named_with_its_country_at_the_end_is_of_that_country(coder, text, body, country):
    ref = covering(coder(text), body)
    assert ref is not None and ref.country == country


def test_a_country_inside_or_after_another_word_of_a_bodys_name_is_not_its_country(coder):
    doc = coder("Evan Fowler of the Inter-Parliamentary Alliance on China said the deal was risky.")
    ref = covering(doc, "Inter-Parliamentary")
    assert ref is None or ref.country != "CHN"  # an alliance about China, not of it


def test_a_body_named_with_a_country_counts_towards_the_storys_country():
    from detente.actors.context import story_countries

    bank = ActorRef("Bank of England", 0, 15, "org:bank-of-england", "Bank of England", "GBR", None, "organization",
                    0.5, "unknown")  # fmt: skip
    lent = ActorRef("Bank of Y", 20, 29, "org:bank-of-y", "Bank of Y", "GBR", None, "organization", 0.4,
                    "unknown+context")  # fmt: skip
    assert story_countries([bank, lent]) == {"GBR": 1}  # its own name's country counts; a lent one does not


@pytest.mark.parametrize(
    ("text", "noun", "country"),
    [
        # the parser tags the town a person in this text (it does not alone); "in Kitwe" says where the
        # police are (twenty-ninth session, from a tuned read article; the sentences are written here)
        ("Water supply to Kitwe was cut. Police in Kitwe arrested two Chinese managers on Monday.",
         "Police in Kitwe", "ZMB"),
    ],
)  # fmt: skip
def test_a_town_the_parser_takes_for_a_person_after_in_is_a_place(coder, text, noun, country):
    doc = coder(text)
    assert [t.ent_type_ for t in doc if t.text == "Kitwe"] == ["PERSON", "PERSON"]  # what the rule is for
    assert covering(doc, noun).country == country
    assert not [r for r in doc._.actors if r.text == "Kitwe" and r.kind == "person"][1:]


def test_a_person_after_in_stays_a_person_when_no_place_has_the_name(coder):
    doc = coder("In Trump's view the deal was fair, and trust in Rubio grew, officials said.")
    assert all(r.kind != "place" for r in doc._.actors if "Rubio" in r.text or "Trump" in r.text)
