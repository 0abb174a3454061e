"""The batch runner: per-batch commits, skipping what is stored, worker processes."""

from __future__ import annotations

import pytest

from detente.batch.local import code_into_store
from detente.config import Settings
from detente.errors import EmptyInputError
from detente.ingest import IngestOptions, make_article
from detente.store import open_store

pytestmark = pytest.mark.model

TEXTS = [
    "Russian forces attacked Kharkiv on Monday, Ukrainian officials said.",
    "China and Russia signed an energy agreement in Beijing on Tuesday.",
    "The United States imposed new sanctions on Iran over its nuclear programme.",
    "India accused Pakistan of violating the ceasefire in Kashmir.",
]


def articles():
    return [
        make_article({"text": t, "published": "2024-05-06"}, f"t{i}", IngestOptions())
        for i, t in enumerate(TEXTS)
    ]


def test_summary_counts_errors_duplicates_and_stored(tmp_path, nlp):
    store = open_store(tmp_path / "d.db")
    items = [*articles(), articles()[0], EmptyInputError("x.txt", "is empty")]
    errors = []
    summary = code_into_store(items, store, settings=Settings(batch_size=2), on_error=errors.append)
    assert (summary.read, summary.coded, summary.duplicates, len(summary.errors)) == (5, 4, 1, 1)
    assert errors == summary.errors
    again = code_into_store(articles(), store, settings=Settings(batch_size=2))
    assert (again.coded, again.already_stored) == (0, 4)
    forced = code_into_store(articles(), store, settings=Settings(batch_size=2), force=True)
    assert forced.coded == 4
    assert store.stats().articles == 4
    assert store.stats().mentions == summary.events


def test_worker_processes_give_the_same_bundles(tmp_path, nlp):
    one = open_store(tmp_path / "one.db")
    two = open_store(tmp_path / "two.db")
    code_into_store(articles(), one, settings=Settings(batch_size=1))
    code_into_store(articles(), two, settings=Settings(batch_size=1), workers=2)
    assert [b for b in one.iter_bundles()] == [b for b in two.iter_bundles()]
    assert one.stats().articles == 4
