"""Dask workers writing straight to PostgreSQL, on a sample of the scale benchmark's stream (issue 15 item 3).

The sample (``benchmarks/synthetic.py``: VOA sentences, reserved stories left out, with syndicated copies and
rewrites at known rates) is coded by the real pipeline twice: in this process into one database, and on a
``LocalCluster`` of two worker processes, each writing its partitions itself, into another. Both must hold the
same articles (each once), bundles, stories, corroboration, counted events and divergence rows, with nothing
left waiting, and the counts must equal counting everything again; a rerun must store nothing twice.
``DETENTE_DASK_SAMPLE`` sets the sample size (default 200; docs/scaling.md reports 1,000).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from detente.config import Settings
from detente.store import open_store

distributed = pytest.importorskip("distributed")
pytest_plugins = ["tests.pg_server"]
pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
SAMPLE = int(os.environ.get("DETENTE_DASK_SAMPLE", "200"))


def sample(count: int) -> list[object]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import Pool, article_row, plans
        from voa import VOA
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    if not VOA.exists():
        pytest.skip(f"the VOA corpus is not at {VOA}")
    from detente.ingest import IngestOptions, make_article

    pool = Pool()
    return [
        make_article(article_row(pool, p, "dask"), f"dask:{p.index}", IngestOptions())
        for p in plans(pool, 0, count)
    ]


def fresh_database(postgres_db: str, name: str) -> str:
    """An empty database ``name`` on the test server of ``postgres_db`` (dropped first if left over)."""
    import psycopg

    base = postgres_db.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def test_workers_writing_a_sample_equal_one_local_run(postgres_db: str) -> None:

    from detente.batch import code_into_store, code_with_dask
    from detente.batch.dask import local_cluster_options
    from tests.test_event_counts import assert_counts_match, assert_rows_as_rebuilt
    from tests.test_scale_resume import snapshot

    articles = sample(SAMPLE)
    settings = Settings(batch_size=16)
    reference = fresh_database(postgres_db, "dask_sample_reference")
    with open_store(reference) as store:
        local = code_into_store(articles, store, settings=settings)  # type: ignore[arg-type]

    with (
        distributed.LocalCluster(**local_cluster_options(2)) as cluster,
        open_store(postgres_db) as store,
    ):
        summary = code_with_dask(articles, store, settings=settings, address=cluster.scheduler_address)  # type: ignore[arg-type]
        again = code_with_dask(articles, store, settings=settings, address=cluster.scheduler_address)  # type: ignore[arg-type]
        assert_counts_match(store)
        assert_rows_as_rebuilt(store)
    assert (summary.coded, summary.events, summary.claims, summary.stories) == (
        local.coded, local.events, local.claims, local.stories,
    )  # fmt: skip
    assert (again.already_stored, again.coded) == (SAMPLE, 0)

    after, expected = snapshot(postgres_db), snapshot(reference)
    assert len(after["bundles"]) == SAMPLE  # type: ignore[arg-type]
    # The sample has stories of several articles and events corroborated by several outlets.
    assert local.stories is not None and local.stories < SAMPLE
    assert any(c and c > 1 for _, c in expected["corroboration"])  # type: ignore[attr-defined]
    assert after["waiting"] == []
    for part in expected:
        assert after[part] == expected[part], part


# A workers-write run in a process of its own (workers spawned from it): python FILE URL COUNT
RUN = """
import sys
sys.path.insert(0, sys.argv[3])
from detente.batch import code_with_dask
from detente.config import Settings
from detente.store import open_store
from tests.test_scale_dask import sample

if __name__ == "__main__":
    store = open_store(sys.argv[1])
    summary = code_with_dask(sample(int(sys.argv[2])), store, settings=Settings(batch_size=8), workers=2)
    print(summary.coded, summary.already_stored)
"""


def test_a_workers_write_run_killed_midway_resumes_to_what_one_local_run_stores(
    postgres_db: str, tmp_path: Path
) -> None:
    """SIGKILL to the client and its Dask workers while they write; the same command then stores the rest,
    and counts and clusters what the killed run left pending."""
    import subprocess

    from detente.batch import code_into_store
    from tests.test_event_counts import assert_counts_match
    from tests.test_scale_resume import kill_once_stored, snapshot, stored

    count = min(SAMPLE, 120)
    reference = fresh_database(postgres_db, "dask_kill_reference")
    with open_store(reference) as store:
        code_into_store(sample(count), store, settings=Settings(batch_size=8))  # type: ignore[arg-type]

    script = tmp_path / "run.py"
    script.write_text(RUN)

    def run(**popen: object) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(script), postgres_db, str(count), str(REPO)], cwd=REPO, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,  # type: ignore[call-overload]
        )  # fmt: skip

    killed = run(start_new_session=True)
    kill_once_stored(killed, postgres_db, at_least=16, within=300)
    partial = stored(postgres_db)
    assert 16 <= partial < count
    assert snapshot(postgres_db)["waiting"]  # killed before counting and clustering

    resumed = run()
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    coded, already = (int(n) for n in out.split())
    assert already == partial and coded == count - partial  # nothing coded twice, nothing left out

    after, expected = snapshot(postgres_db), snapshot(reference)
    assert after["waiting"] == []
    for part in expected:
        assert after[part] == expected[part], part
    with open_store(postgres_db) as store:
        assert_counts_match(store)
