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


# -- names that are only the start of a longer one, and party names many countries share --------------------


def test_a_compass_word_before_a_capitalised_word_is_no_the_west(coder):
    doc = coder("The history of the West African kingdom was told by griots.")
    assert not any(r.country == "WST" for r in doc._.actors)
    assert any(r.country == "WST" for r in coder("The West warned Moscow.")._.actors)


def test_an_outlets_name_inside_a_longer_name_is_not_the_outlet(coder):
    doc = coder("Selim Kaya, head of the Foreign Policy Institute in Ankara, said the talks mattered.")
    assert not any(r.kind == "outlet" for r in doc._.actors)


def test_a_party_name_many_countries_share_is_the_party_of_the_story_country(coder):
    doc = coder("Edi Rama leads the Socialist Party. Lulzim Basha leads the Democratic Party, which emerged from "
                "a revolt in Albania.")  # fmt: skip
    democratic = ref_of(doc, "Democratic Party")
    assert democratic is not None and democratic.country == "ALB"
    # where the text names the dictionary's country, or the plural names of the American parties, it stays
    assert ref_of(coder("Democrats in Congress blocked the bill."), "Democrats").country == "USA"
    us = coder("The Democratic Party won the U.S. House of Representatives.")
    assert ref_of(us, "Democratic Party").country == "USA"
    # with no country in sight, no country: a wrong one is worse than UNK
    assert ref_of(coder("The Democratic Party won the vote."), "Democratic Party").country == "UNK"


def test_a_country_name_at_the_end_of_a_longer_place_name_is_no_country(coder):
    doc = coder("Firefighters battled the blaze in New South Wales, Australian officials said.")
    assert not any(r.country == "GBR" for r in doc._.actors)
    assert ref_of(coder("Papua New Guinea signed a pact."), "Papua New Guinea").country == "PNG"


@pytest.mark.parametrize("text, word, codes", [
    ("Nigerian police said bandits had kidnapped 279 schoolgirls in Zamfara.", "bandits", ("NGA", "CRM")),
    ("Australian officials said firefighters were tired.", "firefighters", ("AUS", "GOV")),
    ("Kenyan fishermen protested on Monday.", "fishermen", ("KEN", "AGR")),
    ("Haitian police said inmates escaped overnight.", "inmates", ("HTI", "CVL")),
])  # fmt: skip
def test_group_nouns_of_the_tuning_stories_have_a_sector_and_take_a_country(coder, text, word, codes):
    ref = ref_of(coder(text), word)
    assert ref is not None and (ref.country, ref.sector) == codes


def test_the_self_governing_island_is_taiwan(coder):
    assert (
        ref_of(coder("Washington backs the self-governing island."), "self-governing island").country == "TWN"
    )


@pytest.mark.parametrize("text, name, actor_id", [
    ("U.S. President Joe Biden spoke with Erdogan.", "U.S. President Joe Biden", "person:joe-biden"),
    ("U.S. Secretary of State Marco Rubio met Wang Yi.", "U.S. Secretary of State Marco Rubio", "person:marco-rubio"),
    ("Putin met U.S. Vice President JD Vance.", "U.S. Vice President JD Vance", "person:jd-vance"),
])  # fmt: skip
def test_an_office_the_dictionaries_know_and_its_holder_named_after_it_are_one_mention(
    coder, text, name, actor_id
):
    doc = coder(text)
    ref = ref_of(doc, name)
    assert ref is not None and ref.text == name and ref.actor_id == actor_id
    assert not any(r.kind == "institution" for r in doc._.actors)  # no second actor for the office


def test_an_office_alone_and_a_body_before_a_name_stay_what_they_are(coder):
    office = ref_of(coder("The U.S. President said the talks were useful."), "U.S. President")
    assert office is not None and (office.country, office.sector) == ("USA", "GOV")
    doc = coder("The Kremlin said Putin would attend.")
    assert (
        ref_of(doc, "Kremlin").text == "The Kremlin"
        and ref_of(doc, "Putin").actor_id == "person:vladimir-putin"
    )


@pytest.mark.parametrize("text, city, country", [
    ("WASHINGTON, March 20, 2025 — Ukraine accused Russia of striking an energy facility.", "WASHINGTON", "USA"),
    ("Strike on plant\n\nKYIV, March 20 (Reuters) - Ukraine accused Russia of striking a plant.", "KYIV", "UKR"),
    ("MOSCOW — Russia denied striking the plant.", "MOSCOW", "RUS"),
    # a state agency's form: the agency in capitals after the city, and "--" for the dash
    ("Iran and Saudi Arabia agree\n\nTehran, IRNA -- Iran and Saudi Arabia agreed to reopen consulates.", "Tehran",
     "IRN"),
])  # fmt: skip
def test_the_city_of_a_dateline_is_where_the_story_was_filed_not_a_government(coder, text, city, country):
    ref = ref_of(coder(text), city)
    assert ref is not None and (ref.kind, ref.country, ref.sector, ref.reason) == (
        "place",
        country,
        None,
        "dateline",
    )


def test_a_capital_that_opens_a_sentence_is_still_its_government(coder):
    for text in (
        "Washington, Tokyo and Seoul agreed to hold drills.",
        "Beijing — the government's critics say otherwise.",
    ):
        ref = ref_of(coder(text), text.split(",")[0].split(" ")[0])
        assert ref is not None and ref.sector == "GOV" and ref.kind == "metonym"


def test_an_opposition_politician_is_the_opposition_of_the_sentences_country(coder):
    ref = ref_of(
        coder("Police in South Sudan arrested a senior opposition politician."), "opposition politician"
    )
    assert ref is not None and (ref.country, ref.sector) == ("SSD", "OPP")


@pytest.mark.parametrize("text, word, country", [
    ("Congolese troops retook the town of Sake.", "Congolese troops", "COD"),
    ("Congo and Rwanda signed a deal that Kinshasa hopes will end the war.", "Congo", "COD"),
    ("Congo and Gabon signed a border pact, officials in Brazzaville said.", "Congo", "COG"),
    ("Congolese officials said the pact with Gabon was signed in Brazzaville.", "Congolese officials", "COG"),
    ("Congo and Gabon signed a border pact.", "Congo", "COG"),
])  # fmt: skip
def test_a_word_two_countries_share_is_the_one_the_article_names(coder, text, word, country):
    # "Congolese" is the DRC's unless the article names the Republic of the Congo; "Congo" alone is the
    # Republic's (the field's country table) unless the article names the DRC
    ref = ref_of(coder(text), word)
    assert ref is not None and ref.country == country


def test_a_european_commissioner_is_the_eus_while_in_office_and_his_countrys_before(coder):
    import datetime as dt

    text = "Trade Commissioner Valdis Dombrovskis met Chinese Commerce Minister Wang Wentao."
    assert ref_of(coder(text, dt.date(2024, 10, 29)), "Valdis Dombrovskis").country == "IGO"
    assert ref_of(coder(text, dt.date(2012, 5, 1)), "Valdis Dombrovskis").country == "LVA"


def test_social_media_is_a_channel_not_an_outlet(coder):
    doc = coder("Trump announced the release on social media. The media reported it the next day.")
    assert ref_of(doc, "social media") is None
    assert ref_of(doc, "media reported") is not None  # the sector noun itself still is one


def test_a_name_given_to_an_operation_is_no_person_and_a_theater_command_is_the_pla(coder):
    doc = coder("The Eastern Theater Command said the drills, code-named Strait Thunder, were a warning.")
    command = ref_of(doc, "Eastern Theater Command")
    assert command is not None and (command.country, command.sector) == ("CHN", "MIL")
    assert ref_of(doc, "Strait Thunder") is None
    doc = coder("A man named Karim Haddad was arrested at the border.")
    assert ref_of(doc, "Karim Haddad") is not None  # a person named so stays a person
