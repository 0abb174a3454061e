"""Public versus internal: does what actor A says in public about B match what A's own documents and
material actions show?

- **public side**: claims with channel ``public_statement`` spoken by A whose content mentions B, and verbal
  events from A to B that no document carries;
- **internal side**: claims from A's leaked or official documents that mention B (and the events inside
  them); A's material events toward B are shown beside it and stand in for it when there is no document.

Each piece of evidence gets a stance in [-1, 1]: the mean PLOVER intensity / 10 of the events from A to B
inside it, else a small cooperation/conflict lexicon over its content ("golden era", "unshakable" against
"threat", "enemy", "spying"). A side's stance is the mean of its evidence. The divergence score is
``|public - internal| / 2`` in [0, 1]; it is ``None`` ("not enough evidence": abstain rather than guess) when
a compared side has no item or both together have fewer than ``min_items`` (one quote against one document
is an anecdote, not a stance). Actors are named by country code (``RUS``) or
actor id (``org:fsb``).

Evidence is counted per event, not per copy: one statement quoted in several articles (syndicated copies,
other outlets) is one item, and the material actions are events as ``detente.analytics.counting`` counts
them (repeat mentions in an article and the reports of one story are one). Each item keeps its speakers and
every article carrying it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from detente.analytics.counting import count_events, plural
from detente.records import ActorRef, Bundle, Claim, Event
from detente.store.base import ArticleFacts, Store

PUBLIC_CHANNELS = frozenset({"public_statement"})
INTERNAL_CHANNELS = frozenset({"leaked_document", "official_document"})
# A score at or above this is reported as a divergence in per-article summaries.
DIVERGENT = 0.5
# Fewer items than this on the public side and the side it is compared with together (or none on either):
# "not enough evidence", no score.
MIN_ITEMS = 3
# Per-article summaries (the "divergences" of a bundle) point at one article: one item a side is enough there.
MIN_ITEMS_IN_ARTICLE = 2

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
    speakers: tuple[str, ...] = ()  # who says it (a claim's speakers) or does it (an event's source)
    # Every article carrying this item (a statement quoted in several, an event reported by a story), and
    # how many mentions were merged into it.
    article_ids: tuple[str, ...] = ()
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class DivergenceSide:
    stance: float | None  # mean stance of the evidence; None without evidence
    evidence: tuple[DivergenceEvidence, ...] = ()

    @property
    def items(self) -> int:
        return len(self.evidence)

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for e in self.evidence for s in e.speakers))


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
    min_items: int = MIN_ITEMS
    compared: str = "internal"  # the side the public one is compared with: "internal" or "material"

    @property
    def enough_evidence(self) -> bool:
        return self.score is not None


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
        cues=tuple(cues), speakers=tuple(dict.fromkeys(r.name for r in claim.speaker)),
        article_ids=(bundle.article.id,),
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
        cues=(event.event_type,), speakers=tuple(dict.fromkeys(r.name for r in event.source)),
        article_ids=(bundle.article.id,),
    )  # fmt: skip


def claim_side(channel: str) -> str | None:
    """Which side of a divergence a claim of this channel is evidence for: what a state says in public,
    what its documents say, or neither."""
    if channel in PUBLIC_CHANNELS:
        return "public"
    if channel in INTERNAL_CHANNELS:
        return "internal"
    return None


def evidence_in_bundle(bundle: Bundle, a: str, b: str) -> list[DivergenceEvidence]:
    """Every piece of public, internal and material evidence about A toward B in one article."""
    found: list[DivergenceEvidence] = []
    documents = [c for c in bundle.claims if c.channel in INTERNAL_CHANNELS]
    for claim in bundle.claims:
        if not any(matches(r, a) for r in claim.speaker):
            continue
        side = claim_side(claim.channel)
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


_WORDS = re.compile(r"\w+")


def _statement_key(item: DivergenceEvidence) -> tuple[str, ...]:
    """One statement however many articles quote it: same side, speakers and words."""
    return (item.side, "+".join(sorted(item.speakers)), " ".join(_WORDS.findall(item.text.lower())))


def per_event(
    evidence: Sequence[DivergenceEvidence], event_of: Mapping[str, str] | None = None
) -> list[DivergenceEvidence]:
    """Evidence counted once per statement or event: copies merged into their first item (the first given:
    callers pass bundles oldest first), which keeps every article carrying it.

    ``event_of`` maps a mention id to the id of the event it reports (``counting.count_events``); events not
    in it stand alone.
    """
    merged: dict[tuple[str, ...], DivergenceEvidence] = {}
    for item in evidence:
        key = (
            _statement_key(item)
            if item.kind == "claim"
            else ("event", item.side, (event_of or {}).get(item.id, item.id))
        )
        first = merged.get(key)
        if first is None:
            merged[key] = item
            continue
        merged[key] = dataclasses.replace(
            first, article_ids=tuple(dict.fromkeys((*first.article_ids, *item.article_ids))),
            mentions=first.mentions + item.mentions,
        )  # fmt: skip
    return list(merged.values())


def combine(
    a: str, b: str, evidence: Sequence[DivergenceEvidence], *, min_items: int = MIN_ITEMS
) -> Divergence:
    """The score from evidence already counted per event (:func:`per_event`)."""
    public = _side(e for e in evidence if e.side == "public")
    internal = _side(e for e in evidence if e.side == "internal")
    material = _side(e for e in evidence if e.side == "material")
    compared = "internal" if internal.stance is not None else "material"
    hidden = internal if compared == "internal" else material
    label = "internal documents" if compared == "internal" else "material actions"
    items = f"{plural(public.items, 'public item')} against {plural(hidden.items, 'item')} of {label}"
    score = None
    if public.items and hidden.items and public.items + hidden.items >= min_items:
        score = round(abs(public.stance - hidden.stance) / 2, 3)  # type: ignore[operator]
        verdict = f"divergence {score:.2f} ({items})"
    else:
        verdict = f"not enough evidence to compare ({items}; needs one a side and {min_items} in all)"
    summary = (
        f"{a} toward {b}: public {_describe(public.stance)}, {label} {_describe(hidden.stance)}; {verdict}"
    )
    articles = tuple(dict.fromkeys(i for e in evidence for i in (e.article_ids or (e.article_id,))))
    return Divergence(a, b, score, public, internal, material, articles, summary, min_items, compared)


def _facts(bundle: Bundle) -> ArticleFacts:
    article = bundle.article
    return ArticleFacts(article.id, article.published_date, article.outlet, article.story_id)


def divergence(data: Store | Iterable[Bundle], a: str, b: str, *, min_items: int = MIN_ITEMS) -> Divergence:
    """A's public stance toward B against A's internal documents (or material actions) toward B.

    ``data`` is a store or any iterable of bundles (oldest first, so an item is shown from the article that
    first carried it); actors are country codes or actor ids. With no item on the public side or on the side it
    is compared with, or fewer than ``min_items`` on both together, the score is None ("not enough evidence").
    """
    bundles = list(data.iter_bundles() if isinstance(data, Store) else data)
    evidence = [item for bundle in bundles for item in evidence_in_bundle(bundle, a, b)]
    material = {e.id for e in evidence if e.kind == "event"}
    mentions = [e for bundle in bundles for e in bundle.events if e.id in material]
    facts = {bundle.article.id: _facts(bundle) for bundle in bundles}
    event_of = {m.id: found.id for found in count_events(mentions, facts) for m in found.mentions}
    return combine(a, b, per_event(evidence, event_of), min_items=min_items)


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
    facts = {bundle.article.id: _facts(bundle)}
    event_of = {m.id: found.id for found in count_events(bundle.events, facts) for m in found.mentions}
    found = [
        combine(a, b, per_event(evidence_in_bundle(bundle, a, b), event_of), min_items=MIN_ITEMS_IN_ARTICLE)
        for a, b in pairs
    ]
    return sorted(
        (d for d in found if d.score is not None and d.score >= min_score), key=lambda d: -(d.score or 0)
    )
