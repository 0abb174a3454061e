"""Resolve a date expression against a publication date: ``resolve_date(text, pub_date) -> ResolvedDate``.

Pure functions, no spaCy. Every answer carries a reason trail; when the text does not determine a
calendar interval the answer is ``type="unresolved"`` with the reason, never a guess:

- durations ("three days of clashes", "for two years") are lengths, not positions;
- event-relative expressions ("the anniversary of the coup", "two days later") need an anchor we lack;
- relative expressions ("last Sunday", "earlier this month") need the publication date.

Conventions (documented in docs/dates-and-places.md): weeks run Monday to Sunday; a bare weekday, a
month-day, month, season or holiday without a year means the latest one begun on or before publication
(news reports the past) unless the sentence speaks of the future; abbreviated weekdays ("Thurs.") are
spelled out first;
"early/mid/late" split a month into thirds (1-10, 11-20, 21-end) and a year into thirds of four months;
"beginning of"/"end of" a year are its first/last quarter; seasons are meteorological (northern).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from detente.records import ResolvedDate
from detente.timex_lexicon import (
    ABBREVIATED_WEEKDAY,
    ANCHOR_HOLIDAY,
    ANCHOR_MONTH_DAY,
    ANCHOR_WEEKDAY,
    CLOCK_TIME,
    DAY_MONTH,
    DAYTIME,
    DECADE_WORDS,
    EMBEDDED,
    GRANULARITY_ORDER,
    HAS_YEAR,
    HEDGES,
    HOLIDAYS,
    HYPHEN_DURATION,
    LANDMARKS,
    LEADING,
    MODIFIER_FRACTIONS,
    MONTH_DAY,
    MONTHS,
    NAMED_PERIOD,
    NARRATIVE,
    NUMBERS,
    OR_SPLIT,
    ORDINALS,
    OVERNIGHT,
    RANGE_SPLITS,
    RECENCY,
    RELATIVE_WORDS,
    RX,
    SEASONS,
    TIMES_OF_DAY,
    VAGUE_SPAN,
    VAGUE_WORDS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_PREFIX,
    WEEKDAYS,
    WEEKENDS,
    WORLD_KNOWLEDGE,
)


class Refusal(Exception):
    """Internal: the expression cannot be resolved; the message is the reason."""


@dataclass(frozen=True, slots=True)
class _Interval:
    start: dt.date
    end: dt.date
    granularity: str
    type: str
    reason: str


# ---------------------------------------------------------------------------------------------
# calendar helpers


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), _month_end(year, month)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text]


def _need(pub: dt.date | None, what: str) -> dt.date:
    if pub is None:
        raise Refusal(f"{what} is relative and needs a publication date")
    return pub


def _nearest_year(
    pub: dt.date | None, span: Callable[[int], tuple[dt.date, dt.date]], what: str, *, future: bool = False
) -> tuple[dt.date, dt.date]:
    """The occurrence of a year-less date nearest to publication (ties go to the past); with ``future``
    (the sentence speaks of what will happen) the first one not over by publication."""
    pub = _need(pub, f"'{what}' has no year, so it")
    if future:
        return next(span(y) for y in (pub.year - 1, pub.year, pub.year + 1) if span(y)[1] >= pub)
    best: tuple[int, int, tuple[dt.date, dt.date]] | None = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        start, end = span(year)
        distance = 0 if start <= pub <= end else min(abs((start - pub).days), abs((end - pub).days))
        key = (distance, 0 if end <= pub else 1, (start, end))
        if best is None or key[:2] < best[:2]:
            best = key
    assert best is not None
    return best[2]


def _latest_begun(
    pub: dt.date | None, span: Callable[[int], tuple[dt.date, dt.date]], what: str, *, future: bool = False
) -> tuple[dt.date, dt.date]:
    """The occurrence of a year-less date, month, season or holiday that news means: the most recent one
    begun by publication (news reports the past); with ``future`` (the sentence speaks of what will
    happen) the first one not over by publication."""
    pub = _need(pub, f"'{what}' has no year, so it")
    years = (pub.year - 1, pub.year, pub.year + 1)
    if future:
        return next(span(y) for y in years if span(y)[1] >= pub)
    return [span(y) for y in years if span(y)[0] <= pub][-1]


def _shift(interval: _Interval, days: int = 0, months: int = 0) -> tuple[dt.date, dt.date]:
    if months:
        return _add_months(interval.start, months), _add_months(interval.end, months)
    delta = dt.timedelta(days=days)
    return interval.start + delta, interval.end + delta


def _unit_delta(num: int, unit: str) -> tuple[int, int]:
    """(days, months) for ``num`` units."""
    return {
        "day": (num, 0), "night": (num, 0), "week": (7 * num, 0), "fortnight": (14 * num, 0),
        "month": (0, num), "quarter": (0, 3 * num), "year": (0, 12 * num), "decade": (0, 120 * num),
    }.get(unit, (0, 0))  # fmt: skip


def _gran_of(unit: str) -> str:
    return {"night": "day", "fortnight": "week", "weekend": "day"}.get(unit, unit)


def _finer(a: str, b: str) -> str:
    return a if GRANULARITY_ORDER.index(a) <= GRANULARITY_ORDER.index(b) else b


# ---------------------------------------------------------------------------------------------
# points: one calendar unit, possibly modified


def _point(s: str, pub: dt.date | None, future: bool = False) -> _Interval | None:
    s = CLOCK_TIME.sub("", s).strip(" ,")
    if s in RELATIVE_WORDS:
        day = _need(pub, f"'{s}'") + dt.timedelta(days=RELATIVE_WORDS[s])
        return _Interval(day, day, "day", "exact", f"'{s}' relative to publication")
    if s in WEEKENDS:
        return _weekend(s, _need(pub, f"'{s}'"))
    while (m := LEADING.match(s)) is not None:
        s = s[m.end() :]
    if m := RX["iso"].match(s):
        day = dt.date(int(m["year"]), int(m["m"]), int(m["d"]))
        return _Interval(day, day, "day", "exact", "ISO date")
    if m := RX["iso_month"].match(s):
        start, end = _month(int(m["year"]), int(m["m"]))
        return _Interval(start, end, "month", "exact", "ISO month")
    if m := RX["slash"].match(s):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        y = y + 2000 if y < 100 else y
        if a > 12 >= b:
            day = dt.date(y, b, a)
        elif b > 12 >= a or a == b:
            day = dt.date(y, a, b)
        else:
            raise Refusal(f"'{s}' is ambiguous between day/month and month/day order")
        return _Interval(day, day, "day", "exact", "numeric date")
    for key in ("mdy", "dmy"):
        if m := RX[key].match(s):
            month, dd = MONTHS[m["month"]], int(m["day"])
            if m["year"]:
                day = dt.date(int(m["year"]), month, dd)
                return _Interval(day, day, "day", "exact", "calendar date")
            dt.date(2000, month, dd)  # validates the day (2000 is a leap year)
            start, _ = _latest_begun(pub, partial(_day_span, month=month, day=dd), s, future=future)
            return _Interval(start, start, "day", "exact", f"calendar date; {_YEAR_LESS[future]}")
    if m := RX["my"].match(s):
        month = MONTHS[m["month"]]
        if m["year"]:
            start, end = _month(int(m["year"]), month)
            return _Interval(start, end, "month", "exact", "month and year")
        start, end = _latest_begun(pub, lambda y: _month(y, month), s, future=future)
        return _Interval(start, end, "month", "exact", f"month; {_YEAR_LESS[future]}")
    if (
        (m := RX["month_of"].match(s))
        and (year := _point(m["rest"], pub, future))
        and year.granularity == "year"
    ):
        start, end = _month(year.start.year, MONTHS[m["month"]])  # "January of this year"
        return _Interval(start, end, "month", "exact", f"month of {year.reason}")
    if m := RX["year"].match(s):
        y = int(m["year"])
        return _Interval(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "exact", "year")
    if m := RX["decade"].match(s):
        dec = m["dec"].lstrip("'")
        if len(dec) == 4 and dec.endswith("00") and int(dec) < 2000:  # "the 1800s": the century
            if int(dec) < 1000:
                return None
            y = int(dec)
            return _Interval(dt.date(y, 1, 1), dt.date(y + 99, 12, 31), "decade", "approximate",
                             f"a century ('the {y}s'), in the coarsest unit we code, the decade")  # fmt: skip
        y = int(dec) if len(dec) == 4 else 1900 + int(dec) if int(dec) >= 30 else 2000 + int(dec)
        reason = "decade" if len(dec) == 4 else "two-digit decade (19xx from '30s on, 20xx before)"
        return _Interval(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade", "exact", reason)
    if m := RX["century"].match(s):
        first = (int(m["c"]) - 1) * 100
        return _Interval(dt.date(first, 1, 1) if first else dt.date(1, 1, 1), dt.date(first + 99, 12, 31), "decade",
                         "approximate", f"a century, taken as {first}-{first + 99}")  # fmt: skip
    if m := RX["decade_word"].match(s):
        y = DECADE_WORDS[m["word"]]
        return _Interval(
            dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade", "exact", "decade word, 20th century"
        )
    if m := RX["quarter"].match(s):
        q = int(m["q"]) if m["q"] else ORDINALS[m["qw"]]
        if m["rest"]:  # "of 2024", "of last year"
            year = _point(m["rest"], pub, future)
            if year is None or year.granularity != "year":
                return None
            y, reason = year.start.year, f"quarter of {year.reason}"
        else:
            y, reason = _need(pub, f"'{s}' has no year, so it").year, "quarter of the publication year"
        return _Interval(dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter", "exact", reason)
    if m := RX["half"].match(s):
        base = _point(m["rest"], pub, future)
        if base is None or base.granularity not in ("year", "month"):
            return None
        return _fraction(base, (0.0, 0.5) if m["h"] == "first" else (0.5, 1.0), "exact", f"{m['h']} half")
    if m := RX["week_of"].match(s):
        base = _point(m["rest"], pub, future)
        if base is None or base.granularity != "month":
            return None
        n = ORDINALS[m["ord"]]
        start = base.end - dt.timedelta(days=6) if n == -1 else base.start + dt.timedelta(days=7 * (n - 1))
        return _Interval(
            start, start + dt.timedelta(days=6), "week", "exact", f"{m['ord']} week of the month"
        )
    if m := RX["rel_month"].match(s):
        return _relative_month(m["rel"], MONTHS[m["month"]], _need(pub, f"'{s}'"))
    if m := RX["rel_season"].match(s):
        return _relative_season(m["rel"], m["season"], _need(pub, f"'{s}'"))
    if m := RX["season"].match(s):
        first = SEASONS[m["season"]]

        def span(y: int) -> tuple[dt.date, dt.date]:
            return dt.date(y, first, 1), _month_end(*_ym(y, first + 2))

        if m["year"]:
            start, end = span(int(m["year"]))
            return _Interval(
                start, end, "quarter", "approximate", "season (meteorological, northern hemisphere)"
            )
        start, end = _latest_begun(pub, span, s, future=future)
        return _Interval(start, end, "quarter", "approximate", f"season; {_YEAR_LESS[future]}")
    if m := RX["holiday"].match(s):
        month, dd = HOLIDAYS[m["hol"]]
        if m["year"]:
            day = dt.date(int(m["year"]), month, dd)
            return _Interval(day, day, "day", "exact", "fixed-date holiday")
        start, _ = _latest_begun(pub, lambda y: (dt.date(y, month, dd),) * 2, s, future=future)
        return _Interval(start, start, "day", "exact", f"fixed-date holiday; {_YEAR_LESS[future]}")
    if s in RELATIVE_WORDS:
        day = _need(pub, f"'{s}'") + dt.timedelta(days=RELATIVE_WORDS[s])
        return _Interval(day, day, "day", "exact", f"'{s}' relative to publication")
    if m := RX["weekday"].match(s):
        return _weekday(m, pub, s, future)
    if (m := WEEKDAY_PREFIX.match(s)) and (written := _point(m["rest"], pub, future)) is not None:
        return written  # "Tuesday, 10 June 2025": the written date decides
    if s in WEEKENDS:
        return _weekend(s, _need(pub, f"'{s}'"))
    if m := RX["rel_unit"].match(s):
        return _relative_unit(m["rel"], m["unit"], _need(pub, f"'{s}'"))
    if m := RX["the_unit"].match(s):  # "the beginning of the year": the current one
        return _relative_unit("this", m["unit"], _need(pub, f"'{s}'"))
    if m := RX["part_of_unit"].match(s):
        pub = _need(pub, f"'{s}'")
        base = _relative_unit(m["rel"], m["unit"], pub)
        if m["rel"] == "this":
            start, end = (base.start, pub) if m["part"] == "earlier" else (pub, base.end)
            return _Interval(
                start, end, m["unit"], "approximate", f"{m['part']} part of the current {m['unit']}"
            )
        frac = (0.0, 0.5) if m["part"] == "earlier" else (0.5, 1.0)
        return _fraction(base, frac, "approximate", f"{m['part']} part of that {m['unit']}")
    if m := RX["modified"].match(s):
        base = _point(m["rest"], pub, future)
        if base is None:
            return None
        return _modify(base, m["mod"].removeprefix("the "))
    return None


_YEAR_LESS = {
    False: "year taken as the latest on or before publication (news reports the past)",
    True: "year taken as the first not over by publication (future tense)",
}


def _ym(year: int, month: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1, 12)
    return y, m + 1


def _day_span(year: int, *, month: int, day: int) -> tuple[dt.date, dt.date]:
    one = _safe_day(year, month, day)
    return one, one


def _safe_day(year: int, month: int, day: int) -> dt.date:
    # 29 February in a non-leap year: fall back to the 28th rather than fail the nearest-year search
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _fraction(base: _Interval, frac: tuple[float, float], kind: str, reason: str) -> _Interval:
    if base.granularity in ("year", "decade", "quarter"):
        months = (base.end.year - base.start.year) * 12 + base.end.month - base.start.month + 1
        first, last = round(frac[0] * months), round(frac[1] * months) - 1
        start = _add_months(base.start, first)
        end_month = _add_months(base.start, last)
        end = _month_end(end_month.year, end_month.month)
    else:
        days = (base.end - base.start).days + 1
        start = base.start + dt.timedelta(days=int(frac[0] * days))
        end = base.start + dt.timedelta(days=int(frac[1] * days) - 1)
    return _Interval(start, end, base.granularity, kind, f"{base.reason}; {reason}")


def _modify(base: _Interval, mod: str) -> _Interval:
    month_f, year_f, decade_f = MODIFIER_FRACTIONS[mod]
    if base.granularity == "month":
        frac = month_f
        # "10 days" thirds, as newsrooms use them: 1-10, 11-20, 21-end
        days = (base.end - base.start).days + 1
        bounds = {0: 0, 1 / 3: 10, 2 / 3: 20, 1: days, 0.9: days - 3}
        start = base.start + dt.timedelta(days=bounds.get(frac[0], round(frac[0] * days)))
        end = base.start + dt.timedelta(days=bounds.get(frac[1], round(frac[1] * days)) - 1)
        return _Interval(start, end, "month", "approximate", f"{base.reason}; '{mod}' the month")
    if base.granularity in ("year", "quarter"):
        return _fraction(base, year_f, "approximate", f"'{mod}' the {base.granularity}")
    if base.granularity == "decade":
        return _fraction(base, decade_f, "approximate", f"'{mod}' the decade")
    if base.granularity == "day":  # "early Sunday", "late Monday": a time of that day
        return _Interval(base.start, base.end, "day", base.type, f"{base.reason}; '{mod}' in the day")
    return _Interval(base.start, base.end, base.granularity, "approximate", f"{base.reason}; '{mod}'")


def _weekday(m: re.Match[str], pub: dt.date | None, s: str, future: bool = False) -> _Interval:
    wd = WEEKDAYS[m["weekday"]]
    if m["month"] and not m["year"] and pub is not None:  # "Wednesday, June 11": the weekday picks the year
        month, dd = MONTHS[m["month"]], int(m["day"])
        agreeing = [
            day for y in (pub.year - 1, pub.year, pub.year + 1)
            if dd <= calendar.monthrange(y, month)[1] and (day := dt.date(y, month, dd)).weekday() == wd
        ]  # fmt: skip
        if agreeing:
            before = [day for day in agreeing if day <= pub]
            after = [day for day in agreeing if day >= pub]
            day = (after or before)[0] if future else (before or after)[-1 if before else 0]
            return _Interval(day, day, "day", "exact", "calendar date; the year whose weekday agrees")
    if m["month"]:  # "Tuesday, March 4": the calendar date decides
        written = _point(f"{m['month']} {m['day']} {m['year'] or ''}".strip(), pub, future)
        if written is not None:
            return written
    pub = _need(pub, f"'{s}'")
    rel = m["rel"]
    if rel in ("last", "past", "previous"):
        day, reason = pub - dt.timedelta(days=(pub.weekday() - wd - 1) % 7 + 1), "the previous such weekday"
    elif rel in ("next", "coming"):
        day, reason = pub + dt.timedelta(days=(wd - pub.weekday() - 1) % 7 + 1), "the next such weekday"
    elif rel == "this":
        day, reason = pub - dt.timedelta(days=pub.weekday() - wd), "that weekday of the publication week"
    elif future:
        day, reason = (
            pub + dt.timedelta(days=(wd - pub.weekday()) % 7),
            "the next such weekday (future tense)",
        )
    else:
        day, reason = pub - dt.timedelta(days=(pub.weekday() - wd) % 7), "the most recent such weekday"
    return _Interval(day, day, "day", "exact", reason)


def _season_span(year: int, season: str) -> tuple[dt.date, dt.date]:
    first = SEASONS[season]
    return dt.date(year, first, 1), _month_end(*_ym(year, first + 2))


def _relative_month(rel: str, month: int, pub: dt.date) -> _Interval:
    spans = [_month(y, month) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if rel in ("last", "past"):
        start, end = [sp for sp in spans if sp[1] < pub][-1]
        reason = "the last such month completed before publication"
    elif rel in ("next", "coming"):
        start, end = next(sp for sp in spans if sp[0] > pub)
        reason = "the next such month after publication"
    else:
        start, end = _month(pub.year, month)
        reason = "that month of the publication year"
    return _Interval(start, end, "month", "exact", reason)


def _relative_season(rel: str, season: str, pub: dt.date) -> _Interval:
    spans = [_season_span(y, season) for y in range(pub.year - 2, pub.year + 2)]
    if rel in ("last", "past", "previous"):
        start, end = [sp for sp in spans if sp[1] < pub][-1]
        reason = f"the last {season} completed before publication"
    elif rel in ("next", "coming"):
        start, end = next(sp for sp in spans if sp[0] > pub)
        reason = f"the next {season} after publication"
    else:
        start, end = _nearest_year(pub, lambda y: _season_span(y, season), season)
        reason = f"the {season} nearest to publication"
    return _Interval(start, end, "quarter", "approximate", reason)


def _weekend(s: str, pub: dt.date) -> _Interval:
    saturday_this_week = pub + dt.timedelta(days=5 - pub.weekday())
    if "next" in s or "coming" in s:
        sat = saturday_this_week + dt.timedelta(days=7 if pub.weekday() >= 5 else 0)
        reason = "the next weekend"
    elif s == "this weekend" and pub.weekday() < 5:
        sat, reason = saturday_this_week, "the coming weekend of the publication week"
    elif "last" in s or "past" in s:
        sat = saturday_this_week - dt.timedelta(days=7)
        reason = "the last full weekend before publication"
    else:
        sat = saturday_this_week if pub.weekday() >= 5 else saturday_this_week - dt.timedelta(days=7)
        reason = "the most recent weekend"
    return _Interval(sat, sat + dt.timedelta(days=1), "day", "range", reason)


def _relative_unit(rel: str, unit: str, pub: dt.date) -> _Interval:
    offset = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[rel]
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=7 * offset)
        start, end = monday, monday + dt.timedelta(days=6)
    elif unit == "month":
        first = _add_months(pub.replace(day=1), offset)
        start, end = _month(first.year, first.month)
    elif unit == "quarter":
        first = _add_months(dt.date(pub.year, 3 * ((pub.month - 1) // 3) + 1, 1), 3 * offset)
        start, end = first, _month_end(*_ym(first.year, first.month + 2))
    elif unit == "year":
        start, end = dt.date(pub.year + offset, 1, 1), dt.date(pub.year + offset, 12, 31)
    else:  # decade
        y = pub.year // 10 * 10 + 10 * offset
        start, end = dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
    return _Interval(start, end, unit, "exact", f"'{rel} {unit}' relative to publication ({pub.isoformat()})")


# ---------------------------------------------------------------------------------------------
# composite expressions: offsets, anchors, ranges


def _offset(num: int, unit: str, direction: int, base: dt.date) -> _Interval:
    days, months = _unit_delta(num, unit)
    if unit in ("day", "night"):
        day = base + dt.timedelta(days=direction * days)
        return _Interval(day, day, "day", "exact", f"{num} day(s) {'after' if direction > 0 else 'before'}")
    if unit in ("week", "fortnight"):
        day = base + dt.timedelta(days=direction * days)
        return _Interval(
            day, day, "week", "approximate", f"{num} {unit}(s) {'after' if direction > 0 else 'before'}"
        )
    target = _add_months(base, direction * months)
    if unit == "month":
        start, end = _month(target.year, target.month)
        return _Interval(
            start, end, "month", "approximate", f"{num} month(s) {'after' if direction > 0 else 'before'}"
        )
    if unit == "quarter":
        return _Interval(target, target, "quarter", "approximate", f"{num} quarter(s) away")
    if unit == "year":
        return _Interval(dt.date(target.year, 1, 1), dt.date(target.year, 12, 31), "year", "approximate",
                         f"{num} year(s) {'after' if direction > 0 else 'before'}")  # fmt: skip
    y = target.year // 10 * 10
    return _Interval(
        dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade", "approximate", f"{num} decade(s) away"
    )


def _landmark(text: str) -> _Interval | None:
    for pattern, day, name in LANDMARKS:
        if pattern.search(text):
            return _Interval(day, day, "day", "exact", f"{name} ({day.isoformat()}, a known date)")
    return None


def _anchored(m: re.Match[str], pub: dt.date | None, future: bool = False) -> _Interval:
    num, unit = _number(m["num"]), m["unit"]
    direction = 1 if m["dir"] in ("after", "following") else -1
    anchor_text = m["anchor"]
    explicit = _find_embedded_date(anchor_text, pub)
    for pattern, day, name in LANDMARKS:
        if pattern.search(anchor_text):
            if explicit is not None and not explicit.start <= day <= explicit.end:
                continue  # the text dates the event differently: trust the text
            result = _offset(num, unit, direction, day)
            return _Interval(result.start, result.end, result.granularity, result.type,
                             f"{result.reason} {name} ({day.isoformat()}, a known date"
                             + (f" within '{explicit.reason}'" if explicit else "") + ")")  # fmt: skip
    if explicit is None:
        if (found := _year_less_anchor(anchor_text, pub, future, num, unit, direction)) is not None:
            return found
        raise Refusal(f"offset from '{anchor_text}', an event this text does not date")
    if explicit.granularity == "day":  # a whole month or year away, as for "a month ago"
        result = _offset(num, unit, direction, explicit.start)
        return dataclasses.replace(result, reason=f"{result.reason} the anchor dated {explicit.start}")
    days, months = _unit_delta(num, unit)
    start, end = _shift(explicit, days=direction * days, months=direction * months)
    gran = explicit.granularity if explicit.granularity != "day" else _gran_of(unit)
    kind = "exact" if explicit.granularity == "day" and unit in ("day", "night") else "approximate"
    return _Interval(
        start,
        end,
        gran,
        kind,
        f"{num} {unit}(s) {m['dir']} the anchor dated {explicit.start}..{explicit.end}",
    )


def _year_less_anchor(
    text: str, pub: dt.date | None, future: bool, num: int, unit: str, direction: int
) -> _Interval | None:
    """An offset from a day written without its year ("two days before June 3", "a week after the May 9
    parade", "two days after Tuesday's vote"): of the anchor's occurrences around publication, the one
    that puts the offset date latest on or before publication (first on or after it when ``future``)."""
    if pub is None:
        return None
    anchors: list[dt.date] = []
    if (md := ANCHOR_MONTH_DAY.search(text)) is not None:
        month, dd = MONTHS[md["month"] or md["month2"]], int(md["day"] or md["day2"])
        dt.date(2000, month, dd)  # validates the day (2000 is a leap year)
        anchors = [_safe_day(y, month, dd) for y in (pub.year - 1, pub.year, pub.year + 1)]
        what = md.group(0)
    elif (hol := ANCHOR_HOLIDAY.search(text)) is not None:
        month, dd = HOLIDAYS[hol.group(0)]
        anchors = [dt.date(y, month, dd) for y in (pub.year - 1, pub.year, pub.year + 1)]
        what = hol.group(0)
    elif (wd := ANCHOR_WEEKDAY.search(text)) is not None:
        this_week = pub + dt.timedelta(days=WEEKDAYS[wd.group(0)] - pub.weekday())
        anchors = [this_week + dt.timedelta(days=7 * k) for k in (-2, -1, 0, 1, 2)]
        what = wd.group(0)
    if not anchors:
        return None
    results = [(anchor, _offset(num, unit, direction, anchor)) for anchor in anchors]
    if future:
        anchor, result = next(((a, r) for a, r in results if r.end >= pub), results[-1])
    else:
        anchor, result = ([(a, r) for a, r in results if r.start <= pub] or results[:1])[-1]
    return dataclasses.replace(
        result, reason=f"{result.reason} {what} ({anchor.isoformat()}: {_YEAR_LESS[future]})"
    )


def _find_embedded_date(text: str, pub: dt.date | None) -> _Interval | None:
    """The last absolute date written inside a longer phrase ("the invasion of Ukraine in February 2022")."""
    for match in reversed(list(EMBEDDED.finditer(text))):
        try:
            found = _point(match.group(0).replace(",", ""), pub)
        except (Refusal, ValueError):
            continue
        if found is not None:
            return found
    return None


def _complete_pair(a: str, b: str) -> tuple[str, str]:
    """Share the month and year across a range's ends: "march 15-20, 2024", "15-20 march", "2019-21"."""
    if (bare := re.fullmatch(r"(\d{1,2})( \d{4})?", b)) and (md := MONTH_DAY.match(a)):
        b = f"{md['month']} {bare.group(1)}{bare.group(2) or ''}"
    if re.fullmatch(r"\d{1,2}", a) and (dm := DAY_MONTH.match(b)):
        a = f"{a} {dm['month']}{dm['tail'] or ''}"
    if (rel := re.match(r"^(last|next|this|past) (?=" + "|".join(WEEKDAYS) + ")", a)) and b in WEEKDAYS:
        b = f"{rel.group(1)} {b}"  # "next Tuesday or Wednesday"
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{2}", b):
        b = a[:2] + b
    year = HAS_YEAR.search(b)
    if year and not re.search(r"\d{4}", a) and (NAMED_PERIOD.search(a) or MONTH_DAY.match(a)):
        a = f"{a} {year.group(1)}"
    return a, b


def _range(s: str, pub: dt.date | None, future: bool = False) -> _Interval | None:
    if m := OR_SPLIT.match(s):
        a, b = _complete_pair(m["a"], m["b"])
        first, second = _point(a, pub, future), _point(b, pub, future)
        if first and second:
            lo, hi = sorted((first, second), key=lambda i: i.start)
            return _Interval(lo.start, max(lo.end, hi.end), _finer(lo.granularity, hi.granularity), "range",
                             f"spanning two dates: {lo.reason} / {hi.reason}")  # fmt: skip
    for split in RANGE_SPLITS:
        if not (m := split.match(s)):
            continue
        a, b = _complete_pair(m["a"].strip(), m["b"].strip())
        try:
            first, second = _point(a, pub, future), _point(b, pub, future)
        except Refusal:
            continue
        if first and second and second.end < first.start:
            # The year-less end fell before the start. A future sentence moves the end ahead; so does a
            # calendar end ("June 1 to June 15" published June 9 runs on: its start already decided the
            # year); a weekday range ("Monday to Wednesday" published on a Monday) is the previous one.
            weekday_end = any(day in b for day in WEEKDAYS)
            if (future or not weekday_end) and not re.search(r"\d{4}", b):
                second = _roll(second, b, 1)
            elif not re.search(r"\d{4}", a):
                first = _roll(first, a, -1)
        if first and second and first.start <= second.end:
            return _Interval(first.start, second.end, _finer(first.granularity, second.granularity), "range",
                             f"range from {first.reason} to {second.reason}")  # fmt: skip
    return None


def _roll(point: _Interval, text: str, direction: int) -> _Interval:
    """The previous (``direction=-1``) or next occurrence of a year-less range end."""
    if any(day in text for day in WEEKDAYS):
        start, stop = _shift(point, days=7 * direction)
    else:
        start, stop = _shift(point, months=12 * direction)
    where = "the one before the end" if direction < 0 else "the one after the start"
    return _Interval(start, stop, point.granularity, point.type, f"{point.reason}, {where}")


def _resolve(s: str, pub: dt.date | None, future: bool = False) -> _Interval:
    s = re.sub(r"^(?:in|over|during|for|within) (?=the (?:past|last|previous|next|coming) )", "", s)
    if WORLD_KNOWLEDGE.search(s) and not (m := RX["anchored"].match(s)):
        raise Refusal(f"'{s}' refers to an event whose date needs world knowledge")
    if s in VAGUE_WORDS:
        raise Refusal(f"'{s}' is too vague to place on a calendar")
    if NARRATIVE.match(s):
        raise Refusal(f"'{s}' is relative to an event the expression does not name")
    if m := RECENCY.match(s):  # "as recently as Tuesday": the hedge stresses recency, the date is Tuesday
        found = _resolve(m["rest"], pub, future)
        return dataclasses.replace(
            found, reason=f"{found.reason}; '{s[: -len(m['rest']) - 1]}' keeps the date"
        )
    if s in TIMES_OF_DAY:
        raise Refusal(f"'{s}' is a time of day with no date")
    if s in OVERNIGHT:
        now = _need(pub, f"'{s}'")
        return _Interval(
            now - dt.timedelta(days=1), now, "day", "range", "overnight: the night before publication"
        )
    named = _point(m["rest"] or m["rest2"], pub, future) if (m := DAYTIME.match(s)) else None
    if named is not None and named.granularity == "day":  # "before dawn on Wednesday": a time of that day
        return dataclasses.replace(named, reason=f"{named.reason}; a time of that day")
    if (s in RELATIVE_WORDS or s in WEEKENDS) and (point := _point(s, pub, future)) is not None:
        return point  # always resolves or refuses
    if m := RX["anchored"].match(s):
        return _anchored(m, pub, future)
    if (m := RX["period_of"].match(s)) and (
        period := _range(m["rest"], pub, future) or _point(m["rest"], pub, future)
    ):
        if m["which"] == "week" and period.granularity == "day":  # "the week of March 10": Monday to Sunday
            monday = period.start - dt.timedelta(days=period.start.weekday())
            return _Interval(
                monday, monday + dt.timedelta(days=6), "week", "exact", f"the week of {period.reason}"
            )
        if m["which"] != "week":
            return _Interval(
                period.start, period.end, period.granularity, period.type, f"{period.reason} ({m['which']})"
            )
    if m := RX["day_anchored"].match(s):
        base = _point(m["anchor"], pub, future) if m["which"] != "eve" else None
        if base is None or base.granularity != "day":
            raise Refusal(f"'{s}' is relative to an event this text does not date")
        step = {"day": 1, "eve": 1, "week": 7}.get(m["which"])
        if step is None or m["dir"] == "of":
            raise Refusal(f"'{s}' is relative to an anchor we cannot place exactly")
        day = base.start + dt.timedelta(days=step if m["dir"] == "after" else -step)
        return _Interval(day, day, "day", "exact", f"the {m['which']} {m['dir']} {base.start.isoformat()}")
    if m := RX["within_ago"].match(s):  # "up to two weeks ago", "less than a week ago": up to publication
        now = _need(pub, f"'{s}'")
        days, months = _unit_delta(_number(m["num"]), m["unit"])
        start = _add_months(now, -months) - dt.timedelta(days=days)
        return _Interval(
            start, now, _gran_of(m["unit"]), "range", f"from {start.isoformat()} up to publication"
        )
    if m := RX["ago"].match(s):
        if m["dir"] in ("earlier", "later", "before", "after", "prior", "since"):
            raise Refusal(f"'{s}' is relative to an anchor the expression does not name")
        direction = -1 if m["dir"] == "ago" else 1
        now = _need(pub, f"'{s}'")
        result = _offset(_number(m["num"]), m["unit"], direction, now)
        kind = "approximate" if s.split()[0] in ("about", "some", "nearly", "almost", "roughly", "around",
                                                 "more", "over", "less") else result.type  # fmt: skip
        return _Interval(result.start, result.end, result.granularity, kind,
                         f"{result.reason} publication ({now.isoformat()})")  # fmt: skip
    if m := RX["in_future"].match(s):
        now = _need(pub, f"'{s}'")
        if s.startswith("within"):
            days, months = _unit_delta(_number(m["num"]), m["unit"])
            end = _add_months(now, months) + dt.timedelta(days=days)
            return _Interval(
                now, end, _gran_of(m["unit"]), "range", "from publication up to the stated length"
            )
        return _offset(_number(m["num"]), m["unit"], 1, now)
    if RX["vague_ago"].match(s) or VAGUE_SPAN.match(s):
        raise Refusal(f"'{s}' counts vaguely ('a few', 'several'): no exact offset")
    if m := RX["rolling"].match(s):
        if m["unit"] == "hour" and m["num"] is not None and m["rel"] != "recent":
            # "the past 24 hours", "the next 48 hours": whole days, publication day included
            now, days = _need(pub, f"'{s}'"), -(-_number(m["num"]) // 24)
            ahead = m["rel"] in ("next", "coming")
            start, end = (
                (now, now + dt.timedelta(days=days)) if ahead else (now - dt.timedelta(days=days), now)
            )
            return _Interval(start, end, "day", "range", f"the {m['rel']} {m['num']} hours, in whole days")
        if m["rel"] == "recent" or m["unit"] in ("hour", "minute", "weekend", "century"):
            raise Refusal(f"'{s}' is too vague to place on a calendar")
        if m["num"] is None and s.endswith("s"):  # "the coming days", "the past decades"
            raise Refusal(f"'{s}' gives no count: too vague to place on a calendar")
        if m["num"] is None and m["rel"] in ("next", "previous") and s.startswith("the"):
            # narrative "the next day", "the previous week": relative to the story's last event, not to today
            raise Refusal(f"'{s}' is relative to an event the expression does not name")
        if (
            m["num"] is None
            and m["unit"] in ("week", "month", "quarter", "year", "decade")
            and not s.startswith("the")
        ):
            return _relative_unit(m["rel"], m["unit"], _need(pub, f"'{s}'"))
        now = _need(pub, f"'{s}'")
        num = _number(m["num"]) if m["num"] else 1
        days, months = _unit_delta(num, m["unit"])
        if m["rel"] in ("next", "coming"):
            start, end = now, _add_months(now, months) + dt.timedelta(days=days)
        else:
            start, end = _add_months(now, -months) - dt.timedelta(days=days), now
        return _Interval(start, end, _gran_of(m["unit"]), "range", f"the {m['rel']} {num} {m['unit']}(s) up to publication"
                         if m["rel"] not in ("next", "coming") else f"the {m['rel']} {num} {m['unit']}(s) from publication")  # fmt: skip
    if m := re.match(r"^(?:from )?(?P<rest>.+?) (?:on|onwards?)$", s):
        s = f"since {m['rest']}"  # "from 2022 onwards" opens a range like "since 2022"
    if m := re.match(r"^(?:ever )?since (?P<rest>.+)$", s):
        base = _point(m["rest"], pub, future) or _find_embedded_date(m["rest"], pub) or _landmark(m["rest"])
        if base is None:
            raise Refusal(f"'{s}' starts at an event this text does not date")
        if pub is None:
            return _Interval(
                base.start, base.start, base.granularity, "range", "open-ended: since, no publication date"
            )
        return _Interval(
            base.start, pub, base.granularity, "range", f"since {base.reason}, up to publication"
        )
    if m := re.match(r"^(?:by|until|till|through|no later than) (?P<rest>.+)$", s):
        base = _point(m["rest"], pub, future)
        if base is not None:
            return _Interval(
                base.start, base.end, base.granularity, "approximate", f"deadline: {base.reason}"
            )
    if (point := _point(s, pub, future)) is not None:
        return point
    if (span := _range(s, pub, future)) is not None:
        return span
    if (
        s.startswith("from ")
        and (span := _range(s[5:], pub, future) or _point(s[5:], pub, future)) is not None
    ):
        return span
    if RX["frequency"].match(s):
        raise Refusal(f"'{s}' is a frequency, not a point in time")
    if RX["duration"].match(s) or RX["bare_plural"].match(s) or HYPHEN_DURATION.search(s):
        raise Refusal(f"'{s}' is a duration, not a point in time")
    if re.match(r"^(?:before|after|prior to|following) ", s):
        raise Refusal(f"'{s}' is open-ended (before/after) or relative to an undated event")
    raise Refusal(f"'{s}' is not a date expression detente can resolve")


def _spell_weekday(m: re.Match[str]) -> str:
    return WEEKDAY_ABBREVIATIONS[(m["cap"] or m["dot"]).lower()]


def normalize(text: str) -> str:
    s = ABBREVIATED_WEEKDAY.sub(_spell_weekday, text)  # "Thurs." -> "thursday", before lower-casing
    s = s.lower().replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"(\d),", r"\1", s)
    s = re.sub(r"[,;]", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" .")
    s = re.sub(r"\bthis past\b", "past", s)
    s = re.sub(r"'s\b(?! (?:eve|day)\b)", "", s)  # "Tuesday's vote", "last year's"; not "New Year's Eve"
    s = re.sub(r"^(\d{4}-\d\d-\d\d)t\d\d:\d\d.*$", r"\1", s)  # ISO timestamps
    s = re.sub(r"\bmid (?=\w)", "mid-", s)
    s = re.sub(r"^mid-(?=[a-z0-9'])", "mid ", s)
    return s


# Capitalised first words that belong to a date phrase ("The next day", "Early March"): no name to drop.
_DATE_PHRASE_OPENERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "next", "last", "early", "late",
                                  "mid", "since", "from", "until", "by", "on", "in", "at", "during", "every", "each",
                                  "around", "about", "before", "after", "earlier", "later", "some", "one"})  # fmt: skip


def resolve_date(
    text: str, pub_date: dt.date | dt.datetime | None = None, *, future: bool = False,
    char_start: int | None = None, char_end: int | None = None,
) -> ResolvedDate:  # fmt: skip
    """Resolve one date expression; without ``pub_date`` only absolute dates resolve.

    ``future`` says the expression's sentence speaks of what will happen ("will meet on Friday"):
    a bare weekday or a year-less month then means the next one rather than the nearest.
    """
    if isinstance(pub_date, dt.datetime):
        pub_date = pub_date.date()
    s = normalize(text)
    try:
        found = _resolve(s, pub_date, future)
        if HEDGES.match(s) and found.type == "exact":  # "around 2015", "on or about June 4"
            found = dataclasses.replace(found, type="approximate", reason=f"{found.reason}; hedged")
    except Refusal as refusal:
        words = text.split()
        if len(words) > 1 and words[0][:1].isupper() and words[0].lower() not in _DATE_PHRASE_OPENERS:
            # The parser's date entity may take in a name before it ("sanctions on Niger last year"):
            # the date is what follows the name
            rest = resolve_date(" ".join(words[1:]), pub_date, future=future, char_start=char_start,
                                char_end=char_end)  # fmt: skip
            if rest.type != "unresolved":
                return dataclasses.replace(rest, text=text, reason=f"{rest.reason}; after '{words[0]}'")
        return ResolvedDate(None, None, None, "unresolved", text, str(refusal), char_start, char_end)
    except (ValueError, OverflowError) as exc:
        reason = f"'{s}' is not a valid calendar date ({exc})"
        return ResolvedDate(None, None, None, "unresolved", text, reason, char_start, char_end)
    return ResolvedDate(
        found.start, found.end, found.granularity, found.type, text, found.reason, char_start, char_end
    )


def is_length(text: str) -> bool:
    """Whether an expression names a length, a frequency or a bare number ("six years", "for weeks",
    "annually", "40"), not a position in time; relative positions ("days later", "two years ago") and
    anything that resolves are positions."""
    s = normalize(text)
    if re.search(r"\b(?:ago|later|earlier|before|after|since|from now|prior|ahead)\b", s):
        return False
    if resolve_date(text, dt.date(2000, 1, 1)).type != "unresolved":
        return False
    return bool(
        re.fullmatch(r"\d+", s) or RX["frequency"].match(s) or RX["duration"].match(s)
        or RX["bare_plural"].match(s) or HYPHEN_DURATION.search(s)
    )  # fmt: skip


def publication_date(pub_date: dt.date | None) -> ResolvedDate:
    """The publication date used as an event's date when its text gives none (flagged in the reason)."""
    if pub_date is None:
        return ResolvedDate(
            None, None, None, "unresolved", "", "no date in the clause or sentence, no publication date"
        )
    return ResolvedDate(pub_date, pub_date, "day", "approximate", "",
                        "publication date: no date expression in the event's clause or sentence")  # fmt: skip
