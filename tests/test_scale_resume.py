"""A coding run into PostgreSQL killed mid-run, then run again with the same input (issue 15).

The run is ``code_into_store`` (what ``detente code`` and the Dask client both use) in a process of its own,
killed with SIGKILL once some of its batches are committed: between batches or inside a transaction,
wherever the kill lands. Its coder replays bundles made beforehand (``test_event_counts.random_bundle``,
syndicated copies included) a batch at a time, slowly enough to be killed, so the test needs no language
model; what it checks is the store's side of resuming. The second run must leave exactly what one run
without a kill leaves in another database: the same articles (none lost, none twice), the same bundles,
stories, corroboration and counted events, nothing waiting to be counted or clustered.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from detente.store import open_store
from tests.test_event_counts import assert_counts_match, kept_rows

pytest_plugins = ["tests.pg_server"]
pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 60

# The run, in its own process: python -c RUN URL DELAY ARTICLES
RUN = """
import datetime as dt, random, sys, time
from detente.batch.local import code_into_store
from detente.config import Settings
from detente.store import open_store
from tests.test_event_counts import copy_of, random_bundle

url, delay, ARTICLES = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rng = random.Random(15)
bundles = {}
for i in range(ARTICLES):
    published = dt.date(2024, 3, 1) + dt.timedelta(days=i // 6)
    bundle = random_bundle(rng, f"resume-{i:03d}", published, rng.choice(["Daily", "Wire", "Post"]))
    if bundles and rng.random() < 0.3:
        bundle = copy_of(rng.choice(list(bundles.values())), f"resume-{i:03d}", "Echo")
    bundles[bundle.article.id] = bundle

def replay(batches):
    for batch in batches:
        time.sleep(delay)
        yield [bundles[a.id] for a in batch]

summary = code_into_store([b.article for b in bundles.values()], open_store(url),
                          settings=Settings(batch_size=4), coder=replay)
print(summary.coded, summary.already_stored)
"""


def run(url: str, delay: float, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", RUN, url, str(delay), str(ARTICLES)], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,  # type: ignore[call-overload]
    )  # fmt: skip


def stored(url: str) -> int:
    store = open_store(url)
    try:
        return int(store._rows("SELECT COUNT(*) FROM articles")[0][0])  # type: ignore[attr-defined]
    finally:
        store.close()


def kill_once_stored(process: subprocess.Popen[str], url: str, *, at_least: int, within: float) -> None:
    """SIGKILL ``process`` and its whole session as soon as ``url`` holds ``at_least`` stored articles."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and process.poll() is None:
        try:
            written = stored(url)
        except Exception:  # the first migrations may still be running
            written = 0
        if written >= at_least:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


def snapshot(url: str) -> dict[str, object]:
    """Everything a run leaves: bundles, stories, corroboration, counted rows, what waits."""
    from detente.records import bundle_to_dict

    store = open_store(url)
    try:

        def rows(sql: str) -> list[tuple[object, ...]]:
            return sorted(store._rows(sql))  # type: ignore[attr-defined]

        bundles = {}
        for bundle in store.iter_bundles():
            data = bundle_to_dict(bundle)
            data["article"].pop("coded_at", None)
            bundles[bundle.article.id] = data
        return {
            "bundles": bundles,
            "stories": rows("SELECT id, story_id FROM articles"),
            "corroboration": rows("SELECT id, corroboration FROM events"),
            "events": rows("SELECT id, article_id FROM events"),
            "counted": kept_rows(store),
            "divergence": rows("SELECT a, b, article_id, seq, data FROM divergence_items"),
            "waiting": rows("SELECT article_id FROM counted_pending")
            + rows("SELECT article_id FROM story_pending"),
        }
    finally:
        store.close()


def test_a_run_killed_mid_run_resumes_to_what_one_run_stores(postgres_db: str) -> None:
    import psycopg

    base = postgres_db.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS resume_reference")
        conn.execute("CREATE DATABASE resume_reference")
    reference = f"{base}/resume_reference"
    done = run(reference, 0.0)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert out.split() == [str(ARTICLES), "0"]

    killed = run(postgres_db, 0.15, start_new_session=True)
    kill_once_stored(killed, postgres_db, at_least=12, within=120)
    partial = stored(postgres_db)
    assert 12 <= partial < ARTICLES
    middle = snapshot(postgres_db)
    assert middle["waiting"]  # killed before its clustering: articles wait to be counted and clustered

    resumed = run(postgres_db, 0.0)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    coded, already = (int(n) for n in out.split())
    assert already == partial and coded == ARTICLES - partial  # nothing coded twice, nothing left out

    after, expected = snapshot(postgres_db), snapshot(reference)
    assert after["waiting"] == [] and expected["waiting"] == []
    for part in expected:
        assert after[part] == expected[part], part
    store = open_store(postgres_db)
    try:
        assert_counts_match(store)
    finally:
        store.close()
