"""The publication date a plain text states at its top, for articles that come without one.

A text pasted from a news site or a wire keeps its date in the dateline ("KYIV, March 20, 2025 — Ukraine
accused ...", "LONDON, 20 March 2025 (Reuters) -") or on a line of its own under the headline ("March 20,
2025", "Published: 2025-03-20"). Without it every event of the article is undated and the background check
cannot tell old news from new, so a text's own date is read when no field, sidecar or feed gives one, and
the article's meta says so (``published_from: "dateline"``). Only a whole date with its year counts, and only
at the top: a date in the body is what the story is about, not when it was written.
"""

from __future__ import annotations

import datetime as dt
import re

from detente.timex_lexicon import MONTH_WORD, MONTHS

_MONTH = rf"(?P<month>(?i:{MONTH_WORD}))"
_DATE = (
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"  # March 20, 2025
    rf"|(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}\s+(?P<year2>\d{{4}})"  # 20 March 2025
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"  # 2025-03-20
)
# "KYIV, March 20, 2025 —", "WASHINGTON, Mar. 20, 2025 (AP) -", "March 20, 2025 —": a place in capitals (or
# none), the date, then a dash or the agency's bracket that opens the story
_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z .'’-]+)?,\s*)?{_DATE}\s*(?:\([^)\n]{{1,40}}\)\s*)?[—–-]"
)
# a line that is only a date, or "Published: <date>" (a time after it is allowed)
_DATE_LINE = re.compile(
    rf"^(?:(?:published|posted|date)\s*:?\s*)?(?:[a-z]+day,?\s+)?{_DATE}(?:[,\s]+\d{{1,2}}[:.]\d{{2}}.*)?\s*$",
    re.I,
)
TOP_LINES = 6  # the headline, a standfirst, a byline and the date line are above the story


def dateline_date(text: str) -> dt.date | None:
    """The date the top of ``text`` gives as the article's own, or None."""
    lines = [line.strip() for line in text.lstrip().splitlines()[:TOP_LINES] if line.strip()]
    for line in lines:
        match = _DATELINE.match(line) or _DATE_LINE.match(line)
        if match is not None and (day := _date_of(match)) is not None:
            return day
    return None


def _date_of(match: re.Match[str]) -> dt.date | None:
    parts = match.groupdict()
    try:
        if parts["iso"]:
            return dt.date.fromisoformat(parts["iso"])
        if parts["month"]:
            return dt.date(int(parts["year"]), MONTHS[parts["month"].lower().rstrip(".")], int(parts["day"]))
        return dt.date(int(parts["year2"]), MONTHS[parts["month2"].lower().rstrip(".")], int(parts["day2"]))
    except ValueError:
        return None  # "February 30, 2025": no day; the article stays undated rather than misdated
