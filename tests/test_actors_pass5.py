"""Actors, fifth pass of issue 11: where a country taken from the context was wrong, and a few recogniser
and coreference classes. Each class is tested on sentences written for these tests (none is a gold
sentence): people who arrived or settled somewhere, "<nationality> American", two titles under one
determiner, an object pronoun whose clause's subject is the same state, a quantifier as a rival of "they",
"their" inside a coordination, a body's name the recogniser split, counted people ("the 40"), and "he"
for someone the article calls "Ms."."""

from __future__ import annotations

import pytest

from detente.actors.coreference import antecedent_of
from tests.test_actors_sets import ref_at

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


def country_at(doc, text: str, nth: int = 0) -> str:
    ref = ref_at(doc, text, nth)
    return "UNK" if ref is None else ref.country


# -- where people arrive or settle is not where they are from --------------------------------------------------

STORY_ABOUT_CANADA = (
    "Canada announced new rules for seasonal farm work on Monday. Canadian officials said the rules would take "
    "effect in May. Ottawa expects more applications this year. After arriving in Canada, Tomas Ribeira "
    "worked on a farm in Ontario for two summers. He later applied for residency."
)


def test_a_newcomer_takes_neither_the_story_nor_the_destination_country(coder):
    doc = coder(STORY_ABOUT_CANADA)
    assert country_at(doc, "Tomas Ribeira") == "UNK"  # the story is about Canada; he only arrived there
    assert country_at(doc, "He later") == "UNK"  # his pronoun follows him


def test_a_resident_named_without_moving_still_takes_the_story_country(coder):
    doc = coder(
        STORY_ABOUT_CANADA.replace("After arriving in Canada, Tomas Ribeira worked", "Tomas Ribeira worked")
    )
    assert country_at(doc, "Tomas Ribeira") == "CAN"  # the method that held before: the story's country


def test_a_people_that_settled_in_a_country_is_not_of_that_country(coder):
    doc = coder(
        "Fiji's government met community leaders in Suva. Fiji said the talks went well. Fiji will hold more "
        "talks. Many Banabans settled in Fiji after the mining ended."
    )
    assert country_at(doc, "Banabans") == "UNK"


# -- "<nationality> American" -----------------------------------------------------------------------------------


def test_nationality_american_is_an_american(coder):
    doc = coder(
        "The Iranian American journalist Lena Park spoke in Chicago. Vietnamese Americans gathered outside."
    )
    assert ref_at(doc, "Iranian American journalist").country == "USA"
    assert ref_at(doc, "Vietnamese Americans").country == "USA"


def test_two_nationalities_otherwise_keep_the_first(coder):
    doc = coder("Bosnian Serb forces shelled the town on Tuesday.")
    assert ref_at(doc, "Bosnian Serb forces").country == "BIH"


# -- two titles under one determiner ----------------------------------------------------------------------------


def test_a_name_after_two_coordinated_titles_takes_the_first_titles_country(coder):
    doc = coder(
        "A man told a court on Monday that he tried to kill the Nigerian journalist and BBC host Adaeze Okonkwo "
        "in London in 2022."
    )
    ref = ref_at(doc, "Adaeze Okonkwo")
    assert ref is not None and (ref.country, ref.sector) == (
        "NGA",
        "JRN",
    )  # not the outlet's, not the place's


def test_a_name_coordinated_with_a_plain_noun_is_another_person(coder):
    doc = coder("Police questioned the Nigerian journalist and Adaeze Okonkwo in London.")
    assert country_at(doc, "Adaeze Okonkwo") == "UNK"  # "the journalist and X": two people, no title before X


# -- object pronouns and rivals of "they" ---------------------------------------------------------------------


def test_an_object_pronoun_is_not_the_same_state_as_its_subject(coder):
    doc = coder(
        "Kenyan officials claimed that nobody had asked to see the detainees, but later admitted that Kenya "
        "turned them away."
    )
    ref = ref_at(doc, "them away")
    assert ref is None or ref.country != "KEN"  # "Kenya turned them away" cannot be the Kenyan officials


def test_a_quantifier_between_group_and_pronoun_leaves_they_unlinked(coder):
    doc = coder("Chilean officials said that some had offered help, without naming them.")
    assert ref_at(doc, "them.") is None


def test_they_still_takes_the_one_plural_subject(coder):
    doc = coder("Chilean officials met the miners on Monday. They promised a new safety law.")
    assert country_at(doc, "They promised") == "CHL"


def test_their_after_a_conjoined_person_is_not_a_group_named_elsewhere(coder):
    doc = coder(
        "The daughter of jailed activist Marta Ruiz met the Trump administration in Washington. Ruiz's "
        "daughter Elena and their lawyers were in Washington this week to meet with Trump administration officials."
    )
    ref = ref_at(doc, "their lawyers")
    assert ref is None or ref.country != "USA"


def test_their_after_a_conjoined_group_is_that_group(coder):
    doc = coder("Kenyan farmers and their families marched to Nairobi on Monday.")
    ref = ref_at(doc, "their families")
    assert ref is not None and ref.country == "KEN"


# -- a body's name the recogniser split -----------------------------------------------------------------------


def test_a_government_named_with_of_is_one_ref(coder):
    doc = coder("Egypt criticised the Yemeni Government of National Salvation on Sunday.")
    ref = ref_at(doc, "Government of National Salvation")
    assert ref is not None and ref.text == "Yemeni Government of National Salvation"
    assert (ref.country, ref.sector) == ("YEM", "GOV")


# -- counted people ---------------------------------------------------------------------------------------------


def test_the_number_of_a_group_named_before_is_that_group(coder):
    doc = coder(
        "Police detained 30 Eritrean migrants near the border on Friday. The 30 were taken to a camp. "
        "Officials said these five would be released."
    )
    assert country_at(doc, "The 30") == "ERI"
    assert country_at(doc, "these five") == "ERI"


def test_a_bare_or_unrelated_number_is_no_one(coder):
    doc = coder(
        "Police detained 30 Eritrean migrants near the border on Friday. For a deal, you need two. "
        "Officials closed 12 camps and said the 12 would not reopen."
    )
    assert ref_at(doc, "two.") is None  # a bare number
    assert ref_at(doc, "the 12") is None  # "12 camps" between: the camps are what is counted


# -- "he" for someone the article calls "Ms." ----------------------------------------------------------------


def test_he_is_not_a_woman_the_article_calls_ms(coder):
    doc = coder(
        'Ms. Nora Vale, a farmer, testified on Monday. "You will hear it all from Ms. Vale herself," he told '
        "the court."
    )
    ref = ref_at(doc, "he told")
    assert ref is None or antecedent_of(doc, ref) is None


def test_she_still_takes_the_woman_the_article_calls_ms(coder):
    doc = coder('Ms. Nora Vale, a Kenyan farmer, testified on Monday. "I saw it all," she told the court.')
    ref = ref_at(doc, "she told")
    assert ref is not None and ref.actor_id == ref_at(doc, "Nora Vale").actor_id


# -- what names no country for the sentence or the story ------------------------------------------------------


def test_the_press_someone_speaks_to_takes_no_country(coder):
    doc = coder(
        "Chad's army clashed with rebels near the border on Monday. Chad said the fighting was over. Chad also "
        "closed the border. The spokesman later told reporters that the area was calm."
    )
    ref = ref_at(doc, "reporters")
    assert ref is None or ref.country == "UNK"  # the audience, as "told VOA" is
    assert country_at(doc, "rebels") == "TCD"  # the story's country still reaches its actors
    doc = coder(STORY_ABOUT_CANADA + " In a statement to media, Canadian farm groups welcomed the rules.")
    ref = ref_at(doc, "media")
    assert ref is None or ref.country == "UNK"


def test_ruling_coalition_lawmakers_are_of_the_story_country(coder):
    doc = coder(
        "Nepal's parliament met on Friday. Nepal said the vote would go ahead. Nepal expects a majority. "
        "On Friday, ruling coalition lawmakers passed the budget."
    )
    assert country_at(doc, "lawmakers") == "NPL"  # "coalition" alone would mean several countries' forces


def test_an_outlets_home_is_not_the_sentences_country(coder):
    doc = coder("A BBC correspondent in the town said at least six people had died.")
    assert country_at(doc, "people") == "UNK"  # not British: the BBC only reports it
    assert country_at(doc, "BBC") == "GBR"


def test_the_origin_of_a_thing_places_no_one(coder):
    doc = coder("The dig also found evidence of villagers trading with Europeans for Dutch gin.")
    assert country_at(doc, "villagers") == "UNK"
    assert country_at(doc, "Europeans") == "UNK"
    assert country_at(doc, "Dutch") == "NLD"  # the nationality word itself stays a ref of its country


def test_a_nationality_on_a_group_still_gives_the_sentence_its_country(coder):
    doc = coder("Malian soldiers and villagers fled the town on Monday.")
    assert country_at(doc, "villagers") == "MLI"
