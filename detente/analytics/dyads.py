"""A dyad's relations over time: per month, how many events of each quad class, how intense, how sure.

A dyad is a pair of actors, each named by actor id or country code (``RUS``, ``Q7747``). Events are counted
as ``detente.analytics.counting`` defines them (one real-world occurrence with its mentions), in either
direction, and reciprocal events ("Putin met Xi") with both among their participants. An event is placed in
the month of the date it is counted at (its own date; for news without one, its publication date);
background events without a date are listed as "before the article", events dated only to a quarter or a
year are listed apart rather than put in their first month, and events with no date at all are undated.

Each month carries how many of its events are low-confidence or single-source, and a series can be built
without them (``hide_uncertain``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from detente.analytics.counting import COUNTING_PAGE, Occurrence, Tally, count_in_store, direction, tally
from detente.records import QUADS, Event
from detente.store.base import EventQuery, Store

DIRECTIONS = ("a>b", "b>a", "mutual", "other")


@dataclass(frozen=True, slots=True)
class DyadPoint:
    """One month of a dyad: events per quad class, mean PLOVER intensity and the events behind it."""

    month: str  # YYYY-MM
    counts: Mapping[str, int]  # events per quad class
    mean_intensity: float
    event_ids: tuple[str, ...]  # the events counted (each the id of its lead mention)
    mention_ids: tuple[str, ...] = ()  # every mention of those events
    low_confidence: int = 0  # events among them below counting.LOW_CONFIDENCE
    single_source: int = 0  # events among them reported by one independent outlet

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mentions(self) -> int:
        return len(self.mention_ids)

    @property
    def cooperation(self) -> int:
        return self.counts.get("verbal_cooperation", 0) + self.counts.get("material_cooperation", 0)

    @property
    def conflict(self) -> int:
        return self.counts.get("verbal_conflict", 0) + self.counts.get("material_conflict", 0)

    @property
    def low_confidence_share(self) -> float:
        return self.low_confidence / self.total if self.total else 0.0

    @property
    def single_source_share(self) -> float:
        return self.single_source / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class DyadSeries:
    a: str
    b: str
    points: tuple[DyadPoint, ...]
    undated_event_ids: tuple[str, ...] = ()
    # Events per direction: "a>b", "b>a", "mutual" (reciprocal) and "other" (both on one side).
    directions: Mapping[str, int] = field(default_factory=dict)
    truncated: bool = False
    before_article_ids: tuple[str, ...] = ()  # background events with no date of their own
    coarse_event_ids: tuple[str, ...] = ()  # dated only to a quarter, a year or a decade
    events: tuple[Occurrence, ...] = ()  # every event counted, newest first
    hidden: int = 0  # low-confidence or single-source events left out (hide_uncertain)

    @property
    def total(self) -> int:
        """Events counted: in months, before the article, dated only coarsely, and undated."""
        return len(self.events)

    @property
    def tally(self) -> Tally:
        return tally(self.events)

    @property
    def directed(self) -> int:
        return self.directions.get("a>b", 0) + self.directions.get("b>a", 0)


def build_series(
    a: str, b: str, events: Iterable[Occurrence], *, truncated: bool = False, hide_uncertain: bool = False
) -> DyadSeries:
    """Bucket counted events by month (pure; the store-facing wrapper is :func:`dyad_series`)."""
    chosen: list[Occurrence] = []
    hidden = 0
    directions: Counter[str] = Counter()
    for event in events:
        how = direction(event, a, b)
        if how is None:
            continue
        if hide_uncertain and (event.low_confidence or event.single_source):
            hidden += 1
            continue
        chosen.append(event)
        directions[how] += 1
    by_month: dict[str, list[Occurrence]] = defaultdict(list)
    before, coarse, undated = [], [], []
    for event in chosen:
        if event.month is not None:
            by_month[event.month].append(event)
        elif event.before_article:
            before.append(event.id)
        elif event.day is not None:
            coarse.append(event.id)
        else:
            undated.append(event.id)
    points = []
    for month in sorted(by_month):
        found = by_month[month]
        counts = Counter(e.quad for e in found)
        points.append(
            DyadPoint(
                month=month,
                counts={q: counts.get(q, 0) for q in QUADS},
                mean_intensity=round(sum(e.intensity for e in found) / len(found), 2),
                event_ids=tuple(e.id for e in found),
                mention_ids=tuple(m.id for e in found for m in e.mentions),
                low_confidence=sum(e.low_confidence for e in found),
                single_source=sum(e.single_source for e in found),
            )
        )
    return DyadSeries(
        a, b, tuple(points), tuple(undated), {d: directions[d] for d in DIRECTIONS if directions[d]},
        truncated, tuple(before), tuple(coarse), tuple(chosen), hidden,
    )  # fmt: skip


def dyad_series(
    store: Store, a: str, b: str, *, since: dt.date | None = None, until: dt.date | None = None,
    hide_uncertain: bool = False,
) -> DyadSeries:  # fmt: skip
    """The monthly series for a dyad, its events counted once each (see ``detente.analytics.counting``)."""
    counted = count_in_store(store, EventQuery(dyad=(a, b), since=since, until=until))
    return build_series(a, b, counted.events, truncated=counted.truncated, hide_uncertain=hide_uncertain)


def series_to_dict(series: DyadSeries) -> dict[str, Any]:
    """The series as JSON (``GET /api/dyads/{a}/{b}``): every count names what it counts."""
    return {
        "a": series.a, "b": series.b, "counting": COUNTING_PAGE,
        "events": series.total, "mentions": series.tally.mentions, "total": series.total,
        "directions": dict(series.directions), "truncated": series.truncated, "hidden": series.hidden,
        "before_article_event_ids": list(series.before_article_ids),
        "coarse_event_ids": list(series.coarse_event_ids), "undated_event_ids": list(series.undated_event_ids),
        "points": [
            {
                "month": p.month, "events": p.total, "mentions": p.mentions, "counts": dict(p.counts),
                "total": p.total, "mean_intensity": p.mean_intensity, "event_ids": list(p.event_ids),
                "mention_ids": list(p.mention_ids), "low_confidence": p.low_confidence,
                "single_source": p.single_source, "low_confidence_share": round(p.low_confidence_share, 3),
                "single_source_share": round(p.single_source_share, 3),
            }
            for p in series.points
        ],
    }  # fmt: skip


def event_day(event: Event, published: Mapping[str, dt.date | None]) -> dt.date | None:
    """The day one mention is placed on: its resolved date, else its article's publication date."""
    if event.date is not None and event.date.start is not None:
        return event.date.start
    return published.get(event.article_id)
