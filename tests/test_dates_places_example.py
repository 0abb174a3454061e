"""The motivating article through the full pipeline: the issue's date and place targets."""

from __future__ import annotations

import datetime as dt

from detente.pipeline import make_doc
from detente.records import Article, article_id

PUB = dt.date(2025, 6, 9)


def _in(text: str, phrase: str, start: int) -> bool:
    begin = text.index(phrase)
    return begin <= start < begin + len(phrase)


def test_example_event_dates(example_bundle, example_text):
    events = example_bundle.events
    # Every news event is dated; a background event without a date of its own is "before the article".
    assert events and all(e.date is not None for e in events if not e.background)
    assert all(e.date is None or e.date.text for e in events if e.background)
    approval_sentence = "the FSB approved a new counterintelligent operation"
    approvals = [e for e in events if _in(example_text, approval_sentence, e.trigger.start)]
    assert approvals
    for event in approvals:
        assert abs((event.date.start - dt.date(2022, 2, 21)).days) <= 1 and event.date.start == event.date.end
    invasions = [e for e in events if e.trigger.text == "invasion" and e.date is not None and e.date.text]
    assert invasions
    for event in invasions:
        assert (event.date.start, event.date.end) == (dt.date(2022, 2, 1), dt.date(2022, 2, 28))
    undated = [e for e in events if e.date is not None and not e.date.text]
    assert all(e.date.start == PUB and "publication date" in e.date.reason for e in undated)


def test_example_dates_and_places(nlp, example_text):
    article = Article(id=article_id(example_text), text=example_text, published=PUB)
    doc = nlp(make_doc(nlp, article))
    document = next(d for d in doc._.dates if "2023" in d.text and "2024" in d.text)
    assert document.type == "range"
    assert document.start.year == 2023 and document.start.month >= 9
    assert document.end.year == 2024 and document.end.month <= 4
    names = {p.name for p in doc._.places}
    assert {"Russian Far East", "Central Asia", "Arctic", "Ukraine", "Moscow"} <= names
    assert not any(p.text in ("Russian", "Chinese", "American") for p in doc._.places)
