"""Actors at the field's scale (issue 11): the miss classes, agent nouns, reasons, and the news gold
evaluation, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.actors.evaluation import GoldMention, news_mentions, score_stories, split_of
from detente.events.corpus import GoldSentence, GoldStory

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    """The shared actors coder, for articles published on 2025-06-09."""
    return lambda text, published=dt.date(2025, 6, 9): actors_coder(text, published)


def refs(doc):
    return {r.text: r for r in doc._.actors}


def codes(doc):
    return {r.text: (r.country, r.sector) for r in doc._.actors}


# -- the miss classes of the issue -------------------------------------------------------------------


def test_the_peoples_republic_is_china_not_taiwan(coder):
    got = codes(
        coder("The People's Republic of China protested to Taipei after the Republic of China held drills.")
    )
    assert got["People's Republic of China"] == ("CHN", None)
    assert got["Republic of China"] == ("TWN", None)


def test_a_ministers_given_names_do_not_make_him_a_king(coder):
    got = refs(coder("Peruvian Foreign Minister Juan Carlos Alfonso Castillo met the Spanish envoy in Lima."))
    minister = got["Peruvian Foreign Minister Juan Carlos Alfonso Castillo"]
    assert (minister.country, minister.sector) == ("PER", "GOV")
    assert "king" not in minister.actor_id and minister.actor_id != "person:king-juan-carlos"
    # the king himself is still the king
    king = refs(coder("King Juan Carlos of Spain abdicated.", dt.date(2014, 6, 2)))["King Juan Carlos"]
    assert king.country == "ESP"


def test_an_acronym_is_what_the_article_says_it_is(coder):
    doc = coder("The Board of Immigration Appeals (BIA) ruled against the migrant in Texas, and the BIA said "
                "the U.S. order stands.")  # fmt: skip
    bias = [r for r in doc._.actors if r.text == "BIA"]
    assert len(bias) == 2
    assert all(r.country != "SRB" and r.actor_id == "org:board-of-immigration-appeals" for r in bias)


def test_an_acronym_of_a_country_the_story_never_names_is_left_unk(coder):
    got = refs(coder("In Washington, U.S. immigration officials said the BIA would review the case."))
    assert got["BIA"].country == "UNK"
    # where the article names its country, the acronym is that body
    assert refs(coder("Serbia's police and the BIA arrested two men in Belgrade."))["BIA"].country == "SRB"


def test_a_states_envoy_at_the_un_stays_the_states(coder):
    got = codes(coder("Iran's ambassador to the United Nations, Amir Saeid Iravani, rejected the claims."))
    assert got["Iran's ambassador"] == ("IRN", "GOV")
    assert got["Amir Saeid Iravani"] == ("IRN", "GOV")  # the name beside the title is the title's
    assert got["the United Nations"] == ("IGO", "GOV")
    got = codes(coder("U.N. Secretary-General Antonio Guterres called for calm."))
    assert got["Antonio Guterres"] == ("IGO", "GOV")  # the body's own official


def test_an_acronym_several_bodies_share_is_the_one_of_the_articles_country(coder):
    sudan = refs(coder("Sudan's army said it had retaken the bridge from the RSF, and Sudan accused the RSF "
                       "of shelling Omdurman."))  # fmt: skip
    assert (sudan["RSF"].actor_id, sudan["RSF"].country) == ("org:rsf-sudan", "SDN")
    press = refs(coder("Turkish police detained a journalist in Istanbul. RSF condemned the arrest."))
    assert press["RSF"].actor_id == "org:rsf"  # the press group where no Sudan is named


def test_a_bodys_official_for_a_country_is_the_bodys(coder):
    """The country a post is for or sent to is the post's area, not the holder's: "the UN's coordinator for
    Sudan" is IGO, never SDN; the body a post is for stays the employer."""
    got = codes(coder('"Attacks on markets are unacceptable," said Tomas Avendano, the UN\'s deputy humanitarian '
                      "coordinator for Sudan."))  # fmt: skip
    assert got["Tomas Avendano"] == ("IGO", "GOV")
    assert codes(coder("Ghassan Salame, the UN envoy to Libya, met Haftar in Benghazi."))["Ghassan Salame"] == (
        "IGO", "GOV")  # fmt: skip
    got = codes(coder("UN special envoy for Yemen Hans Grundberg urged restraint."))
    assert got["Hans Grundberg"][0] != "YEM" and got["Yemen"] == ("YEM", None)  # the name apart, not Yemen's
    got = codes(coder('"We expect a missile," said Gen. Charles Brown, air component commander for U.S. '
                      "Indo-Pacific Command."))  # fmt: skip
    assert got["Gen. Charles Brown"][0] == "USA"


def test_a_description_of_a_country_is_one_of_the_states_it_describes(coder):
    got = codes(coder("Sudan cut ties with the United Arab Emirates on Tuesday, accusing the Gulf state of "
                      "supplying drones. India sent a team to the Maldives. The island nation asked for help."))  # fmt: skip
    assert got["the Gulf state"][0] == "ARE"  # not Sudan, the story's subject: no Gulf state
    assert got["The island nation"][0] == "MDV"  # not India, named as often
    got = codes(coder("Colombia and Ecuador traded tariffs. Quito accused the South American country of "
                      "failing to stop trafficking."))  # fmt: skip
    assert got["the South American country"][0] == "COL"  # whom Quito accuses is not Ecuador itself
    # no state of the description in reach: no antecedent rather than a wrong one
    got = codes(coder("Poland and Germany met in Berlin. The island nation was not invited."))
    assert got.get("The island nation", ("UNK", None))[0] == "UNK"


def test_an_outlets_own_reporters_lend_no_country_to_what_they_witness(coder):
    got = codes(coder("Ivorian police fired tear gas in Abidjan on Saturday. Police blocked roads and charged "
                      "groups of young people, AFP journalists saw."))  # fmt: skip
    assert got["AFP journalists"] == ("FRA", "JRN")
    assert got["Police"][0] != "FRA" and got["young people"][0] != "FRA"


def test_a_counted_set_with_a_region_takes_its_members_from_that_region(coder):
    got = refs(coder("Iran's Foreign Ministry summoned the envoys of Britain, France and Germany to protest the "
                     "decision of the three European countries to trigger the snapback mechanism."))  # fmt: skip
    three = got["the three European countries"]
    assert three.actor_id == "set:GBR+FRA+DEU"  # not Iran, named in the same sentence: four countries


def test_a_grouping_no_body_speaks_for_is_its_members_even_named_alone(coder):
    got = refs(coder("Iran accused the E3 of violating the nuclear deal. The G7 said it was concerned."))
    assert got["the E3"].actor_id == "set:FRA+DEU+GBR"
    assert got["G7"].country == "IGO"  # a grouping that speaks as one body stays that body


def test_they_for_an_armed_movement_is_not_the_un(coder):
    doc = coder(
        "The UN condemned the attack by the Baloch Liberation Army in Quetta. They said it was revenge."
    )
    they = refs(doc)["They"]
    assert (they.country, they.sector, they.reason) == ("PAK", "REB", "coreference")


def test_a_transliteration_needs_the_family_name_and_support(coder):
    xi = next(
        r for r in coder("China's leader Si Jin-Pching met Putin.")._.actors if "Si Jin-Pching" in r.text
    )
    assert (xi.actor_id, xi.reason) == ("person:xi-jinping", "fuzzy")
    assert (
        refs(coder("Donald Trump Jr. spoke in Florida."))["Donald Trump Jr."].actor_id
        != "person:donald-trump"
    )
    # a near spelling (not the same skeleton) needs the article to name the person's country
    assert refs(coder("Emanuel Macrone spoke on Monday."))["Emanuel Macrone"].country == "UNK"
    assert refs(coder("In France, Emanuel Macrone spoke on Monday."))["Emanuel Macrone"].actor_id == (
        "person:emmanuel-macron"
    )


def test_a_surname_the_article_gave_a_full_name_is_that_person(coder):
    doc = coder("Abdullah al-Hashimi met the envoy on Monday. Hashimi told reporters the talks were useful.")
    assert refs(doc)["Hashimi"].actor_id == "person:abdullah-al-hashimi"


# -- agent nouns -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("Kenyan police fired tear gas at protesters in Nairobi.", "Kenyan police", ("KEN", "COP")),
        ("Kenyan police fired tear gas at protesters in Nairobi.", "protesters in Nairobi", ("KEN", "CVL")),
        ("Colombian rebels seized the town.", "Colombian rebels", ("COL", "REB")),
        ("Nigeria's central bank raised rates.", "Nigeria's central bank", ("NGA", "GOV")),
        ("Ukrainian farm workers blocked the road to Kyiv.", "Ukrainian farm workers", ("UKR", "AGR")),
        ("German tourists were robbed.", "German tourists", ("DEU", "CVL")),
        ("Egypt's tourism sector slumped after tourists were attacked in Luxor, Egyptian officials said.",
         "tourists", ("EGY", "CVL")),
        ("Turkish security forces detained five people.", "Turkish security forces", ("TUR", "COP")),
    ],
)  # fmt: skip
def test_agent_nouns_give_sectors_and_modifiers_give_countries(coder, text, mention, expected):
    ref = refs(coder(text))[mention]
    assert (ref.country, ref.sector) == expected
    assert ref.reason.startswith("agent noun")


def test_a_companys_chairman_is_business(coder):
    doc = coder(
        "Samsung shares fell in Seoul after the company's chairman was questioned by South Korean prosecutors."
    )
    chairman = next(r for r in doc._.actors if "chairman" in r.text)
    assert chairman.sector == "BUS"


def test_sector_nouns_take_the_country_of_the_sentence_or_the_story(coder):
    doc = coder(
        "Pakistan's army said it killed 16 militants in Balochistan. Pakistani officials said the attack "
        "on the train was planned abroad. Authorities said passengers were freed. In Quetta, Pakistani police "
        "guarded the station. Residents said they heard gunfire."
    )
    got = refs(doc)
    assert (got["Authorities"].country, got["Authorities"].sector) == ("PAK", "GOV")
    assert got["passengers"].country == "PAK" and got["passengers"].sector == "CVL"
    assert got["passengers"].reason.endswith("+context") and got["passengers"].confidence < 0.5


def test_a_bare_noun_in_a_story_about_two_countries_keeps_unk(coder):
    doc = coder("Russia and Ukraine traded accusations. Russian and Ukrainian officials met in Istanbul. "
                "Residents said they feared more attacks.")  # fmt: skip
    residents = refs(doc).get("Residents")
    assert residents is None or residents.country == "UNK"  # no country to give: no guess


def test_refugees_never_take_the_country_they_are_in(coder):
    doc = coder(
        "Kenya said it would close the Dadaab camp. Kenyan officials said refugees would be sent home."
    )
    assert refs(doc)["refugees"].country == "UNK"


def test_a_bare_singular_is_no_actor(coder):
    got = refs(coder("In public, President Vladimir Putin praised China."))
    assert "public" not in got


# -- reasons ---------------------------------------------------------------------------------------


def test_every_resolution_keeps_its_reason(coder):
    doc = coder(
        "Vladimir Putin arrived in Beijing, where Russian troops and police paraded. He praised the talks."
    )
    reasons = {r.text: r.reason for r in doc._.actors}
    assert reasons["Vladimir Putin"] == "exact"
    assert reasons["Beijing"] == "alias"  # a name of the Chinese government
    assert reasons["Russian troops"] == "agent noun"
    assert reasons["police"] == "agent noun+context"  # its country from the sentence
    assert reasons["He"] == "coreference"


def test_first_person_in_a_quotation_is_its_speaker(coder):
    doc = coder('"We will not negotiate," Pakistani Interior Minister Mohsin Naqvi said.')
    we = refs(doc)["We"]
    assert (we.country, we.sector, we.reason) == ("PAK", "GOV", "coreference")


# -- the news gold evaluation --------------------------------------------------------------------------


def _story(story_id: str, sentences: list[tuple[str, list[dict]]]) -> GoldStory:
    out, offset = [], 0
    for n, (text, events) in enumerate(sentences):
        out.append(GoldSentence(f"{story_id}-{n:03d}", text, tuple(events), offset))
        offset += len(text) + 1
    return GoldStory(story_id, "2025-03-01", "A test story", tuple(out))


def test_news_mentions_are_the_distinct_actors_of_each_sentence():
    event = {"type": "ASSAULT", "source": [{"text": "Russian forces", "country": "RUS", "sector": "MIL"}],
             "target": [{"text": "Kyiv", "country": "UKR", "sector": "GOV"}]}  # fmt: skip
    story = _story(
        "voa-1", [("It was cold.", []), ("Russian forces shelled Kyiv on Monday.", [event, event])]
    )
    mentions = news_mentions([story])
    assert [(m.actor_text, m.country, m.sector, m.role, m.start) for m in mentions] == [
        ("Russian forces", "RUS", "MIL", "source", 13), ("Kyiv", "UKR", "GOV", "target", 36)]  # fmt: skip
    assert mentions[0].published == dt.date(2025, 3, 1) and mentions[0].story == "voa-1"


def test_scoring_counts_country_sector_and_wrong_countries(actors_nlp):
    sentences = [
        ("Russian forces shelled Kyiv on Monday.",
         [{"type": "ASSAULT", "source": [{"text": "Russian forces", "country": "RUS", "sector": "MIL"}],
           "target": [{"text": "Kyiv", "country": "UKR", "sector": "GOV"}]}]),
        ("Ukrainian officials said the strikes hit homes.",
         [{"type": "ACCUSE", "source": [{"text": "Ukrainian officials", "country": "FRA", "sector": "GOV"}]}]),
        ("A man was seen near the site.",
         [{"type": "PROTEST", "source": [{"text": "A man", "country": "UNK", "sector": "CVL"}]}]),
    ]  # fmt: skip
    scores = score_stories(actors_nlp, [_story("voa-2", sentences)]).as_dict()
    assert scores["mentions"] == 4
    assert scores["country"]["correct"] == 3  # the man: nothing answered is UNK, as the gold says
    assert scores["wrong_country"] == {"count": 1, "total": 4, "rate": 0.25}  # UKR for the (wrong) gold FRA
    assert [f["actorText"] for f in scores["failures"]] == ["Ukrainian officials", "A man"]


def test_the_split_is_fixed_by_the_story_id():
    assert split_of("voa-8011117") == split_of("voa-8011117")
    halves = {split_of(f"voa-{n}") for n in range(20)}
    assert halves == {"tuning", "held-out"}


def test_gold_mentions_record_their_story():
    gold = GoldMention("s1", "text", "X", "USA", "GOV", "source", story="voa-7")
    assert gold.split == split_of("voa-7")
    assert GoldMention("s1", "text", "X", "USA", "GOV", "source").split == "all"


@pytest.mark.slow
def test_news_gold_accuracy_floors():
    """`detente eval actors` on the annotated VOA stories (data/annotations/, read now; reserved stories
    never load). Floors a little under today's figures (docs/actors.md), so a regression fails."""
    import json

    from click.testing import CliRunner

    from detente.cli import cli

    result = CliRunner().invoke(cli, ["eval", "actors", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["all"]["mentions"] >= 400
    assert data["tuning"]["mentions"] + data["held-out"]["mentions"] == data["all"]["mentions"]
    # tuning floors under the fifth pass of issue 11 (0.897 / 0.795 / 1.0% on 770 mentions); held-out unchanged
    for split, country, sector, wrong in (("tuning", 0.89, 0.79, 0.015), ("held-out", 0.82, 0.74, 0.03)):
        scores = data[split]
        assert scores["country"]["accuracy"] >= country, split
        assert scores["sector"]["accuracy"] >= sector, split
        assert scores["wrong_country"]["rate"] <= wrong, split


def test_region_words_narrow_a_description_to_their_states():
    import csv

    from detente.actors.knowledge_base import DATA_DIR
    from detente.actors.regions import DESCRIBED_REGIONS, described_regions, described_states

    with (DATA_DIR / "countries.csv").open(encoding="utf-8") as handle:
        known = {row["iso3"] for row in csv.DictReader(line for line in handle if not line.startswith("#"))}
    unknown = {code for members in described_regions().values() for code in members} - known
    assert not unknown, f"{DESCRIBED_REGIONS.name}: codes not in countries.csv: {sorted(unknown)}"
    assert described_states(["african", "island"]) == {"CPV", "COM", "MDG", "MUS", "STP", "SYC"}
    assert described_states(["tiny", "west", "african"]) == described_regions()["west african"]
    assert described_states(["impoverished"]) is None  # no word that places it: any country


# -- thirty-first session: classes read off the thirtieth session's held-out batch once released ----------


def test_a_given_name_the_recogniser_left_out_stays_with_the_title(coder):
    doc = coder("Venezuelan Attorney General Tarek William Saab accused the gendarme of espionage.")
    person = refs(doc)["Venezuelan Attorney General Tarek William Saab"]
    assert (person.country, person.sector) == ("VEN", "GOV")
    assert not any(r.text in ("William Saab", "Tarek") for r in doc._.actors)


def test_a_second_title_joined_to_a_nationality_is_of_that_state(coder):
    got = refs(coder("Pakistani Deputy Prime Minister and Foreign Minister Mohammad Ishaq Dar met Chinese "
                     "Foreign Minister Wang Yi in Beijing."))  # fmt: skip
    assert got["Foreign Minister Mohammad Ishaq Dar"].country == "PAK"
    # two names joined keep their own countries
    got = refs(
        coder("Kenyan President William Ruto and Tanzanian President Samia Suluhu Hassan met in Arusha.")
    )
    assert got["Tanzanian President Samia Suluhu Hassan"].country == "TZA"


def test_a_state_body_named_with_of_and_a_country_is_that_countrys(coder):
    got = codes(coder("The Anti-Corruption Agency of Kazakhstan detained a deputy minister, and the Border "
                      "Guard Service of Estonia detained a Russian national."))  # fmt: skip
    assert got["Anti-Corruption Agency of Kazakhstan"][0] == "KAZ"
    assert next(c for t, (c, _) in got.items() if t.endswith("Service of Estonia")) == "EST"
    # a body about a country is not of it
    assert "Inter-Parliamentary Alliance on China" not in got


def test_the_agency_of_a_dateline_is_no_actor(coder):
    doc = coder("ASTANA, March 3, 2026 (Kazinform) — Kazakhstan on Monday expelled a Kyrgyz diplomat.")
    assert "Kazinform" not in refs(doc)
    # an agency the knowledge base knows stays the outlet it is (bylines and claims read it)
    doc = coder("ASTANA, March 3, 2026 (AFP) — Kazakhstan on Monday expelled a Kyrgyz diplomat.")
    assert refs(doc)["AFP"].kind == "outlet"


def test_police_no_sentence_places_are_the_dateline_states(coder):
    text = ("BISSAU, March 3, 2026 (Reuters) — Thousands of people marched through the capital to demand "
            "elections, and the African Union suspended Guinea-Bissau.\n\nPolice fired tear gas and "
            "gendarmes arrested at least 20 protesters.")  # fmt: skip
    got = codes(coder(text))
    assert got["Police"] == ("GNB", "COP") and got["gendarmes"] == ("GNB", "COP")
    # a foreign agency's bureau filing about another state's police does not lend its own
    text = ("NAIROBI, March 3, 2026 (Reuters) — Sudan's army said on Tuesday it had retaken a town from the "
            "Rapid Support Forces in Sudan's Darfur region, and Sudanese officials said Sudan would press "
            "on.\n\nPolice said the roads were closed.")  # fmt: skip
    assert codes(coder(text))["Police"][0] != "KEN"


def test_state_media_epithets_name_their_states(coder):
    got = codes(coder("In June, the Zionist regime and the United States attacked Iran, and the Asian giant "
                      "rejected the accusations of the Kyiv regime."))  # fmt: skip
    assert got["the Zionist regime"][0] == "ISR"
    assert got["the Asian giant"][0] == "CHN" and got["the Kyiv regime"][0] == "UKR"


def test_weapons_shot_down_are_not_of_the_side_that_downed_them(coder):
    text = ("KYIV, March 18, 2026 (Kyiv Independent) — Russian forces struck the port of Odesa overnight.\n\n"
            "Air defense units shot down 94 drones and two missiles, the Air Force said.")  # fmt: skip
    got = codes(coder(text))
    assert got["Air defense units"] == ("UKR", "MIL")
    assert got["drones"][0] != "UKR" and got["missiles"][0] != "UKR"


def test_the_two_countries_of_a_bilateral_story_are_its_two_states(coder):
    text = (
        "Dhaka renews request to Delhi for Hasina's extradition, Delhi says matter under examination\n\n"
        "The interim government has sent a second diplomatic note to India seeking the return of former Prime "
        "Minister Sheikh Hasina to face trial in Bangladesh, the daily Prothom Alo reports today.\n\n"
        "According to the newspaper, the note verbale was handed over to the Indian High Commission in Dhaka on "
        "Wednesday by the Director General of the South Asia wing of the Foreign Ministry. It reminds New Delhi "
        "of the first request made in December last year and asks for a response under the extradition treaty "
        "signed by the two countries in 2013."
    )
    doc = coder(text)
    pair = next(r for r in doc._.actors if r.text == "the two countries")
    assert pair.kind == "set" and set(pair.actor_id.split(":")[1].split("+")) == {"BGD", "IND"}


def test_a_town_named_after_a_capital_is_not_that_capitals_state(coder):
    got = codes(coder("Insurgents attacked a village near Mocimboa da Praia in Cabo Delgado on Sunday."))
    assert got.get("Praia", ("", None))[0] != "CPV"
    # a country after a particle stays the country
    assert codes(coder("The Banco de Mexico raised its key rate on Thursday."))["Mexico"][0] == "MEX"


def test_a_body_named_after_an_international_organisation_is_the_organisations(coder):
    got = codes(coder("The African Union Transition Mission in Somalia accused al-Shabaab of killing three "
                      "soldiers, and the United Nations Assistance Mission in Afghanistan criticised the "
                      "Taliban."))  # fmt: skip
    assert got["African Union Transition Mission in Somalia"][0] == "IGO"
    assert got["the United Nations Assistance Mission in Afghanistan"][0] == "IGO"


def test_brussels_is_the_union_where_the_union_is_named_and_belgium_is_not(coder):
    text = ("The European Union imposed sanctions on two RSF commanders on Monday. Brussels had already "
            "frozen the assets of four firms.")  # fmt: skip
    assert codes(coder(text))["Brussels"][0] == "IGO"
    # the Union named too, but so is a Belgian: Brussels stays Belgium's capital
    text = ("The European Union approved the plan. Belgium's prime minister met the Dutch king, and Brussels "
            "and The Hague agreed on a rail link.")  # fmt: skip
    assert codes(coder(text))["Brussels"][0] == "BEL"


def test_a_bodys_head_word_alone_is_the_body_named_before(coder):
    text = ("ADDIS ABABA, October 2, 2025 (Wire) — The African Union Peace and Security Council called on "
            "the government of South Sudan to release detained opposition leaders.\n\nThe 15-member council "
            "said it was deeply concerned.\n\n\"The Council strongly condemns all attacks against "
            "civilians,\" the communique said.")  # fmt: skip
    got = codes(coder(text))
    assert got["The 15-member council"][0] == "IGO" and got["Council"][0] == "IGO"


def test_a_governments_aircraft_are_its_states(coder):
    text = ("JUBA, March 3, 2026 (Wire) — South Sudan's army said it had retaken Nasir. The UN mission said "
            "government aircraft had bombed villages in Upper Nile state.")  # fmt: skip
    assert codes(coder(text))["government aircraft"] == ("SSD", "MIL")


def test_the_government_of_a_sentence_naming_one_country_is_that_countrys(coder):
    text = ("PORT-AU-PRINCE, April 9, 2026 (Wire) — Armed gangs pushed deeper into Haiti's Centre department. "
            "Haiti's prime minister condemned the attack. Haitian police said they had retaken a station.\n\n"
            "Kenya's Interior Ministry said 200 more police officers would fly to Port-au-Prince. Critics in "
            "Kenya's parliament have accused the government of sending officers without equipment.")  # fmt: skip
    assert codes(coder(text))["the government"][0] == "KEN"
    # a state acting on "the country" still does not act on itself
    text = ("Ecuador's president raised tariffs on Colombian goods. Colombia's president called it a trade war. "
            "Quito accused the South American country of failing to police the border.")  # fmt: skip
    assert codes(coder(text))["the South American country"][0] == "COL"


def test_the_government_in_a_sentence_rooted_in_a_noun_ends(coder):
    """A headline or a fragment with no verb above "the government": the clause search stops at the root."""
    got = codes(coder("Kenya: the government and the opposition, a year on"))
    assert "the government" not in got or got["the government"][0] in ("KEN", "UNK")
