"""Actors, twentieth session: what a mention says of its sector when nothing says its country. A sector noun
the story places nowhere is still an actor of that sector (UNK country), unless a name or pronoun inside its
own phrase already speaks for it; and a person the knowledge base lacks is of the calling their apposition
names ("a professor" EDU, "the attorney" JUD), where a post ("director", "commander") says nothing without
its body. Every sentence here was written for these tests (none is a gold sentence)."""

from __future__ import annotations

import pytest

from tests.test_actors_classes import covering

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


# -- sector nouns no country reaches ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "noun", "expected"),
    [
        ("Authorities say that only heavy rain will put the fires out.", "Authorities", ("UNK", "GOV")),
        ("The senate will vote on the bill next week.", "senate", ("UNK", "LEG")),
    ],
)
def test_a_sector_noun_no_country_reaches_is_an_actor_of_its_sector(coder, text, noun, expected):
    assert covering(coder(text), noun) == expected


def test_a_sector_noun_no_country_may_reach_is_of_its_sector_and_unk(coder):
    # the press a minister speaks to, "other" leaders: never Pakistan's, but press and leaders all the same
    doc = coder("Pakistan's interior minister told reporters that other African leaders had called him.")
    assert covering(doc, "reporters") == ("UNK", "JRN")
    assert covering(doc, "leaders") == ("UNK", "GOV")


def test_a_sector_noun_whose_phrase_names_its_actors_is_not_one_more_actor(coder):
    # "leaders" of two named men: the men are the actors; an UNK "leaders" would be a third party
    doc = coder("The leaders of Lula and Milei talked about the trade deal.")
    assert not any(r.text == "leaders" for r in doc._.actors)
    # a nationality written inside the phrase speaks for it, even where the sentence names other countries
    doc = coder("Ankara and Moscow both condemned an offensive against the Syrian Kurdish militia.")
    assert not any(r.text == "militia" and r.country == "UNK" for r in doc._.actors)


# -- a calling in an apposition --------------------------------------------------------------------------


def test_a_professor_in_apposition_is_education(coder):
    doc = coder("Daniel Okafor, a professor at the Institute for Maritime Studies in Lisbon, said the law would "
                "change little.")  # fmt: skip
    assert covering(doc, "Daniel Okafor")[1] == "EDU"


def test_an_attorney_in_apposition_is_judicial(coder):
    doc = coder("Orla Brennick, the attorney for the family, said the evidence was weak.")
    assert covering(doc, "Orla Brennick")[1] == "JUD"


def test_a_resident_in_apposition_is_a_civilian(coder):
    doc = coder('"We heard gunfire all night," said Abdirahman Yusuf, a resident who saw the attack.')
    assert covering(doc, "Abdirahman Yusuf")[1] == "CVL"


def test_a_post_in_apposition_says_no_sector_without_its_body(coder):
    # a director of what? The post alone is the body's sector, which the sentence does not give
    doc = coder("Daniel Okafor, a director, said the plan was sound.")
    assert covering(doc, "Daniel Okafor")[1] is None
    # nor is the apposition, or a predicate, a second actor beside him
    assert covering(doc, "director") in (None, covering(doc, "Daniel Okafor"))
    doc = coder("Daniel Okafor is a director.")
    assert covering(doc, "director") in (None, covering(doc, "Daniel Okafor"))


# -- a body the dictionaries lack, by the word its name ends on -------------------------------------------


def test_an_unknown_body_takes_the_sector_its_name_ends_on(coder):
    doc = coder("Analysts at Harbourline Brokerage and the Tamsin Rights Foundation criticised the decree.")
    assert covering(doc, "Harbourline Brokerage")[1] == "BUS"
    assert covering(doc, "Tamsin Rights Foundation")[1] == "SOC"
    doc = coder("A team from Kastoria Technical University dug at the site.")
    assert covering(doc, "Kastoria Technical University")[1] == "EDU"


def test_a_name_ending_on_a_word_of_several_sectors_gets_none(coder):
    # an institute is a university's or a think tank's: the name alone does not say which
    doc = coder("Researchers at the Velden Institute published the survey.")
    assert covering(doc, "Velden Institute")[1] is None


# -- think tanks and former officials ---------------------------------------------------------------------


def test_a_think_tank_is_civil_society_not_education(coder):
    doc = coder('"The timing is poor," said Marta Kowalczyk of the Jamestown Foundation.')
    assert covering(doc, "Jamestown Foundation") == ("USA", "SOC")
    assert covering(doc, "Marta Kowalczyk")[1] == "SOC"
    doc = coder("Students at Rice University staged a sit-in.")
    assert covering(doc, "Rice University")[1] == "EDU"


def test_a_person_described_by_a_former_post_is_an_elite(coder):
    doc = coder("Thomas Keller, a former senior State Department official, said the move was overdue.")
    assert covering(doc, "Thomas Keller") == ("USA", "ELI")
    doc = coder("Jana Horvat, a former lawmaker, said the vote was rigged.")
    assert covering(doc, "Jana Horvat")[1] == "ELI"
    doc = coder("Thomas Keller, a senior State Department official, said the move was overdue.")
    assert covering(doc, "Thomas Keller") == ("USA", "GOV")


# -- people of no one country by nature ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "noun", "expected"),
    [
        # "Chinese immigrants" are people (CVL) of China, not the Chinese state
        (
            "Her mother, the child of Chinese immigrants, was born in Texas.",
            "Chinese immigrants",
            ("CHN", "CVL"),
        ),
        ("Tariffs would lead to higher prices for U.S. consumers.", "U.S. consumers", ("USA", "CVL")),
        # "families" takes no country from a sentence that names Kenya
        ("Kenya closed the camp, and families said they had nowhere to go.", "families", ("UNK", "CVL")),
    ],
)
def test_people_named_by_a_generic_noun_are_civilians_of_their_phrase_only(coder, text, noun, expected):
    assert covering(coder(text), noun) == expected


def test_the_event_coder_does_not_take_an_unplaced_noun_as_a_party(nlp):
    from detente.actors.matching import UNPLACED

    doc = nlp("Authorities arrested three journalists on Monday.")
    assert any(r.text == "Authorities" and r.sector == "GOV" and r.reason == UNPLACED for r in doc._.actors)
    coerce = [e for e in doc._.events if e.event_type == "COERCE"]
    assert coerce, "the arrest is still coded"
    assert all(r.reason != UNPLACED for e in coerce for r in (*e.source, *e.target))
