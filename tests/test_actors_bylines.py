"""Actors, the outlet's own people (issue 11, eighteenth session): a language service is its outlet, a name
after an outlet's possessive is its journalist, and a credit line's subjects are journalists of the outlet
the line names or the article's own. Each class is tested on sentences written for these tests."""

from __future__ import annotations

import pytest

from detente.records import ActorRef

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


def ref_at(doc, text: str) -> ActorRef | None:
    at = doc.text.index(text)
    return next((r for r in doc._.actors if r.start <= at < r.end), None)


def codes(ref: ActorRef | None) -> tuple[str, str | None] | None:
    return None if ref is None else (ref.country, ref.sector)


@pytest.mark.parametrize("text, service", [
    ("Officials in Islamabad told VOA Urdu the convoy had been attacked.", "VOA Urdu"),
    ("A ministry spokesman told VOA's Korean Service the talks would resume.", "VOA's Korean Service"),
    ("Analysts told VOA Mandarin that the visit was aimed at Delhi.", "VOA Mandarin"),
])  # fmt: skip
def test_a_language_service_is_its_outlet_not_the_country_of_its_language(coder, text, service):
    doc = coder(text)
    ref = ref_at(doc, service)
    assert ref is not None and ref.text == service and ref.kind == "outlet"
    assert codes(ref) == ("USA", "JRN") and ref.reason.endswith("+outlet")
    # the language word is no mention of a state of its own
    assert not any(r.kind == "country" and ref.start <= r.start < ref.end for r in doc._.actors)


def test_a_name_after_an_outlets_possessive_is_its_journalist(coder):
    doc = coder(
        "Pakistan's army said the siege was over. VOA Urdu's Tariq Baloch in Quetta contributed to this report."
    )
    assert codes(ref_at(doc, "Tariq Baloch")) == ("USA", "JRN")
    assert codes(ref_at(doc, "Pakistan's army")) == ("PAK", "MIL")  # the story's actors keep their own


def test_a_credit_line_names_journalists_of_the_articles_outlet(coder):
    text = "Ghana's parliament passed the bill on Tuesday. Kwame Mensah and Ama Boateng contributed to this report."
    doc = coder(text, outlet="Voice of America")
    assert codes(ref_at(doc, "Kwame Mensah")) == ("USA", "JRN")
    assert codes(ref_at(doc, "Ama Boateng")) == ("USA", "JRN")
    # without an outlet the journalists are still journalists, of no country the text says; never Ghana's
    plain = coder(text)
    assert codes(ref_at(plain, "Kwame Mensah")) == ("UNK", "JRN")
    assert codes(ref_at(plain, "Ama Boateng")) == ("UNK", "JRN")


def test_reported_from_is_a_credit_but_reported_that_is_news(coder):
    doc = coder("Kenya closed the camp. Lucy Wanjiru reported from Nairobi.", outlet="Voice of America")
    assert codes(ref_at(doc, "Lucy Wanjiru")) == ("USA", "JRN")
    news = coder("Kenya closed the camp. Interior Minister Kithure Kindiki reported that 40 people had left.",
                 outlet="Voice of America")  # fmt: skip
    assert codes(ref_at(news, "Kithure Kindiki")) != ("USA", "JRN")


def test_a_line_naming_its_own_outlet_gives_that_outlets_country(coder):
    doc = coder("Seoul protested the launch. Min-jun Park of Reuters contributed to this report.",
                outlet="Voice of America")  # fmt: skip
    assert codes(ref_at(doc, "Min-jun Park")) == ("GBR", "JRN")


# -- affiliations: the body a person works for ------------------------------------------------------------


@pytest.mark.parametrize("text, name, country", [
    ("Tokyo raised its budget. Mark Ellis, a senior fellow at the Lowy Institute, said the rise was modest.",
     "Mark Ellis", "AUS"),
    ("Tirana recalled its envoy. Peter Novak of the Jamestown Foundation said the timing was poor.",
     "Peter Novak", "USA"),
    ("Manila protested. Lena Holm with the Stockholm International Peace Research Institute called it a signal.",
     "Lena Holm", "SWE"),
])  # fmt: skip
def test_an_analyst_takes_the_country_of_the_body_they_work_at(coder, text, name, country):
    # and its sector: a think tank is civil society (SOC), as PLOVER's sector table has it
    assert codes(ref_at(coder(text), name)) == (country, "SOC")


def test_a_place_after_at_is_still_no_affiliation(coder):
    # "at" gives a body's country only: a city after it is where the scholar is, not whose
    doc = coder(
        "Kenya closed the camps. Ali Hassan, a visiting scholar at Paris, said the patients were safe."
    )
    ref = ref_at(doc, "Ali Hassan")
    assert ref is not None and ref.country != "FRA"
