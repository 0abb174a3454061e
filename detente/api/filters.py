"""The filters of the dashboard and the API: one object, parsed from a URL's query in one place.

Every list page (overview, events, dyad, actor, search), ``/api/events``, ``/api/dyads/{a}/{b}``,
``/api/stats`` and the CSV download take the same query parameters, so a link copied from the address bar
reproduces the view, and the CSV behind a page holds the rows the page lists:

    since, until        the event's date range (its own date, else its article's publication date)
    type, quad          PLOVER event type (older labels such as DISAPPROVE read as the API always read
                        them) and quad class
    actor               actor id or country code, on either side
    dyad                two actors, either direction or reciprocal: RUS,CHN
    modality            one of MODALITIES; ``asserted=1`` ("asserted only") is modality=asserted
    min_confidence      0 to 1: events whose most confident mention reaches it
    outlet              events reported by this outlet (any of its articles; case does not matter)
    hide                background and/or uncertain (low-confidence or single-source), repeated or
                        comma-separated: hide=background&hide=uncertain
    month, when         the drill-downs behind a count: month=YYYY-MM; when=before|undated|coarse
    place               events at a place: its key on the map (/api/places; detente.analytics.places)

The first group narrows the mentions the store reads (``EventQuery``); the rest apply to events as
``detente.analytics.counting`` counts them (an event is kept or dropped whole, with all its mentions), so
a filter never splits an event into a smaller one. A bad value is an ``APIError`` (422) saying what would
do, never a 500.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query

from detente.analytics.counting import Counted, Occurrence, count_in_store, direction
from detente.analytics.places import is_at
from detente.api.errors import APIError
from detente.records import EVENT_TYPES, LEGACY_TYPES, MODALITIES, QUADS
from detente.store.base import EventQuery, Store

HIDE_CHOICES = ("background", "uncertain")
WHEN_CHOICES = ("before", "undated", "coarse")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Flags as a browser's checkbox or a hand-typed link may send them.
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


def choice(name: str, value: str | None, allowed: Iterable[str]) -> str | None:
    """``value`` when it is one of ``allowed``; None when empty; else a 422 listing the choices."""
    allowed = tuple(allowed)
    if value is None or value == "":
        return None
    if value in allowed:
        return value
    raise APIError(422, f"unknown {name} {value!r}; use one of: {', '.join(allowed)}")


def event_type_value(value: str | None) -> str | None:
    """A PLOVER type in any case; the older labels (DISAPPROVE ...) read as their PLOVER type."""
    if value:
        value = value.strip().upper()
        value = LEGACY_TYPES.get(value, value)
    return choice("event type", value, EVENT_TYPES)


def dyad_value(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise APIError(422, f"dyad must be two actors separated by a comma, e.g. RUS,CHN (got {value!r})")
    return parts[0], parts[1]


def date_value(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise APIError(
            422, f"{name} must be a date written YYYY-MM-DD, e.g. 2025-06-01 (got {value!r})"
        ) from None


def confidence_value(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise APIError(422, f"min_confidence must be a number from 0 to 1, e.g. 0.6 (got {value!r})")
    return number


def flag_value(name: str, value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise APIError(422, f"{name} must be 1 or 0 (got {value!r})")


def hide_values(values: Iterable[str] | None) -> frozenset[str]:
    """``hide=background&hide=uncertain`` or ``hide=background,uncertain``; 'none' or empty hides nothing."""
    found: set[str] = set()
    for value in values or ():
        for part in value.split(","):
            part = part.strip().lower()
            if part in ("", "none"):
                continue
            if part not in HIDE_CHOICES:
                raise APIError(
                    422, f"hide must be background or uncertain (or both, comma-separated) (got {value!r})"
                )
            found.add(part)
    return frozenset(found)


def month_value(value: str | None) -> str | None:
    if not value:
        return None
    if not _MONTH.match(value.strip()):
        raise APIError(422, f"month must be written YYYY-MM, e.g. 2025-06 (got {value!r})")
    return value.strip()


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What a view shows: the events a URL's filters select. Frozen and hashable, so it is a cache key."""

    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    quad: str | None = None
    actor: str | None = None
    dyad: tuple[str, str] | None = None
    modality: str | None = None
    min_confidence: float | None = None
    outlet: str | None = None
    hide_background: bool = False
    hide_uncertain: bool = False
    month: str | None = None
    when: str | None = None
    place: str | None = None

    # -- reading

    @classmethod
    def parse(
        cls, *, since: str | None = None, until: str | None = None, type: str | None = None,
        quad: str | None = None, actor: str | None = None, dyad: str | None = None, modality: str | None = None,
        asserted: str | None = None, min_confidence: str | None = None, outlet: str | None = None,
        hide: Iterable[str] | None = None, month: str | None = None, when: str | None = None,
        place: str | None = None,
    ) -> EventFilter:  # fmt: skip
        """The filter of a URL's query parameters (as text); a bad value raises a 422 ``APIError``."""
        start, end = date_value("since", since), date_value("until", until)
        if start and end and start > end:
            raise APIError(422, f"since ({start}) is after until ({end})")
        modality = choice("modality", (modality or "").strip().lower() or None, MODALITIES)
        if flag_value("asserted", asserted):
            if modality not in (None, "asserted"):
                raise APIError(422, f"asserted=1 (asserted only) contradicts modality={modality}; drop one")
            modality = "asserted"
        hidden = hide_values(hide)
        return cls(
            since=start, until=end, event_type=event_type_value(type),
            quad=choice("quad", (quad or "").strip().lower() or None, QUADS),
            actor=(actor or "").strip() or None, dyad=dyad_value(dyad), modality=modality,
            min_confidence=confidence_value(min_confidence), outlet=(outlet or "").strip() or None,
            hide_background="background" in hidden, hide_uncertain="uncertain" in hidden,
            month=month_value(month), when=choice("when", (when or "").strip().lower() or None, WHEN_CHOICES),
            place=(place or "").strip() or None,
        )  # fmt: skip

    # -- what it selects

    def query(self, *, limit: int = 100, offset: int = 0) -> EventQuery:
        """The part the store answers: which mentions to read."""
        return EventQuery(
            actor=self.actor, dyad=self.dyad, event_type=self.event_type, quad=self.quad,
            modality=self.modality, since=self.since, until=self.until, limit=limit, offset=offset,
        )  # fmt: skip

    @property
    def counted_only(self) -> bool:
        """Whether a filter applies to counted events (not answerable by the store alone)."""
        return bool(
            self.min_confidence is not None or self.outlet or self.hide_background or self.hide_uncertain
            or self.month or self.when or self.place
        )  # fmt: skip

    def keeps(self, event: Occurrence) -> bool:
        """Whether a counted event passes the filters the store cannot apply."""
        if self.dyad and direction(event, *self.dyad) is None:
            return False  # the lead mention relates other actors: not an event between the two
        if self.min_confidence is not None and event.confidence < self.min_confidence:
            return False
        if self.outlet and self.outlet.casefold() not in {o.casefold() for o in event.outlets}:
            return False
        if self.hide_background and event.background:
            return False
        if self.hide_uncertain and (event.low_confidence or event.single_source):
            return False
        if self.month and event.month != self.month:
            return False
        if self.place and not is_at(event, self.place):
            return False
        if self.when == "before":
            return event.before_article
        if self.when == "undated":
            return event.day is None and not event.before_article
        if self.when == "coarse":
            return event.month is None and event.day is not None
        return True

    def select(self, counted: Counted) -> Counted:
        """The counted events of ``self.query()`` that this filter keeps."""
        return Counted(tuple(e for e in counted.events if self.keeps(e)), counted.truncated)

    # -- writing it back into links

    def params(self, **extra: Any) -> dict[str, str]:
        """The filter as URL parameters, in a fixed order, empty ones left out (``extra`` added last)."""
        hide = ",".join(h for h, on in (("background", self.hide_background),
                                         ("uncertain", self.hide_uncertain)) if on)  # fmt: skip
        values: dict[str, Any] = {
            "since": self.since, "until": self.until, "type": self.event_type, "quad": self.quad,
            "actor": self.actor, "dyad": ",".join(self.dyad) if self.dyad else None, "modality": self.modality,
            "min_confidence": f"{self.min_confidence:g}" if self.min_confidence is not None else None,
            "outlet": self.outlet, "hide": hide, "month": self.month, "when": self.when, "place": self.place,
            **extra,
        }  # fmt: skip
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def url(self, path: str, **extra: Any) -> str:
        found = self.params(**extra)
        return path + (f"?{urlencode(found)}" if found else "")

    def without(self, *names: str) -> EventFilter:
        """The same filter with some fields back at their defaults (a page whose path names the actor)."""
        blank = EventFilter()
        return dataclasses.replace(self, **{n: getattr(blank, n) for n in names})

    def describe(self, place_name: str | None = None) -> str:
        """The filter in words, for a page's heading line: "type ACCUSE, since 2025-01-01" (``place_name``:
        the place's name, shown instead of its key)."""
        words = {
            "since": "since", "until": "until", "type": "type", "quad": "quad", "actor": "actor",
            "dyad": "dyad", "modality": "modality", "min_confidence": "confidence at least",
            "outlet": "outlet", "hide": "hiding", "month": "month", "when": "", "place": "place",
        }  # fmt: skip
        parts = []
        for name, value in self.params().items():
            if name == "when":
                value = {"before": "before the article", "undated": "undated",
                         "coarse": "dated only to a quarter or a year"}[value]  # fmt: skip
            elif name == "quad":
                value = value.replace("_", " ")
            elif name == "place" and place_name:
                value = place_name
            parts.append(f"{words[name]} {value}".strip())
        return ", ".join(parts)

    @property
    def empty(self) -> bool:
        return self == EventFilter()


def filtered_events(store: Store, event_filter: EventFilter, counted: Counted | None = None) -> Counted:
    """The events a filter selects, counted (``counted``: the count of its query, when already made)."""
    return event_filter.select(
        counted if counted is not None else count_in_store(store, event_filter.query())
    )


def event_filter(
    since: Annotated[str | None, Query(description="Events on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(description="Events on or before this date (YYYY-MM-DD).")] = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. ACCUSE (older labels accepted).")] = None,
    quad: Annotated[str | None, Query(description=f"One of {', '.join(QUADS)}.")] = None,
    actor: Annotated[str | None, Query(description="Actor id or country code, e.g. RUS, on either side.")] = None,
    dyad: Annotated[str | None, Query(description="Two actors, either direction or reciprocal: RUS,CHN.")] = None,
    modality: Annotated[str | None, Query(description=f"One of {', '.join(MODALITIES)}.")] = None,
    asserted: Annotated[str | None, Query(description="1: asserted events only (modality=asserted).")] = None,
    min_confidence: Annotated[str | None, Query(description="0 to 1: events whose most confident mention reaches it.")] = None,
    outlet: Annotated[str | None, Query(description="Events reported by this outlet (any case).")] = None,
    hide: Annotated[list[str] | None, Query(description="background and/or uncertain (low-confidence or single-source); repeat or comma-separate.")] = None,
    month: Annotated[str | None, Query(description="Events counted in this month (YYYY-MM).")] = None,
    when: Annotated[str | None, Query(description="before (the article), undated, or coarse (dated only to a quarter or a year).")] = None,
    place: Annotated[str | None, Query(description="Events at this place: its key in /api/places, e.g. geonames:706483.")] = None,
) -> EventFilter:  # fmt: skip
    """The FastAPI dependency every filtered route and page declares: the one place filters are read."""
    return EventFilter.parse(
        since=since, until=until, type=type, quad=quad, actor=actor, dyad=dyad, modality=modality,
        asserted=asserted, min_confidence=min_confidence, outlet=outlet, hide=hide, month=month, when=when,
        place=place,
    )  # fmt: skip


# What a route or page declares to get the filters of its URL: ``selected: Filters``.
Filters = Annotated[EventFilter, Depends(event_filter)]


def require_known_actors(store: Store, *actors: str) -> None:
    """A dyad naming an actor no stored event has is a 404 saying so, not an empty chart that looks like an
    answer ("no events between RUS and XYZ" when XYZ is a typo). A known pair that never met stays a page."""
    for actor in actors:
        if store.count_events(EventQuery(actor=actor, limit=1)) == 0:
            raise APIError(
                404,
                f"no stored event has {actor!r} as an actor; actors are country codes (RUS, CHN) or actor ids "
                "(org:fsb), as the events list shows them; the search box finds an actor by name",
            )
