"""Divergence evidence kept per article at write time, so a dyad page reads rows instead of bundles.

``detente.analytics.divergence`` finds, in one bundle, the evidence about A toward B: A's public and internal
claims that name B (with their stance), and A's material actions toward B that no document carries. Which
pairs can have evidence in an article is known from the article alone: A is a key (actor id or country code)
of a claim's speaker or a material event's source, B a key of an actor named inside that claim or of an
inside event's target, or of the event's target. So every bundle write computes the evidence of each such
pair with the divergence module's own functions (:func:`items_of`) and keeps it in ``divergence_items``
(migration 0016); :func:`divergence` puts a pair's items back together exactly as
``divergence.divergence`` does over every bundle of the store (oldest article first, the material mentions
counted into events), with no limit on the articles.

Keys are the strings ``divergence.matches`` compares: an actor id as it is, a country code upper-cased. A key
given in another case is read as the country code (``matches`` upper-cases it); this assumes no actor's id
is a country code of another country.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from detente.records import ActorRef, Bundle, Event, to_dict

if TYPE_CHECKING:
    from detente.analytics.divergence import Divergence, DivergenceEvidence
    from detente.store.base import ArticleFacts

Fetch = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]

INSERT = (
    "INSERT INTO divergence_items (a, b, article_id, seq, published, mention_id, data)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _keys(refs: Sequence[ActorRef]) -> set[str]:
    return {k for r in refs for k in (r.actor_id, r.country) if k}


def order(bundle: Bundle) -> str:
    """Where an article comes in the order divergence reads bundles (``api.services.divergence_for``)."""
    return str(bundle.article.published or "")


def items_of(bundle: Bundle) -> list[tuple[str, str, int, DivergenceEvidence]]:
    """Every (a, b, position, evidence) of one article: for each pair, what ``evidence_in_bundle(bundle, a,
    b)`` returns, in its order. Claims and events are taken in the order the store reads them back."""
    import dataclasses

    from detente.analytics.divergence import (
        INTERNAL_CHANNELS,
        _claim_evidence,
        _directed,
        _event_evidence,
        _inside,
        claim_side,
    )

    claims = sorted(bundle.claims, key=lambda c: (c.content.start, c.id))
    events = sorted(bundle.events, key=lambda e: (e.trigger.start, e.id))
    bundle = dataclasses.replace(bundle, claims=tuple(claims), events=tuple(events))
    found: list[tuple[str, str, int, DivergenceEvidence]] = []
    for seq, claim in enumerate(claims):
        side = claim_side(claim.channel)
        if side is None:
            continue
        inside = [e for e in events if _inside(e, claim)]
        start, end = claim.content.start, claim.content.end
        named = _keys([r for r in bundle.actors if start <= r.start and r.end <= end])
        named |= _keys([r for e in inside for r in e.target])
        for a in sorted(_keys(claim.speaker)):
            for b in sorted(named):
                if item := _claim_evidence(bundle, claim, a, b, side):
                    found.append((a, b, seq, item))
    documents = [c for c in claims if c.channel in INTERNAL_CHANNELS]
    for seq, event in enumerate(events, start=len(claims)):
        if not (event.source and event.quad.startswith("material")):
            continue
        if any(_inside(event, d) for d in documents):
            continue
        for a in sorted(_keys(event.source)):
            for b in sorted(_keys(event.target)):
                if _directed(event, a, b):
                    found.append((a, b, seq, _event_evidence(bundle, event, "material")))
    return found


def rows_of(bundle: Bundle) -> list[tuple[Any, ...]]:
    """The ``divergence_items`` rows of one bundle (``INSERT``'s columns)."""
    when = order(bundle)
    return [
        (a, b, bundle.article.id, seq, when, item.id if item.kind == "event" else None,
         json.dumps(to_dict(item), ensure_ascii=False, separators=(",", ":")))
        for a, b, seq, item in items_of(bundle)
    ]  # fmt: skip


def _evidence(data: str) -> DivergenceEvidence:
    from detente.analytics.divergence import DivergenceEvidence

    record: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(data).items()}
    return DivergenceEvidence(**record)


def _key(fetch: Fetch, column: str, key: str) -> str:
    """``key`` as stored: as given when some article has it, else the country code (see the module)."""
    if key == key.upper() or fetch(f"SELECT 1 FROM divergence_items WHERE {column} = ? LIMIT 1", (key,)):
        return key
    return key.upper()


def divergence(
    fetch: Fetch,
    mentions_of: Callable[[Sequence[str]], list[Event]],
    facts_of: Callable[[set[str]], dict[str, ArticleFacts]],
    a: str,
    b: str,
) -> Divergence:
    """``divergence.divergence`` over every bundle of the store, from the kept rows: a's evidence toward b,
    oldest article first, the material mentions counted into events as it counts them."""
    from detente.analytics.counting import count_events
    from detente.analytics.divergence import combine, per_event

    rows = fetch(
        "SELECT published, article_id, seq, mention_id, data FROM divergence_items WHERE a = ? AND b = ?",
        (_key(fetch, "a", a), _key(fetch, "b", b)),
    )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    evidence = [_evidence(r[4]) for r in rows]
    article_rank = {aid: i for i, aid in enumerate(dict.fromkeys(r[1] for r in rows))}
    found = mentions_of(sorted({r[3] for r in rows if r[3] is not None}))
    found.sort(key=lambda e: (article_rank.get(e.article_id, len(article_rank)), e.trigger.start, e.id))
    facts = facts_of({m.article_id for m in found})
    event_of = {m.id: event.id for event in count_events(found, facts) for m in event.mentions}
    return combine(a, b, per_event(evidence, event_of))
