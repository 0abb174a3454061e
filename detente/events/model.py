"""The learned event decisions: which candidates are events, of which type, and who takes part.

Trained on the annotated news corpus (``data/annotations/``, guideline ``docs/annotation.md``) by
``make train`` (``detente.events.training``); the weights ship in ``detente/events/data/model/``.

For each sentence the rules (``detente.events.rules``) propose events; every verb and every noun or
adjective a trigger vocabulary knows is a candidate too. The type model gives each candidate a
probability per PLOVER type and for "no event"; a candidate is an event when the probability of its
best type, calibrated on cross-validated predictions, reaches the threshold chosen on the same
predictions. The role model then decides for each actor mention of the sentence whether it is the
event's source, its target or neither. Modality, mode, claim and contexts come from the rules' readers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from detente.events.contexts import contexts_for
from detente.events.features import (
    SentenceView,
    is_candidate,
    role_features,
    sentence_views,
    trigger_features,
)
from detente.events.lexicon import Lexicon, intensity
from detente.events.linear import LinearModel
from detente.events.modality import detect_modality
from detente.events.rules import innermost_claim, speaker_tokens
from detente.records import QUAD_OF_TYPE, ActorRef, Article, Claim, Event, Span, event_id

MODEL_DIR = Path(__file__).parent / "data" / "model"
NO_EVENT = "NONE"
ROLE_CLASSES = ("source", "target", "none")
RECIPROCAL_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE", "ASSAULT"})


@dataclass
class Calibration:
    """Platt scaling of a raw probability: sigmoid(a * logit(p) + b)."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        z = self.a * math.log(p / (1 - p)) + self.b
        return 1 / (1 + math.exp(-z))


@dataclass
class Scored:
    token: Token
    event_type: str
    probability: float  # calibrated probability that this is an event of this type


class EventModel:
    """The type and role models with the decision threshold and calibration learned with them."""

    def __init__(self, types: LinearModel, roles: LinearModel, vocabulary: frozenset[str],
                 threshold: float = 0.5, calibration: Calibration | None = None) -> None:  # fmt: skip
        self.types = types
        self.roles = roles
        self.vocabulary = vocabulary
        self.threshold = threshold
        self.calibration = calibration or Calibration()

    # -- decisions ---------------------------------------------------------------------------------------

    def score(self, token: Token, view: SentenceView, lexicon: Lexicon) -> Scored:
        probs = self.types.probabilities(trigger_features(token, view, lexicon))
        best = max((t for t in probs if t != NO_EVENT), key=probs.__getitem__)
        return Scored(token, best, self.calibration(probs[best]))

    def candidates(self, view: SentenceView, lexicon: Lexicon) -> list[Token]:
        return [t for t in view.sent if is_candidate(t, view, lexicon, self.vocabulary)]

    def roles_of(
        self, token: Token, event_type: str, view: SentenceView
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        sources: list[ActorRef] = []
        targets: list[ActorRef] = []
        for mention in view.mentions:
            if token.i in mention.tokens:
                continue  # the trigger names the actor ("the protesters"): no role of its own event
            probs = self.roles.probabilities(role_features(token, mention, view, event_type))
            role = max(ROLE_CLASSES, key=probs.__getitem__)
            if role == "source":
                sources.append(mention.ref)
            elif role == "target":
                targets.append(mention.ref)
        return _distinct(sources), _distinct([t for t in targets if all(t is not s for s in sources)])

    def decide(self, doc: Doc, proposals: Sequence[Event], lexicon: Lexicon) -> list[Event]:
        """The events of a parsed doc, given the rules' proposals (``rules.extract_events``)."""
        if len(doc) == 0 or not doc.has_annotation("DEP"):
            return []
        article: Article | None = doc._.article if doc.has_extension("article") else None
        article_key = article.id if article is not None else ""
        claims: list[Claim] = list(doc._.claims or ()) if doc.has_extension("claims") else []
        speakers = speaker_tokens(doc, claims)
        events: list[Event] = []
        seen: set[str] = set()
        for view in sentence_views(doc, proposals, speakers):
            scored = [self.score(t, view, lexicon) for t in self.candidates(view, lexicon)]
            kept = _one_per_phrase([s for s in scored if s.probability >= self.threshold])
            for choice in kept:
                event = self._event(choice, view, article_key, claims)
                if event.id not in seen:
                    seen.add(event.id)
                    events.append(event)
        return events

    def _event(self, choice: Scored, view: SentenceView, article_key: str, claims: Sequence[Claim]) -> Event:
        token, event_type = choice.token, choice.event_type
        rule = view.rule_events.get(token.i)
        trigger = rule.trigger if rule is not None else _trigger_span(token)
        claim = innermost_claim(claims, trigger.start, trigger.end)
        if rule is not None:
            modality_value, cue = rule.modality, rule.modality_cue
        else:
            modality = detect_modality(token, claim_stance=claim.stance if claim else None)
            modality_value, cue = modality.value, modality.cue_span()
        mode = rule.mode if rule is not None and rule.event_type == event_type else None
        sources, targets = self.roles_of(token, event_type, view)
        reciprocal = (
            event_type in RECIPROCAL_TYPES and not targets and len({s.actor_id for s in sources}) >= 2
        )
        sent = view.sent
        source, target = tuple(sources), tuple(targets)
        return Event(
            id=event_id(article_key, trigger, event_type, source, target),
            article_id=article_key, event_type=event_type, mode=mode,
            context=contexts_for(sent), quad=QUAD_OF_TYPE[event_type], intensity=intensity(event_type, mode),
            modality=modality_value, source=source, target=target, trigger=trigger,
            sentence=Span(sent.text, sent.start_char, sent.end_char), claim_id=claim.id if claim else None,
            confidence=round(choice.probability, 3), modality_cue=cue, reciprocal=reciprocal,
        )  # fmt: skip

    # -- persistence -------------------------------------------------------------------------------------

    def save(self, directory: Path, provenance: dict[str, object]) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.types.save(directory / "types")
        self.roles.save(directory / "roles")
        meta = {
            "threshold": self.threshold, "calibration": [self.calibration.a, self.calibration.b],
            "vocabulary": sorted(self.vocabulary), **provenance,
        }  # fmt: skip
        (directory / "model.json").write_text(
            json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> EventModel:
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        return cls(
            LinearModel.load(directory / "types"), LinearModel.load(directory / "roles"),
            frozenset(meta["vocabulary"]), float(meta["threshold"]), Calibration(*meta["calibration"]),
        )  # fmt: skip


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The model trained by ``make train`` and shipped in the package, or None when it is absent."""
    if not (MODEL_DIR / "model.json").exists():
        return None
    return EventModel.load(MODEL_DIR)


def _distinct(refs: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for ref in refs:
        if all(ref.actor_id != o.actor_id or ref.start != o.start for o in out):
            out.append(ref)
    return out


def _one_per_phrase(scored: list[Scored]) -> list[Scored]:
    """Two words of one event phrase ("imposed sanctions", "held talks") are one event: of candidates of
    the same type linked head to dependent, the more probable one stays."""
    kept: list[Scored] = []
    for item in sorted(scored, key=lambda s: -s.probability):
        linked = any(
            other.event_type == item.event_type
            and (
                item.token.head.i == other.token.i
                or other.token.head.i == item.token.i
                or (item.token.head.i == other.token.head.i and item.token.dep_ == "prep")
            )
            for other in kept
        )
        if not linked:
            kept.append(item)
    return sorted(kept, key=lambda s: s.token.i)


def _trigger_span(token: Token) -> Span:
    tokens = [token, *(c for c in token.children if c.dep_ == "prt")]
    if token.pos_ in {"NOUN", "PROPN"}:
        tokens += [c for c in token.children if c.dep_ == "compound" and c.i == token.i - 1]
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    start, end = first.idx, last.idx + len(last.text)
    return Span(token.doc[first.i : last.i + 1].text, start, end)
