"""Property-based tests (hypothesis): no input can crash ingest, quotes, dates or actor resolution, and
what they return keeps its invariants (issue 14). Bounded for CI: a few hundred examples in all, a fixed
seed, no example database; ``make fuzz`` runs the same properties on tens of thousands of inputs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import strategies as S

# Generated files in legacy encodings are read with a DecodingWarning: expected here, not news.
pytestmark = pytest.mark.filterwarnings("ignore::detente.errors.DetenteWarning")

# derandomize: the same examples on every run, so CI cannot fail by chance; no timing (deadline=None).
BOUNDED = settings(
    derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def bounded(examples: int, *checks: HealthCheck) -> settings:
    return settings(BOUNDED, max_examples=examples, suppress_health_check=[HealthCheck.too_slow, *checks])


@bounded(80)
@given(S.ingest_input)
def test_any_file_is_read_into_articles_and_errors_only(case):
    S.check_ingest(*case)


@bounded(150)
@given(S.texts)
def test_normalised_text_is_final_and_neutralising_keeps_every_offset(text):
    from detente.ingest.text import neutralize, normalize

    once = normalize(text)
    assert normalize(once) == once
    neutral = neutralize(text)
    assert len(neutral) == len(text)
    assert all(b == a or b == " " for a, b in zip(text, neutral, strict=True))  # spaces, in place


@bounded(150)
@given(S.texts)
def test_quotes_lie_inside_the_text_and_never_overlap(text):
    S.check_quotes(text)


@bounded(150)
@given(S.date_text, S.dates, st.booleans())
def test_any_date_expression_resolves_to_a_well_formed_date(text, pub, future):
    S.check_date(text, pub, future)


@bounded(100, HealthCheck.function_scoped_fixture)
@given(mention=S.mention, date=S.dates)
def test_any_mention_resolves_to_an_actor(kb, mention, date):
    S.check_actor(kb, mention, date)


@pytest.mark.model
@bounded(12)
@given(st.lists(S.news_text, min_size=1, max_size=3))
def test_code_texts_answers_every_text_with_offsets_that_hold(texts):
    import detente

    results = detente.code_texts(texts, published=dt.date(2025, 6, 9).isoformat())
    assert len(results) == len(texts)
    for result in results:
        S.check_bundle(result)


def test_the_issue_inputs_are_among_the_properties_regression_cases():
    """The inputs of issue 14 pass the same properties (they are also regression tests elsewhere)."""
    S.check_ingest(".jsonl", ("[" * 100_000 + "]" * 100_000 + "\n").encode())
    S.check_ingest(".xml", b'<?xml version="1.0" encoding="utf-7"?><rss><channel></channel></rss>')
    S.check_ingest(".csv", b"id,text\r1,Russia and China met in Beijing on Monday.\r")
    items = S.check_ingest(".jsonl", b'{"text": "Russia met China.", "title": "x\\ud800"}\n')
    assert items[0].title == "x\ufffd"
    S.check_quotes('The police returned fire," Exantus said. He said "technical services" had confirmed it.')
