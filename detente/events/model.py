"""The learned event decisions: which candidates are events, of which type, and who takes part.

Trained on the annotated news corpus (``data/annotations/``, guideline ``docs/annotation.md``) by
``make train`` (``detente.events.training``); the weights ship in ``detente/events/data/model/``.

For each sentence the rules (``detente.events.rules``) propose events; every verb and every noun or
adjective a trigger vocabulary knows is a candidate too. The type model gives each candidate a
probability per PLOVER type and for "no event"; a candidate is an event when the probability of its
best type reaches the threshold chosen on cross-validated predictions. The role model then decides for
each actor mention of the sentence whether it is the event's source, its target or neither. Modality,
mode, claim and contexts come from the rules' readers. The event's confidence is the chance that it is
wholly right, type and countries (``calibration``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from detente.events.calibration import MODEL_DIR, Calibration, model_identity
from detente.events.contexts import contexts_for
from detente.events.features import (
    Mention,
    SentenceView,
    background_cue,
    background_features,
    candidate_indices,
    role_features,
    sentence_views,
    told_in_present,
    trigger_features,
    trigger_vector,
)
from detente.events.lexicon import Lexicon, intensity, load_lexicon
from detente.events.linear import LinearModel
from detente.events.modality import DENIAL_VERBS, detect_modality
from detente.events.noise import plausible_recipients
from detente.events.roles import doer_unnamed, roles_with_set_members
from detente.events.rules import EXCHANGING, MUTUAL_TYPES, innermost_claim, speaker_tokens
from detente.records import QUAD_OF_TYPE, ActorRef, Article, Claim, Event, Span, event_id

NO_EVENT = "NONE"
ROLE_CLASSES = ("source", "target", "none")


@dataclass
class Policy:
    """How the model's probabilities and the rules' proposals combine; chosen by cross-validation.

    The rules read the parse well where the lexicon knows the words; the model, trained on news, knows
    which of their proposals are not events and which words the lexicon lacks. A rule proposal stays
    unless the model is sure it is no event; the model's type replaces the rule's only when the model
    is sure of it; a candidate the rules did not propose becomes an event only at high probability.
    """

    drop: float = 0.8  # P(no event) at or above which a rule proposal is dropped
    keep: float = 0.0  # P(the rule's type) below which a rule proposal is dropped (unless overridden)
    override: float = 0.7  # P(type) at or above which the model's type replaces the rule's
    add: float = 0.6  # P(type) at or above which a candidate the rules missed becomes an event
    rule_min_confidence: float = 0.35  # rule proposals below this are left to the model alone
    rule_roles: bool = True  # a rule proposal kept with its own type keeps the rules' roles
    # ... and a role the rules left empty is filled by the role model. The rules' roles are the better
    # where they answer (story-grouped CV on news, both countries right: rules' 0.635, role model's
    # alone 0.595), the learned ones fill what the rules do not look for ("killed in a battle with
    # police", a domestic recipient): 0.635 -> 0.647; the dev gold's roles are unchanged (0.86 / 0.81).
    fill_roles: bool = True
    protect: float = (
        1.01  # rule proposals at or above this confidence (frames, fixed pairs) are not dropped ...
    )
    protect_drop: float = 1.01  # ... unless the model gives "no event" at least this

    def as_dict(self) -> dict[str, float | bool]:
        return {"drop": self.drop, "keep": self.keep, "override": self.override, "add": self.add,
                "rule_min_confidence": self.rule_min_confidence, "rule_roles": self.rule_roles,
                "fill_roles": self.fill_roles, "protect": self.protect, "protect_drop": self.protect_drop}  # fmt: skip


@dataclass
class Scored:
    """One candidate with the model's probabilities and the rules' proposal for the same word."""

    token: Token
    probabilities: dict[str, float]
    rule: Event | None

    @property
    def best(self) -> str:
        return max((t for t in self.probabilities if t != NO_EVENT), key=self.probabilities.__getitem__)


@dataclass
class Choice:
    token: Token
    event_type: str
    probability: float  # the model's probability of this type (before calibration)
    rule: Event | None  # the rules' proposal kept with its own roles, if any


def select(scored: Sequence[Scored], policy: Policy) -> list[Choice]:
    """The events of one sentence under ``policy`` (see :class:`Policy`)."""
    chosen: list[Choice] = []
    for item in scored:
        probs, best, rule = item.probabilities, item.best, item.rule
        if rule is not None and rule.confidence >= policy.rule_min_confidence:
            if probs[NO_EVENT] >= policy.drop and (
                rule.confidence < policy.protect or probs[NO_EVENT] >= policy.protect_drop
            ):
                continue
            if best != rule.event_type and probs[best] >= policy.override:
                chosen.append(Choice(item.token, best, probs[best], None))
            elif probs.get(rule.event_type, 0.0) < policy.keep and rule.confidence < policy.protect:
                # The model spreads its belief over "no event" and other types: a rule proposal the
                # model gives little chance in its own type is as doubtful as one it calls no event
                # ("received a hero award" proposed as CONSULT, P(CONSULT) = 0.01).
                continue
            else:
                keep_roles = rule if policy.rule_roles else None
                chosen.append(
                    Choice(item.token, rule.event_type, probs.get(rule.event_type, 0.0), keep_roles)
                )
        elif probs[best] >= policy.add:
            chosen.append(Choice(item.token, best, probs[best], None))
    return _one_per_phrase(chosen)


def coordinations(mentions: Sequence[Mention]) -> dict[int, list[Mention]]:
    """For each mention (by ``id``), the mentions coordinated with it, itself included: those whose
    heads are conjuncts of one another ("India and the Philippines")."""
    by_token = {i: m for m in mentions for i in sorted(m.tokens)}
    groups: dict[int, list[Mention]] = {}
    for mention in mentions:
        first, node = mention, mention.head
        # (the first conjunct may sit inside a longer mention: "ministers from Britain, Canada and France")
        while node.dep_ == "conj" and node.head.i != node.i and node.head.i in by_token:
            node = node.head
            first = by_token[node.i]
        groups.setdefault(id(first), []).append(mention)
    out: dict[int, list[Mention]] = {}
    for members in groups.values():
        for m in members:
            out[id(m)] = members
    return out


class EventModel:
    """The type and role models with the policy and calibration learned with them."""

    def __init__(self, types: LinearModel, roles: LinearModel, vocabulary: frozenset[str],
                 policy: Policy | None = None, calibration: Calibration | None = None,
                 background: LinearModel | None = None, lexicon: Lexicon | None = None) -> None:  # fmt: skip
        self.lexicon = lexicon or load_lexicon()
        self.types = types
        self.roles = roles
        self.background = background
        self.vocabulary = vocabulary
        self.policy = policy or Policy()
        self.calibration = calibration or Calibration()

    # -- decisions ---------------------------------------------------------------------------------------

    def candidates(self, view: SentenceView) -> list[Token]:
        doc = view.sent.doc  # (a Token made for each candidate only, not for every word of the sentence)
        return [doc[i] for i in candidate_indices(view, self.lexicon, self.vocabulary)]

    def score(self, view: SentenceView) -> list[Scored]:
        return self.score_views([view])[0]

    def score_views(self, views: Sequence[SentenceView]) -> list[list[Scored]]:
        """The scored candidates of each view; the type model scores all of them in one batch."""
        dense = self.types.dense_size > 0
        candidates = [(view, t) for view in views for t in self.candidates(view)]
        probabilities = self.types.probabilities_of_many(
            [trigger_features(t, view, self.lexicon) for view, t in candidates],
            [trigger_vector(t, view.text, view.clause_text(t)) for view, t in candidates] if dense else None,
        )
        out: dict[int, list[Scored]] = {id(view): [] for view in views}
        for (view, t), probs in zip(candidates, probabilities, strict=True):
            out[id(view)].append(Scored(t, probs, view.rule_events.get(t.i)))
        return [out[id(view)] for view in views]

    def roles_of(
        self, token: Token, event_type: str, view: SentenceView
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        sources: list[ActorRef] = []
        targets: list[ActorRef] = []
        mentions = [m for m in view.mentions if token.i not in m.tokens]
        # (the trigger names the actor, "the protesters": no role of its own event)
        probs_of = {
            id(m): self.roles.probabilities(role_features(token, m, view, event_type)) for m in mentions
        }
        # Coordinated mentions ("visit India and the Philippines", "ministers from Britain, Canada and
        # France") play one role together: each member of a coordination takes the role the members'
        # summed probabilities give, so a later conjunct is not split off as the other party.
        group_of = coordinations(mentions)
        for mention in mentions:
            members = group_of[id(mention)]
            role = max(ROLE_CLASSES, key=lambda c: sum(probs_of[id(m)][c] for m in members))
            if role == "source":
                sources.append(mention.ref)
            elif role == "target":
                targets.append(mention.ref)
        return _distinct(sources), _distinct([t for t in targets if all(t is not s for s in sources)])

    def scored_sentences(
        self, doc: Doc, proposals: Sequence[Event]
    ) -> list[tuple[SentenceView, list[Scored]]]:
        """Every sentence with its scored candidates (the policy-free part of :meth:`decide`)."""
        if len(doc) == 0 or not doc.has_annotation("DEP"):
            return []
        claims: list[Claim] = list(doc._.claims or ()) if doc.has_extension("claims") else []
        speakers = speaker_tokens(doc, claims)
        views = sentence_views(doc, proposals, speakers)
        return list(zip(views, self.score_views(views), strict=True))

    def decide(self, doc: Doc, proposals: Sequence[Event], policy: Policy | None = None) -> list[Event]:
        """The events of a parsed doc, given the rules' proposals (``rules.extract_events``)."""
        return self.events_from(doc, self.scored_sentences(doc, proposals), policy or self.policy)

    def events_from(self, doc: Doc, scored: Sequence[tuple[SentenceView, list[Scored]]], policy: Policy,
                    role_cache: dict[tuple[int, str], tuple[list[ActorRef], list[ActorRef]]] | None = None) -> list[Event]:  # fmt: skip
        """Events under ``policy``; ``role_cache`` keeps role decisions across policies (training tries many)."""
        article: Article | None = doc._.article if doc.has_extension("article") else None
        article_key = article.id if article is not None else ""
        claims: list[Claim] = list(doc._.claims or ()) if doc.has_extension("claims") else []
        events: list[Event] = []
        seen: set[str] = set()
        for view, items in scored:
            for choice in select(items, policy):
                event = self._event(choice, view, article_key, claims, role_cache, policy.fill_roles)
                if event.id not in seen:
                    seen.add(event.id)
                    events.append(event)
        return without_denials_of_coded_acts(doc, events)

    def _event(self, choice: Choice, view: SentenceView, article_key: str, claims: Sequence[Claim],
               role_cache: dict[tuple[int, str], tuple[list[ActorRef], list[ActorRef]]] | None = None,
               fill_roles: bool = False) -> Event:  # fmt: skip
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
        if choice.rule is not None:
            sources, targets = list(choice.rule.source), list(choice.rule.target)
            if (
                fill_roles
                and (not sources or not targets)
                and not _reciprocal(event_type, sources, targets, token)
            ):
                learned_sources, learned_targets = self._learned_roles(token, event_type, view, role_cache)
                taken = {(r.start, r.end) for r in [*sources, *targets]}
                if not doer_unnamed(token, self.lexicon.stative_passive):
                    sources = sources or [r for r in learned_sources if (r.start, r.end) not in taken]
                taken |= {(r.start, r.end) for r in sources}
                targets = targets or [r for r in learned_targets if (r.start, r.end) not in taken]
        else:
            sources, targets = self._learned_roles(token, event_type, view, role_cache)
            if doer_unnamed(token, self.lexicon.stative_passive):
                sources = []  # "soldiers captured during the defence of Mariupol": no doer said, none guessed
        sources, targets = roles_with_set_members(
            sources, plausible_recipients(event_type, token, sources, targets)
        )
        background = self.is_background(token, view, article_published(view))
        reciprocal = _reciprocal(event_type, sources, targets, token)
        sent = view.sent
        source, target = tuple(sources), tuple(targets)
        event = Event(
            id=event_id(article_key, trigger, event_type, source, target),
            article_id=article_key, event_type=event_type, mode=mode,
            context=contexts_for(sent), quad=QUAD_OF_TYPE[event_type], intensity=intensity(event_type, mode),
            modality=modality_value, source=source, target=target, trigger=trigger,
            sentence=Span(sent.text, sent.start_char, sent.end_char), claim_id=claim.id if claim else None,
            confidence=choice.probability, modality_cue=cue, reciprocal=reciprocal, background=background,
        )  # fmt: skip
        # (the confidence reads the finished record: whether its parties are named and of known country)
        return replace(event, confidence=round(self.calibration(event, choice.probability), 3),
                       coder=self.calibration.coder)  # fmt: skip

    def _learned_roles(self, token: Token, event_type: str, view: SentenceView,
                       role_cache: dict[tuple[int, str], tuple[list[ActorRef], list[ActorRef]]] | None) -> tuple[list[ActorRef], list[ActorRef]]:  # fmt: skip
        if role_cache is not None and (token.i, event_type) in role_cache:
            return role_cache[(token.i, event_type)]
        roles = self.roles_of(token, event_type, view)
        if role_cache is not None:
            role_cache[(token.i, event_type)] = roles
        return roles

    def is_background(self, token: Token, view: SentenceView, published: dt.date | None) -> bool:
        if background_cue(token, published.year if published is not None else None):
            return True
        if told_in_present(token):
            return False
        if self.background is None:
            return False
        dense = trigger_vector(token, view.sent.text) if self.background.dense_size else None
        probs = self.background.probabilities(
            background_features(token, view, self.lexicon, published), dense
        )
        return probs.get("background", 0.0) >= 0.5

    # -- persistence -------------------------------------------------------------------------------------

    def save(self, directory: Path, provenance: dict[str, object]) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.types.save(directory / "types")
        self.roles.save(directory / "roles")
        if self.background is not None:
            self.background.save(directory / "background")
        meta = {
            "policy": self.policy.as_dict(), "calibration": self.calibration.as_json(),
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
            frozenset(meta["vocabulary"]), Policy(**meta["policy"]),
            Calibration.from_json(meta["calibration"], model_identity(directory)),
            LinearModel.load(directory / "background") if (directory / "background.json").exists() else None,
        )  # fmt: skip


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The model trained by ``make train`` and shipped in the package, or None when it is absent."""
    if not (MODEL_DIR / "model.json").exists():
        return None
    return EventModel.load(MODEL_DIR)


def _reciprocal(
    event_type: str, sources: Sequence[ActorRef], targets: Sequence[ActorRef], token: Token
) -> bool:
    """The manual's reciprocal events: two or more parties as actors of a meeting-like type, or of any type
    done to "each other" / "one another" ("India and Pakistan accused each other", "declared war against
    each other": the gold codes these reciprocal), or exchanged ("Russia and Ukraine exchanged prisoners"),
    no recipient."""
    if targets or len({s.actor_id for s in sources}) < 2:
        return False
    return event_type in MUTUAL_TYPES or _done_to_each_other(token) or token.lemma_.lower() in EXCHANGING


def _done_to_each_other(token: Token) -> bool:
    """Is "each other" or "one another" the trigger's object, or the object of its preposition?"""
    near = [c for c in token.children if c.dep_ in ("dobj", "dative", "prep")]
    objects = near + [g for c in near if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    doc = token.doc
    for word in objects:  # the parse heads the pair by either word ("one" with "another" as its determiner)
        pairs = [(doc[k].lower_, doc[k + 1].lower_) for k in (word.i - 1, word.i) if 0 <= k < len(doc) - 1]
        if any(pair in MUTUAL_PAIRS for pair in pairs):
            return True
    return False


MUTUAL_PAIRS = frozenset({("each", "other"), ("one", "another")})


def _distinct(refs: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for ref in refs:
        if all(ref.actor_id != o.actor_id or ref.start != o.start for o in out):
            out.append(ref)
    return out


def _one_per_phrase(scored: list[Choice]) -> list[Choice]:
    """Two words of one event phrase ("imposed sanctions", "held talks") are one event: of candidates of
    the same type linked head to dependent, the more probable one stays."""
    kept: list[Choice] = []
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


def article_published(view: SentenceView) -> dt.date | None:
    """The publication date of the sentence's article, for "how long before this" features."""
    doc = view.sent.doc
    article = doc._.article if doc.has_extension("article") else None
    return article.published_date if article is not None else None


def without_denials_of_coded_acts(doc: Doc, events: list[Event]) -> list[Event]:
    """Less the REJECT of a denial whose denied act is itself coded with modality ``denied``: "Russia denied
    shelling the plant" is ASSAULT Russia, denied (the guideline's own example), not that and a REJECT
    besides. A denial of a charge ("denied the accusation") has no such act and stays a REJECT."""
    denied = [e for e in events if e.modality == "denied"]
    if not denied:
        return events

    def root(event: Event) -> Token | None:
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    acts = [t for t in map(root, denied) if t is not None]
    out = []
    for event in events:
        word = root(event) if event.event_type == "REJECT" else None
        if (
            word is not None
            and word.lemma_.lower() in DENIAL_VERBS
            and any(act is not word and act in word.subtree for act in acts)
        ):
            continue
        out.append(event)
    return out
