"""Actors, seventh pass of issue 11: pronouns and "the administration" in stories about two states. Methods,
not sentences: "the administration" takes up the nearest official or named administration, and no state at
all when officials of two states are equally near; "they" agrees in number (one person after "a/an" is no
antecedent and no rival); "they" inside a quotation is not the quotation's speaker, also when the quotation
opened a sentence before. Every sentence here is written for these tests (none is a gold sentence)."""

from __future__ import annotations

from detente.actors.coreference import antecedent_of
from tests.test_actors_sets import ref_at


def test_the_administration_is_no_state_when_two_states_officials_are_equally_near(actors_nlp):
    doc = actors_nlp(
        "Lawmakers met after the talks between Canadian Prime Minister Mark Carney and Mexican President "
        "Claudia Sheinbaum in Ottawa. The senator said the tariffs lifted by the administration had hurt farmers."
    )
    ref = ref_at(doc, "administration")
    # Before: the nearer in the text (Sheinbaum), MEX GOV; neither is nearer in the story.
    assert ref is None or ref.country not in ("MEX", "CAN")


def test_the_administration_takes_up_an_administration_named_before(actors_nlp):
    doc = actors_nlp(
        "Ukrainian President Volodymyr Zelenskyy spoke to lawmakers in Kyiv on Monday. The Trump administration "
        "paused the shipments a day later. Diplomats said the administration would review the decision."
    )
    ref = ref_at(doc, "the administration")
    assert ref is not None and (ref.country, ref.sector) == ("USA", "GOV")  # was UKR: the official before
    ante = antecedent_of(doc, ref)
    assert ante is not None and ante.text == "Trump administration"


def test_the_administration_of_the_one_official_named_is_kept(actors_nlp):
    # guard: one state's official in reach is still the administration's state
    doc = actors_nlp(
        "U.S. President Donald Trump spoke in Ohio on Monday. Critics said the administration had no plan."
    )
    ref = ref_at(doc, "the administration")
    assert ref is not None and (ref.country, ref.sector, ref.reason) == ("USA", "GOV", "coreference")


def test_they_in_a_quotation_opened_a_sentence_before_is_not_its_speaker(actors_nlp):
    doc = actors_nlp(
        'Greece and France disagree over the new frigates. "There is room for Greece to come back to the table. '
        'They know what has to be done," a senior French diplomat told reporters on Friday.'
    )
    ref = ref_at(doc, "They")
    assert ref is None or ref.country != "FRA"  # was the French diplomat: the speaker speaks of others


def test_one_person_after_a_is_no_rival_of_they(actors_nlp):
    doc = actors_nlp(
        "Kenyan protesters gathered outside the embassy as a Ugandan official arrived. "
        "They demanded the release of the activist."
    )
    ref = ref_at(doc, "They")
    assert ref is not None and ref.country == "KEN"  # was unlinked: "a Ugandan official" counted as a group


def test_one_person_after_a_is_not_they(actors_nlp):
    doc = actors_nlp(
        "Nigerian soldiers patrolled the town while a Chadian commander watched. They later withdrew to the base."
    )
    ref = ref_at(doc, "They")
    assert ref is not None and (ref.country, ref.sector) == ("NGA", "MIL")


def test_they_after_they_links_to_the_name_not_to_the_pronoun(actors_nlp):
    doc = actors_nlp(
        'The Baloch Liberation Army seized a train on Tuesday. "They stopped the train in a tunnel. They shot the '
        'guards. At night they killed ten more people," a passenger said.'
    )
    first = ref_at(doc, "They")
    last = ref_at(doc, "they killed")
    assert first is not None and last is not None
    ante = antecedent_of(doc, last)
    # Before: linked to the "They" before it, the confidence discounted at every step of the chain (a longer
    # chain fell under the stage's threshold and the pronoun was dropped).
    assert ante is not None and ante.text == "Baloch Liberation Army"
    assert last.confidence == first.confidence


def test_a_plural_noun_inside_a_nouns_phrase_is_no_rival_of_they(actors_nlp):
    doc = actors_nlp(
        "Tens of thousands of Chileans began protesting last year in anger over rising fuel prices. "
        "They demanded reforms."
    )
    ref = ref_at(doc, "They")
    assert ref is not None and (ref.country, ref.sector) == ("CHL", "CVL")  # "prices" had left it unlinked


def test_a_plural_noun_after_a_verbs_preposition_is_still_a_rival(actors_nlp):
    # guard: "with farmhands" names people who took part; "They" may be them
    doc = actors_nlp(
        "Tens of thousands of Chileans began protesting last year together with farmhands. They demanded reforms."
    )
    assert ref_at(doc, "They") is None
