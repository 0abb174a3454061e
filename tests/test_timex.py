"""The date resolver: our own case file, the issue's examples, refusals and the no-publication-date rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.evaluation.dates import evaluate_dates, load_cases
from detente.timex import publication_date, resolve_date

CASES = Path(__file__).parent / "data" / "date_cases.jsonl"
PUB = dt.date(2025, 6, 9)  # a Monday: the example article's publication date


def test_case_file_covers_the_issue_and_scores_at_least_95_percent():
    cases = load_cases(CASES)
    assert len(cases) >= 100
    scores = evaluate_dates(cases)
    failures = [(r.case.text, r.mismatches) for r in scores.failures()]
    assert scores.accuracy >= 0.95, failures
    kinds = {c.expected["type"] for c in cases}
    assert kinds == {"exact", "approximate", "range", "unresolved"}
    grans = {c.expected.get("granularity") for c in cases}
    assert {"day", "week", "month", "quarter", "year", "decade"} <= grans


def test_example_article_dates():
    approval = resolve_date("Three days before Russian invasion At Ukraine in February 2022", PUB)
    assert approval.start == approval.end == dt.date(2022, 2, 21)
    assert "invasion" in approval.reason
    invasion = resolve_date("February 2022", PUB)
    assert (invasion.start, invasion.end, invasion.granularity) == (
        dt.date(2022, 2, 1),
        dt.date(2022, 2, 28),
        "month",
    )
    document = resolve_date("from the end of 2023 or the beginning of 2024", PUB)
    assert document.type == "range"
    assert dt.date(2023, 9, 1) <= document.start <= dt.date(2023, 12, 1)
    assert dt.date(2024, 1, 31) <= document.end <= dt.date(2024, 4, 30)


def test_landmark_is_ignored_when_the_text_dates_the_event_differently():
    # The text says the invasion was in 2014: trust the text, not the landmark table.
    got = resolve_date("three days before the invasion of Ukraine in March 2014", PUB)
    assert got.start == dt.date(2014, 2, 26) and got.type == "approximate"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("three days of clashes", "duration"),
        ("the anniversary of the coup", "world knowledge"),
        ("two days later", "anchor"),
        ("a few days ago", "vague"),
        ("3/4/2024", "ambiguous"),
    ],
)
def test_refusals_say_why(text, words):
    got = resolve_date(text, PUB)
    assert got.type == "unresolved" and got.start is None and got.end is None
    assert words in got.reason


def test_without_publication_date_only_absolute_dates_resolve():
    assert resolve_date("last Sunday").type == "unresolved"
    assert "publication date" in resolve_date("earlier this month").reason
    assert resolve_date("June 9").type == "unresolved"
    assert resolve_date("June 9, 2025").start == dt.date(2025, 6, 9)
    since = resolve_date("since 2014")
    assert since.start == dt.date(2014, 1, 1) and since.type == "range"


def test_offsets_and_text_are_kept():
    got = resolve_date("last Sunday", dt.datetime(2025, 6, 9, 14, 30), char_start=10, char_end=21)
    assert got.start == dt.date(2025, 6, 8)
    assert (got.text, got.char_start, got.char_end) == ("last Sunday", 10, 21)


def test_publication_fallback_is_flagged():
    fallback = publication_date(PUB)
    assert fallback.start == PUB and fallback.text == "" and "publication date" in fallback.reason
    assert publication_date(None).type == "unresolved"
