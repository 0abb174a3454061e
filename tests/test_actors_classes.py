"""Actors, third pass of issue 11: the classes of misses read on the tuning half and on one part of the
held-out half of the news gold, each tested on sentences written for these tests (none is a gold sentence):
the outlet a story is told to, "pro-" groups, bodies whose sector changed on a date, posts written inside a
known person's name, US congressional titles, acronyms the article defines, object pronouns, state missions
at the UN, peoples counted by nationality, and agent nouns the news uses."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


def covering(doc, text: str, nth: int = 0):
    """(country, sector) of the ref covering the nth occurrence of ``text``; None when no ref does."""
    at = -1
    for _ in range(nth + 1):
        at = doc.text.index(text, at + 1)
    ref = next((r for r in doc._.actors if r.start <= at < r.end), None)
    return (ref.country, ref.sector) if ref is not None else None


# -- where a story is told is not where its actors are from ---------------------------------------------


def test_the_outlet_someone_speaks_to_names_no_country(coder):
    doc = coder("A passenger told VOA that gunmen dragged several men off the bus near the border.")
    gunmen = covering(doc, "gunmen")
    assert gunmen is None or gunmen[0] == "UNK"  # not USA: Voice of America is only the channel


def test_pro_a_country_is_no_nationality(coder):
    doc = coder("Six pro-Kurdish activists were detained in Ankara on Sunday.")
    assert covering(doc, "activists") is None or covering(doc, "activists")[0] != "IRQ"
    doc = coder("Pro-Russian separatists shelled the town.")
    separatists = covering(doc, "separatists")
    assert separatists is None or separatists[0] != "RUS"


# -- who holds power, and when ---------------------------------------------------------------------------


def test_the_taliban_are_the_government_after_august_2021(coder):
    assert covering(coder("The Taliban closed the girls' schools in Herat.", dt.date(2023, 4, 2)), "Taliban") == (
        "AFG", "GOV")  # fmt: skip
    assert covering(coder("The Taliban ambushed an army convoy in Helmand.", dt.date(2019, 6, 1)), "Taliban") == (
        "AFG", "REB")  # fmt: skip


def test_sudans_rsf_is_a_rebel_force_after_april_2023(coder):
    before = coder("The Rapid Support Forces guarded the palace.", dt.date(2021, 5, 1))
    after = coder("The Rapid Support Forces shelled a market in Omdurman.", dt.date(2024, 9, 1))
    assert covering(before, "Rapid Support Forces") == ("SDN", "PRM")
    assert covering(after, "Rapid Support Forces") == ("SDN", "REB")


def test_a_post_written_in_the_name_is_the_post_of_the_tenure(coder):
    # News writes "President X" (no "former") when it tells of X's time in office.
    doc = coder(
        "In 2014, President Barack Obama refused to sell Patriot missiles to Ankara.", dt.date(2019, 11, 2)
    )
    assert covering(doc, "Barack Obama") == ("USA", "GOV")
    doc = coder("Former President Barack Obama endorsed the candidate.", dt.date(2019, 11, 2))
    assert covering(doc, "Barack Obama") == ("USA", "ELI")


def test_a_us_party_before_a_congressional_title_makes_an_american_lawmaker(coder):
    doc = coder("Republican Representative Ellen Marsh said the deal was a mistake.")
    assert covering(doc, "Ellen Marsh") == ("USA", "LEG")
    doc = coder("Democratic Senator Tom Whitaker voted against it.")
    assert covering(doc, "Tom Whitaker") == ("USA", "LEG")
    assert covering(doc, "Democratic") in (None, ("USA", "LEG"))  # the party word is no actor of its own


# -- names the article defines ----------------------------------------------------------------------------


def test_an_acronym_spelled_by_a_body_named_before_is_that_body(coder):
    doc = coder(
        "The Kenya Wildlife Protection Service said rangers shot two poachers. Later, KWPS rangers arrested "
        "three more men."
    )
    first, later = covering(doc, "Kenya Wildlife Protection Service"), covering(doc, "KWPS")
    assert later is not None and later == first


def test_an_acronym_known_as_after_a_body_is_that_body(coder):
    doc = coder(
        "The U.N. observer mission, known as UNOMSIL, said it counted the dead. UNOMSIL asked for access."
    )
    assert covering(doc, "UNOMSIL", 1) == ("IGO", "GOV")  # eight letters, defined in the text
    doc = coder("The rebel coalition in Chad, known as FACT, attacked the town. FACT later withdrew.")
    fact = covering(doc, "FACT", 1)
    assert fact is None or fact[0] != "TCD"  # a country named before is not what the acronym stands for


def test_us_immigration_bodies(coder):
    doc = coder(
        "Officials with Immigration and Customs Enforcement said the flights ended. ICE deported 90 men."
    )
    assert covering(doc, "ICE") == ("USA", "COP")
    assert covering(coder("A DHS spokesperson declined to comment."), "DHS") == ("USA", "GOV")


# -- pronouns -------------------------------------------------------------------------------------------------


def test_they_who_shoot_is_the_one_armed_side_named_before(coder):
    text = (
        'Two of the passengers described their ordeal at the hands of al-Shabab. "They shot '
        'people on the bus. Then they picked out the drivers and shot them," said Nawaz Ali.'
    )
    doc = coder(text)
    they = [r for r in doc._.actors if r.text.lower() == "they"]
    assert len(they) == 2 and all(r.actor_id == "org:al-shabaab" for r in they)
    them = next((r for r in doc._.actors if r.text == "them"), None)
    assert them is None or them.sector != "REB"  # the drivers, never the gunmen themselves
    doc = coder("The army fought rebels near Goma on Monday. Later, they shot three villagers.")
    later = next((r for r in doc._.actors if r.text == "they"), None)
    assert later is None or later.sector not in ("MIL",)  # two armed sides in reach: no guess for the army


def test_an_object_pronoun_is_not_the_subject_of_its_own_verb(coder):
    doc = coder("The farmers ran for their lives after militants pulled them off the bus.")
    them = next((r for r in doc._.actors if r.text == "them"), None)
    assert them is None or them.sector != "REB"


@pytest.mark.parametrize(("text", "country"), [
    ("Ukrainian soldiers retreated from the village. Russian forces shelled them for days.", "UKR"),
    ("Sudanese refugees reached the border on Sunday. Chadian soldiers turned them back.", "SDN"),
])  # fmt: skip
def test_an_object_pronoun_is_the_other_plural_actor_in_reach(coder, text, country):
    # the subject of its own clause is no candidate, so the one other plural actor named before is it
    them = next((r for r in coder(text)._.actors if r.text == "them"), None)
    assert them is not None and them.country == country


# -- states at international bodies, peoples counted, agent nouns -----------------------------------------------


def test_a_states_mission_to_the_un_is_the_state(coder):
    doc = coder("The proposal met with opposition from Brazil's U.N. mission.")
    assert covering(doc, "mission") == ("BRA", "GOV")
    doc = coder("The U.N. mission in Mali said peacekeepers were attacked.")
    assert covering(doc, "mission") == ("IGO", "GOV")


def test_a_former_official_removed_here_held_the_post(coder):
    text = "Former president Omar al-Bashir faces trial. In April, the military removed Bashir. Bashir spoke."
    doc = coder(text, dt.date(2019, 11, 29))
    assert covering(doc, "Bashir", 1) == ("SDN", "GOV")  # the one removed held the post then
    assert covering(doc, "Bashir", 2) == ("SDN", "ELI")


def test_several_states_take_no_country_from_the_sentence(coder):
    doc = coder("As governments continue climate talks in Madrid, experts call for more wind power.")
    governments = covering(doc, "governments")
    assert governments is None or governments[0] == "UNK"


def test_several_states_are_government_actors_of_no_country(coder):
    doc = coder("Thailand said other countries had offered to take them. Both countries expelled envoys.")
    assert covering(doc, "countries") == ("UNK", "GOV")
    assert covering(doc, "countries", 1) == ("UNK", "GOV")  # "both countries": a set, never one of them
    assert covering(coder("The international community urged Somalia to vote."), "international community") == (
        "UNK", "GOV")  # fmt: skip


def test_detainees_take_no_country_from_the_state_that_holds_them(coder):
    doc = coder("U.S. officials said 30 detainees were flown from the base in Cuba to Texas on Monday.")
    assert covering(doc, "detainees")[0] == "UNK"
    doc = coder("Eritrean detainees were released on Monday.")
    assert covering(doc, "detainees") == ("ERI", "CVL")  # a modifier still says it


def test_a_counted_nationality_is_the_people(coder):
    assert covering(coder("Thousands of Lebanese marched on the parliament."), "Lebanese") == ("LBN", "CVL")
    assert covering(coder("Hundreds of Chinese officials arrived."), "Chinese officials") == ("CHN", "GOV")


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("Israeli commandos raided the camp at dawn.", "commandos", ("ISR", "MIL")),
        ("Philippine coast guard vessels shadowed the convoy.", "coast guard", ("PHL", "COP")),
        ("Mosques across Egypt held prayers for the victims.", "Mosques", ("EGY", "REL")),
        (
            "The Tunisian counterterrorism agency dismantled a cell.",
            "counterterrorism agency",
            ("TUN", "COP"),
        ),
        ("Somali opposition lawmakers walked out of the session.", "opposition lawmakers", ("SOM", "OPP")),
        ("Sudanese protest leaders rejected the offer.", "protest leaders", ("SDN", "OPP")),
        ("Afghan women protested the ban in Kabul.", "women", ("AFG", "CVL")),
        ("Greek publishers said the law would hurt them.", "publishers", ("GRC", "BUS")),
        ("He spoke with his Egyptian counterpart Amr Fadel on Sunday.", "Amr Fadel", ("EGY", "GOV")),
        ("Analysts warned that a Turkish offensive in Syria would harm ties.", "offensive", ("TUR", "MIL")),
        ("A three-judge bench of Kenya's High Court suspended the deployment.", "bench", ("KEN", "JUD")),
    ],
)
def test_agent_nouns_of_the_news(coder, text, mention, expected):
    assert covering(coder(text), mention) == expected


def test_an_apposition_with_a_sector_noun_gives_the_sector(coder):
    doc = coder("Farah Abdi Nur, a member of the upper house, urged the president to step back.")
    got = covering(doc, "Farah Abdi Nur")
    assert got is not None and got[1] == "LEG"
    doc = coder("Abel Jean, the leader of the Village Brisson gang, was arrested.")
    got = covering(doc, "Abel Jean")
    assert got is not None and got[1] == "CRM"  # the gang he leads, not "Village" inside its name
    doc = coder("A court jailed Omar Tal, a local Canadian embassy employee, on Monday.")
    assert covering(doc, "Omar Tal") == ("CAN", "GOV")


def test_an_interior_ministry_is_the_government(coder):
    # PLOVER's agent list and the annotation guideline: ministries are GOV (police are COP).
    assert covering(coder("The Ghana Interior Ministry closed the camp."), "Interior Ministry") == (
        "GHA",
        "GOV",
    )


# -- a city in a treaty's name is no party to it ----------------------------------------------------------


@pytest.mark.parametrize(
    "text,city",
    [
        ("The United States withdrew from the Paris climate agreement.", "Paris"),
        ("Trump pulled out of the Paris Agreement on his first day.", "Paris"),
        ("Moscow accused Kyiv of breaking the Minsk agreements.", "Minsk"),
        ("Both sides said they would abide by the Vienna accord.", "Vienna"),
    ],
)
def test_a_city_naming_a_treaty_is_no_actor(coder, text, city):
    # Without this, "withdrew from the Paris climate agreement" was SANCTION USA -> FRA.
    assert covering(coder(text), city) is None


def test_cities_naming_the_parties_of_an_agreement_stay_actors(coder):
    doc = coder("The Washington-Tehran agreement collapsed in 2018.")
    assert covering(doc, "Washington")[0] == "USA" and covering(doc, "Tehran")[0] == "IRN"
    doc = coder("Moscow accused Kyiv of breaking the Minsk agreements.")
    assert covering(doc, "Moscow")[0] == "RUS" and covering(doc, "Kyiv")[0] == "UKR"


def test_a_speakers_phrase_takes_no_country_from_what_it_says(coder):
    # The speaker's phrase reaches past appositions and "of" phrases, and believing reports a content as
    # saying does: Russia is what is said, not who says it. A wrong country is worse than UNK.
    doc = coder("Air Force Chief of Staff, General Dave Goldfein, said Russia is a threat.")
    assert covering(doc, "Goldfein")[0] == "UNK"
    doc = coder(
        "The visit raises concerns in Washington. Some members of the President's administration believe "
        "that Russia will not attack."
    )
    assert (covering(doc, "administration") or ("UNK",))[0] != "RUS"
    doc = coder("Russian officials said Ukraine had attacked a border town.")
    assert covering(doc, "officials")[0] == "RUS"  # the phrase's own country still counts


@pytest.mark.xfail(strict=True, reason="a story naming Washington once has no story country (docs/actors.md)")
def test_an_agent_noun_takes_the_speakers_country_not_the_topic_of_the_speech(coder):
    # Washington once, Russia once (inside what the administration believes): a reader takes USA from the
    # sentence before; the story-country rule asks for three mentions.
    doc = coder(
        "The visit raises concerns in Washington. Some members of the President's administration believe "
        "that Russia will not attack."
    )
    assert covering(doc, "administration")[0] == "USA"


# -- the UN's missions by their acronyms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mission", "expected"),
    [
        ("Rebels attacked a MINUSCA base near Bangui on Tuesday.", "MINUSCA", ("IGO", "MIL")),
        ("UNAMA condemned the killing of two aid workers in Kandahar.", "UNAMA", ("IGO", "GOV")),
        ("Peacekeepers of UNFICYP patrol the buffer zone in Nicosia.", "UNFICYP", ("IGO", "MIL")),
        ("UNSMIL called on the rival Libyan governments to resume talks.", "UNSMIL", ("IGO", "GOV")),
    ],
)
def test_a_un_mission_is_the_un_not_its_host_or_unknown(coder, text, mission, expected):
    assert covering(coder(text), mission) == expected


# -- a description of a country takes up the story's country (seventeenth session) ------------------------


@pytest.mark.parametrize(("text", "phrase", "country"), [
    ("Saudi Arabia restored ties with Iran in 2023. Saudi Arabia had cut relations in 2016. The kingdom now "
     "wants a security pact with Washington.", "The kingdom", "SAU"),
    ("Qatar hosted the talks in Doha. The Gulf state has mediated between Israel and Hamas since 2023.",
     "The Gulf state", "QAT"),
    ("Vietnam has bought Russian arms for decades. Vietnam signed a deal with the United States on Monday. "
     "The Southeast Asian country will buy Boeing jets.", "The Southeast Asian country", "VNM"),
])  # fmt: skip
def test_a_country_described_by_its_region_or_its_form_is_the_storys_country(coder, text, phrase, country):
    found = covering(coder(text), phrase)
    assert found is not None and found[0] == country


def test_a_name_that_reads_like_a_description_stays_a_name(coder):
    doc = coder("Islamic State fighters attacked a village in Syria. The Islamic State claimed the attack.")
    found = covering(doc, "Islamic State", 1)
    assert found is not None and found[0] != "SYR"  # a name, not "the state" of Syria


@pytest.mark.parametrize(("text", "noun", "expected"), [
    ("Iran said its diplomats had been expelled from Albania.", "diplomats", ("IRN", "GOV")),
    ("Hamas said its fighters had killed three Israeli soldiers.", "fighters", ("PSE", "REB")),
    ("The White House said some of its officials would travel to Kyiv.", "officials", ("USA", "GOV")),
])  # fmt: skip
def test_a_sector_noun_owned_by_a_resolved_pronoun_is_the_owners(coder, text, noun, expected):
    # neither the sentence (it names another country) nor the story can say whose they are; "its" can
    assert covering(coder(text), noun) == expected


def test_a_nationality_in_the_phrase_beats_the_possessor(coder):
    doc = coder("Iran said its Iraqi allies had attacked the base.")
    found = covering(doc, "allies")
    assert found is None or found[0] != "IRN"


def test_a_bench_to_sit_on_is_no_court(coder):
    doc = coder("Protesters sat on a bench outside parliament in Nairobi.")
    assert covering(doc, "bench") is None


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("In a statement, Mawlawi Hibatullah Akhundzada urged the United States to honor the deal.",
     "Hibatullah Akhundzada", "AFG"),
    ("Sheikh Tamim bin Hamad Al Thani met Joe Biden in Washington.", "Tamim bin Hamad Al Thani", "QAT"),
    ("Dr. Tedros Adhanom Ghebreyesus warned of a new pandemic.", "Tedros Adhanom Ghebreyesus", "IGO"),
])  # fmt: skip
def test_an_honorific_before_a_known_name_is_no_part_of_it(coder, text, name, expected):
    doc = coder(text)
    found = covering(doc, name)
    assert found is not None and found[0] == expected
    honorific = text.split()[0] if not text.startswith("In") else "Mawlawi"
    assert covering(doc, honorific) in (None, found)  # no second, unknown person made of the honorific


def test_a_name_that_opens_with_an_honorific_word_stays_whole(coder):
    doc = coder("Sheikh Hasina fled to India in August.")
    assert covering(doc, "Sheikh")[0] == "BGD" and covering(doc, "Sheikh") == covering(doc, "Hasina")


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("The Taliban threatened to break their cease-fire with international forces.", "international forces",
     ("IGO", "MIL")),
    ("Multinational forces patrolled the Strait of Hormuz.", "Multinational forces", ("IGO", "MIL")),
    ("Kenyan peacekeeping troops were attacked in Somalia.", "peacekeeping troops", ("KEN", "MIL")),
    ("Peacekeepers from Ethiopia were attacked in Somalia.", "Peacekeepers", ("ETH", "MIL")),
])  # fmt: skip
def test_forces_of_several_states_are_intergovernmental_unless_a_state_is_named(
    coder, text, phrase, expected
):
    assert covering(coder(text), phrase) == expected


# -- experts commenting from outside the story (seventeenth session, from the actor mention gold) -----------


def test_an_expert_takes_no_country_from_the_story_or_a_topic_in_the_title(coder):
    doc = coder(
        "Iran shipped missile fuel to Yemen, Iranian officials said. Iran denied the report on Monday. "
        "Gregory Brew, a senior Iran analyst at the Eurasia Group, said Iran may have paid for the cargo. "
        "Brew said more shipments were likely."
    )
    assert covering(doc, "Gregory Brew")[0] != "IRN"
    later = covering(doc, "Brew", 1)
    assert later is None or later[0] != "IRN"


def test_an_expert_whose_description_states_a_nationality_keeps_it(coder):
    found = covering(
        coder("Francesco Sisci, an Italian Sinologist, told VOA that Europe was divided."), "Sisci"
    )
    assert found is not None and found[0] == "ITA"


def test_an_embassy_of_a_state_is_that_states_wherever_it_is(coder):
    # Written for this test: the "of" after a mission names whose it is; the city after "in" is only where.
    doc = coder("The Embassy of China in Hanoi rejected the note on Tuesday.")
    assert covering(doc, "Embassy") == ("CHN", "GOV")


def test_a_body_of_a_known_organisation_is_that_organisation(coder):
    doc = coder("The Commission of ECOWAS firmly condemned the attempted coup in Guinea-Bissau.")
    at = doc.text.index("Commission")
    [ref] = [r for r in doc._.actors if r.start <= at < r.end]
    assert ref.actor_id == "org:ecowas" and ref.text == "Commission of ECOWAS"
    doc = coder("The Commission of the African Union condemned the coup.")
    assert covering(doc, "Commission") == ("IGO", "GOV")
