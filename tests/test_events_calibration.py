"""The event confidence: the chance that an event is wholly right, type and countries
(``detente.events.calibration``)."""

from __future__ import annotations

import random

import pytest

from detente.events.calibration import FEATURES, Calibration, features, fit
from detente.records import ActorRef, Event, Span

SENTENCE = Span("Egypt condemned the strike on Libya.", 0, 36)


def _ref(country: str, reason: str = "exact", confidence: float = 1.0) -> ActorRef:
    return ActorRef(country, 0, 3, f"c:{country}", country, country, reason=reason, confidence=confidence)


def _event(sources: tuple[ActorRef, ...] = (), targets: tuple[ActorRef, ...] = (), *,
           modality: str = "asserted", reciprocal: bool = False) -> Event:  # fmt: skip
    return Event("e", "a", "ACCUSE", None, (), "verbal_conflict", -2.0, modality, sources, targets,
                 Span("condemned", 6, 15), SENTENCE, reciprocal=reciprocal)  # fmt: skip


def _sign(event: Event, name: str, probability: float = 0.7) -> float:
    return features(event, probability)[FEATURES.index(name)]


def test_the_signs_read_who_takes_part_off_the_record():
    both = _event((_ref("EGY"),), (_ref("LBY"),))
    assert _sign(both, "no_source_country") == 0 and _sign(both, "no_target_country") == 0
    assert _sign(both, "an_actor_from_context") == 0 and _sign(both, "least_sure_actor") == 1.0

    nobody = _event()
    assert _sign(nobody, "no_source_country") == 1 and _sign(nobody, "no_target_country") == 1
    # an unknown party is no country: "no source country" and "a source of unknown country" both hold
    unknown = _event((_ref("UNK", reason="unknown"),), (_ref("LBY", reason="coreference", confidence=0.6),))
    assert _sign(unknown, "no_source_country") == 1 and _sign(unknown, "a_source_of_unknown_country") == 1
    assert _sign(unknown, "an_actor_from_context") == 1 and _sign(unknown, "least_sure_actor") == 0.6
    lent = _event((_ref("EGY", reason="agent noun+context"),), ())
    assert _sign(lent, "an_actor_from_context") == 1

    several = _event((_ref("EGY"), _ref("SAU")), (_ref("LBY"),), modality="future", reciprocal=True)
    assert _sign(several, "several_source_countries") == 1 and _sign(several, "not_asserted") == 1
    assert _sign(several, "reciprocal") == 1
    assert _sign(both, "type_log_odds", 0.5) == pytest.approx(0.0)


def test_without_weights_the_confidence_is_the_type_models_probability():
    assert Calibration()(_event(), 0.37) == 0.37


def test_a_model_of_an_earlier_release_keeps_its_platt_scaling():
    old = Calibration.from_json([2.0, -0.5])
    # sigmoid(2 * logit(0.7) - 0.5), whatever the parties
    expected = 1 / (1 + (0.3 / 0.7) ** 2 * 2.718281828459045**0.5)
    assert old(_event(), 0.7) == pytest.approx(expected)
    assert old(_event((_ref("EGY"),), (_ref("LBY"),)), 0.7) == pytest.approx(expected)
    assert Calibration.from_json(old.as_json()) == old


def test_a_calibration_fitted_on_other_signs_is_refused():
    data = Calibration((1.0,) * len(FEATURES), 0.0).as_json()
    data["features"] = [*FEATURES[:-1], "something else"]  # type: ignore[index]
    with pytest.raises(ValueError, match="retrain"):
        Calibration.from_json(data)


def _examples(seed: int = 7) -> list[tuple[Event, float, bool, bool]]:
    """Synthetic events at one type probability: those with both parties named are right 80 % of the time,
    those with no source 20 %; the news examples are right more often than the others (weak labels)."""
    rng = random.Random(seed)
    named, unnamed = _event((_ref("EGY"),), (_ref("LBY"),)), _event((), (_ref("LBY"),))
    examples = []
    for k in range(2000):
        is_news = k % 4 == 0
        has_source = rng.random() < 0.5
        chance = (0.8 if has_source else 0.2) + (0.1 if is_news else -0.1)
        examples.append((named if has_source else unnamed, 0.7, rng.random() < chance, is_news))
    return examples


def test_an_event_with_no_source_named_is_less_likely_right():
    calibration = fit(_examples())
    named = calibration(_event((_ref("EGY"),), (_ref("LBY"),)), 0.7)
    unnamed = calibration(_event((), (_ref("LBY"),)), 0.7)
    assert named > 0.7 > 0.4 > unnamed


def test_the_confidence_is_calibrated_on_the_news_examples():
    examples = _examples()
    calibration = fit(examples)
    news = [(calibration(e, p), right) for e, p, right, is_news in examples if is_news]
    mean_confidence = sum(c for c, _ in news) / len(news)
    share_right = sum(r for _, r in news) / len(news)
    assert mean_confidence == pytest.approx(share_right, abs=0.01)
    # (on all examples, which are right less often, the same confidences are too high)
    everything = [(calibration(e, p), right) for e, p, right, _ in examples]
    assert (
        sum(c for c, _ in everything) / len(everything)
        > sum(r for _, r in everything) / len(everything) + 0.03
    )


def test_too_few_examples_leave_the_models_probability():
    assert fit(_examples()[:10]) == Calibration()


def test_what_lowers_a_confidence_is_said_in_words_strongest_first():
    from detente.events.calibration import DOUBTS, doubts

    weights = dict.fromkeys(FEATURES, 0.0) | {
        "no_target_country": -1.0, "an_actor_from_context": -0.4, "a_source_of_unknown_country": -1.2,
        "several_source_countries": 0.5, "not_asserted": -0.3,
    }  # fmt: skip
    calibration = Calibration(tuple(weights[name] for name in FEATURES), 0.0)
    event = _event((_ref("UNK", reason="unknown"), _ref("EGY", reason="coreference")), ())
    assert doubts(event, calibration) == [
        DOUBTS["a_source_of_unknown_country"],
        DOUBTS["no_target_country"],
        DOUBTS["an_actor_from_context"],
    ]
    # a sign that raises the confidence is no doubt; a reciprocal event has no recipient by definition
    meeting = _event((_ref("EGY"), _ref("SAU")), (), modality="future", reciprocal=True)
    assert doubts(meeting, calibration) == [DOUBTS["not_asserted"]]
    assert doubts(event, Calibration()) == []


def test_the_shipped_calibration_is_read_from_the_models_own_file():
    from detente.events import calibration
    from detente.events.model import EventModel

    assert calibration.shipped() == EventModel.load().calibration


@pytest.mark.parametrize("probability", [0.12, 0.35, 0.62, 0.9])
def test_the_type_models_probability_is_read_back_from_the_confidence_and_a_low_one_is_a_doubt(probability):
    import dataclasses

    from detente.events.calibration import doubts, type_probability

    weights = dict.fromkeys(FEATURES, 0.0) | {"type_log_odds": 0.8, "no_target_country": -1.0}
    calibration = Calibration(tuple(weights[name] for name in FEATURES), 0.3, coder="events-model-a")
    event = _event((_ref("EGY"),), ())
    event = dataclasses.replace(
        event, confidence=round(calibration(event, probability), 3), coder="events-model-a"
    )
    assert type_probability(event, calibration) == pytest.approx(probability, abs=0.01)
    unsure = [words for words in doubts(event, calibration) if "type model is unsure" in words]
    assert bool(unsure) == (probability < 0.5)
    assert type_probability(event, Calibration()) is None  # no calibration: the confidence is the probability
    # an event the rules alone coded, or another model, has a confidence this calibration did not make
    for coder in (None, "events-model-b"):
        other = dataclasses.replace(event, coder=coder)
        assert type_probability(other, calibration) is None
        assert not [words for words in doubts(other, calibration) if "type model is unsure" in words]


def test_every_event_the_shipped_model_codes_names_it_as_its_coder(nlp):
    from detente.events import calibration
    from detente.events.calibration import model_identity

    doc = nlp("Egypt condemned Israel's strike on Gaza on Monday.")
    assert doc._.events and {e.coder for e in doc._.events} == {model_identity()}
    assert calibration.shipped().coder == model_identity()
