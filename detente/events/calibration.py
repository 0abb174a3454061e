"""What an event's ``confidence`` means: the chance that the event is wholly right.

Wholly right is the judgement of the issue's read-throughs and of the cross-validation's "both countries
right": an event a reader or annotator codes in the sentence, of the same type, with the source and target
countries right. The type model's probability says only how sure it is of the type. Who takes part is where
most coded events go wrong on news (one matched event in four has a country wrong in cross-validation), and
the event record shows where that is likely: no source or no target named, a party of unknown country, a
party found through coreference or lent by the sentence, a long sentence. So the confidence is a logistic
model over the type's probability and those signs, fitted on the cross-validated events of all the annotated
material (more examples rank better), then rescaled on the news stories alone (the synthetic stories' weak
labels make events look wrong more often than news readers find them), so that among news events at 0.8
about 80 % are wholly right. Both steps are linear in the same features, so one set of weights ships.

Measured when it was introduced (twenty-seventh session, `docs/events.md`): on wire copy read by readers who
never saw the rules, the share of wrong events below any confidence floor fell, and the confidence sorts
right from wrong events better (area under the ROC curve 0.73 → 0.81 and 0.71 → 0.76 on two held-out sets).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from detente.records import ActorRef, Event

# The signs, in the order of the weights (model.json keeps the names, so a change of order cannot go unseen).
FEATURES = (
    "type_log_odds",  # the type model's probability of the chosen type, as log odds
    "no_source_country",  # no source of known country
    "several_source_countries",
    "no_target_country",
    "several_target_countries",
    "a_source_of_unknown_country",
    "a_target_of_unknown_country",
    "least_sure_actor",  # the lowest resolution confidence among the parties
    "an_actor_from_context",  # a party found by coreference or given its country by the sentence or story
    "not_asserted",  # denied, negated, planned, hoped, possible
    "reciprocal",
    "log_sentence_words",  # long sentences hold more candidates for each role
)


# Where the shipped event model lives (``model.MODEL_DIR`` is this: named here, where nothing imports spaCy,
# so that the dashboard reads the calibration without loading the model).
MODEL_DIR = Path(__file__).parent / "data" / "model"

# What an analyst reads on an event's page for each sign that lowers its confidence (the signs a reader can
# check in the sentence; the type's probability and the sentence's length are left out).
DOUBTS = {
    "no_source_country": "no source of known country",
    "no_target_country": "no recipient of known country",
    "several_target_countries": "recipients of several countries",
    "a_source_of_unknown_country": "a source of unknown country",
    "a_target_of_unknown_country": "a recipient of unknown country",
    "an_actor_from_context": "a party found through coreference or given its country by the context",
    "not_asserted": "not told as having happened",
}


def known_countries(refs: Iterable[ActorRef]) -> frozenset[str]:
    """The countries of the refs, unknown ones left out."""
    return frozenset(r.country for r in refs if r.country) - {"UNK"}


def _unknown(refs: Sequence[ActorRef]) -> bool:
    return any(not r.country or r.country == "UNK" for r in refs)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def log_odds(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def features(event: Event, probability: float) -> tuple[float, ...]:
    """The signs of :data:`FEATURES` for ``event``, whose type the model gave ``probability``."""
    refs = [*event.source, *event.target]
    sources, targets = len(known_countries(event.source)), len(known_countries(event.target))
    return (
        log_odds(probability),
        float(sources == 0), float(sources >= 2), float(targets == 0), float(targets >= 2),
        float(_unknown(event.source)), float(_unknown(event.target)),
        min((r.confidence for r in refs), default=1.0),
        float(any(r.reason.startswith("coreference") or "+context" in r.reason for r in refs)),
        float(event.modality != "asserted"), float(event.reciprocal),
        math.log(1 + len(event.sentence.text.split())),
    )  # fmt: skip


@dataclass(frozen=True)
class Calibration:
    """sigmoid(bias + weights · features); without weights the type model's own probability."""

    weights: tuple[float, ...] = ()
    bias: float = 0.0
    # The model whose confidences this calibration made (:func:`model_identity`), None for one fitted in
    # memory: only that model's events (``Event.coder``) can have their type model's probability read back.
    coder: str | None = None

    def __call__(self, event: Event, probability: float) -> float:
        if not self.weights:
            return probability
        return _sigmoid(
            self.bias + sum(w * x for w, x in zip(self.weights, features(event, probability), strict=True))
        )

    def as_json(self) -> dict[str, object]:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_json(cls, data: object, coder: str | None = None) -> Calibration:
        if isinstance(data, list):  # a model of the twenty-sixth session or before: Platt scaling [a, b]
            a, b = data
            return cls((a, *([0.0] * (len(FEATURES) - 1))), b, coder)
        if not isinstance(data, dict) or tuple(data.get("features", ())) != FEATURES:
            raise ValueError("the model's calibration was fitted on other features: retrain (make train)")
        return cls(tuple(data["weights"]), data["bias"], coder)


def model_identity(directory: Path = MODEL_DIR) -> str:
    """The id of the event model saved in ``directory``: a digest of its ``model.json``, which holds its
    vocabulary, policy, calibration and the fingerprint of its training rows, so a retrained model has
    another. Every event the model codes carries it (``Event.coder``)."""
    return "events-model-" + hashlib.sha256((directory / "model.json").read_bytes()).hexdigest()[:12]


TYPE_DOUBT = 0.5  # below this probability of its type, "the type model is unsure" is a doubt


def type_probability(
    event: Event, calibration: Calibration, signs: tuple[float, ...] | None = None
) -> float | None:
    """The type model's probability for ``event``'s type, read back from its confidence: every other sign
    of :data:`FEATURES` is on the record (``signs``, when the caller has them), so the one unknown of
    ``calibration(event, p)`` is p (to the confidence's three decimals). None without a calibration that
    weighs the type. Only an event this calibration's model coded has such a confidence: one coded by the
    rules alone, by another model or by a release before the twenty-seventh session reads back a number that
    means nothing, so it is None unless the event names the calibration's model as its coder."""
    if not calibration.weights or calibration.weights[0] <= 0:
        return None
    if calibration.coder is None or event.coder != calibration.coder:
        return None
    signs = features(event, 0.5) if signs is None else signs
    rest = calibration.bias + sum(w * x for w, x in zip(calibration.weights[1:], signs[1:], strict=True))
    confidence = min(max(event.confidence, 1e-4), 1 - 1e-4)
    return _sigmoid((log_odds(confidence) - rest) / calibration.weights[0])


def doubts(event: Event, calibration: Calibration) -> list[str]:
    """What lowers ``event``'s confidence under ``calibration``, strongest first, in :data:`DOUBTS`' words (a
    reciprocal event has no recipient by definition: its missing recipient is no doubt), and the type
    model's own doubt when it gave the type less than :data:`TYPE_DOUBT`."""
    signs = features(event, 0.5)
    lowering = [
        (weight * value, DOUBTS[name])
        for name, weight, value in zip(FEATURES, calibration.weights, signs, strict=False)
        if name in DOUBTS and weight < 0 and value > 0
        and not (event.reciprocal and name == "no_target_country")
    ]  # fmt: skip
    probability = type_probability(event, calibration, signs)
    if probability is not None and probability < TYPE_DOUBT:
        lowering.append((calibration.weights[0] * log_odds(probability), f"the type model is unsure of the type "
                         f"(it gives {event.event_type} {probability:.2f})"))  # fmt: skip
    return [words for _, words in sorted(lowering, key=lambda pair: pair[0])]


@lru_cache(maxsize=1)
def shipped() -> Calibration:
    """The shipped model's calibration (``Calibration()`` without a shipped model), read without loading the
    model's weights: the dashboard reads it to say what lowers an event's confidence."""
    path = MODEL_DIR / "model.json"
    if not path.exists():
        return Calibration()
    return Calibration.from_json(
        json.loads(path.read_text(encoding="utf-8"))["calibration"], model_identity()
    )


def _logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float
) -> tuple[list[float], float]:
    """L2-regularised logistic regression on standardised columns, returned in the columns' own units."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0  # a constant column carries nothing; its weight stays 0
    xs = np.c_[(x - mean) / scale, np.ones(len(x))]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xs @ w
        gradient = xs.T @ (1 / (1 + np.exp(-z)) - y)
        gradient[:-1] += l2 * w[:-1]
        return float(np.sum(np.logaddexp(0, z) - y * z) + l2 * np.sum(w[:-1] ** 2) / 2), gradient

    w = minimize(loss, np.zeros(xs.shape[1]), jac=True, method="L-BFGS-B").x
    weights = w[:-1] / scale
    return [float(v) for v in weights], float(w[-1] - np.sum(weights * mean))


MIN_EXAMPLES = 20


def fit(examples: Sequence[tuple[Event, float, bool, bool]]) -> Calibration:
    """A calibration from cross-validated events: (event, the type's probability, wholly right, from news).

    First the signs' weights on every example, then a rescaling of the resulting log odds on the news
    examples alone; the two compose into one set of weights."""
    if len(examples) < MIN_EXAMPLES:
        return Calibration()
    rows = [features(e, p) for e, p, _, _ in examples]
    weights, bias = _logistic(rows, [right for _, _, right, _ in examples], l2=1.0)
    news = [k for k, (_, _, _, is_news) in enumerate(examples) if is_news]
    if len(news) >= MIN_EXAMPLES:
        scores = [[bias + sum(w * x for w, x in zip(weights, rows[k], strict=True))] for k in news]
        (a,), b = _logistic(scores, [examples[k][2] for k in news], l2=0.0)
        weights, bias = [a * w for w in weights], a * bias + b
    return Calibration(tuple(weights), bias)
