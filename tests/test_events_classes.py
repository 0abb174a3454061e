"""The error classes of the expert read-through of unseen news (events issue), each on sentences we
wrote: the full pipeline with the shipped model must code them as the guideline (docs/annotation.md) says.
"""

from __future__ import annotations

import datetime as dt

import pytest

from detente.records import Article, Event, article_id

pytestmark = pytest.mark.model


def code(nlp, text: str, published: dt.date = dt.date(2025, 3, 14)) -> list[Event]:
    doc = nlp.make_doc(text)
    doc._.article = Article(id=article_id(text), text=text, outlet="Wire", published=published)
    return list(nlp(doc)._.events)


def asserted(events: list[Event]) -> list[Event]:
    return [e for e in events if e.modality == "asserted"]


def countries(refs) -> set[str]:
    return {r.country for r in refs}


def _rules(nlp, text: str) -> list[tuple[str, set[str], set[str]]]:
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    return [(e.event_type, countries(e.source), countries(e.target))
            for e in extract_events(nlp(text), load_lexicon())]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "A green card can be revoked if the holder commits a serious crime.",
        "Doctors advise people to wash their hands often during the flu season.",
        "The report was released on Tuesday and runs to 80 pages.",
        "Prices of rice rose by 12 percent last month, the statistics office said.",
    ],
)
def test_1_generic_statements_advice_and_word_senses_are_no_events(nlp, text):
    assert code(nlp, text) == []


def test_2_a_speaker_is_not_the_source_of_what_it_reports(nlp):
    events = code(nlp, "The Ukrainian president said Russian forces shelled Kharkiv overnight.")
    [assault] = [e for e in events if e.event_type == "ASSAULT"]
    assert countries(assault.source) == {"RUS"}


def test_2_a_topic_is_not_a_participant(nlp):
    events = code(
        nlp, "Iran's foreign minister met French officials in Paris on Monday to discuss aid for Kyiv."
    )
    [meeting] = [e for e in events if e.event_type == "CONSULT"]
    assert "UKR" not in countries(meeting.source) | countries(meeting.target)
    assert {"IRN", "FRA"} <= countries(meeting.source) | countries(meeting.target)


def test_2_the_possessor_of_an_arrest_is_who_was_arrested_and_condemnation_is_about_it(nlp):
    """ "Russia's invasion": the possessor acts; "Navalny's arrest": the possessor undergoes it. What
    "drew condemnation" is what the condemnation is about; who condemns comes "from"."""
    events = code(nlp, "Alexei Navalny's arrest drew condemnation from the United States.")
    [arrest] = [e for e in events if e.event_type == "COERCE"]
    assert countries(arrest.target) == {"RUS"} and "RUS" not in countries(arrest.source)
    [condemnation] = [e for e in events if e.event_type == "ACCUSE"]
    assert countries(condemnation.source) == {"USA"}
    assert countries(condemnation.target) == {"RUS"}


def test_2_the_possessor_of_an_invasion_acts(nlp):
    [invasion] = code(nlp, "Russia's invasion of Ukraine entered its fourth year on Monday.")
    assert countries(invasion.source) == {"RUS"} and countries(invasion.target) == {"UKR"}


def test_3_a_call_for_an_action_is_the_request_not_the_action(nlp):
    events = code(nlp, "The United Nations called on the Taliban to lift the ban on girls' education.")
    assert [e.event_type for e in events] == ["REQUEST"]
    assert countries(events[0].source) == {"IGO"}


def test_4_leaving_a_treaty_is_sanction_not_retreat(nlp):
    events = code(nlp, "The United States withdrew from the Paris climate agreement in January.")
    assert [e.event_type for e in events] == ["SANCTION"]


def test_4_leaving_an_organisation_or_agreement_is_sanction_withdraw(nlp):
    # docs/annotation.md: "the US left the JCPOA" is SANCTION (withdraw); the agreement left is no AGREE.
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    for text, source in [
        ("The United States left the nuclear agreement with Iran.", {"USA"}),
        ("Burkina Faso, Mali and Niger exited the ECOWAS bloc on Wednesday.", {"BFA", "MLI", "NER"}),
    ]:
        events = extract_events(nlp(text), load_lexicon())
        assert [(e.event_type, e.mode) for e in events] == [("SANCTION", "withdraw")], text
        assert countries(events[0].source) == source
    early = extract_events(
        nlp("The prime minister left the summit early to return to Warsaw."), load_lexicon()
    )
    assert not [e for e in early if e.event_type == "SANCTION"]  # leaving a meeting is not leaving a body


def test_4_a_threat_to_act_is_the_threat_not_the_act(nlp):
    # "threat to impose tariffs": the infinitive is what is threatened (the manual: a threat of sanctions is
    # THREATEN), not sanctions imposed.
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    events = extract_events(nlp("Trump's threat to impose tariffs on Canada angered Ottawa."), load_lexicon())
    assert [e.event_type for e in events] == ["THREATEN"]
    assert countries(events[0].source) == {"USA"} and countries(events[0].target) == {"CAN"}


def test_1_calling_an_actor_a_threat_is_disapproval_and_a_topic_is_nothing(nlp):
    # "Russia is a threat" is a view of Russia (ACCUSE by whoever holds it), not a threat Russia made; with
    # no political actor holding it (an expert, the article's own words) or as a topic ("the China threat")
    # nobody does anything.
    assert _rules(nlp, "Poland considers Russia the biggest threat to its security.") == [
        ("ACCUSE", {"POL"}, {"RUS"})
    ]
    assert _rules(nlp, "Russia is the biggest threat to Europe, the Polish foreign minister said.") == [
        ("ACCUSE", {"POL"}, {"RUS"})
    ]
    assert _rules(nlp, "Experts say China is a threat to Taiwan.") == []
    assert _rules(nlp, "We know about the China threat, a fisherman told VOA.") == []
    assert _rules(nlp, "China issued a threat against Taiwan.") == [("THREATEN", {"CHN"}, {"TWN"})]


@pytest.mark.parametrize(
    "text",
    [
        "The number of refugees in Dadaab declined to the current figure of 230,000.",
        "Houses in southern Malawi were destroyed by floods in March.",
    ],
)
def test_1_a_quantity_going_down_and_a_disaster_are_no_events(nlp, text):
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    assert extract_events(nlp(text), load_lexicon()) == []


def test_4_barring_entry_is_reject(nlp):
    events = code(nlp, "Hungarian border guards denied entry to two Russian activists on Friday.")
    assert [e.event_type for e in events] == ["REJECT"]
    assert countries(events[0].source) == {"HUN"} and countries(events[0].target) == {"RUS"}


def test_5_an_earlier_event_told_as_context_is_background(nlp):
    events = code(
        nlp, "Since Russia's full-scale invasion of Ukraine in 2022, Poland has taken in a million refugees."
    )
    invasion = [e for e in events if "invasion" in e.trigger.text]
    assert invasion and invasion[0].background


def test_6_nobody_recognising_a_government_is_no_support(nlp):
    events = code(nlp, "No country has recognized the Taliban government since it seized power.")
    assert not [e for e in asserted(events) if e.event_type == "SUPPORT"]


def test_6_not_wanting_to_meet_is_no_meeting(nlp):
    events = code(nlp, "The president does not want to meet his Russian counterpart, his spokesman said.")
    assert not [e for e in asserted(events) if e.event_type == "CONSULT"]


def test_6_not_wanting_to_meet_is_a_refusal_and_not_having_met_is_not(nlp):
    # docs/annotation.md, REJECT: "does not want to meet" is REJECT, not a negated CONSULT; the rules read it
    # so (rules.UNWILLING_HEADS). "has not met" only reports that no meeting happened.
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    refusal = nlp("The Indian prime minister does not want to meet Pakistan's army chief.")
    [rejected] = [e for e in extract_events(refusal, load_lexicon()) if e.event_type == "REJECT"]
    assert rejected.modality == "asserted"
    assert countries(rejected.source) == {"IND"} and countries(rejected.target) == {"PAK"}
    report = nlp("Putin has not met Zelenskyy since the war began.")
    assert not [e for e in extract_events(report, load_lexicon()) if e.event_type == "REJECT"]


def test_6_the_learned_coder_keeps_the_refusal_to_meet(nlp):
    # (dropped until the fourteenth session: the gold label sat on "want", the rules' REJECT on "meet";
    # training._anchor now labels the word the rules proposed)
    events = code(nlp, "The Indian prime minister does not want to meet Pakistan's army chief.")
    assert [e for e in asserted(events) if e.event_type == "REJECT"]


def test_7_a_meeting_is_reciprocal_with_every_participant_as_source(nlp):
    events = code(nlp, "Putin met Xi in Kazan on Tuesday.")
    [meeting] = [e for e in events if e.event_type == "CONSULT"]
    assert meeting.reciprocal and countries(meeting.source) == {"RUS", "CHN"} and meeting.target == ()


@pytest.mark.parametrize(
    "text",
    [
        "A student in Shanghai said she agreed with officials' worries about the new rules.",
        "The senator agreed with the French president's recent remark that Europe must rearm.",
        "Many voters agree with the dismissal of the governor, a poll found.",
        '"The crisis is far from over," agreed Maria Lopez, a researcher at a Madrid institute.',
    ],
)
def test_1_agreeing_with_a_view_is_no_agreement(nlp, text):
    assert [t for t, _, _ in _rules(nlp, text) if t == "AGREE"] == []


def test_1_agreeing_to_a_proposal_or_with_a_party_is_an_agreement(nlp):
    assert [t for t, _, _ in _rules(nlp, "Moldova agreed to the European Union's proposal.")] == ["AGREE"]
    assert [t for t, _, _ in _rules(nlp, "Serbia agreed with Kosovo on a new border crossing.")] == ["AGREE"]
    assert [t for t, _, _ in _rules(nlp, "Armenia agreed with the Russian plan for the corridor.")] == [
        "AGREE"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Chinese tourists visited Vietnam in record numbers this summer.",
        "Hundreds of migrants arrived in Italy by boat overnight.",
        "The Iranian tanker arrived in eastern China late last year.",
        "NATO troops arrived in Estonia for the exercise.",
        "Afghan security forces also arrived and sealed off the site.",
    ],
)
def test_1_an_arrival_or_visit_by_no_political_actor_is_no_visit(nlp, text):
    assert [t for t, _, _ in _rules(nlp, text) if t == "CONSULT"] == []


@pytest.mark.parametrize(
    ("text", "visitor", "host"),
    [
        ("A Chinese delegation arrived in Moscow on Monday.", "CHN", "RUS"),
        ("Pakistan's army chief arrived in Washington for talks.", "PAK", "USA"),
        ("U.S. lawmakers arrived in Taipei on Sunday.", "USA", "TWN"),
    ],
)
def test_1_an_official_arrival_is_a_visit(nlp, text, visitor, host):
    assert ("CONSULT", {visitor}, {host}) in _rules(nlp, text)


def test_1_meeting_with_a_reaction_is_no_meeting(nlp):
    reaction = _rules(nlp, "The proposal met with opposition from China's mission to the United Nations.")
    assert [t for t, _, _ in reaction if t == "CONSULT"] == []
    assert [t for t, _, _ in _rules(nlp, "The Kenyan president met with opposition leaders on Monday.")] == [
        "CONSULT"
    ]


def test_1_a_standing_charge_is_no_new_accusation(nlp):
    assert _rules(nlp, "Lai stands accused of collusion with foreign forces.") == []
    assert _rules(nlp, "Belizaire, who is accused of plotting a coup, is held in the capital's prison.") == []
    # made now, or named with its accuser: an accusation
    assert [t for t, _, _ in _rules(nlp, "Russia's opposition leader was accused of fraud on Tuesday.")] == [
        "ACCUSE"
    ]
    assert [t for t, _, _ in _rules(nlp, "Lai is accused by Beijing of colluding with foreign forces.")] == [
        "ACCUSE"
    ]
    assert [t for t, _, _ in _rules(nlp, "Iran accused Israel of sabotage at the Natanz site.")] == ["ACCUSE"]


def test_1_a_meeting_due_to_happen_is_planned(nlp):
    # docs/annotation.md: a meeting that is planned or scheduled is AGREE, with future modality
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    [planned] = extract_events(nlp("Putin is due to meet Erdogan in Turkey in January."), load_lexicon())
    assert (planned.event_type, planned.modality) == ("AGREE", "future")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('The French president called Chinese subsidies "unbearable."', ("ACCUSE", {"FRA"}, {"CHN"})),
        ("Beijing branded the visit by U.S. lawmakers a provocation.", ("ACCUSE", {"CHN"}, {"USA"})),
        ("Putin in public describes relations with China as unshakable.", ("SUPPORT", {"RUS"}, {"CHN"})),
    ],
)
def test_1_characterising_something_is_the_speakers_stance_on_it(nlp, text, expected):
    # lexicon "characterisations": call, describe, brand ... x evaluative words
    assert expected in _rules(nlp, text)


def test_1_calling_a_strike_or_an_election_is_no_characterisation(nlp):
    assert [
        t for t, _, _ in _rules(nlp, "Kenya's opposition called a strike for Monday.") if t == "ACCUSE"
    ] == []
    assert [
        t for t, _, _ in _rules(nlp, "Kenya's president called an early election.") if t == "ACCUSE"
    ] == []


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan and the United States have designated the BLA a terrorist group.",
        "Turkey has designated the YPG as terrorists.",
        "The group is designated as a terrorist organization by the United States.",
    ],
)
def test_4_listing_a_group_as_terrorist_is_a_sanction(nlp, text):
    assert "SANCTION" in [t for t, _, _ in _rules(nlp, text)]


def test_4_taking_hostages_is_abduction_and_human_shields_stay_coercion(nlp):
    # manual, ASSAULT modes: "abduct, kidnap, hijack"; the PLOVER gold codes an army holding refugees as
    # human shields COERCE
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    lexicon = load_lexicon()
    [taken] = extract_events(
        nlp("Armed gunmen are holding the deputy speaker of the Gambian parliament hostage."), lexicon
    )
    assert (taken.event_type, taken.mode) == ("ASSAULT", "abduct")
    shields = extract_events(
        nlp("The Sri Lankan army has been holding Tamil refugees as human shields."), lexicon
    )
    assert [e.event_type for e in shields] == ["COERCE"]


@pytest.mark.parametrize(
    "text",
    [
        "Some officials believe that by talking to Moscow, the United States can weaken Russia's ties to China.",
        "Critics say the deal could threaten the security of the joint U.S.-British base.",
        "The minister said Russia could attack again within weeks.",
    ],
)
def test_1_what_someone_says_or_believes_can_happen_is_speculation(nlp, text):
    assert _rules(nlp, text) == []


def test_1_a_conditional_threat_is_still_a_threat(nlp):
    assert ("THREATEN", {"PRK"}, {"USA"}) in _rules(
        nlp, "North Korea said it would attack U.S. bases if provoked."
    )


# A show of force by one party is MOBILIZE, the same drill or patrol held jointly COOPERATE (the manual's
# MOBILIZE "Potential ambiguities"). The lexicon had exercises as COOPERATE and no drills, patrols or warships.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China held military drills around Taiwan on Monday.", ("MOBILIZE", {"CHN"})),
        (
            "Russia's navy conducted exercises in the Baltic Sea, the defense ministry said.",
            ("MOBILIZE", {"RUS"}),
        ),
        ("Chinese coast guard vessels patrolled the waters near the disputed shoal.", ("MOBILIZE", {"CHN"})),
        ("The Pentagon dispatched two warships to the Red Sea.", ("MOBILIZE", {"USA"})),
        ("Japan and Australia held joint drills off Okinawa on Friday.", ("COOPERATE", {"JPN", "AUS"})),
        ("NATO began multinational exercises in Norway.", ("COOPERATE", {"IGO"})),
    ],
)
def test_4_a_show_of_force_alone_is_mobilize_and_held_jointly_cooperate(nlp, text, expected):
    assert [(t, s) for t, s, _ in _rules(nlp, text)] == [expected]


def test_4_exercising_restraint_or_testing_water_is_no_show_of_force(nlp):
    for text in ("Protesters should exercise restraint, the police chief said.",
                 "The health ministry conducted tests on the water supply."):  # fmt: skip
        assert "MOBILIZE" not in {t for t, _, _ in _rules(nlp, text)}


# A talk held by phone or video with a party is CONSULT (the manual's mode "phone"); a quotation obtained by
# phone is no consultation.
@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Duterte and Suga spoke by phone late last year.", {"PHL", "JPN"}),
        (
            "Erdogan spoke by video link last week with his French counterpart Emmanuel Macron.",
            {"TUR", "FRA"},
        ),
        ("Jake Sullivan spoke by phone Sunday with his Israeli counterpart.", {"USA", "ISR"}),
        (
            "Sheinbaum told Trump in phone conversations last week that Mexico had made strides.",
            {"MEX", "USA"},
        ),
    ],
)
def test_1_a_talk_by_phone_or_video_is_a_consultation(nlp, text, parties):
    [(event_type, source, target)] = _rules(nlp, text)
    assert event_type == "CONSULT" and source | target == parties


@pytest.mark.parametrize(
    "text",
    [
        '"It has nothing against the government of Zambia," he said by telephone.',
        "A spokesman told Reuters by phone that the talks had stalled.",
        "Delattre spoke by telephone to reporters from Abidjan.",
    ],
)
def test_1_a_quotation_obtained_by_phone_is_no_consultation(nlp, text):
    assert "CONSULT" not in {t for t, _, _ in _rules(nlp, text)}


# Trade measures: raising or levying tariffs and duties, banning imports or exports is SANCTION (discontinue);
# pausing, lifting or lowering them is CONCEDE, as ending a sanction is (manual, CONCEDE mode "yield").
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The United States levied 25% tariffs on Canadian steel on Tuesday.",
            ("SANCTION", {"USA"}, {"CAN"}),
        ),
        ("China banned the export of gallium to the United States.", ("SANCTION", {"CHN"}, {"USA"})),
        ("Trump doubled the duty on Chinese imports to 20 percent.", ("SANCTION", {"USA"}, {"CHN"})),
        ("Beijing announced a tariff hike on American soybeans.", ("SANCTION", {"CHN"}, {"USA"})),
        ("Washington paused the tariffs on Mexican goods for 30 days.", ("CONCEDE", {"USA"}, {"MEX"})),
        ("The European Union lifted duties on Ukrainian grain.", ("CONCEDE", {"IGO"}, {"UKR"})),
    ],
)
def test_4_trade_measures_are_sanctions_and_easing_them_a_concession(nlp, text, expected):
    assert _rules(nlp, text) == [expected]


def test_4_raising_prices_is_no_trade_measure(nlp):
    assert _rules(nlp, "The company raised prices for its customers.") == []


def test_4_returning_people_by_force_is_deportation(nlp):
    assert _rules(nlp, "Thai authorities forcibly repatriated the Uyghurs to China.") == [
        ("COERCE", {"THA"}, {"CHN"})
    ]
    assert _rules(nlp, "Congress sent the bill back to committee.") == []


# -- sixteenth pass: classes read in the cross-validated false positives (docs/events.md) ----------------


@pytest.mark.parametrize(
    "text",
    [
        "The health minister urged people to seek medical attention if they experience symptoms.",
        "Doctors are urging residents to adhere to preventive measures and practise good hygiene.",
    ],
)
def test_1_health_advice_to_the_public_is_no_request(nlp, text):
    assert "REQUEST" not in {t for t, _, _ in _rules(nlp, text)}


def test_1_a_request_to_a_state_about_an_outbreak_is_still_a_request(nlp):
    assert ("REQUEST", {"IGO"}, {"CHN"}) in _rules(
        nlp, "The World Health Organization urged China to share data on the outbreak."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Rights groups called for the release of the detained doctors.",
        "The United Nations called for an investigation into the attack on the hospital in Gaza.",
    ],
)
def test_1_a_request_about_doctors_or_a_hospital_to_no_one_in_particular_is_still_a_request(nlp, text):
    assert "REQUEST" in {t for t, _, _ in _rules(nlp, text)}


def test_4_a_state_of_emergency_in_prisons_is_still_a_state_measure(nlp):
    assert [
        t for t, _, _ in _rules(nlp, "Ecuador declared a state of emergency in its prisons on Monday.")
    ] == ["COERCE"]


def test_4_an_emergency_at_a_hospital_is_no_state_of_emergency(nlp):
    assert _rules(nlp, "Pakistan declared an emergency at all hospitals in Quetta after the blast.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pakistan declared a state of emergency in Balochistan on Tuesday.", ("COERCE", {"PAK"}, set())),
        (
            "The Kyrgyz government imposed a night-time curfew in the southern city of Osh on Friday.",
            ("COERCE", {"KGZ"}, set()),
        ),
        ("Bangladeshi authorities lifted the nationwide curfew on Sunday.", ("CONCEDE", {"BGD"}, set())),
    ],
)
def test_4_a_measure_over_ones_own_territory_is_an_event_without_recipient(nlp, text, expected):
    assert _rules(nlp, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Two Chinese journalists are detained in Thailand, their lawyer said.",
        "Many Uyghurs are imprisoned by China in Xinjiang.",
        "Hundreds of opposition supporters remain in detention in Turkey.",
    ],
)
def test_1_being_held_is_a_state_not_an_arrest(nlp, text):
    assert "COERCE" not in {t for t, _, _ in _rules(nlp, text)}


def test_1_a_past_or_ongoing_detention_is_still_an_arrest(nlp):
    assert [t for t, _, _ in _rules(nlp, "Police detained 40 protesters in Istanbul on Sunday.")] == [
        "COERCE"
    ]
    assert [t for t, _, _ in _rules(nlp, "Forty protesters were detained by Turkish police on Sunday.")] == [
        "COERCE"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Neither China nor Thailand has explained why they were not deported along with the 40 last month.",
        "Reporters asked whether Israeli troops had fired on the crowd.",
    ],
)
def test_1_an_embedded_question_is_no_event(nlp, text):
    assert _rules(nlp, text) == []


def test_1_asking_someone_to_act_or_for_something_is_still_a_request(nlp):
    assert ("REQUEST", {"UKR"}, {"USA"}) in _rules(
        nlp, "Ukraine asked the United States for more air defense systems."
    )


@pytest.mark.parametrize(
    ("text", "event_type", "source", "target"),
    [
        (
            "Canadian Prime Minister Mark Carney signed an executive order on Saturday imposing tariffs on goods "
            "from China.",
            "SANCTION",
            {"CAN"},
            {"CHN"},
        ),
        (
            "Russian President Vladimir Putin signed a decree banning imports of Ukrainian grain.",
            "SANCTION",
            {"RUS"},
            {"UKR"},
        ),
        (
            "Chinese President Xi Jinping signed an order to deploy troops to the border with India.",
            "MOBILIZE",
            {"CHN"},
            {"IND"},
        ),
    ],
)
def test_1_a_signed_law_or_decree_is_no_support_the_act_it_makes_is_the_signers(
    nlp, text, event_type, source, target
):
    # docs/annotation.md, "Signing": signing a law or decree is not signing an agreement; code what it does
    events = code(nlp, text)
    assert "SUPPORT" not in {e.event_type for e in events}
    [act] = [e for e in events if e.event_type == event_type]
    assert countries(act.source) == source
    assert target <= countries(act.target)


def test_1_signing_an_agreement_stays_support(nlp):
    events = code(nlp, "Russia and China signed a trade agreement in Moscow on Monday.")
    assert [(e.event_type, countries(e.source)) for e in events] == [("SUPPORT", {"RUS", "CHN"})]


def test_the_signer_of_an_instrument_is_the_doer_of_what_it_does(nlp):
    from detente.events.roles import enacted_instrument, subject_tokens

    doc = nlp(
        "Biden signed a law that sanctions Chinese officials, and Putin issued a decree banning imports."
    )
    signed, law, sanctions = doc[1], doc[3], doc[5]
    issued, banning = doc[11], doc[14]
    assert enacted_instrument(signed) == law and enacted_instrument(sanctions) is None
    assert [t.text for t in subject_tokens(sanctions)[0]] == ["Biden"]
    assert [t.text for t in subject_tokens(banning)[0]] == ["Putin"]
    assert enacted_instrument(issued) is not None


def test_7_a_mediation_takes_in_the_mediators_and_both_parties(nlp):
    # the parser hangs "Egypt and Qatar" on the auxiliary "are"; the parties come after "between"
    events = code(nlp, "Egypt and Qatar are mediating between Israel and Hamas.")
    [talks] = [e for e in events if e.event_type == "CONSULT"]
    assert countries(talks.source) == {"EGY", "QAT", "ISR", "PSE"} and not talks.target and talks.reciprocal


@pytest.mark.parametrize(
    "text, sides",
    [
        ("India and Pakistan exchanged fire along the Line of Control on Monday.", {"IND", "PAK"}),
        ("Israeli troops and Hezbollah fighters traded fire across the border on Sunday.", {"ISR", "LBN"}),
    ],
)
def test_7_two_sides_exchanging_fire_is_one_reciprocal_assault(nlp, text, sides):
    [assault] = [e for e in code(nlp, text) if e.event_type == "ASSAULT"]
    assert countries(assault.source) == sides and not assault.target and assault.reciprocal


def test_2_where_a_protest_is_held_is_not_what_it_is_against(nlp):
    events = code(
        nlp, "Thousands of protesters rallied in Tbilisi on Sunday against the Georgian government."
    )
    [protest] = [e for e in events if e.event_type == "PROTEST"]
    assert [r.text for r in protest.target] == ["Georgian government"]


def test_2_the_city_of_a_dateline_is_no_party(nlp):
    events = code(
        nlp, "WASHINGTON, March 20, 2025 — Ukraine accused Russia on Thursday of striking an energy facility."
    )
    [accuse] = [e for e in events if e.event_type == "ACCUSE"]
    assert countries(accuse.source) == {"UKR"} and countries(accuse.target) == {"RUS"}


@pytest.mark.parametrize(
    "text, source, target",
    [
        ("China protested the visit by the U.S. congressional delegation on Monday.", {"CHN"}, {"USA"}),
        ("The Philippines summoned China's ambassador on Wednesday.", {"PHL"}, {"CHN"}),
    ],
)
def test_4_a_states_protest_and_a_summoned_ambassador_are_accuse(nlp, text, source, target):
    # the manual: diplomatic protests and summoning an ambassador are ACCUSE disapprove
    events = code(nlp, text)
    assert "PROTEST" not in {e.event_type for e in events}
    [accuse] = [e for e in events if e.event_type == "ACCUSE"]
    assert countries(accuse.source) == source and countries(accuse.target) == target


def test_4_people_protesting_stay_protest_and_where_is_no_target(nlp):
    [protest] = [
        e
        for e in code(nlp, "Thousands of farmers protested in Paris on Monday.")
        if e.event_type == "PROTEST"
    ]
    assert not protest.target


def test_2_the_force_a_state_deploys_is_no_target(nlp):
    [mobilize] = [
        e
        for e in code(nlp, "China sent warships to the Taiwan Strait on Monday.")
        if e.event_type == "MOBILIZE"
    ]
    assert countries(mobilize.source) == {"CHN"} and not mobilize.target
    [mobilize] = [
        e for e in code(nlp, "Uganda deployed troops to Juba on Monday.") if e.event_type == "MOBILIZE"
    ]
    assert countries(mobilize.target) == {"SSD"} and all(r.text != "troops" for r in mobilize.target)


def test_2_what_a_sent_or_adopted_document_does_its_author_does(nlp):
    # (France, named between the author and the act, is what a guess from the nearest name would take)
    events = code(
        nlp,
        "The Security Council adopted a resolution drafted by France on Monday condemning the coup in Niger.",
    )
    [accuse] = [e for e in events if e.event_type == "ACCUSE"]
    assert countries(accuse.source) == {"IGO"}
    # (the rules' reading; whether the model keeps this one is the model's)
    text = "Mexico sent a diplomatic note to Washington protesting the treatment of Mexican migrants."
    assert [source for event_type, source, _ in _rules(nlp, text) if event_type == "ACCUSE"] == [{"MEX"}]


def test_2_retaking_ground_is_an_assault(nlp):
    events = code(
        nlp, "Sudan's army recaptured the presidential palace in Khartoum from the Rapid Support Forces."
    )
    assert [e.event_type for e in events] == ["ASSAULT"]


def test_7_two_countries_acting_together_have_no_guessed_recipient(nlp):
    text = "Vietnam and China signed 14 cooperation agreements during a visit by Chinese leader Xi Jinping to Hanoi."
    [signing] = [e for e in code(nlp, text) if e.event_type == "SUPPORT"]
    assert countries(signing.source) == {"VNM", "CHN"} and not signing.target


def test_2_a_predicate_the_parser_hangs_on_its_subject_keeps_that_subject(nlp):
    # The parser makes "Norway" the root and "offered" its modifier; the relative clause names two others.
    text = "Norway, which has mediated between Colombia and the ELN in the past, offered to host new talks."
    assert ("AGREE", {"NOR"}, set()) in _rules(nlp, text)


def test_2_the_gap_of_a_relative_clause_does_the_act_not_who_says_it(nlp):
    text = "Washington sanctioned three Indian firms it said had supplied drone parts to Russia."
    [aid] = [(source, target) for event_type, source, target in _rules(nlp, text) if event_type == "AID"]
    assert aid == ({"IND"}, {"RUS"})


def test_2_where_parties_sign_or_agree_is_no_party_but_where_one_arrives_is_the_host(nlp):
    [signing] = [e for e in code(nlp, "Armenia and Azerbaijan signed a peace accord in Washington.")
                 if e.event_type == "SUPPORT"]  # fmt: skip
    assert countries(signing.source) == {"ARM", "AZE"} and not signing.target
    text = (
        "The Congolese and Rwandan foreign ministers signed the agreement at the State Department on Friday."
    )
    [signing] = [e for e in code(nlp, text) if e.event_type == "SUPPORT"]
    assert "USA" not in countries(signing.target)
    [visit] = [e for e in code(nlp, "Egypt's intelligence chief arrived in Israel on Sunday for talks.")
               if e.event_type == "CONSULT"]  # fmt: skip
    assert countries(visit.target) == {"ISR"}


def test_2_the_troops_a_state_sends_are_no_recipient_of_its_aid(nlp):
    text = "Pyongyang has sent thousands of troops to fight for Russia, Seoul says."
    targets = [target for event_type, _, target in _rules(nlp, text) if event_type == "AID"]
    assert targets and all("UNK" not in target for target in targets)


def test_2_who_a_time_clause_names_is_no_guessed_recipient(nlp):
    text = "North Korea fired two missiles into the sea on Monday, hours before Joe Biden lands in Seoul."
    [launch] = [e for e in code(nlp, text) if e.event_type == "MOBILIZE"]
    assert countries(launch.source) == {"PRK"} and "USA" not in countries(launch.target)


def _modalities(nlp, text: str) -> list[tuple[str, str, str]]:
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    return [(e.event_type, e.trigger.text, e.modality) for e in extract_events(nlp(text), load_lexicon())]


def test_3_what_a_trip_is_for_is_as_future_as_the_trip_and_until_is_no_fact(nlp):
    text = "Lula said he would travel to Beijing next month to sign a trade agreement with China."
    # a planned signing is AGREE (future); done, it would be SUPPORT (asserted)
    assert ("AGREE", "sign a trade agreement", "future") in _modalities(nlp, text)
    assert not [e for e in asserted(code(nlp, text)) if e.event_type == "SUPPORT"]
    text = "The rebels said they would keep fighting until the government agreed to direct talks."
    [agreed] = [m for _, trigger, m in _modalities(nlp, text) if trigger == "agreed"]
    assert agreed != "asserted"


def test_2_a_charge_rejected_after_it_answers_who_made_it(nlp):
    # The parser makes the accusation a complement of "rejected": it is still an accusation made.
    events = code(nlp, "Mali's junta accused Algeria of arming separatist rebels, a charge Algiers rejected.")
    [accuse] = [e for e in events if e.event_type == "ACCUSE"]
    assert accuse.modality == "asserted" and countries(accuse.source) == {"MLI"}
    [reject] = [e for e in events if e.event_type == "REJECT"]
    assert countries(reject.source) == {"DZA"} and countries(reject.target) == {"MLI"}
    text = "Pakistani officials blamed India for the bombing, a charge New Delhi rejected."
    assert ("REJECT", {"IND"}, {"PAK"}) in _rules(nlp, text)


def test_3_what_one_is_warned_against_or_accused_of_is_no_fact_and_the_warned_would_do_it(nlp):
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    doc = nlp("Germany's foreign minister warned Iran on Tuesday against supplying drones to Russia.")
    [aid] = [e for e in extract_events(doc, load_lexicon()) if e.event_type == "AID"]
    assert aid.modality == "hypothetical" and countries(aid.source) == {"IRN"}
    events = code(nlp, "Moscow accused Kyiv of shelling the Zaporizhzhia nuclear plant.")
    assert not [e for e in asserted(events) if e.event_type == "ASSAULT"]


def test_3_what_a_negated_verb_says_is_not_said_to_have_happened(nlp):
    text = "The White House said the visit did not mean Washington recognized Maduro as president."
    assert ("SUPPORT", "recognized", "possible") in _modalities(nlp, text)
    events = code(nlp, "The ministry did not say when the troops withdrew from the town.")
    assert [
        e for e in asserted(events) if e.event_type == "RETREAT"
    ]  # a question about a withdrawal told as done


def test_2_who_deports_people_from_its_land_is_the_source(nlp):
    text = "Honduras agreed to accept Honduran migrants deported from the United States."
    assert ("COERCE", {"USA"}, {"HND"}) in _rules(nlp, text)


def test_2_who_suffered_a_condemned_deed_is_not_the_accused_but_a_blamed_one_is(nlp):
    text = "The United States and Canada condemned the violence against protesters in Belgrade."
    assert ("ACCUSE", {"USA", "CAN"}, set()) in _rules(nlp, text)
    text = "Moscow condemned Tbilisi's arrest of three Russian journalists."
    assert ("ACCUSE", {"RUS"}, {"GEO"}) in _rules(nlp, text)  # the doer, named, stays the accused
    text = "Islamabad blamed the recent attacks on militants based in Afghanistan."
    assert [target for event_type, _, target in _rules(nlp, text) if event_type == "ACCUSE"] == [{"AFG"}]


def test_2_one_who_lost_a_limb_in_a_clash_suffered_it_and_a_summoned_charge_daffaires_is_a_protest(nlp):
    text = "A Filipino sailor lost a thumb in the clash, the Philippine navy said."
    [clash] = [
        (source, target) for event_type, source, target in _rules(nlp, text) if event_type == "ASSAULT"
    ]
    assert clash == (set(), {"PHL"})
    text = "Brazil's foreign ministry summoned the U.S. charge d'affaires over the use of handcuffs."
    assert ("ACCUSE", {"BRA"}, {"USA"}) in _rules(nlp, text)


def test_3_a_proposed_act_is_not_under_way(nlp):
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    doc = nlp("Pashinyan proposed that the two countries start talks on a venue for the signing.")
    talks = [e.modality for e in extract_events(doc, load_lexicon()) if e.event_type == "CONSULT"]
    assert talks and "asserted" not in talks


def test_1_firing_an_official_is_a_dismissal_not_an_assault(nlp):
    events = code(nlp, "Peru's president fired Interior Minister Juan Santivanez on Friday.")
    assert not [e for e in events if e.event_type == "ASSAULT"]
    events = code(nlp, "Police fired tear gas at protesters in Lima on Friday.")
    assert [e for e in events if e.event_type == "ASSAULT"]


def test_4_an_order_to_mobilize_or_to_leave_is_the_act_ordered(nlp):
    assert ("MOBILIZE", {"ERI"}, set()) in _rules(
        nlp, "Eritrea ordered a nationwide mobilization last month."
    )
    text = "Poland ordered three Belarusian diplomats to leave the country within 48 hours."
    assert ("SANCTION", {"POL"}, {"BLR"}) in _rules(nlp, text)


def test_3_a_plotted_attack_has_not_happened(nlp):
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    doc = nlp("The two men plotted attacks on military bases in Poland, prosecutors said.")
    [attack] = [e for e in extract_events(doc, load_lexicon()) if e.event_type in {"ASSAULT", "THREATEN"}]
    assert (attack.event_type, attack.modality) == ("ASSAULT", "possible")  # no threat was made either


def test_7_who_is_expected_or_told_to_act_does_it(nlp):
    # Written for this test: the subject of a passive raising or control verb is the doer of its complement.
    text = "Japanese Prime Minister Shigeru Ishiba and Indonesian President Prabowo Subianto are expected to meet in Jakarta next week."
    [meet] = [e for e in code(nlp, text) if e.trigger.text.startswith("meet")]
    assert countries(meet.source) == {"JPN", "IDN"} and not meet.target and meet.modality == "future"
    rules = _rules(nlp, "Vietnam and the Philippines are scheduled to sign a coast guard pact in Hanoi.")
    assert any(s == {"VNM", "PHL"} for _, s, _ in rules), rules


def test_7_the_parties_named_between_a_mutual_act_are_all_its_sources(nlp):
    # Written for this test: "between" names every party of fighting, talks or an agreement; no one else
    # named near it (the mediator's capital) is a party, and no recipient is guessed.
    text = ("Sudan and South Sudan agreed to a ceasefire on Sunday after talks in the Ethiopian capital, "
            "following a week of border fighting between the neighbours.")  # fmt: skip
    fighting = [e for e in code(nlp, text) if e.trigger.text.endswith("fighting")]
    assert fighting and countries(fighting[0].source) == {"SDN", "SSD"} and not fighting[0].target
    rules = _rules(nlp, "Officials praised recent agreements between Mali's transitional authorities and an "
                        "armed group, the Azawad Movement.")  # fmt: skip
    assert not any(t for kind, _, t in rules if kind == "AGREE"), rules


def test_4_a_states_blockade_is_coercion_and_expelling_any_diplomat_is_a_sanction(nlp):
    # The manual: COERCE restrict includes cordoning off areas; PROTEST obstruct is civilians blocking a way.
    rules = _rules(nlp, "Egypt has maintained a naval blockade of the port since 2019.")
    assert any(k == "COERCE" and s == {"EGY"} for k, s, _ in rules), rules
    assert not any(k == "PROTEST" for k, _, _ in rules)
    rules = _rules(nlp, "Protesters maintained a blockade of the main highway to the port.")
    assert [k for k, _, _ in rules] == ["PROTEST"], rules
    rules = _rules(
        nlp, "Bolivian President Luis Arce expelled Peru's entire diplomatic delegation on Monday."
    )
    assert any(k == "SANCTION" and t == {"PER"} for k, _, t in rules), rules


def test_7_a_request_granted_is_the_requesters_to_whoever_acted(nlp):
    rules = _rules(nlp, "Chad sent troops to the border at the request of the Nigerien authorities.")
    assert ("REQUEST", {"NER"}, {"TCD"}) in rules, rules


def test_4_an_exchange_of_prisoners_is_a_release_by_both_and_in_exchange_for_is_none(nlp):
    # The manual: RETREAT covers "the actual release or exchange of prisoners". Written for this test.
    rules = _rules(nlp, "Armenia and Azerbaijan exchanged 32 prisoners of war on Thursday.")
    assert ("RETREAT", {"ARM", "AZE"}, set()) in rules, rules
    rules = _rules(
        nlp, "Hamas released four hostages in exchange for 120 Palestinian prisoners freed by Israel."
    )
    assert not any(k == "RETREAT" and s == set() for k, s, _ in rules), rules
    assert any(k == "RETREAT" and s == {"ISR"} for k, s, _ in rules), rules


def test_4_a_vowed_answer_to_anothers_act_is_a_threat(nlp):
    # Written for this test; the annotation codes "vowed to retaliate" THREATEN (written sentences).
    for text in ("Venezuela's defense minister vowed to respond with overwhelming force.",
                 "Tehran swore to hit back at Israel.", "Caracas vowed to retaliate.",
                 "Iran vowed to respond swiftly to any attack."):  # fmt: skip
        assert [k for k, _, _ in _rules(nlp, text)] == ["THREATEN"], text
    assert [k for k, _, _ in _rules(nlp, "Japan pledged to respond positively to the request.")] == ["AGREE"]


def test_2_a_judges_own_body_named_after_it_is_no_guessed_recipient(nlp):
    # Written for this test: the nearest actor after a judgement is its own ministry or companies.
    rules = _rules(
        nlp, "Brazil condemned the raid as illegal and said its prosecutors had opened an inquiry."
    )
    assert ("ACCUSE", {"BRA"}, set()) in rules, rules
    rules = _rules(nlp, "India said it firmly opposed the listings and would act to protect its companies.")
    assert ("REJECT", {"IND"}, set()) in rules, rules


def test_2_who_held_the_freed_releases_them(nlp):
    # Written for this test: "freed from Ukrainian captivity" is Ukraine's release of them.
    rules = _rules(nlp, "Moscow said 90 Russian servicemen had been freed from Ukrainian captivity.")
    assert ("RETREAT", {"UKR"}, {"RUS"}) in rules, rules
    rules = _rules(nlp, "Two French aid workers were released from Malian custody on Thursday.")
    assert ("RETREAT", {"MLI"}, {"FRA"}) in rules, rules


def test_2_a_measure_named_by_its_target_is_imposed_by_the_subject(nlp):
    # Written for this test: "Russia sanctions" are sanctions on Russia when someone else adopts them.
    rules = _rules(nlp, "Canada adopted new Belarus sanctions on Friday.")
    assert ("SANCTION", {"CAN"}, {"BLR"}) in rules, rules
    rules = _rules(nlp, "Washington imposed new U.S. sanctions on Cuba.")
    assert ("SANCTION", {"USA"}, {"CUB"}) in rules, rules


def test_3_what_a_claim_says_is_possible_and_a_denied_claim_is_denied(nlp):
    # Written for this test; the annotation codes "allegations that police officers fired" possible.
    assert ("ASSAULT", "shelled", "possible") in _modalities(
        nlp, "Kyiv repeated accusations that Russian forces had shelled the dam."
    )
    assert ("ASSAULT", "shelled", "denied") in _modalities(
        nlp, "Moscow denied accusations that its forces had shelled the dam."
    )


def test_1_a_warning_of_a_state_of_affairs_is_no_threat(nlp):
    # Written for this test: the only act in the sentence is in a relative clause describing the place, and
    # "Aid" in who warns is no act warned of.
    text = ("Aid agencies warned that hunger is spreading in Tigray, where Eritrean troops have blocked "
            "the roads for months.")  # fmt: skip
    assert not any(k == "THREATEN" for k, _, _ in _rules(nlp, text))
    assert any(k == "THREATEN" for k, _, _ in _rules(nlp, "Eritrea warned that it would attack any convoy."))


def test_3_what_was_done_without_an_act_did_not_include_it(nlp):
    # Written for this test: "without reaching an agreement" says the agreement was not reached.
    text = "Egypt and Ethiopia have held talks for a decade without reaching a binding agreement."
    assert ("AGREE", "reaching", "negated") in _modalities(nlp, text)
    assert ("CONSULT", "held talks", "asserted") in _modalities(nlp, text)


@pytest.mark.parametrize("text, target", [
    ("Russia lashed out at NATO on Monday over the new deployment.", {"IGO"}),
    ("China hit out at Japan over the prime minister's remarks.", {"JPN"}),
    ("Hungary's prime minister railed against the European Commission on Friday.", {"IGO"}),
    ("The Venezuelan government lambasted Colombia for its decision.", {"COL"}),
])  # fmt: skip
def test_1_verbs_of_criticism_are_disapproval(nlp, text, target):
    # Written for this test: the news' ways of saying "criticised" (docs/annotation.md, ACCUSE)
    assert [t for kind, _, t in _rules(nlp, text) if kind == "ACCUSE"] == [target]


@pytest.mark.parametrize("text, event_type, target", [
    ("Poland will send 2,000 more troops to the border with Belarus.", "MOBILIZE", {"BLR"}),
    ("Kenya sent troops into Somalia in October 2011.", "MOBILIZE", {"SOM"}),
    ("The Kremlin promised a response to the drone attack by Ukraine.", "THREATEN", {"UKR"}),
    ("Kenya on Monday vowed a decisive response against al-Shabab militants.", "THREATEN", {"SOM"}),
])  # fmt: skip
def test_4_sending_troops_is_mobilising_and_vowing_a_response_is_a_threat(nlp, text, event_type, target):
    # Written for this test. The annotated news codes troops sent to a border or into a region MOBILIZE
    # (docs/annotation.md, MOBILIZE "deploy or mass forces"), not AID; a promised response is a threat
    # (THREATEN), not the promise of something cooperative (AGREE).
    assert [(kind, t) for kind, _, t in _rules(nlp, text) if kind == event_type][:1] == [(event_type, target)]


@pytest.mark.parametrize("text", [
    '"Appropriate measures will be taken," he said, declining to give details.',
    "A spokesman of the Ministry of External Affairs, asked about the note at a weekly briefing, said it was"
    " under examination.",
])  # fmt: skip
def test_1_what_a_source_will_not_tell_a_reporter_and_a_reporters_question_are_no_events(nlp, text):
    assert not [kind for kind, _, _ in _rules(nlp, text) if kind in ("REJECT", "REQUEST")]


def test_4_announcing_a_withdrawal_from_a_regional_bloc_is_leaving_it(nlp):
    # docs/annotation.md: leaving an organisation is SANCTION (withdraw); a bloc named by its initials is one
    from detente.events.lexicon import load_lexicon
    from detente.events.rules import extract_events

    events = extract_events(
        nlp("Niger announced its withdrawal from ECOWAS in January 2024."), load_lexicon()
    )
    assert [(e.event_type, e.mode) for e in events] == [("SANCTION", "withdraw")]
    troops = extract_events(
        nlp("The withdrawal of Rwandan troops from the DRC began on Monday."), load_lexicon()
    )
    assert [e.event_type for e in troops] == ["RETREAT"]  # forces leaving a country retreat


@pytest.mark.parametrize("text, event_type", [
    ("Kyrgyzstan sent 3,000 troops and armoured vehicles to its border with Tajikistan on Sunday.", "MOBILIZE"),
    ("Russia announced the withdrawal of its troops from Kherson.", "RETREAT"),
])  # fmt: skip
def test_2_the_forces_a_state_moves_are_no_recipient_of_the_move(nlp, text, event_type):
    # Written for this test: the annotated news leaves such a deployment's or withdrawal's recipient empty
    found = [(kind, source, target) for kind, source, target in _rules(nlp, text) if kind == event_type]
    assert found and all(target == set() for _, _, target in found) and all(source for _, source, _ in found)


@pytest.mark.parametrize("text, event_type", [
    ("Riot police charged the protesters with batons outside parliament.", "ASSAULT"),
    ("Mounted police charged into the crowd outside parliament.", "ASSAULT"),
    ("Police charged the activist on Monday with murder.", "ACCUSE"),
])  # fmt: skip
def test_1_a_charge_with_batons_is_a_rush_and_a_charge_with_a_crime_an_accusation(nlp, text, event_type):
    # Written for this test. The class (police "charged" read as an accusation) was named in a helper's summary
    # of held-out errors: benchmarks/read/README.md, the twenty-eighth session's lapses
    kinds = [kind for kind, _, _ in _rules(nlp, text)]
    assert event_type in kinds and ({"ASSAULT", "ACCUSE"} - {event_type}).isdisjoint(kinds)


# -- thirty-first session: classes read off the thirtieth session's held-out batch once released ----------


@pytest.mark.parametrize(
    "text, own",
    [
        ("North Korea has long denounced the joint drills, and KCNA warned that Pyongyang would respond.",
         "Pyongyang"),
    ],
)  # fmt: skip
def test_2_a_state_is_no_recipient_of_its_own_act(nlp, text, own):
    events = code(nlp, text)
    assert events
    assert not any(own in {r.text for r in e.target} and e.event_type != "ASSAULT" for e in events)


def test_2_a_place_locating_the_object_still_gives_its_country(nlp):
    events = code(nlp, "Spain banned a separatist group in the Basque Country.")
    assert any(countries(e.target) == {"ESP"} for e in events)


def test_4_approving_sanctions_is_the_sanction(nlp):
    events = code(nlp, "EU foreign ministers approved the bloc's 20th package of sanctions against Russia.")
    assert [e.event_type for e in asserted(events)] == ["SANCTION"]
    assert countries(events[0].target) == {"RUS"}
    # approving what is no act stays what it was
    events = code(nlp, "The Security Council approved a resolution welcoming the deployment.")
    assert not any(e.event_type == "SANCTION" for e in events)


@pytest.mark.parametrize(
    "text, act",
    [
        ("Russia denied shelling the plant on Tuesday.", "ASSAULT"),
        ("Rwanda denied backing the M23 rebels.", "AID"),
    ],
)
def test_6_a_denied_act_is_that_act_denied_and_no_rejection_besides(nlp, text, act):
    events = code(nlp, text)
    assert [(e.event_type, e.modality) for e in events] == [(act, "denied")]


def test_6_a_denied_charge_stays_a_rejection(nlp):
    events = code(nlp, "Niamey has repeatedly denied the accusation by Benin.")
    assert [e.event_type for e in events] == ["REJECT"]


def test_2_what_a_state_asked_or_protested_of_it_is_its_own(nlp):
    events = code(nlp, "Iran rejected the request of the International Atomic Energy Agency for access to the "
                       "sites, and the ministry conveyed the strong protest of Algeria to the Malian envoy.")  # fmt: skip
    protest = next(e for e in events if e.trigger.text.endswith("protest"))
    assert countries(protest.source) == {"DZA"} and countries(protest.target) == {"MLI"}


def test_4_a_protest_expressed_to_a_state_is_disapproval_whoever_conveys_it(nlp):
    events = code(nlp, "The official representative of the Ministry of Foreign Affairs of Kazakhstan Aibek "
                       "Smadiyarov at the briefing on Monday expressed the protest to the Ukrainian side.")  # fmt: skip
    protest = next(e for e in events if e.trigger.text.endswith("protest"))
    assert protest.event_type == "ACCUSE" and countries(protest.target) == {"UKR"}
    # people who protest still protest
    events = code(nlp, "Thousands of Kazakh farmers staged a protest against the new land law in Almaty.")
    assert any(e.event_type == "PROTEST" for e in events)


def test_2_where_an_act_happened_is_no_party_to_it(nlp):
    events = code(nlp, "In Dakar, Senegalese President Bassirou Diomaye Faye called for calm.")
    assert events and all(countries(e.target) <= set() for e in events)
    # what was struck there is
    events = code(nlp, "Russian drones struck an apartment building in Sumy, killing two people.")
    assert any(e.event_type == "ASSAULT" and "UKR" in countries(e.target) for e in events)


def test_2_who_underwent_a_participle_is_no_doer(nlp):
    events = code(nlp, "Those returned to Ukraine include soldiers captured during the defence of Mariupol.")
    captured = [e for e in events if e.trigger.text == "captured"]
    assert captured and all(not e.source for e in captured)


@pytest.mark.parametrize(
    "text, event_type, target",
    [
        ("ECOWAS leaders on Sunday suspended Guinea-Bissau from all of the bloc's decision-making bodies.",
         "SANCTION", {"GNB"}),
        ("Russia's Defense Ministry said it had downed 57 Ukrainian drones overnight.", "ASSAULT", {"UKR"}),
    ],
)  # fmt: skip
def test_4_a_member_suspended_and_drones_downed_are_events(nlp, text, event_type, target):
    events = code(nlp, text)
    assert any(e.event_type == event_type and countries(e.target) == target for e in events)


def test_2_a_detention_named_only_by_its_place_keeps_the_places_state(nlp):
    events = code(
        nlp, "On Tuesday, the Moldovan police detained in Chisinau four persons suspected of vote buying."
    )
    detained = [e for e in events if e.event_type == "COERCE"]
    assert detained and all(countries(e.target) == {"MDA"} for e in detained)


def test_2_a_participle_with_between_names_its_doers(nlp):
    from detente.events.roles import doer_unnamed

    doc = nlp("Iran called on Iraq to hand over the militants, in accordance with the security agreement "
              "signed between the two countries in March 2023.")  # fmt: skip
    assert not doer_unnamed(next(t for t in doc if t.text == "signed"))
    doc = nlp("Those returned to Ukraine include soldiers captured during the defence of Mariupol.")
    assert doer_unnamed(next(t for t in doc if t.text == "captured"))


def test_2_rebels_of_a_state_do_act_on_it(nlp):
    events = code(nlp, "Rebels in the Ivory Coast on Tuesday blocked transport into Abidjan as they continued "
                       "their effort to overthrow the government.")  # fmt: skip
    assert any(countries(e.target) == {"CIV"} for e in events)


# -- thirty-second session: classes read off the released batch L -----------------------------------------


@pytest.mark.parametrize(
    "text, event_type, source, target",
    [
        ("Abu Dhabi has repeatedly denied arming the Rapid Support Forces in Sudan.", "AID", "ARE", "SDN"),
        ("Afghanistan's Taliban government has long denied sheltering Tehrik-i-Taliban Pakistan.", "AID",
         "AFG", "PAK"),
    ],
)  # fmt: skip
def test_6_a_denied_act_is_that_act_denied_not_a_rejection(nlp, text, event_type, source, target):
    events = code(nlp, text)
    act = [e for e in events if e.event_type == event_type]
    assert act and act[0].modality == "denied" and source in countries(act[0].source)
    assert not [e for e in events if e.event_type == "REJECT"]


def test_6_an_act_named_only_when_denied_is_no_event_alone(nlp):
    assert not any(e.event_type == "ASSAULT" for e in code(nlp, "The EU adopted new sanctions targeting "
                                                                "Russia's shadow fleet on Friday."))  # fmt: skip
    assert not any(e.event_type == "AID" for e in code(nlp, "Heavily armed men stormed a police station in "
                                                           "northern Mali, the army said."))  # fmt: skip


def test_1_a_sources_condition_of_anonymity_is_no_request(nlp):
    events = code(nlp, "A Rwandan official requested anonymity because he was not authorised to speak.")
    assert not any(e.event_type == "REQUEST" for e in events)
    events = code(
        nlp, "A Western diplomat in Kinshasa, who asked not to be named, said Rwanda had sent troops."
    )
    assert not any(e.event_type == "REQUEST" for e in events)


def test_1_an_event_only_spoken_of_is_no_event_and_its_speaker_undoes_nothing(nlp):
    assert not code(nlp, "The Uzbek foreign ministry did not confirm the visit.")
    assert not code(nlp, "The Taliban statement did not mention the visa request.")
    events = code(nlp, "The communique did not address Ecuador's 2024 raid on the Mexican embassy in Quito.")
    raid = [e for e in events if e.trigger.text.endswith("raid")]
    assert raid and raid[0].modality != "negated"


def test_7_an_exchange_of_fire_has_no_recipient_where_it_happened(nlp):
    events = code(nlp, "Pakistani and Afghan forces exchanged mortar and machine-gun fire near Chaman in "
                       "Balochistan for about three hours overnight.")  # fmt: skip
    fire = [e for e in events if e.event_type == "ASSAULT"]
    assert fire and countries(fire[0].source) == {"PAK", "AFG"} and not fire[0].target
    # a third side fought is still a recipient
    events = code(nlp, "U.S. and Iraqi forces clashed with Islamic State fighters near Mosul on Sunday.")
    assert any(e.event_type == "ASSAULT" and e.target for e in events)


def test_7_a_talk_between_named_parties_is_one_reciprocal_meeting(nlp):
    events = code(nlp, "Putin spoke with U.S. President Donald Trump on Wednesday about Ukraine.")
    talk = [e for e in events if e.event_type == "CONSULT"]
    assert talk and countries(talk[0].source) == {"RUS", "USA"} and not talk[0].target
    # an interview, a briefing and people of no political role hold no talks: the rules propose none (the
    # shipped policy's model may still add one of its own, "spoke with VOA" at the time of writing)
    for text in ("Russia's foreign minister spoke with VOA about the crisis on Tuesday.",
                 "Speaking to reporters in Moscow, Lavrov said Russia would respond.",
                 "Kenyan farmers and traders talked about prices at the market in Nairobi."):  # fmt: skip
        assert not any(t == "CONSULT" for t, _, _ in _rules(nlp, text)), text


def test_4_closing_a_border_to_a_neighbour_is_a_sanction(nlp):
    events = code(nlp, "Thailand closed all permanent border checkpoints with Cambodia on Saturday.")
    assert any(e.event_type == "SANCTION" and countries(e.source) == {"THA"} and countries(e.target) == {"KHM"}
               for e in events)  # fmt: skip


def test_2_aid_counted_in_an_amount_is_the_announcers(nlp):
    rules = _rules(nlp, "Japan announced $6 million in aid to Myanmar on Tuesday.")
    assert ("AID", {"JPN"}, {"MMR"}) in rules
