"""Actors the story tells (issue 11, second pass): the classes of misses on the tuning half of the news
gold, each on passages written for these tests: unknown people described by the article, quotations that
run over sentences, descriptions that take up an actor named before, groups placed in a country, and what
must stay UNK."""

from __future__ import annotations

import pytest

from detente.actors.evaluation import _word_offset

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


def found(doc, text: str, nth: int = 0):
    """The nth ref whose text is ``text`` (None when there is none)."""
    hits = [r for r in doc._.actors if r.text == text]
    return hits[nth] if len(hits) > nth else None


def code_of(doc, text: str, nth: int = 0):
    ref = found(doc, text, nth)
    return (ref.country, ref.sector) if ref is not None else None


# -- people the knowledge base lacks, described by the story -------------------------------------------


def test_a_sector_noun_before_an_unknown_name_is_its_title_and_holds_when_named_again(coder):
    doc = coder(
        "Cambodian journalist Sok Vanna thanked his supporters on Thursday after his release. "
        "A court had accused him of incitement. Sok Vanna said he would keep reporting."
    )
    first = found(doc, "Cambodian journalist Sok Vanna")
    assert first is not None and (first.country, first.sector, first.kind) == ("KHM", "JRN", "person")
    assert code_of(doc, "Sok Vanna") == ("KHM", "JRN")  # named again: the same person
    # a plural noun is no title: "Cambodian journalists Sok Vanna and ..." are a group and a person
    plural = coder("Cambodian journalists met Sok Vanna on Monday.")
    assert found(plural, "Cambodian journalists Sok Vanna") is None


def test_an_apposition_gives_country_and_sector_from_its_own_words_not_from_a_place(coder):
    doc = coder(
        "Gangs attacked a prison in Haiti. The U.N. secretary-general's special representative in Haiti, "
        "Helen Ruiz, expressed concern."
    )
    assert code_of(doc, "Helen Ruiz") == ("IGO", "GOV")  # "in Haiti" is where she works, not her state
    # a parse that sets the name beside the place ("... in Mali, Anna Lindqvist") gives it nothing
    doc = coder(
        "The U.N. secretary-general's special representative in Mali, Anna Lindqvist, expressed concern."
    )
    assert code_of(doc, "Anna Lindqvist")[0] != "MLI"
    doc = coder("A Turkish court kept Kemal Aydin, a local U.S. consulate employee, in prison.")
    assert code_of(doc, "Kemal Aydin")[0] == "USA"


def test_an_unknown_secretary_general_takes_no_country_from_the_story(coder):
    doc = coder(
        "Fighting in Sudan displaced thousands. Sudan's army and the RSF traded blame in Sudan. "
        '"Many were raped," said Secretary General Pierre Lenoir.'
    )
    lenoir = next(r for r in doc._.actors if "Lenoir" in r.text)
    assert lenoir.country == "UNK"  # an organisation's post as often as a state's


def test_kin_of_the_one_known_person_share_his_country_not_his_post(coder):
    doc = coder(
        "The United States sanctioned former Albanian Prime Minister Sali Berisha. "
        "His wife, Liri Berisha, and his son, Arben Berisha, are barred from travel."
    )
    assert code_of(doc, "Liri Berisha") == ("ALB", None)
    assert code_of(doc, "Arben Berisha") == ("ALB", None)


def test_a_named_persons_son_is_of_his_country_even_with_a_shared_family_name(coder):
    doc = coder(
        "Hong Kong publisher Jimmy Lai remains in prison. Lai's son Sebastien met officials in Washington "
        "on Monday, and U.S. lawmakers in Washington backed him."
    )
    son = next(r for r in doc._.actors if "Sebastien" in r.text)
    assert (son.country, son.kind) == ("HKG", "person")  # not the story's Washington


def test_a_surname_the_recogniser_missed_is_the_person_named_in_full(coder):
    doc = coder(
        "Kenyan Interior Minister Fred Matiangi announced the closure of the camps. "
        "There would be no further talks, Matiangi's office said."
    )
    later = [r for r in doc._.actors if r.text == "Matiangi"]
    assert later and (later[0].country, later[0].sector) == ("KEN", "GOV")


# -- quotations and descriptions -----------------------------------------------------------------------


def test_first_person_in_a_quotation_over_several_sentences_is_its_speaker(coder):
    doc = coder(
        'Pakistani Interior Minister Mohsin Naqvi said, "We have waited for years. '
        'No, I am not going to bend at all."'
    )
    assert code_of(doc, "I") == ("PAK", "GOV")
    doc = coder('"Of course I disagree. It is rubbish," Pakistani Interior Minister Mohsin Naqvi said.')
    assert code_of(doc, "I") == ("PAK", "GOV")


def test_a_quotation_with_nobody_saying_it_has_no_speaker(coder):
    doc = coder(
        'Pakistani Interior Minister Mohsin Naqvi met reporters. Later: "I will not bend," read a sign.'
    )
    assert found(doc, "I") is None


def test_the_noun_of_an_actor_named_before_takes_it_up(coder):
    doc = coder(
        "A U.S. State Department spokesperson urged Haiti to act. "
        '"Now is not the time for delay," said the spokesperson.'
    )
    assert code_of(doc, "the spokesperson") == ("USA", "GOV")
    doc = coder("He briefed the 15-nation Security Council on Sudan. She urged the council to act.")
    assert code_of(doc, "the council") == ("IGO", "GOV")


def test_the_noun_of_a_persons_sector_takes_up_that_person(coder):
    doc = coder(
        "Cambodian journalist Sok Vanna was freed on Thursday. The reporter had been in detention since "
        "September. He was accused of incitement."
    )
    assert code_of(doc, "The reporter") == ("KHM", "JRN")
    assert code_of(doc, "He") == ("KHM", "JRN")


def test_a_description_with_several_modifiers_is_the_armed_group_named_before(coder):
    doc = coder(
        "Militants of the Baloch Liberation Army seized a train in Pakistan. "
        "In a statement, the banned separatist militant group said it held 200 hostages."
    )
    assert code_of(doc, "the banned separatist militant group") == ("PAK", "REB")


def test_a_description_does_not_cross_into_another_country(coder):
    doc = coder(
        "South Africa's opposition leaders met in Johannesburg. "
        "In Zimbabwe, members of parliament from the opposition are being kicked out."
    )
    opposition = next((r for r in doc._.actors if r.text == "the opposition"), None)
    assert opposition is None or opposition.country != "ZAF"


# -- groups, places and what stays UNK ------------------------------------------------------------------


def test_a_group_placed_in_a_country_is_of_that_country(coder):
    doc = coder("Islamabad has blamed several recent attacks on militants present on Afghan soil.")
    assert code_of(doc, "militants") == ("AFG", "REB")
    doc = coder("The camps offered havens to people fleeing wars in Somalia and Sudan.")
    people = found(doc, "people")
    assert people is None or people.country == "UNK"  # two countries: neither


def test_a_speaker_is_not_of_the_country_it_reports_on(coder):
    doc = coder(
        "Pakistani officials said the train was attacked in Balochistan. Pakistan's army freed the hostages. "
        "Pakistan mourned. Security sources have said the handlers of the attack are based in Afghanistan."
    )
    assert code_of(doc, "Security sources") == ("PAK", "COP")


def test_who_accuses_takes_no_country_from_the_charge(coder):
    # (twenty-ninth session, from a tuned read article; the sentences are written here)
    doc = coder("Lawmakers accused the government of favouring Chinese investors over local farmers.")
    lawmakers = found(doc, "Lawmakers")
    assert lawmakers is None or lawmakers.country != "CHN"
    doc = coder("Lawmakers of the Chinese parliament accused the government of favouring Zambian farmers.")
    assert code_of(doc, "Lawmakers")[0] == "CHN"  # their own words still place them


def test_groups_of_several_or_against_a_country_take_none_from_it(coder):
    doc = coder("Afghan Taliban routinely deny providing sanctuary to anti-Pakistan fighters.")
    fighters = next((r for r in doc._.actors if "fighters" in r.text), None)
    assert fighters is None or fighters.country != "PAK"
    doc = coder("He visited South Africa to meet other African opposition leaders.")
    leaders = next((r for r in doc._.actors if "leaders" in r.text), None)
    assert leaders is None or leaders.country != "ZAF"


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("Armed prisoners exchanged gunfire with prison guards in Haiti.", "prison guards in Haiti",
         ("HTI", "COP")),
        ("Iranian operatives were accused of planning a kidnapping.", "Iranian operatives", ("IRN", "SPY")),
        ("Militants attacked a passenger train in Pakistan.", "passenger train in Pakistan", ("PAK", "CVL")),
        ("Nigerian human rights activists called for accountability.", "Nigerian human rights activists",
         ("NGA", "SOC")),
    ],
)  # fmt: skip
def test_agent_nouns_from_the_news(coder, text, mention, expected):
    assert code_of(coder(text), mention) == expected


def test_europe_acting_is_the_eu_where_the_article_names_it(coder):
    doc = coder("The EU announced tariffs on U.S. steel. Europe quickly retaliated with its own tariffs.")
    assert code_of(doc, "Europe") == ("IGO", "GOV")
    alone = coder("Europe quickly retaliated with its own tariffs.")
    assert found(alone, "Europe") is None  # a region, unless the article names the Union


def test_an_acronym_defined_after_a_bare_noun_keeps_its_dictionary_meaning(coder):
    doc = coder(
        "The United Nations High Commission for Refugees (UNHCR) shares that concern. "
        "The UNHCR said it was ready to support Kenya's government."
    )
    assert code_of(doc, "UNHCR", 1) == ("IGO", "GOV")


def test_gold_text_is_found_as_whole_words():
    assert _word_offset("the leader said he would go", "he") == 16
    assert _word_offset("lunch with Tsai Ing-wen where we could", "we") == 30
    assert _word_offset("no whole word: thee", "he") == 16  # a plain match when no word is
