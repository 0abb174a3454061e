"""The words and patterns the date resolver reads (:mod:`detente.timex`), compiled once at import."""

from __future__ import annotations

import datetime as dt
import re

GRANULARITY_ORDER = ("day", "week", "month", "quarter", "year", "decade")

MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    n: i for i, n in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
# Newsroom abbreviations ("Thurs.", "Sat", "Weds."); :func:`detente.timex.normalize` spells them out.
WEEKDAY_ABBREVIATIONS: dict[str, str] = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "weds": "wednesday",
    "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday",
    "sun": "sunday",
}  # fmt: skip
_ABBREVIATION_P = r"(?:Mon|Tues?|Weds?|Thu(?:rs?)?|Fri|Sat|Sun)"
# Capitalised ("Sat", "THURS") or with a full stop ("sat."): lower-case "sat" and "sun" stay words.
ABBREVIATED_WEEKDAY = re.compile(
    r"\b(?:(?P<cap>"
    + _ABBREVIATION_P
    + r"|"
    + _ABBREVIATION_P.upper()
    + r")\b\.?|(?i:(?P<dot>"
    + _ABBREVIATION_P
    + r"))\.)"
)
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "a couple of": 2, "a couple": 2, "couple of": 2,
}  # fmt: skip
VAGUE_COUNTS = (
    "a few",
    "few",
    "several",
    "many",
    "some",
    "a number of",
    "dozens of",
    "hundreds of",
    "countless",
)
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
DECADE_WORDS = {
    "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
    "seventies": 1970, "eighties": 1980, "nineties": 1990,
}  # fmt: skip
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month of the season
HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
    "new year's eve": (12, 31), "halloween": (10, 31), "valentine's day": (2, 14), "may day": (5, 1),
}  # fmt: skip
# Landmark events that articles date other things by. World knowledge, kept tiny and explicit: an anchor
# is used only when the text names the event, and only when it agrees with any date the text gives.
LANDMARKS: tuple[tuple[re.Pattern[str], dt.date, str], ...] = tuple(
    (re.compile(p), d, name)
    for p, d, name in (
        (r"\binva(?:sion|ded?)\b.*\bukraine|ukraine\b.*\binvasion|full-scale (?:war|invasion)", dt.date(2022, 2, 24),
         "Russia's full-scale invasion of Ukraine"),
        (r"annexation\b.*\bcrimea|crimea\b.*\bannex", dt.date(2014, 3, 18), "the annexation of Crimea"),
        (r"\b9/11\b|september 11(th)? attacks", dt.date(2001, 9, 11), "the September 11 attacks"),
        (r"october 7(th)? attacks?|hamas\b.*\battack\b.*\bisrael", dt.date(2023, 10, 7),
         "the October 7 attack on Israel"),
        (r"fall of the berlin wall", dt.date(1989, 11, 9), "the fall of the Berlin Wall"),
    )
)  # fmt: skip

MONTH_P = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# The same names without a group, for patterns that hold more than one month or none ("Mar." included).
MONTH_WORD = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY_P = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
NUM_P = r"(?P<num>\d+|" + "|".join(sorted((re.escape(n) for n in NUMBERS), key=len, reverse=True)) + r")"
VAGUE_P = r"(?P<vague>" + "|".join(VAGUE_COUNTS) + r")"
UNIT_P = r"(?P<unit>day|week|fortnight|month|quarter|year|decade|weekend|night|hour|minute|century)s?"
YEAR_P = r"(?P<year>1[89]\d\d|20\d\d|21\d\d)"
DAY_P = r"(?P<day>[0-3]?\d)"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"^" + pattern + r"$")


RX = {
    "iso": _rx(r"(?P<year>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    "iso_month": _rx(r"(?P<year>\d{4})-(?P<m>0[1-9]|1[0-2])"),
    "slash": _rx(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})"),
    "mdy": _rx(MONTH_P + r" " + DAY_P + r"(?: " + YEAR_P + r")?"),
    "dmy": _rx(DAY_P + r" (?:of )?" + MONTH_P + r"(?: " + YEAR_P + r")?"),
    "my": _rx(MONTH_P + r"(?: of)?(?: " + YEAR_P + r")?"),
    "year": _rx(r"(?:the year )?" + YEAR_P),
    "decade": _rx(r"(?P<dec>1\d\d0|20\d0|'\d0|\d0)'?s"),
    "month_of": _rx(MONTH_P + r" of (?P<rest>.+)"),
    "century": _rx(r"(?P<c>1[0-9]|2[01]) century"),
    "decade_word": _rx(r"(?P<word>" + "|".join(DECADE_WORDS) + r")"),
    "quarter": _rx(r"(?:q(?P<q>[1-4])|(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th) quarter)(?:(?: of)? (?P<rest>.+))?"),
    "half": _rx(r"(?P<h>first|second) half of (?P<rest>.+)"),
    "season": _rx(r"(?P<season>spring|summer|autumn|fall|winter)(?: of)?(?: " + YEAR_P + r"(?:[/-](?P<y2>\d{2,4}))?)?"),
    "holiday": _rx(r"(?P<hol>" + "|".join(re.escape(h) for h in HOLIDAYS) + r")(?: " + YEAR_P + r")?"),
    "week_of": _rx(r"(?P<ord>first|second|third|fourth|last|1st|2nd|3rd|4th) week of (?P<rest>.+)"),
    "modified": _rx(r"(?P<mod>the beginning of|beginning of|the start of|start of|the end of|end of|the middle of|"
                    r"middle of|the turn of|turn of|early|mid|late)(?: |-)(?P<rest>.+)"),
    "weekday": _rx(r"(?:(?P<rel>last|this|next|past|coming) )?" + WEEKDAY_P +
                   r"(?: (?:morning|afternoon|evening|night))?(?: " + MONTH_P + r" " + DAY_P + r"(?: " + YEAR_P + r")?)?"),
    "rel_month": _rx(r"(?P<rel>last|this|next|past|coming) " + MONTH_P),
    "rel_season": _rx(r"(?P<rel>last|this|next|past|coming|previous) (?P<season>spring|summer|autumn|fall|winter)"),
    "rel_unit": _rx(r"(?P<rel>last|this|next|past|coming|current) (?P<unit>week|month|quarter|year|decade)"),
    "the_unit": _rx(r"(?P<unit>week|month|year)"),
    "part_of_unit": _rx(r"(?P<part>earlier|later) (?P<rel>this|last|next) (?P<unit>week|month|year)"),
    "within_ago": _rx(r"(?:up to|as much as|as long as|less than|no more than|not more than|under|within) "
                      + NUM_P + r" " + UNIT_P + r" ago"),
    "rolling": _rx(r"(?:the )?(?P<rel>past|last|previous|next|coming|recent) (?:" + NUM_P + r" )?" + UNIT_P),
    "ago": _rx(r"(?:about |some |nearly |almost |roughly |around |more than |over |less than )?" + NUM_P + r" " +
               UNIT_P + r" (?P<dir>ago|from now|earlier|later|before|after|prior|since)"),
    "in_future": _rx(r"(?:in|within) " + NUM_P + r" " + UNIT_P),
    "vague_ago": _rx(VAGUE_P + r" " + UNIT_P + r" (?:ago|from now|earlier|later|before|after)"),
    "anchored": _rx(r"(?:about |some |nearly |almost |roughly |around )?" + NUM_P + r" " + UNIT_P +
                    r" (?P<dir>before|after|prior to|following|ahead of) (?P<anchor>.+)"),
    "period_of": _rx(r"(?:(?:early |late )?(?:on|in|during|over) )?(?:the )?(?P<which>weekend|week|night|morning|afternoon|evening|"
                     r"early hours|small hours|wee hours|early morning|late evening|late night) of (?P<rest>.+)"),
    "day_anchored": _rx(r"(?:on )?(?:the )?(?P<which>day|week|month|year|eve) (?P<dir>before|after|of) (?P<anchor>.+)"),
    "frequency": _rx(r"(?:annual|annually|yearly|monthly|weekly|daily|nightly|hourly|biannual|quarterly|"
                     r"(?:every|each|per|a) (?:other )?(?:day|night|week|month|year|quarter|decade)s?)"),
    "duration": _rx(r"(?:for |over |during |within |about |some |nearly |almost |more than |less than |up to |at least |the |only )?"
                    r"(?:\w+ (?:to|or) )?"
                    r"(?:" + NUM_P + r"|" + VAGUE_P + r"|\d+ or \d+|[a-z]+ or [a-z]+) (?:more |long |straight |consecutive |full )?"
                    + UNIT_P + r"(?: .*)?"),
    "bare_plural": _rx(r"(?:for |over )?(?:days|weeks|months|years|decades|hours|centuries)(?: .*)?"),
}  # fmt: skip
WORLD_KNOWLEDGE = re.compile(
    r"\b(anniversary|eve of|day of the|election day|the time of|the height of|the days of)\b"
)
RELATIVE_WORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "now": 0,
    "currently": 0, "at present": 0, "yesterday": -1, "last night": -1, "yesterday morning": -1,
    "yesterday afternoon": -1, "yesterday evening": -1, "last evening": -1, "yesterday night": -1,
    "tomorrow": 1, "tomorrow morning": 1, "tomorrow afternoon": 1, "tomorrow evening": 1, "tomorrow night": 1,
    "the day before yesterday": -2, "the day after tomorrow": 2,
}  # fmt: skip
VAGUE_WORDS = {"recently", "until recently", "until very recently", "lately", "soon", "recent", "in recent days", "in recent weeks", "in recent months",
               "in recent years", "earlier", "later", "previously", "once", "at the time", "then", "these days",
               "the past", "the future", "in the past", "in the future", "at the same time", "the same day"}  # fmt: skip
WEEKENDS = frozenset({"weekend", "over the weekend", "this weekend", "last weekend", "past weekend", "next weekend",
                      "coming weekend", "the weekend", "over the past weekend", "over the last weekend"})  # fmt: skip
NARRATIVE = re.compile(
    r"^(?:the )?(?:day|week|month|year|night|morning) (?:before|after|earlier|later|prior)$"
    r"|^(?:the )?(?:previous|following|preceding|same) "
)
TIMES_OF_DAY = frozenset({"morning", "afternoon", "evening", "night", "the night", "the morning", "the evening",
                           "the afternoon", "noon", "midnight", "dawn", "dusk"})  # fmt: skip
# "overnight" alone, in news: the night before publication (both dates).
OVERNIGHT = frozenset({"overnight", "during the night", "in the night", "through the night"})
_DAYTIME_P = (
    r"(?:dawn|dusk|daybreak|sunrise|sunset|midday|mid-day|noon|midnight|nightfall|first light|"
    r"lunchtime|the early morning)"
)
# A time of day on a named day: "before dawn on Wednesday", "at dawn Thursday", "Sunday at noon".
DAYTIME = re.compile(
    r"^(?:(?:just|shortly|soon|right|early|late) )?(?:(?:before|after|around|at|about|by|toward|towards) )?"
    + _DAYTIME_P
    + r"(?: (?:on|of))? (?P<rest>.+)$"
    r"|^(?P<rest2>.+?) (?:(?:just|shortly) )?(?:before|after|around|at|about|by|toward|towards)? ?"
    + _DAYTIME_P
    + r"$"
)
# "as recently as Tuesday", "most recently in March", "only last week": the date is the expression's own.
RECENCY = re.compile(
    r"^(?:(?:until|till|up until) )?(?:as recently as|as late as|most recently|more recently|only|just|even)"
    r"(?: (?:on|in))? (?P<rest>.+)$"
)
WEEKDAY_PREFIX = re.compile(
    r"^(?:" + "|".join(WEEKDAYS) + r") (?P<rest>\d.*|(?:" + "|".join(MONTHS) + r")\b.*)$"
)
HYPHEN_DURATION = re.compile(r"\b[a-z0-9]+-(?:day|week|month|year|hour|decade)s?(?:-long|-old)?\b")
VAGUE_SPAN = re.compile(r"^(?:the )?(?:past|last|next|coming) (?:few|several|many|couple of) ")
HEDGES = re.compile(
    r"^(?:around|about|circa|c\.|approximately|roughly|some time around|sometime around|"
    r"on or about|on or around|in or around|at about)\s+"
)
LEADING = re.compile(r"^(?:on or about|on or around|in or around|on|in|at|during|around|about|circa|c\.|approximately|as of|as early as|as late as|"
                      r"sometime in|some time in|some time|sometime|of|the|toward|towards|near|close to|"
                      r"(?:earlier|later) (?=today|tonight|on |this (?:morning|afternoon|evening)))\s*")  # fmt: skip
CLOCK_TIME = re.compile(r"(?:,? ?(?:at )?(?:\d{1,2}(?::\d\d)? ?(?:a\.?m\.?|p\.?m\.?)|\bnoon\b|\bmidnight\b)"
                          r"(?: (?:local time|gmt|utc|[a-z]{2,4}t))?)")  # fmt: skip


MODIFIER_FRACTIONS = {
    # (fraction of a month, fraction of a year, fraction of a decade)
    "early": ((0, 1 / 3), (0, 1 / 3), (0, 0.4)),
    "beginning of": ((0, 1 / 3), (0, 0.25), (0, 0.3)),
    "start of": ((0, 1 / 3), (0, 0.25), (0, 0.3)),
    "mid": ((1 / 3, 2 / 3), (1 / 3, 2 / 3), (0.3, 0.7)),
    "middle of": ((1 / 3, 2 / 3), (1 / 3, 2 / 3), (0.3, 0.7)),
    "late": ((2 / 3, 1), (2 / 3, 1), (0.7, 1)),
    "end of": ((2 / 3, 1), (0.75, 1), (0.7, 1)),
    "turn of": ((0.9, 1), (0.9, 1), (0.9, 1)),
}


EMBEDDED = re.compile(
    r"(?:" + MONTH_P.replace("?P<month>", "?:") + r" \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} "
    + MONTH_P.replace("?P<month>", "?:") + r",? \d{4}|" + MONTH_P.replace("?P<month>", "?:") + r",? \d{4}|"
    r"\d{4}-\d{2}-\d{2}|(?<![\d/])\d{4}(?![\d/]))"
)  # fmt: skip


# Year-less days inside an offset's anchor ("two days before the June 3 vote", "after Tuesday's vote").
ANCHOR_MONTH_DAY = re.compile(
    r"\b"
    + MONTH_P
    + r" (?P<day>[0-3]?\d)\b(?! ?\d)|\b(?P<day2>[0-3]?\d) (?:of )?"
    + MONTH_P.replace("?P<month>", "?P<month2>")
    + r"(?!\w)"
)
ANCHOR_HOLIDAY = re.compile(
    r"\b(?:" + "|".join(re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True)) + r")\b"
)
ANCHOR_WEEKDAY = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b")

RANGE_SPLITS = (
    re.compile(r"^(?:from|between) (?P<a>.+?) (?:to|until|till|through|thru|into|and|-) (?P<b>.+)$"),
    re.compile(r"^(?P<a>.+?) (?:to|until|till|through|thru|into) (?P<b>.+)$"),
    re.compile(r"^(?P<a>.+?) ?- ?(?P<b>.+)$"),
)
OR_SPLIT = re.compile(r"^(?:either )?(?P<a>.+?),? (?:or|and/or|and) (?P<b>.+)$")
HAS_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)$")
NAMED_PERIOD = re.compile(r"\b(" + "|".join(MONTHS) + r"|spring|summer|autumn|fall|winter)\b")
MONTH_DAY = re.compile(r"^" + MONTH_P + r" (?P<day>\d{1,2})$")
DAY_MONTH = re.compile(r"^(?P<day>\d{1,2}) " + MONTH_P + r"(?P<tail> \d{4})?$")
