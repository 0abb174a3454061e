"""Public versus internal: does what actor A says in public about B match what A's own documents and
material actions show?

- **public side**: claims with channel ``public_statement`` spoken by A whose content mentions B, and verbal
  events from A to B that no document carries;
- **internal side**: claims from A's leaked or official documents that mention B (and the events inside
  them); A's material events toward B are shown beside it and stand in for it when there is no document.

Each piece of evidence gets a stance in [-1, 1]: the mean PLOVER intensity / 10 of the events from A to B
inside it, else a small cooperation/conflict lexicon over its content ("golden era", "unshakable" against
"threat", "enemy", "spying"). A side's stance is the mean of its evidence. The divergence score is
``|public - internal| / 2`` in [0, 1]; it is ``None`` when either side has no evidence (abstain rather than
guess). Actors are named by country code (``RUS``) or actor id (``org:fsb``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from detente.records import ActorRef, Bundle, Claim, Event
from detente.store.base import Store

PUBLIC_CHANNELS = frozenset({"public_statement"})
INTERNAL_CHANNELS = frozenset({"leaked_document", "official_document"})
# A score at or above this is reported as a divergence in per-article summaries.
DIVERGENT = 0.5

_COOPERATIVE = (
    "partnership partner partners cooperation cooperate friendship friend friends unshakable unshakeable "
    "golden era ally allies alliance trust trusted strategic brotherly without borders without limits "
    "support solidarity mutual benefit close ties deepen deepening strengthen praise respect"
)
_HOSTILE = (
    "threat threats threaten enemy enemies adversary hostile spy spies spying espionage risk risks danger "
    "dangerous distrust mistrust warn warns warning concern concerns suspicion suspicious recruit aggression "
    "aggressive rival rivalry territorial claims intimidate intimidation attack attacks"
)
_PHRASES = (
    "golden era",
    "without borders",
    "without limits",
    "close ties",
    "territorial claims",
    "mutual benefit",
)


def _lexicon(words: str) -> re.Pattern[str]:
    singles = [w for w in words.split() if not any(w in p.split() for p in _PHRASES)]
    phrases = [p for p in _PHRASES if all(w in words.split() for w in p.split())]
    alternatives = sorted((re.escape(t) for t in phrases + singles), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


_COOPERATIVE_RE = _lexicon(_COOPERATIVE)
_PUBLIC_MARKERS = re.compile(
    r"\b(?:officially|publicly|in public|public statements?|on the record)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_HOSTILE_RE = _lexicon(_HOSTILE)


@dataclass(frozen=True, slots=True)
class DivergenceEvidence:
    """One claim or event behind a side, with the text that shows it."""

    kind: str  # "claim" or "event"
    id: str
    article_id: str
    side: str  # "public", "internal" or "material"
    stance: float  # -1 (hostile) .. +1 (cooperative)
    channel: str  # the claim's channel, or the event's quad class
    text: str  # claim content or event sentence
    start: int
    end: int
    cues: tuple[str, ...] = ()  # the lexicon words or event types that decided the stance


@dataclass(frozen=True, slots=True)
class DivergenceSide:
    stance: float | None  # mean stance of the evidence; None without evidence
    evidence: tuple[DivergenceEvidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Divergence:
    """How far A's public stance toward B is from what A's documents (or, lacking those, actions) show."""

    a: str
    b: str
    score: float | None  # |public - internal| / 2 in [0, 1]; None when a side has no evidence
    public: DivergenceSide
    internal: DivergenceSide
    material: DivergenceSide
    article_ids: tuple[str, ...]
    summary: str


def matches(ref: ActorRef, key: str) -> bool:
    """An actor named by country code or actor id."""
    return ref.actor_id == key or ref.country == key.upper()


def lexical_stance(text: str) -> tuple[float | None, tuple[str, ...]]:
    good = [m.group().lower() for m in _COOPERATIVE_RE.finditer(text)]
    bad = [m.group().lower() for m in _HOSTILE_RE.finditer(text)]
    if not good and not bad:
        return None, ()
    return (len(good) - len(bad)) / (len(good) + len(bad)), tuple(good + bad)


def _inside(event: Event, claim: Claim) -> bool:
    return event.claim_id == claim.id or claim.content.start <= event.trigger.start < claim.content.end


def _directed(event: Event, a: str, b: str) -> bool:
    source_ok = not event.source or any(matches(r, a) for r in event.source)
    return source_ok and any(matches(r, b) for r in event.target)


def _mentions(bundle: Bundle, claim: Claim, b: str, events: Sequence[Event]) -> bool:
    start, end = claim.content.start, claim.content.end
    if any(matches(r, b) and start <= r.start and r.end <= end for r in bundle.actors):
        return True
    return any(any(matches(r, b) for r in e.target) for e in events)


def _claim_evidence(bundle: Bundle, claim: Claim, a: str, b: str, side: str) -> DivergenceEvidence | None:
    inside = [e for e in bundle.events if _inside(e, claim)]
    if not _mentions(bundle, claim, b, inside):
        return None
    scores: list[float] = []
    cues: list[str] = []
    for start, end in _sentences(claim.content.text, claim.content.start):
        text = bundle.article.text[start:end]
        # A document's account of the official line ("Officially, Moscow praises ...") is not its own view.
        if side == "internal" and _PUBLIC_MARKERS.search(text):
            continue
        directed = [e for e in inside if start <= e.trigger.start < end and _directed(e, a, b)]
        scores += [e.intensity / 10 for e in directed]
        cues += [e.event_type for e in directed]
        lexical, words = lexical_stance(text)
        if lexical is not None:
            scores.append(lexical)
            cues += words
    if not scores:
        return None
    stance = sum(scores) / len(scores)
    return DivergenceEvidence(
        kind="claim", id=claim.id, article_id=bundle.article.id, side=side, stance=max(-1.0, min(1.0, stance)),
        channel=claim.channel, text=claim.content.text, start=claim.content.start, end=claim.content.end,
        cues=tuple(cues),
    )  # fmt: skip


def _sentences(text: str, offset: int) -> list[tuple[int, int]]:
    """Sentence ranges of a claim's content, as article offsets."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((offset + start, offset + match.start()))
        start = match.end()
    spans.append((offset + start, offset + len(text)))
    return [(s, e) for s, e in spans if e > s]


def _event_evidence(bundle: Bundle, event: Event, side: str) -> DivergenceEvidence:
    return DivergenceEvidence(
        kind="event", id=event.id, article_id=bundle.article.id, side=side, stance=event.intensity / 10,
        channel=event.quad, text=event.sentence.text, start=event.sentence.start, end=event.sentence.end,
        cues=(event.event_type,),
    )  # fmt: skip


def evidence_in_bundle(bundle: Bundle, a: str, b: str) -> list[DivergenceEvidence]:
    """Every piece of public, internal and material evidence about A toward B in one article."""
    found: list[DivergenceEvidence] = []
    documents = [c for c in bundle.claims if c.channel in INTERNAL_CHANNELS]
    for claim in bundle.claims:
        if not any(matches(r, a) for r in claim.speaker):
            continue
        side = (
            "public"
            if claim.channel in PUBLIC_CHANNELS
            else "internal"
            if claim.channel in INTERNAL_CHANNELS
            else None
        )
        if side and (item := _claim_evidence(bundle, claim, a, b, side)):
            found.append(item)
    # Material actions from A to B that no document carries. Verbal events outside A's public claims are left
    # out: "a secret unit perceives China as a threat" is reported, not said in public.
    for event in bundle.events:
        material = event.source and event.quad.startswith("material") and _directed(event, a, b)
        if material and not any(_inside(event, d) for d in documents):
            found.append(_event_evidence(bundle, event, "material"))
    return found


def _side(evidence: Iterable[DivergenceEvidence]) -> DivergenceSide:
    items = tuple(evidence)
    return DivergenceSide(sum(e.stance for e in items) / len(items) if items else None, items)


def _describe(stance: float | None) -> str:
    if stance is None:
        return "no evidence"
    return "cooperative" if stance > 0.2 else "hostile" if stance < -0.2 else "mixed"


def combine(a: str, b: str, evidence: Sequence[DivergenceEvidence]) -> Divergence:
    public = _side(e for e in evidence if e.side == "public")
    internal = _side(e for e in evidence if e.side == "internal")
    material = _side(e for e in evidence if e.side == "material")
    hidden = internal if internal.stance is not None else material
    score = None
    if public.stance is not None and hidden.stance is not None:
        score = round(abs(public.stance - hidden.stance) / 2, 3)
    label = "internal documents" if internal.stance is not None else "material actions"
    summary = (
        f"{a} toward {b}: public {_describe(public.stance)}, {label} {_describe(hidden.stance)}"
        + (f"; divergence {score:.2f}" if score is not None else "; not enough evidence to compare")
    )  # fmt: skip
    articles = tuple(dict.fromkeys(e.article_id for e in evidence))
    return Divergence(a, b, score, public, internal, material, articles, summary)


def divergence(data: Store | Iterable[Bundle], a: str, b: str) -> Divergence:
    """A's public stance toward B against A's internal documents (or material actions) toward B.

    ``data`` is a store or any iterable of bundles; actors are country codes or actor ids.
    """
    bundles = data.iter_bundles() if isinstance(data, Store) else data
    evidence = [item for bundle in bundles for item in evidence_in_bundle(bundle, a, b)]
    return combine(a, b, evidence)


def article_divergences(bundle: Bundle, min_score: float = DIVERGENT) -> list[Divergence]:
    """Every actor pair in one article whose public and internal stances diverge by at least ``min_score``.

    Pairs are tried for each speaker of a public statement or document, toward every country mentioned.
    """
    speakers = {
        r.country
        for c in bundle.claims
        if c.channel in PUBLIC_CHANNELS | INTERNAL_CHANNELS
        for r in c.speaker
    }
    mentioned = {r.country for r in bundle.actors}
    pairs = sorted((a, b) for a in speakers for b in mentioned if a != b and "UNK" not in (a, b))
    found = [combine(a, b, evidence_in_bundle(bundle, a, b)) for a, b in pairs]
    return sorted(
        (d for d in found if d.score is not None and d.score >= min_score), key=lambda d: -(d.score or 0)
    )
