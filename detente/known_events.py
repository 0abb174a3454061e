"""Known events: landmark events news mentions without their date, shipped as data.

"Since Russia's full-scale invasion", "after leaving the nuclear deal", "the October 7 attack": an article
tells these as background and takes their date for granted. ``detente/data/known_events.yaml`` lists
such events (its header says how it was written and how entries match); the dates stage gives a
background event without a date of its own the date of the entry it matches, with the entry named in the
date's reason. Matching uses the event, never the rest of its sentence: its PLOVER type, the countries of
its actors, and an alias that the event's trigger is part of.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from detente.errors import InputError, RecordError
from detente.records import EVENT_TYPES, Event, ResolvedDate

__all__ = [
    "KnownEvent",
    "KnownEvents",
    "KnownMatch",
    "countries_of",
    "default_known_events",
    "load_known_events",
]

DEFAULT_PATH = Path(__file__).parent / "data" / "known_events.yaml"
# Codes that name no one country: they neither confirm nor rule out an entry.
NOT_COUNTRIES = frozenset({"", "UNK", "WST", "IGO", "NGO", "MNC", "EUR", "AFR", "ASA", "MEA", "LAM"})
_MONTH_ABBREVIATIONS = {
    "january": "jan", "february": "feb", "march": "mar", "april": "apr", "august": "aug",
    "september": "sept?", "october": "oct", "november": "nov", "december": "dec",
}  # fmt: skip
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class KnownEvent:
    """One landmark event: its date (a day, or a month when the day is not one) and how it is named."""

    id: str
    name: str
    start: dt.date
    end: dt.date
    granularity: str  # "day" or "month"
    types: frozenset[str]
    source: frozenset[str]
    target: frozenset[str]
    aliases: tuple[str, ...]
    pattern: re.Pattern[str]  # every alias, longest first

    @property
    def countries(self) -> frozenset[str]:
        return self.source | self.target


@dataclass(frozen=True, slots=True)
class KnownMatch:
    """An event read as a known event: the alias as written in the article, with its offsets."""

    event: KnownEvent
    text: str
    start: int
    end: int

    def date(self) -> ResolvedDate:
        known = self.event
        when = known.start.isoformat() if known.granularity == "day" else known.start.strftime("%Y-%m")
        return ResolvedDate(
            known.start, known.end, known.granularity, "exact", self.text,
            f"known event: {known.name} ({when}), named by '{self.text}' (detente/data/known_events.yaml)",
            self.start, self.end,
        )  # fmt: skip


def _alias_pattern(alias: str) -> str:
    """An alias as a regex: a hyphen or space matches either, "october" also "oct.", "'s" any apostrophe."""
    words = []
    for word in re.split(r"[\s-]+", alias.strip().lower()):
        escaped = re.escape(word).replace("'", "['’]")
        if word in _MONTH_ABBREVIATIONS:
            escaped = f"(?:{word}|{_MONTH_ABBREVIATIONS[word]}\\.?)"
        words.append(escaped)
    return r"[\s-]+".join(words)


def _date(value: Any, where: str) -> tuple[dt.date, dt.date, str]:
    if isinstance(value, dt.date):
        return value, value, "day"
    text = str(value)
    try:
        if m := _DAY.match(text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day, "day"
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month"
    except (ValueError, calendar.IllegalMonthError):
        pass
    raise ValueError(f"{where}: date {value!r} is not YYYY-MM-DD or YYYY-MM")


def _entry(data: Mapping[str, Any], number: int) -> KnownEvent:
    where = f"entry {number} ({data.get('id', 'no id')})"
    start, end, granularity = _date(data["date"], where)
    types = frozenset(str(t) for t in data["types"])
    if not types or not types <= set(EVENT_TYPES):
        raise ValueError(f"{where}: types must be PLOVER event types, got {sorted(types)}")
    aliases = tuple(sorted((str(a).lower() for a in data["aliases"]), key=len, reverse=True))
    if not aliases:
        raise ValueError(f"{where}: no aliases")
    pattern = re.compile(r"\b(?:" + "|".join(_alias_pattern(a) for a in aliases) + r")\b", re.IGNORECASE)
    return KnownEvent(
        id=str(data["id"]), name=str(data["name"]), start=start, end=end, granularity=granularity, types=types,
        source=frozenset(str(c) for c in data.get("source") or ()),
        target=frozenset(str(c) for c in data.get("target") or ()), aliases=aliases, pattern=pattern,
    )  # fmt: skip


def countries_of(event: Event) -> set[str]:
    """The countries an event's actors name (codes such as UNK or IGO left out)."""
    return {a.country for a in (*event.source, *event.target) if a.country and a.country not in NOT_COUNTRIES}


class KnownEvents:
    """A pack of known events and the rule that reads an event as one of them."""

    def __init__(self, events: Iterable[KnownEvent]) -> None:
        self.events: tuple[KnownEvent, ...] = tuple(events)

    def __len__(self) -> int:
        return len(self.events)

    def match(self, event: Event, text: str, published: dt.date | None = None) -> KnownMatch | None:
        """The known event ``event`` is a mention of, or None.

        ``text`` is the article's text (the event's offsets index it). An entry matches when the event's
        type is one of its types, every country the event's actors name is one of its countries, and one
        of its aliases, as written around the trigger, holds part of the trigger ("full-scale invasion"
        for the trigger "invasion"). An event whose actors name no country needs an alias of two words
        or more. Entries dated after ``published`` are skipped. The longest alias wins; two entries with
        aliases as long and different dates give None (which one is meant cannot be told).
        """
        countries = countries_of(event)
        lo, hi = event.trigger.start, event.trigger.end
        # A window around the trigger wide enough for the longest alias, no wider: aliases must touch it.
        window_start = max(0, lo - 80, event.sentence.start)
        window_end = min(len(text), hi + 80, max(event.sentence.end, hi))
        window = text[window_start:window_end]
        best: list[KnownMatch] = []
        for known in self.events:
            if event.event_type not in known.types or (published is not None and known.end > published):
                continue
            if not countries <= known.countries:
                continue
            for m in known.pattern.finditer(window):
                start, end = window_start + m.start(), window_start + m.end()
                if end <= lo or start >= hi:  # the alias must hold part of the trigger
                    continue
                if not countries and len(m.group(0).split()) < 2 and "-" not in m.group(0):
                    continue
                found = KnownMatch(known, m.group(0), start, end)
                size = end - start
                if not best or size > best[0].end - best[0].start:
                    best = [found]
                elif size == best[0].end - best[0].start and all(b.event is not known for b in best):
                    best.append(found)
        if not best or len({(b.event.start, b.event.end) for b in best}) > 1:
            return None
        return best[0]


def load_known_events(path: str | Path | None = None) -> KnownEvents:
    """Read a known-events file (the shipped one by default); a bad file raises ``RecordError`` naming it."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            path, f"cannot read the known-events file: {exc.strerror}", hint="check the path"
        ) from exc
    except yaml.YAMLError as exc:
        raise RecordError(path, f"not valid YAML: {exc}", hint="see detente/data/known_events.yaml") from exc
    entries: Sequence[Any] = data.get("events") if isinstance(data, Mapping) else None  # type: ignore[assignment]
    if not isinstance(entries, list):
        raise RecordError(path, "no 'events' list", hint="see detente/data/known_events.yaml for the shape")
    events = []
    for number, entry in enumerate(entries, 1):
        try:
            if not isinstance(entry, Mapping):
                raise ValueError(f"entry {number} is not a mapping")
            events.append(_entry(entry, number))
        except (KeyError, TypeError, ValueError) as exc:
            detail = f"entry {number}: missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise RecordError(
                path, detail, hint="each entry has id, name, date, types, source, target, aliases"
            ) from exc
    return KnownEvents(events)


@functools.cache
def default_known_events() -> KnownEvents:
    """The shipped pack, read once per process on first use."""
    return load_known_events()
