"""A small run of the loopback load harness (benchmarks/load.py): concurrent clients, one of them posting,
against a real uvicorn server on 127.0.0.1 while another connection keeps writing batches, as a coding run
does. Functional, not timed: every request must succeed and nobody may see "database is locked".
The full run (20 clients, a real coding run, p95 per endpoint) is ``make bench-load``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
import spacy

from detente.api import create_app
from detente.cli.serve import served_hosts
from detente.records import Bundle
from detente.store import open_store
from tests.dashboard_sample import sample_bundles

REPO = Path(__file__).resolve().parents[1]


def load_harness():  # type: ignore[no-untyped-def]
    """benchmarks/load.py as a module (benchmarks/ is a folder of scripts, not a package)."""
    if "load_harness" in sys.modules:
        return sys.modules["load_harness"]
    spec = importlib.util.spec_from_file_location("load_harness", REPO / "benchmarks" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_harness"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def copies(round_: int) -> list[Bundle]:
    """The sample bundles under new ids: what a coding run's next batch looks like to the database."""
    out = []
    for bundle in sample_bundles():
        article = dataclasses.replace(bundle.article, id=f"{bundle.article.id}-{round_}")
        events = tuple(
            dataclasses.replace(e, id=f"{e.id}-{round_}", article_id=article.id) for e in bundle.events
        )
        claims = tuple(dataclasses.replace(c, id=f"{c.id}-{round_}", article_id=article.id, parent_id=None)
                       for c in bundle.claims)  # fmt: skip
        out.append(dataclasses.replace(bundle, article=article, events=events, claims=claims))
    return out


def test_concurrent_clients_while_a_run_writes_see_no_error_and_no_locked_database(tmp_path):
    import uvicorn

    from detente.pipeline import register_extensions

    harness = load_harness()
    db = tmp_path / "load.db"
    seed = open_store(db)
    seed.write_bundles(sample_bundles())
    ids = sorted(seed.article_ids())
    seed.close()

    register_extensions()
    app = create_app(
        db, token=harness.TOKEN, nlp=spacy.blank("en"), allowed_hosts=served_hosts("127.0.0.1", ())
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()

    stop = threading.Event()
    written: list[int] = []

    def coding_run() -> None:  # another connection, committing a batch at a time
        writer = open_store(db)
        round_ = 0
        while not stop.is_set():
            round_ += 1
            written.append(writer.write_bundles(copies(round_)))
            stop.wait(0.02)  # a coding run commits a batch every second or so; this one, far more often
        writer.close()

    writer = threading.Thread(target=coding_run, daemon=True)
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        writer.start()
        report = harness.run_clients(
            f"http://127.0.0.1:{port}", clients=6, requests=90, max_seconds=120,
            article_id=lambda: ids[0], new_article=lambda n: {"text": f"Russia and China held talks on day {n}."},
        )  # fmt: skip
    finally:
        stop.set()
        writer.join(timeout=30)
        server.should_exit = True
        serving.join(timeout=30)
    assert report.requests == 90
    assert report.error_count == 0, report.render()
    assert report.locked == 0 and report.busy == 0
    assert "POST /api/articles" in report.latencies and "GET /articles/{id}" in report.latencies
    assert sum(written) > 0  # the run really wrote while the clients read


@pytest.mark.skipif(not (REPO.parent / "shared" / "corpora" / "voa").exists(), reason="no VOA corpus")
def test_benchmark_corpora_leave_the_reserved_stories_out():
    from detente.events.corpus import RESERVED_VOA_IDS

    harness = load_harness()
    import voa  # the harness put benchmarks/ on sys.path

    for build in (voa.voa_window_articles, harness.voa_sentence_articles):
        articles = build(5000)
        assert articles and len({a["id"] for a in articles}) == len(articles)
        assert not {a["id"].split("-")[1] for a in articles} & RESERVED_VOA_IDS
