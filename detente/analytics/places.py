"""Where events happened: one place per event, and events counted per place.

An event's place is the place of its lead mention, or else of its first other mention that names one
(mentions of one event in several articles may name it differently, "in Moscow" and "in Russia"). One place
per event keeps the places' counts adding up to the events that have a place: the map (``/map``,
``/api/places``) and the events list filtered by place (``/events?place=KEY``) use this one definition, so a
place's count on the map is the length of its list. Events are counted by ``detente.analytics.counting``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from detente.analytics.counting import Occurrence, tally
from detente.records import Place


def place_key(place: Place) -> str:
    """A place as links name it: its gazetteer id, or else its kind, country and name."""
    return place.gazetteer_id or f"{place.kind}:{place.country or ''}:{place.name}"


def event_place(event: Occurrence) -> Place | None:
    """Where an event happened: its lead mention's place, or the first other mention's that has one."""
    return next((m.place for m in event.mentions if m.place is not None), None)


def is_at(event: Occurrence, key: str) -> bool:
    """Whether an event happened at the place ``key`` (:func:`place_key`)."""
    place = event_place(event)
    return place is not None and place_key(place) == key


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """A place and how many events happened there (and how many mentions report them)."""

    key: str
    place: Place  # as the lead mention of its newest event names it
    events: int
    mentions: int

    @property
    def located(self) -> bool:
        """Whether the gazetteer gives it coordinates (it can be drawn)."""
        return self.place.lat is not None and self.place.lon is not None


def count_places(events: Iterable[Occurrence]) -> list[PlaceCount]:
    """Events per place, most events first (events without a place are left out)."""
    found: dict[str, list[Occurrence]] = defaultdict(list)
    named: dict[str, Place] = {}
    for event in events:
        place = event_place(event)
        if place is not None:
            key = place_key(place)
            named.setdefault(key, place)
            found[key].append(event)
    counts = [PlaceCount(k, named[k], len(v), tally(v).mentions) for k, v in found.items()]
    return sorted(counts, key=lambda c: (-c.events, c.place.name, c.key))
