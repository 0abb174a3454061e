"""Actors, titles before a name (issue 11, eighteenth session): military ranks, academic and legal posts give
the name their sector, and a nationality word before them its country; a dictionary phrase never runs across
a sentence's end. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


def ref_of(doc, name: str):
    at = doc.text.index(name)
    return next((r for r in doc._.actors if r.start <= at < r.end), None)


@pytest.mark.parametrize("text, name, codes", [
    ("Cairo and Ankara met. Retired Turkish admiral Selim Kaya said the talks were useful.", "Selim Kaya",
     ("TUR", "MIL")),
    ("Cairo and Ankara met. Egyptian professor Khaled Fahmy said the talks were useful.", "Khaled Fahmy",
     ("EGY", "EDU")),
    ("Lagos and Accra met. Nigerian lawyer Femi Adeyemi said the deal was lawful.", "Femi Adeyemi",
     ("NGA", "JUD")),
    ("Seoul and Tokyo met. South Korean Lieutenant General Park Min-ho said the drills would go on.",
     "Park Min-ho", ("KOR", "MIL")),
])  # fmt: skip
def test_a_title_with_a_nationality_gives_the_name_its_country_and_sector(coder, text, name, codes):
    ref = ref_of(coder(text), name)
    assert ref is not None and (ref.country, ref.sector) == codes


def test_a_dictionary_phrase_never_runs_across_a_sentence(coder):
    doc = coder("Paris opened the trial. Lawyer Jean Morel said the attack was deliberate.")
    assert doc._.actors and not any("trial" in r.text for r in doc._.actors)  # no "trial lawyer" over the "."
