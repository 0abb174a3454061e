"""Actors, fourth pass of issue 11: mentions of several countries at once and pronouns inside what a body
reports. Each class is tested on sentences written for these tests (none is a gold sentence): set-valued
references ("both countries", "the two leaders", "the other three countries", "both forces"), countries
joined by a hyphen inside one token ("U.S.-Ukraine talks"), and "it"/"they" inside a body's reported
clause ("the ministry said Beijing had assured it")."""

from __future__ import annotations

import pytest

from detente.actors.coreference import antecedent_of
from detente.actors.evaluation import GoldMention, MentionResult
from detente.actors.sets import is_set, members
from detente.records import ActorRef

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def coder(actors_coder):
    return actors_coder


def ref_at(doc, text: str, nth: int = 0) -> ActorRef | None:
    """The ref covering the nth occurrence of ``text``; None when no ref does."""
    at = -1
    for _ in range(nth + 1):
        at = doc.text.index(text, at + 1)
    return next((r for r in doc._.actors if r.start <= at < r.end), None)


# -- set-valued references ----------------------------------------------------------------------------------


def test_both_countries_is_the_pair_named_before(coder):
    doc = coder(
        "Chile and Peru signed a fisheries pact in Lima. Both countries will patrol the shared coast."
    )
    ref = ref_at(doc, "Both countries")
    assert ref is not None and is_set(ref)
    assert ref.text == "Both countries" and set(members(ref)) == {"CHL", "PER"}
    assert ref.country == "UNK" and ref.sector == "GOV" and ref.kind == "set"  # no one country is right
    assert ref.name == "Chile and Peru"


def test_a_president_and_a_country_of_one_state_are_one_member(coder):
    doc = coder(
        "Kenya and Tanzania reopened their border. Kenyan President William Ruto said on Monday that "
        "the two countries had settled their trade dispute."
    )
    ref = ref_at(doc, "the two countries")
    assert ref is not None and set(members(ref)) == {"KEN", "TZA"}


def test_the_two_leaders_are_the_two_people_named(coder):
    doc = coder("Chinese President Xi Jinping received Brazilian President Lula in Beijing. The two leaders signed "
                "eleven agreements.")  # fmt: skip
    ref = ref_at(doc, "The two leaders")
    assert ref is not None and set(members(ref)) == {"CHN", "BRA"} and ref.sector == "GOV"


def test_the_other_three_leave_out_the_one_named_with_them(coder):
    doc = coder("The pact binds Norway, Sweden, Finland and Denmark. In May, Norway hosted a drill with the other "
                "three countries.")  # fmt: skip
    ref = ref_at(doc, "the other three countries")
    assert ref is not None and members(ref) == ("SWE", "FIN", "DNK")


def test_both_forces_are_the_two_armed_forces_named(coder):
    doc = coder("Rwandan troops and Burundian soldiers attacked the rebel camp. Both forces said the camp was "
                "destroyed.")  # fmt: skip
    ref = ref_at(doc, "Both forces")
    assert ref is not None and set(members(ref)) == {"RWA", "BDI"} and ref.sector == "MIL"


def test_an_acronym_given_as_another_name_is_no_third_force(coder):
    doc = coder("Mali says that besides its troops, forces of the United Nations Multidimensional Integrated "
                "Stabilization Mission in Mali, or MINUSMA, were deployed to the town. Both forces say the "
                "attackers were pushed back.")  # fmt: skip
    ref = ref_at(doc, "Both forces")
    assert ref is not None and set(members(ref)) == {"MLI", "IGO"}


def test_they_after_a_set_phrase_is_the_set(coder):
    doc = coder("Rwandan troops and Burundian soldiers attacked the rebel camp. Both forces said they had "
                "destroyed it.")  # fmt: skip
    they = ref_at(doc, "they")
    assert they is not None and is_set(they) and set(members(they)) == {"RWA", "BDI"}


def test_a_third_country_in_reach_leaves_the_phrase_alone(coder):
    # Three countries before the count is met: which two "both" means cannot be told.
    doc = coder("France, Germany and Italy met in Rome. Both countries want lower tariffs.")
    ref = ref_at(doc, "Both countries")
    assert ref is None or not is_set(ref)


def test_a_count_that_is_not_definite_is_no_set(coder):
    doc = coder("Chile and Peru signed a pact. Two countries have asked to join it.")
    ref = ref_at(doc, "Two countries")
    assert ref is None or not is_set(ref)


def test_who_reports_is_no_side(coder):
    # The UN speaks about the two sides; with it the count would be three, without it one country:
    # the two sides of a civil war stay unlinked rather than counted as the UN and Sudan.
    doc = coder("The Sudanese army has been fighting the Rapid Support Forces, and the United Nations says both "
                "sides have committed abuses.")  # fmt: skip
    ref = ref_at(doc, "both sides")
    assert ref is None or "IGO" not in members(ref)


def test_a_place_where_something_happens_is_no_member(coder):
    doc = coder("Officials from Ghana and Togo met in Paris on Friday. Both countries agreed to share data.")
    ref = ref_at(doc, "Both countries")
    assert ref is not None and set(members(ref)) == {"GHA", "TGO"}


# An uncounted definite plural ("the countries", "the prime ministers", "the parties") takes up the two actors
# named just before it, as "both countries" does; three or more, or a phrase that says who it is, stays alone.


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("Japan and the Philippines signed a defense pact on Monday. The countries will hold joint drills next year.",
     "The countries", {"JPN", "PHL"}),
    ("Indian Prime Minister Narendra Modi and his Mauritian counterpart Pravind Jugnauth inaugurated an airstrip. "
     "The prime ministers also opened a jetty.", "The prime ministers", {"IND", "MUS"}),
    ("U.S. and Ukrainian officials met in Jeddah on Tuesday. The parties agreed on a ceasefire proposal.",
     "The parties", {"USA", "UKR"}),  # Jeddah, where they met, is no party
])  # fmt: skip
def test_an_uncounted_definite_plural_is_the_pair_named_before(coder, text, phrase, expected):
    ref = ref_at(coder(text), phrase)
    assert ref is not None and is_set(ref) and set(members(ref)) == expected


@pytest.mark.parametrize(("text", "phrase"), [
    ("Chile, Peru and Bolivia signed a pact on lithium. The countries will meet again in May.", "The countries"),
    ("The leaders of the G20 met in Rio. The countries pledged to tax billionaires.", "The countries"),
    ("Japan and the Philippines signed a defense pact. The countries of the region welcomed it.",
     "The countries of the region"),
    ("Xi Jinping received Lula in Beijing. The African leaders arrived on Tuesday.", "The African leaders"),
    ("Chile and Peru signed a pact. Their ministers thanked all countries for their support.", "all countries"),
    ("Kenya and Uganda closed the border. The foreign armies left the region.", "The foreign armies"),
])  # fmt: skip
def test_an_uncounted_plural_with_more_or_with_words_of_its_own_is_no_set(coder, text, phrase):
    ref = ref_at(coder(text), phrase)
    assert ref is None or not is_set(ref)


def test_the_two_leaders_of_two_states_named_are_those_states(coder):
    doc = coder("Chile and Peru were to sign a fisheries pact, but the talks collapsed after the two leaders "
                "quarrelled in public.")  # fmt: skip
    ref = ref_at(doc, "the two leaders")
    assert ref is not None and is_set(ref) and set(members(ref)) == {"CHL", "PER"}


def test_a_state_and_its_president_are_one_leader(coder):
    doc = coder("Chile and its president Gabriel Boric hosted Peru. The two leaders signed a pact.")
    ref = ref_at(doc, "The two leaders")
    assert ref is not None and is_set(ref) and members(ref) == ("CHL", "PER")  # Boric is Chile: one member


def test_the_parties_to_a_civil_war_stay_of_their_one_country(coder):
    doc = coder("Sudan's army and the Rapid Support Forces have fought since April. The parties have ignored "
                "calls for a truce.")  # fmt: skip
    ref = ref_at(doc, "The parties")
    assert ref is not None and not is_set(ref) and ref.country == "SDN"


def test_a_set_ref_scores_right_for_each_member_and_wrong_for_others():
    ref = ActorRef("both countries", 0, 14, "set:EGY+TUR", "Egypt and Turkey", "UNK", "GOV", "set", 0.6,
                   "coreference")  # fmt: skip

    def result(country: str) -> MentionResult:
        return MentionResult(
            GoldMention("s", "both countries", "both countries", country, "GOV", "source"), ref
        )

    assert result("EGY").country_ok and result("TUR").country_ok
    assert not result("GRC").country_ok and result("GRC").wrong_country
    assert result("UNK").wrong_country  # it names countries where the gold names none


# -- countries joined by a hyphen in one token ------------------------------------------------------------


def test_countries_joined_by_a_hyphen_are_one_ref_each(coder):
    doc = coder("The U.S.-Ukraine talks in Jeddah ended on Tuesday.")
    us, ukraine = ref_at(doc, "U.S."), ref_at(doc, "Ukraine")
    assert us is not None and (us.text, us.country) == ("U.S.", "USA")
    assert ukraine is not None and (ukraine.text, ukraine.country) == ("Ukraine", "UKR")


def test_a_hyphenated_name_that_is_not_two_countries_is_untouched(coder):
    doc = coder("Guinea-Bissau closed its border.")
    ref = ref_at(doc, "Guinea-Bissau")
    assert ref is not None and (ref.text, ref.country) == ("Guinea-Bissau", "GNB")


# -- pronouns inside what a body reports -----------------------------------------------------------------


def test_it_as_the_object_of_a_reported_clause_is_the_speaker(coder):
    doc = coder(
        "The Thai government said on Friday that Beijing had assured it the men would be treated well."
    )
    it = ref_at(doc, "it the men")
    assert it is not None and it.country == "THA"
    assert antecedent_of(doc, it).text == "Thai government"


def test_it_after_a_spokesperson_is_the_body_spoken_for(coder):
    doc = coder("A spokesperson for the Japanese Foreign Ministry told reporters it had been working with "
                "Manila for months.")  # fmt: skip
    it = ref_at(doc, "it had")
    assert it is not None and it.country == "JPN"


def test_they_in_what_a_group_claims_is_the_group(coder):
    doc = coder("Al-Shabaab claimed the attack on the base. It later claimed they were holding six soldiers.")
    they = ref_at(doc, "they were")
    assert they is not None and they.country == "SOM" and they.sector == "REB"


def test_it_for_an_event_stays_unlinked(coder):
    doc = coder("A spokesperson for the Peruvian Interior Ministry said it happened late at night.")
    assert ref_at(doc, "it happened") is None


def test_another_body_between_speaker_and_it_leaves_it_unlinked(coder):
    doc = coder("A spokesperson for the Japanese Foreign Ministry told reporters that China had asked Manila "
                "whether it would join the talks.")  # fmt: skip
    it = ref_at(doc, "it would")
    assert it is None or it.country != "JPN"


# -- interview transcripts ---------------------------------------------------------------------------------

TRANSCRIPT = (
    "VOA spoke with the envoy about her visit to Seoul and about U.S. policy. The interview was edited for length. "
    "VOA: When you met the South Korean president, what did you ask of him? "
    'Maria Lindqvist, Swedish special envoy to Korea: We asked for patience. I told him "we cannot wait" '
    "is a poor policy. My government wants talks. "
    "VOA: Thank you."
)


def test_first_person_in_a_labelled_turn_is_the_speaker(coder):
    doc = coder(TRANSCRIPT)
    for text in ("We asked", "I told", "My government"):
        ref = ref_at(doc, text)
        assert ref is not None and ref.country == "SWE", text
        assert antecedent_of(doc, ref).text.startswith("Maria Lindqvist")


def test_you_in_the_interviewers_turn_is_who_answers_next(coder):
    doc = coder(TRANSCRIPT)
    you = ref_at(doc, "you met")
    assert you is not None and you.country == "SWE"


def test_a_quotation_inside_a_turn_is_not_the_speaker(coder):
    doc = coder(TRANSCRIPT)
    we = ref_at(doc, "we cannot")
    assert we is None or we.country != "SWE" or antecedent_of(doc, we) is None or not antecedent_of(
        doc, we).text.startswith("Maria")  # fmt: skip


def test_one_label_is_no_transcript(coder):
    doc = coder("Maria Lindqvist, Swedish special envoy to Korea: We asked for patience. I left on Monday.")
    assert ref_at(doc, "We asked") is None and ref_at(doc, "I left") is None


# -- agent nouns taken up again, mass nouns that act, criminal groups ------------------------------------


def test_the_same_noun_again_is_the_group_named_before(coder):
    doc = coder("Officials offered to pay farmers in Vietnam to leave the valley. The farmers refused.")
    again = ref_at(doc, "The farmers")
    assert again is not None and again.country == "VNM" and again.text == "The farmers"
    assert antecedent_of(doc, again).text == "farmers in Vietnam"


def test_the_same_noun_with_two_groups_in_reach_stays_unlinked(coder):
    doc = coder("Farm workers in Peru marched. Farm workers in Chile struck. The workers went home.")
    again = ref_at(doc, "The workers")
    assert again is None or again.country == "UNK"


def test_law_enforcement_acting_is_an_actor(coder):
    doc = coder("The gang leader was arrested in Haiti in 2019. Law enforcement charged him with murder in "
                "Port-au-Prince.")  # fmt: skip
    assert ref_at(doc, "Law enforcement") is not None and ref_at(doc, "Law enforcement").sector == "COP"
    doc = coder("Sales of law enforcement gear rose in Peru.")
    assert ref_at(doc, "law enforcement") is None  # a modifier, not a body acting


def test_criminal_groups_are_criminals(coder):
    doc = coder("Ecuador's president said he would not bow to criminal groups.")
    ref = ref_at(doc, "criminal groups")
    assert ref is not None and ref.sector == "CRM"


# -- "their" of a coordinated subject (eighteenth session) ---------------------------------------------------


@pytest.mark.parametrize("text, codes", [
    ("Ankara and Athens have kept to their positions since the talks failed.", {"TUR", "GRC"}),
    ("Unless Chile or Peru changes their stance, the dispute will go on.", {"CHL", "PER"}),
    # the pronoun is its own clause's subject, or the clause has none: the clause it depends on (twenty-third
    # session)
    ("Chile and Peru said on Monday that they would hold talks.", {"CHL", "PER"}),
    ("Chile and Peru agreed to expand their trade in fish.", {"CHL", "PER"}),
    ("Chile and Peru met in Lima, and they signed a fisheries pact.", {"CHL", "PER"}),
    # or of a subordinate clause before it
    ("While Chile and Peru share some interests, they are not allies.", {"CHL", "PER"}),
])  # fmt: skip
def test_their_in_a_clause_with_a_coordinated_subject_of_two_states_is_both(coder, text, codes):
    from detente.actors.sets import members

    pronoun = next(w for w in ("their", "they") if f" {w} " in text)
    ref = ref_at(coder(text), pronoun)
    assert ref is not None and is_set(ref) and set(members(ref)) == codes


def test_they_under_a_clause_whose_subject_is_one_actor_is_no_set(coder):
    doc = coder("Chile and Peru signed a pact, but Bolivia said they would reject it.")
    ref = ref_at(doc, "they")
    assert ref is None or not is_set(ref)


def test_their_of_one_actor_or_of_a_subject_after_it_is_no_set(coder):
    one = ref_at(
        coder("Chile has kept to its position, and Peruvian officials kept to their demands."), "their"
    )
    assert one is None or not is_set(one)
    doc = coder("In their statement, Chile and Peru said the talks would resume.")
    ref = ref_at(doc, "their")
    assert ref is None or not is_set(ref)


@pytest.mark.parametrize("text", [
    "Chile and Peru held joint naval drills on Monday. They said the drills were routine.",
    # a "they" made the set in the sentence before
    'While Chile and Peru share some interests, they are not allies. "They are very different," he said.',
])  # fmt: skip
def test_they_opening_the_next_sentence_is_the_coordinated_states_before(coder, text):
    doc = coder(text)
    ref = ref_at(doc, "They")
    assert ref is not None and is_set(ref) and set(members(ref)) == {"CHL", "PER"}


@pytest.mark.parametrize("text", [
    "Chile and Peru held joint naval drills on Monday. Analysts said they were routine.",  # not its subject
    "Chile and Peru signed a pact. The rebels rejected it. They said it was a betrayal.",  # another sentence
])  # fmt: skip
def test_they_elsewhere_is_no_set_of_the_states_before(coder, text):
    at = text.rindex("hey") - 1
    ref = next((r for r in coder(text)._.actors if r.start <= at < r.end), None)
    assert ref is None or not is_set(ref)


def test_a_state_and_its_own_official_are_not_both_sides_of_its_politics(actors_coder):
    doc = actors_coder(
        "Rubio said Washington would continue talks with both sides in Saudi Arabia next week."
    )
    assert not any(r.text == "both sides" for r in doc._.actors)  # not the United States: unknown here
    doc = actors_coder(
        "The Rapid Support Forces has been fighting the Sudanese Armed Forces since April. "
        "The United Nations says both sides have committed abuses."
    )
    [sides] = [r for r in doc._.actors if r.text == "both sides"]
    assert sides.country == "SDN"


def test_who_acts_on_a_counted_set_is_none_of_it(coder):
    doc = coder(
        "U.S. Secretary of State Marco Rubio spoke with Pakistani Prime Minister Shehbaz Sharif and Indian "
        "Foreign Minister Subrahmanyam Jaishankar and urged both countries to show restraint."
    )
    ref = ref_at(doc, "both countries")
    assert ref is not None and is_set(ref) and sorted(members(ref)) == ["IND", "PAK"]
    doc = coder(
        "The EU's envoy for the Belgrade-Pristina dialogue, Miroslav Lajcak, criticized the raids and urged "
        "both sides to avoid unilateral steps."
    )  # (the names inside the subject's modifier are not its own)
    ref = ref_at(doc, "both sides")
    assert ref is not None and is_set(ref) and sorted(members(ref)) == ["SRB", "XKX"]
    doc = coder(
        "The foreign ministers of Congo and Rwanda met on Friday. Donald Trump hosted the two ministers."
    )
    ref = ref_at(doc, "the two ministers")
    assert ref is not None and is_set(ref) and "USA" not in members(ref)


def test_the_source_of_a_figure_is_none_of_both_sides(coder):
    doc = coder(
        "Sudan's army regained control of Khartoum from the Rapid Support Forces. The war has killed tens of "
        "thousands, according to the United Nations. Both sides have been accused of atrocities."
    )
    ref = ref_at(doc, "Both sides")
    assert ref is not None and ref.country == "SDN"  # the sides of Sudan's war, not the UN


def test_a_counted_set_beyond_the_window_takes_up_the_nearest_list_of_that_many(coder):
    # Written for this test: the lede names the pair, then three sentences speak of one of them.
    doc = coder(
        "Bolivia and Paraguay agreed on Monday to reopen their border crossings. Bolivian President Luis Arce "
        "said La Paz would send a delegation to Asuncion. He said trucks had waited for weeks. The minister "
        "praised the customs officers. The two countries fought a war over the Chaco in the 1930s."
    )
    ref = ref_at(doc, "The two countries")
    assert ref is not None and set(members(ref)) == {"BOL", "PRY"}
    three = coder(
        "Chad, Niger and Sudan signed a security pact. Chad's army said it would lead the patrols. It said "
        "the first unit had left N'Djamena. The minister thanked the donors. The three countries have "
        "expelled foreign mercenaries."
    )
    ref = ref_at(three, "The three countries")
    assert ref is not None and set(members(ref)) == {"TCD", "NER", "SDN"}


def test_a_list_of_another_number_stops_the_search(coder):
    # The nearest list names three countries: "the two countries" is not the pair before it.
    doc = coder(
        "Bolivia and Paraguay agreed to reopen their border. Chile, Peru and Argentina praised the deal. "
        "Bolivian President Luis Arce said trucks had waited for weeks. The minister thanked the customs "
        "officers. He said exports would rise. The two countries fought a war in the 1930s."
    )
    ref = ref_at(doc, "The two countries")
    assert ref is None or not is_set(ref)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # a place's country in apposition ("Kazan, Russia")
        ("Prime Minister Narendra Modi and Chinese President Xi Jinping met in Kazan, Russia, on Wednesday. "
         "Relations between the two countries collapsed in 2020.", "the two countries", {"IND", "CHN"}),
        # a country modifying the place ("the Ethiopian capital")
        ("Sudan and South Sudan agreed to a ceasefire after talks in the Ethiopian capital, following a week "
         "of fighting between the neighbours.", "the neighbours", {"SDN", "SSD"}),
    ],
)  # fmt: skip
def test_the_country_of_a_venue_is_no_member(coder, text, phrase, expected):
    ref = ref_at(coder(text), phrase)
    assert ref is not None and set(members(ref)) == expected
