"""Actors, eleventh pass of issue 11: names the recogniser mis-split, and people named again by their role in
a case. A name never ends on an adverb (a heading run into its paragraph: "President Macron Shortly after
the vote"); initials the recogniser tagged a person are no one "he" stands for; "the defendants", "the
suspects", "the accused" take up the people coordinated just before them when those are of one country.
Every sentence here is written for these tests (none is a gold sentence)."""

from __future__ import annotations

from tests.test_actors_sets import ref_at

# -- mis-split names ---------------------------------------------------------------------------------------


def test_a_name_never_ends_on_an_adverb(actors_coder):
    doc = actors_coder(
        "Reaction from President Macron Shortly after the vote, Macron thanked the voters for their support."
    )
    title = ref_at(doc, "President Macron")
    # Before: "Macron Shortly" was one name nobody knew, a second person beside Macron.
    assert title is not None and title.actor_id == "person:emmanuel-macron"
    assert "Shortly" not in title.text


def test_initials_tagged_a_person_are_no_rival_for_he(actors_coder):
    doc = actors_coder(
        'Governor Paulo Mendes of Brazil reacted on Sunday. "The #MPN is instructed to take all measures," he '
        "tweeted."
    )
    he = ref_at(doc, "he tweeted")
    # Before: the recogniser's person "MPN" was a second person in reach, so "he" was left open.
    assert he is not None and he.actor_id == "person:paulo-mendes" and he.country == "BRA"


def test_two_people_still_leave_he_open(actors_coder):
    """Guard: only initials stop being rivals; two named people still leave "he" unresolved."""
    doc = actors_coder(
        'Governor Paulo Mendes met Senator Rui Costa on Sunday. "We agreed on the budget," he said.'
    )
    assert ref_at(doc, "he said") is None


# -- people named again by their role in a case ------------------------------------------------------------


def test_the_suspects_are_the_people_arrested_before(actors_coder):
    doc = actors_coder(
        "Police in London arrested Ghanaian businessman Kofi Mensah and Ghanaian lawyer Kwame Boateng on "
        "Monday. The prosecutor said the suspects had moved millions of pounds."
    )
    suspects = ref_at(doc, "the suspects")
    # Before: no ref; the two coordinated people are both Ghanaian.
    assert suspects is not None and suspects.country == "GHA"
    assert suspects.text == "the suspects" and "kofi-mensah" in suspects.actor_id


def test_the_defendants_in_a_quotation(actors_coder):
    doc = actors_coder(
        "Prosecutors say Ghanaian businessman Kofi Mensah and Ghanaian lawyer Kwame Boateng paid the bribes. "
        '"The defendants knew the money was stolen," prosecutor Ann Wells told the jury.'
    )
    defendants = ref_at(doc, "The defendants")
    assert defendants is not None and defendants.country == "GHA"


def test_the_accused_standing_alone(actors_coder):
    doc = actors_coder(
        "Police detained Ghanaian businessman Kofi Mensah and Ghanaian lawyer Kwame Boateng. The accused deny "
        "the charges."
    )
    accused = ref_at(doc, "The accused")
    assert accused is not None and accused.country == "GHA"


def test_defendants_of_two_countries_take_none(actors_coder):
    """Guard: people of different countries give the phrase no country."""
    doc = actors_coder(
        "Ghanaian businessman Kofi Mensah and Peruvian lawyer Pedro Rojas were charged in London. The "
        "defendants deny wrongdoing."
    )
    defendants = ref_at(doc, "defendants")
    assert defendants is None or defendants.country == "UNK"


def test_defendants_with_nobody_named_take_none(actors_coder):
    """Guard: with no people named before, the phrase takes no one's country (nor the sentence's)."""
    doc = actors_coder("The defendants are being tried in absentia in Paris.")
    defendants = ref_at(doc, "defendants")
    assert defendants is None or not defendants.actor_id.startswith("people:")


def test_the_accused_men_are_not_the_role_phrase(actors_coder):
    """Guard: "the accused men" is headed by "men", a description of its own, not the role noun."""
    doc = actors_coder(
        "Police detained Ghanaian businessman Kofi Mensah and Ghanaian lawyer Kwame Boateng. Officers said the "
        "accused men were armed."
    )
    men = ref_at(doc, "accused men")
    assert men is None or not men.actor_id.startswith("people:")


# -- abbreviations hyphened to a participle ----------------------------------------------------------------


def test_an_abbreviated_country_hyphened_to_a_participle_is_a_country(actors_coder):
    doc = actors_coder("Farmers in Ontario said U.S.-produced corn was flooding the market.")
    us = ref_at(doc, "U.S.")
    # Before: no ref; the tokenizer keeps "U.S.-produced" whole, while it splits "Russia-produced".
    assert us is not None and us.country == "USA" and us.text == "U.S."


def test_an_abbreviated_body_hyphened_to_a_participle_is_the_body(actors_coder):
    doc = actors_coder(
        "Delegates welcomed the U.N.-brokered truce in Yemen. The navy bought a U.K.-made boat."
    )
    un, uk = ref_at(doc, "U.N."), ref_at(doc, "U.K.")
    assert un is not None and un.actor_id == "org:un"
    assert uk is not None and uk.country == "GBR"


def test_where_a_body_is_based_is_no_actor(actors_coder):
    """Guard: "U.S.-based" says where the lender is, as "based in" would."""
    doc = actors_coder("The U.S.-based lender approved the loan on Friday.")
    assert ref_at(doc, "U.S.") is None


def test_a_longer_phrase_matched_whole_keeps_the_abbreviation(actors_coder):
    """Guard: "U.S.-led forces" is one ref (the forces, USA MIL), not split."""
    doc = actors_coder("Officials said U.S.-led forces had left the base.")
    forces = ref_at(doc, "U.S.-led forces")
    assert forces is not None and forces.text == "U.S.-led forces" and forces.sector == "MIL"


# -- the sides of one country's conflict -------------------------------------------------------------------


def test_the_parties_to_a_civil_war_are_its_country(actors_coder):
    doc = actors_coder(
        "Ethiopian troops clashed with Ethiopian rebels near Gondar on Monday. The United Nations urged the "
        "parties to agree to a ceasefire."
    )
    parties = ref_at(doc, "the parties")
    # Before: no ref; the two sides are of one country, so no set of countries could be made of them.
    assert parties is not None and parties.country == "ETH" and parties.kind == "group"


def test_both_sides_of_one_country(actors_coder):
    doc = actors_coder(
        "Colombian soldiers fought FARC rebels in Cauca province. Officials said both sides suffered heavy losses."
    )
    sides = ref_at(doc, "both sides")
    assert sides is not None and sides.country == "COL"


def test_both_sides_of_two_countries_stay_a_set(actors_coder):
    """Guard: the fourth pass's set refs are unchanged."""
    doc = actors_coder(
        "Armenian troops clashed with Azerbaijani forces on Sunday. Both sides reported casualties."
    )
    sides = ref_at(doc, "Both sides")
    assert sides is not None and sides.actor_id == "set:ARM+AZE"


def test_the_parties_of_two_countries_take_none(actors_coder):
    """Guard: "the parties" of two countries is no one country (and no set: only "sides" makes one)."""
    doc = actors_coder(
        "Armenian troops clashed with Azerbaijani forces on Sunday. The United Nations urged the parties to agree "
        "to a ceasefire."
    )
    parties = ref_at(doc, "the parties")
    assert parties is None or parties.country == "UNK"


# -- people taken hostage ----------------------------------------------------------------------------------


def test_people_taken_hostage_are_an_actor(actors_coder):
    doc = actors_coder(
        "Militants in Nigeria attacked a bus near Kaduna on Monday. They took more than 20 passengers hostage, "
        "police said."
    )
    passengers = ref_at(doc, "passengers")
    # Before: no ref; the parser makes "passengers" a modifier of "hostage", as in "police cars".
    assert passengers is not None and passengers.country == "NGA" and passengers.sector == "CVL"
