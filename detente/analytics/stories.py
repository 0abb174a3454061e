"""Stories and corroboration: which articles tell the same story, and how many independent outlets report
each event.

Two signals, both cheap:

- **near-duplicates**: MinHash over word 5-shingles with an LSH index (:mod:`detente.analytics.minhash`).
  Syndicated copies of one wire story land in one duplicate group and count once.
- **same story**: articles that code the same event (PLOVER type + source + target, actors compared by
  country code, or actor id when the country is unknown; both sides must be known) on dates within
  ``window_days`` of each other.
  One shared event is enough when the texts also overlap a little; otherwise two are needed, because one
  common event ("USA ACCUSE RUS") links many unrelated articles.

Corroboration of an event = the number of distinct outlets among the *originals* reporting it: each
duplicate group contributes the outlet of its earliest article, and an outlet reporting twice counts once.

Everything here is a pure function over :class:`~detente.records.Bundle` s; the ``*_in_store`` helpers read
bundles from a :class:`~detente.store.base.Store` and write story ids back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from detente.analytics import minhash
from detente.records import ActorRef, Bundle, Event, stable_id
from detente.store.base import Store

SHINGLE_WORDS = 5
NUM_PERM = minhash.NUM_PERM
DUPLICATE_THRESHOLD = 0.7  # estimated Jaccard of 5-shingles above which two texts are copies of one story
RELATED_THRESHOLD = 0.15  # enough shared wording to trust a single shared event
_WORD = re.compile(r"\w+", re.UNICODE)
_UNRESOLVED = ("unresolved:", "anonymous:", "outlet:")


@dataclass(frozen=True, slots=True)
class Story:
    """Articles telling one story, with their near-duplicate groups and the outlets involved."""

    story_id: str
    article_ids: tuple[str, ...]
    duplicate_groups: tuple[tuple[str, ...], ...]  # syndicated copies of one text, earliest first
    outlets: tuple[str, ...]
    first_published: dt.date | None


@dataclass(frozen=True, slots=True)
class Corroboration:
    """One event as reported across articles: how many independent outlets say it happened."""

    event_type: str
    source: str
    target: str
    date: dt.date | None
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]  # independent outlets (originals only)

    @property
    def count(self) -> int:
        return len(self.outlets)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Lower-cased word ``size``-grams (the whole text as one shingle when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signatures(bundles: Sequence[Bundle], num_perm: int = NUM_PERM) -> dict[str, np.ndarray]:
    """MinHash signature per article id (articles with no words get none)."""
    found = {b.article.id: minhash.signature(shingles(b.article.text), num_perm) for b in bundles}
    return {aid: sig for aid, sig in found.items() if sig is not None}


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for item in self.parent:
            out[self.find(item)].append(item)
        return list(out.values())


def _published(bundle: Bundle) -> dt.date | None:
    return bundle.article.published_date


def _order(bundles: Mapping[str, Bundle], ids: Iterable[str]) -> list[str]:
    """Earliest published first (undated last), ties by id: the first is the group's original."""
    return sorted(ids, key=lambda i: (_published(bundles[i]) or dt.date.max, i))


def near_duplicates(
    bundles: Sequence[Bundle], threshold: float = DUPLICATE_THRESHOLD, num_perm: int = NUM_PERM,
    hashes: Mapping[str, np.ndarray] | None = None,
) -> list[tuple[str, ...]]:  # fmt: skip
    """Groups of article ids whose texts are near-copies, earliest first; singletons included."""
    by_id = {b.article.id: b for b in bundles}
    hashes = hashes if hashes is not None else signatures(bundles, num_perm)
    buckets: dict[int, list[str]] = defaultdict(list)  # LSH: articles sharing a band key are candidates
    found = _UnionFind(by_id)
    for article, signature in hashes.items():
        keys = minhash.band_keys(signature, threshold)
        for other in dict.fromkeys(o for key in keys for o in buckets[key]):
            if minhash.jaccard(signature, hashes[other]) >= threshold:  # confirm the candidate's estimate
                found.union(article, other)
        for key in keys:
            buckets[key].append(article)
    return sorted((tuple(_order(by_id, g)) for g in found.groups()), key=lambda g: g[0])


def _side(refs: tuple[ActorRef, ...]) -> str:
    """Countries, else knowledge-base actor ids; mentions nobody resolved ("officials") name no side."""
    keys = {r.country if r.country not in ("UNK", "") else r.actor_id for r in refs}
    return "+".join(sorted(k for k in keys if not k.startswith(_UNRESOLVED))) or "-"


def event_key(event: Event) -> tuple[str, str, str]:
    """What makes two coded events the same happening, apart from the date: type and dyad."""
    return event.event_type, _side(event.source), _side(event.target)


def event_date(event: Event, bundle: Bundle) -> dt.date | None:
    if event.date is not None and event.date.start is not None:
        return event.date.start
    return _published(bundle)


def _within(a: dt.date | None, b: dt.date | None, days: int) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


def _event_mentions(
    bundles: Sequence[Bundle], original: Mapping[str, str] | None = None
) -> dict[tuple[str, ...], list[tuple[dt.date | None, str, Event]]]:
    """Mentions per event key. An event missing its source or target ("RUS ASSAULT -") says too little to
    match across articles: it is keyed to its own article (or, given ``original``, its duplicate group)."""
    mentions: dict[tuple[str, ...], list[tuple[dt.date | None, str, Event]]] = defaultdict(list)
    for bundle in bundles:
        for event in bundle.events:
            key: tuple[str, ...] = event_key(event)
            if "-" in key[1:]:
                aid = bundle.article.id
                key = (*key, original.get(aid, aid) if original else aid)
            mentions[key].append((event_date(event, bundle), bundle.article.id, event))
    return mentions


def stories(
    bundles: Sequence[Bundle], *, window_days: int = 3, threshold: float = DUPLICATE_THRESHOLD,
    num_perm: int = NUM_PERM,
) -> list[Story]:  # fmt: skip
    """Cluster articles into stories: near-duplicates plus shared coded events within the time window."""
    bundles = [b for b in bundles if b.article.skip_reason is None]
    by_id = {b.article.id: b for b in bundles}
    hashes = signatures(bundles, num_perm)
    duplicates = near_duplicates(bundles, threshold, num_perm, hashes)
    found = _UnionFind(by_id)
    for group in duplicates:
        for other in group[1:]:
            found.union(group[0], other)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for key, mentions in _event_mentions(bundles).items():
        if len(key) > 3:  # partial dyads never link articles
            continue
        seen: set[tuple[str, str]] = set()
        for i, (date_a, article_a, _) in enumerate(mentions):
            for date_b, article_b, _ in mentions[i + 1 :]:
                pair = (min(article_a, article_b), max(article_a, article_b))
                if article_a != article_b and pair not in seen and _within(date_a, date_b, window_days):
                    seen.add(pair)
                    shared[pair] += 1
    for (a, b), count in shared.items():
        related = a in hashes and b in hashes and minhash.jaccard(hashes[a], hashes[b]) >= RELATED_THRESHOLD
        if count >= 2 or related:
            found.union(a, b)
    dup_of = {a: g for g in duplicates for a in g}
    result = []
    for members in found.groups():
        ordered = _order(by_id, members)
        groups = sorted({dup_of[a] for a in ordered}, key=lambda g: ordered.index(g[0]))
        outlets = tuple(dict.fromkeys(o for a in ordered if (o := by_id[a].article.outlet)))
        result.append(Story(
            story_id=stable_id("story", ordered[0]), article_ids=tuple(ordered), duplicate_groups=tuple(groups),
            outlets=outlets, first_published=_published(by_id[ordered[0]]),
        ))  # fmt: skip
    return sorted(result, key=lambda s: (-len(s.article_ids), s.story_id))


def story_ids(found: Iterable[Story]) -> dict[str, str]:
    """Article id -> story id, the shape ``Store.set_story_ids`` takes."""
    return {article: story.story_id for story in found for article in story.article_ids}


def corroboration(
    bundles: Sequence[Bundle], *, window_days: int = 3, threshold: float = DUPLICATE_THRESHOLD,
    num_perm: int = NUM_PERM,
) -> list[Corroboration]:  # fmt: skip
    """Each distinct event (type + dyad, dates within the window) with the independent outlets reporting it.

    Syndicated copies count once: an article that is a near-copy of an earlier one adds nothing; an outlet
    reporting the same event in two original articles counts once. Articles without an outlet count each
    as their own (anonymous) outlet.
    """
    bundles = [b for b in bundles if b.article.skip_reason is None]
    by_id = {b.article.id: b for b in bundles}
    original = {a: g[0] for g in near_duplicates(bundles, threshold, num_perm) for a in g}
    result = []
    for key, mentions in _event_mentions(bundles, original).items():
        mentions.sort(key=lambda m: (m[0] or dt.date.max, m[1]))
        for cluster in _date_clusters(mentions, window_days):
            articles = tuple(dict.fromkeys(m[1] for m in cluster))
            originals = dict.fromkeys(original[a] for a in articles)
            outlets = tuple(dict.fromkeys(by_id[a].article.outlet or f"article:{a}" for a in originals))
            dates = [m[0] for m in cluster if m[0] is not None]
            result.append(Corroboration(
                event_type=key[0], source=key[1], target=key[2], date=min(dates) if dates else None,
                event_ids=tuple(m[2].id for m in cluster), article_ids=articles, outlets=outlets,
            ))  # fmt: skip
    return sorted(result, key=lambda c: (-c.count, c.date or dt.date.max, c.event_type, c.source, c.target))


def _date_clusters(
    mentions: list[tuple[dt.date | None, str, Event]], window_days: int
) -> list[list[tuple[dt.date | None, str, Event]]]:
    """Split date-sorted mentions where the gap to the previous exceeds the window; undated ones join the last."""
    clusters: list[list[tuple[dt.date | None, str, Event]]] = []
    last: dt.date | None = None
    for mention in mentions:
        date = mention[0]
        if clusters and (date is None or last is None or (date - last).days <= window_days):
            clusters[-1].append(mention)
        else:
            clusters.append([mention])
        last = date or last
    return clusters


def corroboration_counts(bundles: Sequence[Bundle], **options: int | float) -> dict[str, int]:
    """Event id -> number of independent outlets reporting that event."""
    return {eid: c.count for c in corroboration(bundles, **options) for eid in c.event_ids}  # type: ignore[arg-type]


# ------------------------------------------------------------------ over a store


def stories_in_store(store: Store, *, window_days: int = 3, write: bool = True) -> list[Story]:
    """Cluster every stored article into stories; with ``write``, record the story id of each article
    and the corroboration count of each event in the store (one pass over the stored bundles).

    Both are written in one transaction, after all the work: a run killed while clustering leaves the
    store as it was, with its new articles still unclustered, and the next ``code_into_store`` finishes
    the job (``Store.unclustered``)."""
    bundles = list(store.iter_bundles())
    found = stories(bundles, window_days=window_days)
    if write:
        found_events = corroboration(bundles, window_days=window_days)
        store.write_stories(
            story_ids(found), {event_id: c.count for c in found_events for event_id in c.event_ids}
        )
    return found


def corroboration_in_store(store: Store, *, window_days: int = 3) -> list[Corroboration]:
    return corroboration(list(store.iter_bundles()), window_days=window_days)
