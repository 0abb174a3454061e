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

import bisect
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from detente.analytics import minhash
from detente.records import ActorRef, Bundle, Event, stable_id
from detente.store.base import (
    IndexedArticle,
    Store,
    StoryIndex,
    StoryLead,
    StoryMember,
    StoryMention,
    StoryUpdate,
)

SHINGLE_WORDS = 5
NUM_PERM = minhash.NUM_PERM
DUPLICATE_THRESHOLD = 0.7  # estimated Jaccard of 5-shingles above which two texts are copies of one story
RELATED_THRESHOLD = 0.15  # enough shared wording to trust a single shared event
_WORD = re.compile(r"\w+", re.UNICODE)
_UNRESOLVED = ("unresolved:", "anonymous:", "outlet:")
_M = TypeVar("_M", bound=tuple[Any, ...])


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


def _date_clusters(mentions: list[_M], window_days: int) -> list[list[_M]]:
    """Split date-sorted mentions (each a tuple whose first item is its date) where the gap to the previous
    exceeds the window; undated ones (sorted last) join the last cluster."""
    clusters: list[list[_M]] = []
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


# ------------------------------------------------------------------ over a store: the persisted index

# Articles clustered per step (one transaction each): a step reads only their bundles and the index rows of
# their candidates, so its cost does not grow with the store; a killed run loses at most one step's work.
STEP_ARTICLES = 500


@dataclass(frozen=True, slots=True)
class StoryRun:
    """What ``update_stories`` did: articles clustered, in how many steps, and the stories now stored."""

    clustered: int
    steps: int
    stories: int
    rebuilt: bool


def index_settings(window_days: int) -> dict[str, str]:
    """What the index depends on; an index built with other settings is rebuilt."""
    return {
        "version": "1", "window_days": str(window_days), "shingle_words": str(SHINGLE_WORDS),
        "num_perm": str(NUM_PERM), "duplicate_threshold": str(DUPLICATE_THRESHOLD),
        "related_threshold": str(RELATED_THRESHOLD),
    }  # fmt: skip


def update_stories(
    store: Store, *, window_days: int = 3, rebuild: bool = False, step: int = STEP_ARTICLES
) -> StoryRun:
    """Cluster the articles the store's story index does not hold yet (``Store.unclustered``), comparing
    each with its candidates only: articles sharing an LSH band key (near-duplicates) or an event key
    within the window (same story). Story ids and the corroboration of every event whose count changes
    are written with the index rows, in one transaction per ``step`` articles; nothing else is read.

    The result equals clustering every article at once (:func:`stories`, :func:`corroboration`): stories
    and near-duplicate groups only ever merge as articles arrive (an article coded again takes its story
    out of the index, to be clustered afresh), and the keys whose counts can change are counted again in
    full. ``rebuild`` (or an index built with other settings) forgets the index and clusters everything.
    """
    settings = index_settings(window_days)
    clustered = steps = 0
    rebuilt = first = False
    while True:
        with store.story_index() as index:
            if not first:
                first = True
                if rebuild or index.settings() != settings:
                    index.reset(settings)
                    rebuilt = True
            ids = index.pending(step)
            if ids:
                _cluster_step(index, ids, window_days)
                clustered += len(ids)
                steps += 1
                continue
            count = index.story_count()
        return StoryRun(clustered, steps, count, rebuilt)


def _key_text(key: tuple[str, str, str]) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def _cluster_step(index: StoryIndex, ids: Sequence[str], window_days: int) -> None:
    bundles = [b for b in index.bundles(ids) if b.article.skip_reason is None]
    new = {b.article.id: b for b in bundles}
    day = {aid: _published(b) for aid, b in new.items()}
    sigs = {
        aid: sig for aid, b in new.items() if (sig := minhash.signature(shingles(b.article.text))) is not None
    }
    bands = {aid: minhash.band_keys(sig, DUPLICATE_THRESHOLD) for aid, sig in sigs.items()}
    mentions: list[tuple[str, str, str, dt.date | None]] = []  # event id, article id, key, day
    corroboration: dict[str, int] = {}
    for aid, bundle in new.items():
        for event in bundle.events:
            dyad = event_key(event)
            if "-" in dyad[1:]:
                corroboration[event.id] = 1  # a partial dyad is its own event in its duplicate group
            else:
                mentions.append((event.id, aid, _key_text(dyad), event_date(event, bundle)))
    new_keys = {m[2] for m in mentions}

    # Candidates: indexed articles sharing a band key, and indexed mentions sharing an event key.
    neighbours = index.band_neighbours({k for keys in bands.values() for k in keys})
    indexed_mentions = index.mentions(new_keys)
    dup_pairs: set[tuple[str, str]] = set()
    bucket: dict[int, list[str]] = defaultdict(list)
    for aid in sorted(bands):
        for band in bands[aid]:
            for other in [*neighbours.get(band, ()), *bucket[band]]:
                dup_pairs.add((aid, other))
            bucket[band].append(aid)
    shared = _shared_keys(mentions, indexed_mentions, window_days)
    known = index.articles({o for _, o in dup_pairs} | {b for pair in shared for b in pair} - set(new))
    known |= index.articles({a.dup_root for a in known.values()} - set(known))

    def signature(aid: str) -> np.ndarray | None:
        if aid in new:
            return sigs.get(aid)
        text = known[aid].signature if aid in known else None
        return minhash.decode(text) if text else None

    def similar(a: str, b: str, threshold: float) -> bool:
        sa, sb = signature(a), signature(b)
        return sa is not None and sb is not None and minhash.jaccard(sa, sb) >= threshold

    # Near-duplicate groups (an indexed article stands for its group's original) and stories (an indexed
    # article stands for its story). An indexed article missing from ``known`` cannot occur: index rows
    # are written whole; pending articles have none and meet these from their own step.
    duplicates = _UnionFind(new)
    together = _UnionFind(new)

    def join(found: _UnionFind, a: str, item: str) -> None:
        found.parent.setdefault(item, item)
        found.union(a, item)

    for a, b in dup_pairs:
        if (b in new or b in known) and similar(a, b, DUPLICATE_THRESHOLD):
            join(duplicates, a, b if b in new else known[b].dup_root)
            join(together, a, b if b in new else "story:" + known[b].story_id)
    for (a, b), keys in shared.items():
        if (b in new or b in known) and (len(keys) >= 2 or similar(a, b, RELATED_THRESHOLD)):
            join(together, a, b if b in new else "story:" + known[b].story_id)
    # Groups and stories the new articles joined: each led by its earliest article, whose id names it.
    order = {aid: (day[aid] or dt.date.max, aid) for aid in new}
    order |= {aid: (a.day or dt.date.max, aid) for aid, a in known.items()}
    root_of: dict[str, str] = {}
    renamed_roots: dict[str, str] = {}
    for members in duplicates.groups():
        root = min(members, key=order.__getitem__)
        for item in members:
            if item in new:
                root_of[item] = root
            elif item != root:
                renamed_roots[item] = root
    leads = index.stories({i.removeprefix("story:") for i in together.parent if i.startswith("story:")})
    story_of: dict[str, str] = {}
    renamed_stories: dict[str, str] = {}
    stories_written = []
    for members in together.groups():
        old = [leads[i.removeprefix("story:")] for i in members if i.startswith("story:")]
        fresh = [i for i in members if not i.startswith("story:")]
        candidates = [(day[a] or dt.date.max, a) for a in fresh] + [
            (s.lead_day or dt.date.max, s.lead_id) for s in old
        ]
        lead_day, lead = min(candidates)
        story_id = stable_id("story", lead)
        story_of |= dict.fromkeys(fresh, story_id)
        renamed_stories |= {s.story_id: story_id for s in old if s.story_id != story_id}
        size = len(fresh) + sum(s.articles for s in old)
        lead_date = None if lead_day == dt.date.max else lead_day
        stories_written.append(StoryLead(story_id, lead, lead_date, size))

    # Corroboration: every key a new mention joined, or whose originals changed, counted again in full.
    keys = index.group_keys(renamed_roots) | index.stale_keys()
    rows = indexed_mentions + index.mentions(keys - new_keys)
    outlet_of = {aid: b.article.outlet for aid, b in new.items()} | {a: k.outlet for a, k in known.items()}
    outlet_of |= {m.dup_root: m.root_outlet for m in rows}
    by_key: dict[str, list[tuple[dt.date | None, str, str, str, int | None]]] = defaultdict(list)
    for m in rows:
        by_key[m.key].append(
            (m.day, m.article_id, m.event_id, renamed_roots.get(m.dup_root, m.dup_root), m.corroboration)
        )
    for event_id, aid, text, when in mentions:
        by_key[text].append((when, aid, event_id, root_of[aid], None))
    _recount(by_key, outlet_of, window_days, corroboration)

    index.write(StoryUpdate(
        articles=[
            IndexedArticle(aid, minhash.encode(sigs[aid]) if aid in sigs else None, day[aid], root_of[aid], story_of[aid])
            for aid in new
        ],
        bands=[(k, aid) for aid, keys in bands.items() for k in keys], mentions=mentions,
        renamed_roots=renamed_roots, renamed_stories=renamed_stories, stories=stories_written,
        corroboration=corroboration,
    ))  # fmt: skip


def _shared_keys(
    mentions: Sequence[tuple[str, str, str, dt.date | None]],
    indexed: Sequence[StoryMention],
    window_days: int,
) -> dict[tuple[str, str], set[str]]:
    """Pairs (new article, other article) with the event keys they share within the window."""
    dated: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    undated: dict[str, list[str]] = defaultdict(list)
    for m in indexed:
        if m.day is None:
            undated[m.key].append(m.article_id)
        else:
            dated[m.key].append((m.day, m.article_id))
    for entries in dated.values():
        entries.sort()
    fresh: dict[str, list[tuple[dt.date | None, str]]] = defaultdict(list)
    for _, aid, key, when in mentions:
        fresh[key].append((when, aid))
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    window = dt.timedelta(days=window_days)
    for key, fresh_entries in fresh.items():
        for when, aid in fresh_entries:
            if when is None:
                others = [o for _, o in dated[key]] + undated[key]
            else:
                lo = bisect.bisect_left(dated[key], (_shift(when, -window), ""))
                hi = bisect.bisect_right(dated[key], (_shift(when, window), "\uffff"))
                others = [o for _, o in dated[key][lo:hi]] + undated[key]
            others += [o for d, o in fresh_entries if _within(when, d, window_days)]
            for other in others:
                if other != aid:
                    shared[(aid, other)].add(key)
    return shared


def _shift(day: dt.date, delta: dt.timedelta) -> dt.date:
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta.days > 0 else dt.date.min


def _recount(
    by_key: Mapping[str, list[tuple[dt.date | None, str, str, str, int | None]]], outlet_of: Mapping[str, str | None],
    window_days: int, counts: dict[str, int],
) -> None:  # fmt: skip
    """Corroboration of every mention under these keys, as :func:`corroboration` counts it; into
    ``counts`` go the new mentions' counts and every count that differs from the stored one."""
    for rows in by_key.values():
        rows.sort(key=lambda m: (m[0] or dt.date.max, m[1]))
        for cluster in _date_clusters(rows, window_days):
            roots = dict.fromkeys(m[3] for m in cluster)
            count = len(dict.fromkeys(outlet_of.get(r) or f"article:{r}" for r in roots))
            for _, _, event_id, _, stored in cluster:
                if stored != count:
                    counts[event_id] = count


def stored_stories(store: Store) -> list[Story]:
    """The stories the store's index holds, as :func:`stories` gives them (no bundle is read)."""
    members: dict[str, list[StoryMember]] = defaultdict(list)
    for member in store.story_members():
        members[member.story_id].append(member)
    result = []
    for story_id, found in members.items():
        found.sort(key=lambda m: (m.day or dt.date.max, m.article_id))
        groups: dict[str, list[str]] = defaultdict(list)
        for m in found:
            groups[m.dup_root].append(m.article_id)
        result.append(Story(
            story_id=story_id, article_ids=tuple(m.article_id for m in found),
            duplicate_groups=tuple(tuple(g) for g in groups.values()),
            outlets=tuple(dict.fromkeys(m.outlet for m in found if m.outlet)), first_published=found[0].day,
        ))  # fmt: skip
    return sorted(result, key=lambda s: (-len(s.article_ids), s.story_id))


def stories_in_store(store: Store, *, window_days: int = 3, write: bool = True) -> list[Story]:
    """Stories of every stored article. With ``write`` (the default), bring the store's index up to date
    (:func:`update_stories`: only articles not clustered yet are read) and list it; without, cluster
    every stored bundle in memory and write nothing."""
    if not write:
        return stories(list(store.iter_bundles()), window_days=window_days)
    update_stories(store, window_days=window_days)
    return stored_stories(store)


def corroboration_in_store(store: Store, *, window_days: int = 3) -> list[Corroboration]:
    return corroboration(list(store.iter_bundles()), window_days=window_days)
