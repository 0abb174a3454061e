"""What a count counts: one definition of an event and a mention, used by every view.

The CLI (``detente events``, ``detente stats``), the API, every dashboard page and every export count
through this module, so one store gives one answer everywhere.

- A **mention** is one sentence reporting an event: one stored :class:`~detente.records.Event` record.
- An **event** is one real-world occurrence, with every mention reporting it (:class:`Occurrence`):

  - *within an article*, mentions with the same type, actors, modality and time are one event with several
    evidence spans (a lead reporting an entry ban and three later sentences restating it);
  - *across articles*, the articles of one **story** (``Article.story_id``, set by story clustering, which
    puts syndicated copies in the story of their original) reporting the same type, actors and modality
    within ``WINDOW_DAYS`` of each other are one event;
  - a **background** event (an earlier event told as context, ``Event.background``) is counted at its own
    date, never in the month of the article telling it. Background mentions of one type and actors whose own
    dates overlap are one event across the store; without a date of its own it is listed as "before the
    article" (one event per story).

*Same actors*: each side compared by country code, or actor id when the country is unknown; a
**reciprocal** event ("Putin met Xi", ``Event.reciprocal``) has participants and no direction, compared as an
unordered set. *Same time* within an article: the dates written for the mentions overlap; a mention with no
date of its own (dated by its publication) restates the event of its kind mentioned last before it (or first
after it), and only when the article has none does it stand alone, at the publication date.

An event's **corroboration** is the number of independent outlets reporting it, syndicated copies counting
once: the largest count story clustering stored for its mentions (``detente stories``; ``detente code`` runs
it), or, for a background event told in several stories, the distinct outlets of those stories' first articles
when that is more; else the distinct outlets of its articles. Before clustering each article is its own story.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any
from urllib.parse import urlencode

from detente.records import ActorRef, Event, ResolvedDate, to_dict
from detente.store.base import ArticleFacts, EventQuery, Store

# Mentions of one event in different articles of a story may be dated a few days apart (one by its
# "on Monday", another by its publication the next day): the window stories.corroboration uses too.
WINDOW_DAYS = 3
# Events below this confidence (the most confident mention's) are flagged low-confidence in series. The
# confidence is the chance that an event is wholly right (detente.events.calibration): on news about three
# coded events in four are under 0.6, which is what the cross-validation says of them.
LOW_CONFIDENCE = 0.6
# Mentions read for one count on a page or in the API; beyond it the answer says it was truncated.
MAX_MENTIONS = 20_000
# Where the definitions are shown in the dashboard (every page links there).
COUNTING_PAGE = "/counting"
BEFORE_ARTICLE = "before the article"
UNDATED = "undated"

# The definitions as the dashboard shows them; docs/dashboard.md ("Counting") says the same in prose.
DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("mention", "one sentence reporting an event: one coded event record, with its evidence span."),
    (
        "event",
        "one real-world occurrence. Repeat mentions of the same event in an article (same type, "
        "actors, modality and time) are one event; so are the reports of it in the articles of one "
        "story.",
    ),
    (
        "story",
        "the articles reporting the same news, found by story clustering; syndicated copies of one "
        "text belong to the story of their original.",
    ),
    ("corroboration", "how many independent outlets report an event; syndicated copies count once."),
    (
        "background",
        "an earlier event told as context (\u201csince the 2022 invasion\u201d): counted at its own "
        "date, or listed as \u201cbefore the article\u201d, never in the month of the article.",
    ),
    (
        "reciprocal",
        "an event with participants and no direction (\u201cPutin met Xi\u201d): each pair of "
        "participants counts it once in undirected views; directed views leave it out.",
    ),
    (
        "low confidence",
        f"an event whose most confident mention is below {LOW_CONFIDENCE:g}: a chance under "
        f"{LOW_CONFIDENCE:.0%} that its type and both sides' countries are right.",
    ),
    ("single source", "an event reported by one independent outlet."),
)

_UNKNOWN = ("", "UNK")
_MONTH_PRECISE = ("day", "week", "month")
_Interval = tuple[dt.date, dt.date]


# ------------------------------------------------------------------ the parts of a key


def actor_key(ref: ActorRef) -> str:
    """An actor as counting compares it: its country, or its actor id when the country is unknown."""
    return ref.actor_id if ref.country in _UNKNOWN else ref.country


def side(refs: Iterable[ActorRef]) -> str:
    return "+".join(sorted({actor_key(r) for r in refs})) or "-"


def event_key(event: Event) -> tuple[str, ...]:
    """What two mentions must share to report one event, apart from time."""
    if event.reciprocal:
        actors = ("<>", side((*event.source, *event.target)), "")
    else:
        actors = ("->", side(event.source), side(event.target))
    return (event.event_type, event.modality, "background" if event.background else "news", *actors)


def own_date(event: Event) -> ResolvedDate | None:
    """The event's resolved date, when it has a start."""
    return event.date if event.date is not None and event.date.start is not None else None


def is_stated(event: Event) -> bool:
    """Whether the text gives the mention a date (not its publication date taken as a stand-in)."""
    date = own_date(event)
    return date is not None and not date.reason.startswith("publication date")


def _interval(date: ResolvedDate) -> _Interval:
    start = date.start
    assert start is not None
    return start, max(start, date.end or start)


def _width(event: Event) -> int:
    date = own_date(event)
    if date is None:
        return 1 << 30
    start, end = _interval(date)
    return (end - start).days


def _overlap(a: _Interval | None, b: _Interval | None, slack: int) -> bool:
    if a is None or b is None:
        return True
    pad = dt.timedelta(days=slack)
    return a[0] - pad <= b[1] and b[0] - pad <= a[1]


def date_label(date: ResolvedDate | None, day: dt.date | None = None) -> str:
    """A date as precise as it is known: 2025-06-02, 2025-06 (a month is never shown as its first day),
    2025-Q1, 2018, or "undated"."""
    if date is None or date.start is None:
        return day.isoformat() if day else UNDATED
    start, end = _interval(date)
    granularity = date.granularity or "day"
    if granularity == "month":
        label = f"{start:%Y-%m}"
        return label if (end.year, end.month) == (start.year, start.month) else f"{label} – {end:%Y-%m}"
    if granularity == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if granularity == "year":
        return str(start.year) if end.year == start.year else f"{start.year}–{end.year}"
    if granularity == "decade":
        return f"{start.year // 10 * 10}s"
    if granularity == "week":
        return f"week of {start.isoformat()}"
    return start.isoformat() if end == start else f"{start.isoformat()} – {end.isoformat()}"


# ------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One event as counted: the mentions reporting it, where it was reported and when it happened.

    ``id`` is the id of its lead mention (the earliest published article, first in the text), so
    ``/events/{id}`` opens it.
    """

    id: str
    mentions: tuple[Event, ...]  # lead first
    article_ids: tuple[str, ...]
    story_id: str | None
    outlets: tuple[str, ...]  # named outlets of its articles (syndicated copies included)
    corroboration: int  # independent outlets
    date: ResolvedDate | None  # the date it is counted at (None: before the article, or undated)
    day: dt.date | None

    @property
    def lead(self) -> Event:
        return self.mentions[0]

    @property
    def event_type(self) -> str:
        return self.lead.event_type

    @property
    def quad(self) -> str:
        return self.lead.quad

    @property
    def modality(self) -> str:
        return self.lead.modality

    @property
    def source(self) -> tuple[ActorRef, ...]:
        return self.lead.source

    @property
    def target(self) -> tuple[ActorRef, ...]:
        return self.lead.target

    @property
    def reciprocal(self) -> bool:
        return self.lead.reciprocal

    @property
    def background(self) -> bool:
        return self.lead.background

    @property
    def intensity(self) -> float:
        return round(sum(m.intensity for m in self.mentions) / len(self.mentions), 2)

    @property
    def confidence(self) -> float:
        return max(m.confidence for m in self.mentions)

    @property
    def low_confidence(self) -> bool:
        return self.confidence < LOW_CONFIDENCE

    @property
    def single_source(self) -> bool:
        return self.corroboration <= 1

    @property
    def before_article(self) -> bool:
        return self.background and self.day is None

    @property
    def month(self) -> str | None:
        """YYYY-MM when the event is dated at least to its month; None otherwise."""
        if self.day is None:
            return None
        if self.date is not None and (self.date.granularity or "day") not in _MONTH_PRECISE:
            return None
        return f"{self.day:%Y-%m}"

    @property
    def when(self) -> str:
        """The date as a reader sees it (never a month shown as its first day)."""
        if self.before_article:
            return BEFORE_ARTICLE
        return date_label(self.date, self.day)

    @property
    def participants(self) -> tuple[ActorRef, ...]:
        return (*self.source, *self.target)


def article_groups(mentions: Sequence[Event]) -> list[list[Event]]:
    """Mentions of one article grouped into events (see the module docstring for the rule)."""
    by_key: dict[tuple[str, ...], list[Event]] = defaultdict(list)
    for mention in sorted(mentions, key=lambda e: (e.trigger.start, e.id)):
        by_key[event_key(mention)].append(mention)
    groups: list[list[Event]] = []
    for members in by_key.values():
        clusters: list[tuple[_Interval, list[Event]]] = []
        # The most precise dates first, so a vaguer one ("in June") joins a day rather than chaining two days.
        for mention in sorted(
            (m for m in members if is_stated(m)), key=lambda e: (_width(e), e.trigger.start)
        ):
            interval = _interval(own_date(mention))  # type: ignore[arg-type]
            home = next((c for anchor, c in clusters if _overlap(anchor, interval, 0)), None)
            if home is None:
                clusters.append((interval, [mention]))
            else:
                home.append(mention)
        loose = [m for m in members if not is_stated(m)]
        if not clusters:
            groups.append(loose)
            continue
        for mention in loose:
            at = mention.trigger.start
            before = [(max(e.trigger.start for e in c if e.trigger.start < at), i)
                      for i, (_, c) in enumerate(clusters) if any(e.trigger.start < at for e in c)]  # fmt: skip
            after = [(min(e.trigger.start for e in c), i) for i, (_, c) in enumerate(clusters)]
            index = max(before)[1] if before else min(after)[1]
            clusters[index][1].append(mention)
        groups += [sorted(c, key=lambda e: (e.trigger.start, e.id)) for _, c in clusters]
    return groups


@dataclass(slots=True)
class _Piece:
    """One article's mentions of one event, before articles are merged."""

    key: tuple[str, ...]
    article_id: str
    mentions: list[Event]
    published: dt.date | None
    story: str
    interval: _Interval | None  # None: no date (a background event without one)
    stated: bool


def _pieces(mentions: Iterable[Event], facts: Mapping[str, ArticleFacts]) -> list[_Piece]:
    by_article: dict[str, list[Event]] = defaultdict(list)
    for mention in mentions:
        by_article[mention.article_id].append(mention)
    pieces = []
    for aid, found in by_article.items():
        fact = facts.get(aid)
        published = fact.published if fact else None
        story = (fact.story_id if fact else None) or f"article:{aid}"
        for group in article_groups(found):
            stated = [m for m in group if is_stated(m)]
            lead = min(stated, key=lambda e: (_width(e), e.trigger.start)) if stated else group[0]
            date = own_date(lead)
            if stated:
                interval: _Interval | None = _interval(date)  # type: ignore[arg-type]
            elif lead.background:
                interval = None
            elif date is not None:
                interval = _interval(date)
            else:
                interval = (published, published) if published else None
            pieces.append(_Piece(event_key(lead), aid, group, published, story, interval, bool(stated)))
    return pieces


def _merge(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces of one partition merged greedily, most precise first: a piece joins the first event whose
    anchor date is compatible with its own."""
    order = sorted(pieces, key=lambda p: (
        not p.stated, (p.interval[1] - p.interval[0]).days if p.interval else 1 << 30,
        p.published or dt.date.max, p.article_id,
    ))  # fmt: skip
    merged: list[tuple[_Interval | None, list[_Piece]]] = []
    for piece in order:
        # What one article tells apart stays apart: a piece never joins another piece of its own article.
        home = next((m for anchor, m in merged if _overlap(anchor, piece.interval, WINDOW_DAYS)
                     and all(p.article_id != piece.article_id for p in m)), None)  # fmt: skip
        if home is None:
            merged.append((piece.interval, [piece]))
        else:
            home.append(piece)
    return [m for _, m in merged]


def count_events(mentions: Iterable[Event], facts: Mapping[str, ArticleFacts]) -> list[Occurrence]:
    """Mentions grouped into events (pure; :func:`count_in_store` reads them from a store).

    ``facts`` gives each article's publication date, outlet and story id (missing: an undated article of
    its own story). Events come newest first by the day they are counted at, undated and "before the
    article" last.
    """
    pieces = _pieces(mentions, facts)
    partitions: dict[tuple[Any, ...], list[_Piece]] = defaultdict(list)
    loose_background: list[_Piece] = []
    for piece in pieces:
        if piece.key[2] == "background":
            if piece.stated:
                partitions[("background", piece.key)].append(piece)
            else:
                loose_background.append(piece)
        else:
            partitions[(piece.story, piece.key)].append(piece)
    groups = [group for part in partitions.values() for group in _merge(part)]
    # A background mention without a date joins a dated background event of its kind in the same story.
    dated_in_story = {(p.story, p.key): g for g in groups if g[0].key[2] == "background" for p in g}
    alone: dict[tuple[str, tuple[str, ...]], list[_Piece]] = defaultdict(list)
    for piece in loose_background:
        home = dated_in_story.get((piece.story, piece.key))
        (home if home is not None else alone[(piece.story, piece.key)]).append(piece)
    groups += list(alone.values())
    found = [_occurrence(group, facts) for group in groups]
    return sort_newest_first(found)


def sort_newest_first(events: Iterable[Occurrence]) -> list[Occurrence]:
    return sorted(events, key=lambda o: (o.day is None, -(o.day.toordinal() if o.day else 0), o.id))


def _occurrence(pieces: list[_Piece], facts: Mapping[str, ArticleFacts]) -> Occurrence:
    pieces = sorted(pieces, key=lambda p: (p.published or dt.date.max, p.article_id))
    mentions = tuple(m for p in pieces for m in p.mentions)
    article_ids = tuple(dict.fromkeys(p.article_id for p in pieces))
    outlets = tuple(dict.fromkeys(o for a in article_ids if (f := facts.get(a)) and (o := f.outlet)))
    stored = [m.corroboration for m in mentions if m.corroboration is not None]

    def outlet(aid: str) -> str:
        return facts[aid].outlet or f"article:{aid}" if aid in facts else f"article:{aid}"

    # Stories are independent of each other: the earliest article of each (its original) names an outlet.
    # Within a story only clustering knows which articles are copies, so its stored count is taken.
    originals = {p.story: outlet(p.article_id) for p in reversed(pieces)}
    if stored:
        corroboration = max(max(stored), len(set(originals.values())))
    else:
        corroboration = len({outlet(a) for a in article_ids})
    stated = [m for m in mentions if is_stated(m)]
    lead_fact = facts.get(pieces[0].article_id)
    if stated:
        date: ResolvedDate | None = own_date(min(stated, key=lambda e: (_width(e), e.trigger.start)))
    elif mentions[0].background:
        date = None
    else:
        date = own_date(mentions[0])
    day = date.start if date is not None else None
    if day is None and not mentions[0].background and lead_fact is not None:
        day = lead_fact.published
    story = lead_fact.story_id if lead_fact else None
    return Occurrence(mentions[0].id, mentions, article_ids, story, outlets, corroboration, date, day)


# ------------------------------------------------------------------ tallies


@dataclass(frozen=True, slots=True)
class Tally:
    """A count that names what it counts: "21 mentions, 17 events"."""

    mentions: int
    events: int

    def __str__(self) -> str:
        return f"{plural(self.mentions, 'mention')}, {plural(self.events, 'event')}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def tally(events: Iterable[Occurrence]) -> Tally:
    found = list(events)
    return Tally(sum(len(o.mentions) for o in found), len(found))


@dataclass(frozen=True, slots=True)
class Counted:
    """Events read from a store for one question, with how many mentions were read."""

    events: tuple[Occurrence, ...]
    truncated: bool = False  # more than MAX_MENTIONS mentions matched: the oldest were not read

    @property
    def tally(self) -> Tally:
        return tally(self.events)


def count_in_store(store: Store, query: EventQuery | None = None, *, limit: int = MAX_MENTIONS) -> Counted:
    """The events behind a query's mentions (the query's own limit and offset are ignored)."""
    query = dataclasses.replace(query or EventQuery(), limit=limit + 1, offset=0)
    mentions = store.events(query)
    truncated = len(mentions) > limit
    mentions = mentions[:limit]
    facts = store.article_facts({m.article_id for m in mentions})
    return Counted(tuple(count_events(mentions, facts)), truncated)


@dataclass(frozen=True, slots=True)
class Summary:
    """The whole store at a glance: its tally, its newest events and its most active country pairs."""

    tally: Tally
    latest: tuple[Occurrence, ...]
    top_pairs: tuple[tuple[tuple[str, str], int], ...]
    truncated: bool = False


def summarize(store: Store, *, latest: int = 15, pairs: int = 10) -> Summary:
    """:class:`Summary` of a store: from the counted events every write keeps (``Store.event_totals``), the
    same numbers as counting every mention here; a store without them is counted here (up to MAX_MENTIONS)."""
    if hasattr(store, "event_totals"):
        totals = store.event_totals()
        return Summary(
            Tally(totals.mentions, totals.events),
            tuple(store.latest_events(latest)),
            tuple(store.top_pairs(pairs)),
        )
    counted = count_in_store(store)
    return Summary(counted.tally, counted.events[:latest], tuple(top_pairs(counted.events, limit=pairs)),
                   counted.truncated)  # fmt: skip


def store_counts(store: Store, *, limit: int | None = MAX_MENTIONS) -> dict[str, Any]:
    """What a store holds, events counted as this module defines them (``limit``: mentions read; None: all).
    A store that keeps counted events (``Store.event_totals``) answers for all its mentions at once."""
    stats = store.stats()
    if hasattr(store, "event_totals"):
        totals = store.event_totals()
        return {
            "articles": stats.articles, "skipped": stats.skipped, "mentions": stats.mentions,
            "events": totals.events, "background": totals.background, "before_article": totals.before_article,
            "reciprocal": totals.reciprocal, "claims": stats.claims, "actors": stats.actors,
            "outlets": stats.outlets, "stories": stats.stories, "failed": stats.failed, "truncated": False,
        }  # fmt: skip
    counted = count_in_store(store, limit=stats.mentions if limit is None else limit)
    events = counted.events
    return {
        "articles": stats.articles, "skipped": stats.skipped, "mentions": stats.mentions, "events": len(events),
        "background": sum(e.background for e in events), "before_article": sum(e.before_article for e in events),
        "reciprocal": sum(e.reciprocal for e in events), "claims": stats.claims, "actors": stats.actors,
        "outlets": stats.outlets, "stories": stats.stories, "failed": stats.failed, "truncated": counted.truncated,
    }  # fmt: skip


def occurrence_to_dict(event: Occurrence) -> dict[str, Any]:
    """An event as JSON: its lead mention's record fields, dated as counted, with its mentions and sources."""
    data: dict[str, Any] = to_dict(event.lead)
    data.update({
        "date": to_dict(event.date), "when": event.when, "month": event.month,
        "mentions": len(event.mentions), "mention_ids": [m.id for m in event.mentions],
        "article_ids": list(event.article_ids), "story_id": event.story_id, "outlets": list(event.outlets),
        "corroboration": event.corroboration, "confidence": event.confidence, "intensity": event.intensity,
        "low_confidence": event.low_confidence, "single_source": event.single_source,
    })  # fmt: skip
    return data


def occurrence_of(store: Store, event: Event) -> Occurrence:
    """The event a mention belongs to (its fellow mentions read from the store)."""
    actors = [r for r in (*event.source, *event.target)]
    query = EventQuery(event_type=event.event_type, actor=actor_key(actors[0]) if actors else None)
    if not actors:
        query = dataclasses.replace(query, article_id=event.article_id)
    for found in count_in_store(store, query).events:
        if any(m.id == event.id for m in found.mentions):
            return found
    facts = store.article_facts([event.article_id])
    return count_events([event], facts)[0]


# ------------------------------------------------------------------ dyads and actors


def matches(ref: ActorRef, key: str) -> bool:
    """An actor named by actor id or country code."""
    return key in (ref.actor_id, ref.country)


def direction(event: Occurrence | Event, a: str, b: str) -> str | None:
    """How an event relates a and b: "a>b", "b>a", "mutual" (a reciprocal event with both), "other" (both
    involved otherwise, e.g. on one side), or None when it does not involve both."""
    source, target = event.source, event.target
    if event.reciprocal:
        everyone = (*source, *target)
        both = any(matches(r, a) for r in everyone) and any(matches(r, b) for r in everyone)
        return "mutual" if both else None
    if any(matches(r, a) for r in source) and any(matches(r, b) for r in target):
        return "a>b"
    if any(matches(r, b) for r in source) and any(matches(r, a) for r in target):
        return "b>a"
    everyone = (*source, *target)
    return "other" if any(matches(r, a) for r in everyone) and any(matches(r, b) for r in everyone) else None


def involves(event: Occurrence, actor: str) -> bool:
    return any(matches(r, actor) for r in event.participants)


def country_pairs(event: Occurrence | Event) -> set[tuple[str, str]]:
    """The unordered country pairs an event relates, each once: source × target, or every two participants
    of a reciprocal event. Pairs within one country and unknown countries are left out."""
    if event.reciprocal:
        countries = {r.country for r in (*event.source, *event.target) if r.country not in _UNKNOWN}
        return {(x, y) for x, y in combinations(sorted(countries), 2)}
    return {
        (min(s.country, t.country), max(s.country, t.country))
        for s in event.source for t in event.target
        if s.country not in _UNKNOWN and t.country not in _UNKNOWN and s.country != t.country
    }  # fmt: skip


def top_pairs(events: Iterable[Occurrence], *, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
    """The country pairs with the most events (undirected: reciprocal events included, each pair once per
    event), named in the direction their directed events more often take (ties alphabetical)."""
    pairs: Counter[tuple[str, str]] = Counter()
    directed: Counter[tuple[str, str]] = Counter()
    for event in events:
        pairs.update(country_pairs(event))
        if not event.reciprocal:
            directed.update({(s.country, t.country) for s in event.source for t in event.target})
    named = Counter(
        {((y, x) if directed[(y, x)] > directed[(x, y)] else (x, y)): n for (x, y), n in pairs.items()}
    )
    return sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def counterparts(events: Iterable[Occurrence], actor: str) -> Counter[str]:
    """Countries an actor's events relate it to, each once per event (reciprocal partners included)."""
    found: Counter[str] = Counter()
    for event in events:
        mine = [r for r in event.participants if matches(r, actor)]
        if not mine:
            continue
        if event.reciprocal:
            others = {r.country for r in event.participants}
        else:
            sides = (event.source, event.target)
            others = {r.country for own, other in (sides, sides[::-1]) if any(matches(r, actor) for r in own)
                      for r in other}  # fmt: skip
        found.update(others - {r.country for r in mine} - set(_UNKNOWN))
    return found


# ------------------------------------------------------------------ links to the rows behind a count


def events_url(**filters: str | None) -> str:
    """The dashboard list of the events behind a count: ``/events?dyad=RUS,CHN&month=2025-06``."""
    query = {k: v for k, v in filters.items() if v}
    return "/events" + (f"?{urlencode(query)}" if query else "")
