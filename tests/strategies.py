"""Hypothesis strategies for hostile input, and the properties every target must keep (issue 14).

Shared by the bounded property tests (``tests/test_properties.py``, part of ``make test``) and the long
fuzz run (``make fuzz``, ``python -m tests.fuzz``). Each ``check_*`` function runs one target on one
generated input and raises AssertionError when a property breaks; any other exception escaping it is a
crash. The inputs mix news-like text (names, speech verbs, quote marks of every style, dates) with what
hostile files hold: invalid and legacy-encoded bytes, lone surrogates, deep nesting, runs of marks, giant
tokens, odd line endings and encodings XML parsers refuse.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from detente.errors import DetenteError, InputError
from detente.ingest.text import MAX_CHUNK, MAX_MARK_RUN
from detente.records import DATE_TYPES, GRANULARITIES, Article, Bundle, to_dict

NAMES = ["Russia", "China", "Ukraine", "Vladimir Putin", "Xi Jinping", "the Kremlin", "NATO", "the FSB",
         "Hamas", "the United Nations", "Beijing", "Moscow", "Kharkiv", "Zelenskyy", "al-Sudani", "the EU",
         "Frantz Exantus", "the police", "rebels", "he", "she", "they", "it", "its", "The New York Times"]  # fmt: skip
VERBS = ["said", "told reporters", "attacked", "signed an agreement with", "accused", "denied", "met",
         "warned", "according to", "reported", "sanctioned", "was killed", "returned fire", "confirmed"]  # fmt: skip
DATES = ["on Monday", "last week", "in February 2022", "March 3, 2024", "three days before the invasion",
         "Thurs.", "the end of 2023 or the beginning of 2024", "yesterday", "2025-06-09", "in 1999", "Q3 2024",
         "overnight", "the 5th of May", "next year", "decades ago", "on Feb. 30", "in the 1990s"]  # fmt: skip
# Words the stages key on (verification language, hedges, speech), so that generated text reaches the code
# that reads them in odd parses: a verification word in a sentence with no verb once hung the claims stage.
CUES = ["authentic", "unverified", "genuine", "whether", "could not be independently confirmed", "forged",
        "reportedly", "the daily", "allegedly", "denied that", "unable to verify", "if"]  # fmt: skip
MARKS = [
    '"',
    "“",
    "”",
    "«",
    "»",
    "'",
    "‘",
    "’",
    "„",
    "(",
    ")",
    ",",
    ".",
    "—",
    "-",
    "…",
    "!",
    "?",
    ":",
    ";",
    "😀",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "cp1251", "latin-1", "utf-16", "cp1253", "shift_jis", "koi8-r"]

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
any_char = st.one_of(st.characters(), surrogates)
fragment = st.one_of(
    st.sampled_from(NAMES), st.sampled_from(VERBS), st.sampled_from(DATES), st.sampled_from(MARKS),
    st.sampled_from(CUES),
    st.sampled_from([" ", " ", "\n", "\n\n", "\r", "\r\n", "\t", "\u00a0", "\u200b"]),
    st.text(any_char, max_size=12),
    st.builds(lambda m, n: m * n, st.sampled_from(MARKS), st.integers(60, 3000)),  # runs of marks
    st.builds(lambda c, n: c * n, st.sampled_from("ax9/"), st.integers(900, 3000)),  # giant tokens
)  # fmt: skip
news_text = st.lists(fragment, max_size=40).map(" ".join)
texts = st.one_of(news_text, st.text(any_char, max_size=300))
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts)
json_values = st.recursive(
    json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)  # fmt: skip


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


# ------------------------------------------------------------------------------------ ingest inputs
record = st.fixed_dictionaries(
    {"text": st.one_of(texts, json_values)},
    optional={"id": json_values, "title": json_values, "url": json_values, "outlet": json_values,
              "published": st.one_of(json_values, st.sampled_from(DATES)), "extra": json_values},
)  # fmt: skip
jsonl_line = st.one_of(
    record.map(json.dumps),  # json.dumps writes lone surrogates as \ud800 escapes: legal JSON
    st.integers(50, 20_000).map(_nested),
    st.integers(50, 5_000).map(lambda d: '{"text": "Russia", "x": ' + _nested(d) + "}"),
    json_values.map(json.dumps),
    texts,
)
jsonl_file = st.tuples(st.lists(jsonl_line, max_size=6), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda parts: parts[1].join(parts[0]).encode("utf-8", "surrogatepass")
) | st.binary(max_size=300)
csv_cell = st.one_of(texts, st.sampled_from(['"', '""', ",", "\r", "\n", "a,b", '"quoted, cell"']))
csv_file = st.tuples(
    st.sampled_from(["id,text,title", "text", "id,title", "text,text", ""]),
    st.lists(st.lists(csv_cell, max_size=4).map(",".join), max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(ENCODINGS),
).map(lambda p: _encode(p[2].join([p[0], *p[1]]), p[3])) | st.binary(max_size=300)
text_file = st.tuples(texts, st.sampled_from(ENCODINGS)).map(lambda p: _encode(*p)) | st.binary(max_size=400)
feed_file = st.tuples(
    st.sampled_from(["utf-8", "utf-7", "iso-8859-1", "utf-16", "shift_jis", "bogus-enc", ""]),
    st.sampled_from(["", "<!DOCTYPE rss>", '<!DOCTYPE r [<!ENTITY a "aaaa">]>']),
    st.lists(st.tuples(texts, texts), max_size=4),
    st.sampled_from(["rss", "feed", "RDF", "html"]),
    st.integers(0, 3000),
).map(lambda p: _feed(*p))
html_file = st.tuples(texts, st.integers(0, 2000)).map(
    lambda p: f"<html><body>{'<div>' * p[1]}<article><p>{_escape(p[0])}</p></article></body></html>".encode(
        "utf-8", "surrogatepass"
    )
)
ingest_input = st.one_of(
    st.tuples(st.just(".jsonl"), jsonl_file), st.tuples(st.just(".csv"), csv_file),
    st.tuples(st.sampled_from([".txt", ".md"]), text_file), st.tuples(st.sampled_from([".xml", ".rss"]), feed_file),
    st.tuples(st.just(".html"), html_file),
)  # fmt: skip


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _feed(encoding: str, doctype: str, items: list[tuple[str, str]], root: str, depth: int) -> bytes:
    declared = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else ""
    body = "".join(
        f"<item><title>{_escape(t)}</title><description>{_escape(d)}</description>"
        f"<content>{'<b>' * depth}{'</b>' * depth}</content></item>"
        for t, d in items
    )
    xml = f"{declared}{doctype}<{root}><channel><title>Wire</title>{body}</channel></{root}>"
    try:
        return xml.encode(encoding if encoding in ("iso-8859-1", "shift_jis") else "utf-8", "surrogatepass")
    except UnicodeEncodeError:
        return xml.encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------------------------ properties
_MARK_RUN = re.compile(rf"[^\w\s]{{{MAX_MARK_RUN + 1},}}")


def check_ingest(suffix: str, data: bytes) -> list[Article | InputError]:
    """A file of any content is read to Articles and InputErrors only; every Article is clean."""
    from detente.ingest import read_paths
    from detente.ingest.text import normalize

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_paths([path]))
    for item in items:
        assert isinstance(item, Article | InputError), type(item)
        if isinstance(item, InputError):
            assert str(item).startswith(str(path)), str(item)[:200]
            continue
        check_article(item)
        assert normalize(item.text) == item.text  # normalisation is idempotent: stored text is final
    return items


def check_article(article: Article) -> None:
    """Every string of an Article can be written as UTF-8 (so to any database), and its text can be
    tokenized in linear time (no long runs of marks, no giant chunks)."""
    assert article.text.strip()
    json.dumps(to_dict(article), ensure_ascii=False).encode("utf-8")  # no lone surrogate anywhere
    assert not _MARK_RUN.search(article.text)
    assert max((len(chunk) for chunk in article.text.split()), default=0) <= MAX_CHUNK


def check_quotes(text: str) -> None:
    """Quotes lie inside the text, never cross a line break and never overlap."""
    from detente.attribution_cues import find_quotes

    previous_end = -1
    for quote in find_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert "\n" not in text[quote.start : quote.end]
        assert quote.start >= previous_end
        previous_end = quote.end


def check_date(text: str, pub: dt.date | None, future: bool) -> None:
    """Any expression resolves to a well-formed date: known type and granularity, start before end."""
    from detente.timex import resolve_date

    date = resolve_date(text, pub, future=future)
    assert date.type in DATE_TYPES and (date.granularity is None or date.granularity in GRANULARITIES)
    assert (date.start is None) == (date.end is None) == (date.type == "unresolved"), date
    if date.start is not None and date.end is not None:
        assert date.start <= date.end, date
    assert date.reason


def check_actor(kb: Any, text: str, date: dt.date | None) -> None:
    """Any mention resolves to an actor with a country code and a confidence in [0, 1]."""
    resolution = kb.resolve(text, date)
    assert 0.0 <= resolution.confidence <= 1.0
    assert isinstance(resolution.actor.country, str) and len(resolution.actor.country) == 3, resolution.actor


def check_bundle(result: Bundle | DetenteError) -> None:
    """A coded text: every span's offsets give back its text in the article (evidence everywhere)."""
    if isinstance(result, DetenteError):
        return
    text = result.article.text
    spans = [(a.start, a.end, a.text) for a in result.actors]
    for claim in result.claims:
        spans += [(s.start, s.end, s.text) for s in (claim.cue, claim.content) if s is not None]
    for event in result.events:
        spans += [(event.trigger.start, event.trigger.end, event.trigger.text)]
        spans += [(a.start, a.end, a.text) for a in (*event.source, *event.target) if a.end > a.start]
    for start, end, written in spans:
        assert text[start:end] == written, (start, end, written)
    json.dumps(to_dict(result), ensure_ascii=False).encode("utf-8")


dates = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
date_text = st.one_of(st.lists(st.one_of(st.sampled_from(DATES), fragment), max_size=6).map(" ".join), texts)
mention = st.one_of(st.sampled_from(NAMES), texts, st.lists(st.sampled_from(NAMES), max_size=4).map(" ".join))
