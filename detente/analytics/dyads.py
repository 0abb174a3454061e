"""A dyad's relations over time: per month, how many events of each quad class and how intense.

A dyad is a pair of actors, each named by actor id or country code (``RUS``, ``Q7747``), taken in
either direction, as ``EventQuery.dyad`` matches them. An event is dated by its resolved date and,
when that is missing, by its article's publication date; events with neither are counted apart as
``undated`` rather than guessed into a month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from detente.errors import NotFoundError
from detente.records import QUADS, Event
from detente.store.base import EventQuery, Store

# Enough for any dyad a dashboard can draw; beyond it the series says it was truncated.
MAX_DYAD_EVENTS = 20_000


@dataclass(frozen=True, slots=True)
class DyadPoint:
    """One month of a dyad: counts per quad class, mean PLOVER intensity and the events behind it."""

    month: str  # YYYY-MM
    counts: Mapping[str, int]
    mean_intensity: float
    event_ids: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cooperation(self) -> int:
        return self.counts.get("verbal_cooperation", 0) + self.counts.get("material_cooperation", 0)

    @property
    def conflict(self) -> int:
        return self.counts.get("verbal_conflict", 0) + self.counts.get("material_conflict", 0)


@dataclass(frozen=True, slots=True)
class DyadSeries:
    a: str
    b: str
    points: tuple[DyadPoint, ...]
    undated_event_ids: tuple[str, ...] = ()
    # Events per direction: "a>b", "b>a" and "other" (both actors on one side, or only named in context);
    # like the counts, an event one article restates counts once.
    directions: Mapping[str, int] = field(default_factory=dict)
    truncated: bool = False

    @property
    def total(self) -> int:
        return sum(p.total for p in self.points) + len(self.undated_event_ids)


def actor_matches(ref_ids: Iterable[tuple[str, str]], key: str) -> bool:
    """Whether any (actor_id, country) pair is the actor ``key`` (by id or by country code)."""
    return any(key in (actor_id, country) for actor_id, country in ref_ids)


def _direction(event: Event, a: str, b: str) -> str:
    source = [(r.actor_id, r.country) for r in event.source]
    target = [(r.actor_id, r.country) for r in event.target]
    if actor_matches(source, a) and actor_matches(target, b):
        return "a>b"
    if actor_matches(source, b) and actor_matches(target, a):
        return "b>a"
    return "other"


def event_day(event: Event, published: Mapping[str, dt.date | None]) -> dt.date | None:
    """The day an event is placed on: its resolved date, else its article's publication date."""
    if event.date is not None and event.date.start is not None:
        return event.date.start
    return published.get(event.article_id)


def build_series(
    a: str,
    b: str,
    events: Iterable[Event],
    published: Mapping[str, dt.date | None],
    *,
    truncated: bool = False,
) -> DyadSeries:
    """Bucket already-fetched events by month (pure; the store-facing wrapper is :func:`dyad_series`).

    An article that restates one event ("its invasion of Ukraine ... after the invasion ...") counts it
    once per month: same article, type, direction and modality. Every event stays listed as evidence.
    """
    by_month: dict[str, list[Event]] = defaultdict(list)
    counted: dict[str, list[Event]] = defaultdict(list)
    seen: set[tuple[str, str, str, str, str]] = set()
    undated: list[str] = []
    directions: Counter[str] = Counter()
    for event in events:
        direction = _direction(event, a, b)
        day = event_day(event, published)
        month = f"{day.year:04d}-{day.month:02d}" if day else ""
        key = (event.article_id, event.event_type, direction, event.modality, month)
        restated = key in seen
        seen.add(key)
        if not restated:
            directions[direction] += 1
        if day is None:
            if not restated:
                undated.append(event.id)
            continue
        by_month[month].append(event)
        if not restated:
            counted[month].append(event)
    points = []
    for month in sorted(by_month):
        month_events = counted[month]
        counts = Counter(e.quad for e in month_events)
        points.append(
            DyadPoint(
                month=month,
                counts={q: counts.get(q, 0) for q in QUADS},
                mean_intensity=round(sum(e.intensity for e in month_events) / len(month_events), 2),
                event_ids=tuple(e.id for e in by_month[month]),
            )
        )
    return DyadSeries(a, b, tuple(points), tuple(undated), dict(directions), truncated)


def fetch_dyad_events(
    store: Store, a: str, b: str, *, since: dt.date | None = None, until: dt.date | None = None,
    limit: int = MAX_DYAD_EVENTS,
) -> tuple[list[Event], bool]:  # fmt: skip
    """All events between a and b (either direction), newest first; (events, truncated).

    One query with a generous limit: paging with OFFSET would make the store re-run the dyad filter
    and sort for every page.
    """
    events = store.events(EventQuery(dyad=(a, b), since=since, until=until, limit=limit + 1))
    return events[:limit], len(events) > limit


def publication_dates(store: Store, article_ids: Iterable[str]) -> dict[str, dt.date | None]:
    dates: dict[str, dt.date | None] = {}
    for article_id in set(article_ids):
        try:
            dates[article_id] = store.get_article(article_id).published_date
        except NotFoundError:
            dates[article_id] = None
    return dates


def dyad_series(
    store: Store, a: str, b: str, *, since: dt.date | None = None, until: dt.date | None = None
) -> tuple[DyadSeries, dict[str, Event]]:
    """The monthly series for a dyad and the events behind it, by id."""
    events, truncated = fetch_dyad_events(store, a, b, since=since, until=until)
    undated_articles = {e.article_id for e in events if e.date is None or e.date.start is None}
    series = build_series(a, b, events, publication_dates(store, undated_articles), truncated=truncated)
    return series, {e.id: e for e in events}


def top_dyads(events: Iterable[Event], *, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
    """The most frequent country-level pairs among events with a source and a target.

    Pairs count in either direction and are named in their more frequent direction (RUS, CHN when
    Russia acts on China more often). Pairs within one country and unknown countries are left out:
    they are not relations between two actors a reader can open as a dyad.
    """
    directed: Counter[tuple[str, str]] = Counter()
    for event in events:
        directed.update({
            (s.country, t.country)
            for s in event.source
            for t in event.target
            if s.country and t.country and s.country != t.country and "UNK" not in (s.country, t.country)
        })  # fmt: skip
    pairs: Counter[tuple[str, str]] = Counter()
    for (a, b), n in directed.items():
        forward, backward = directed[(a, b)], directed[(b, a)]
        key = (a, b) if (forward, b) > (backward, a) else (b, a)
        pairs[key] += n
    return pairs.most_common(limit)
