"""Coding on a Dask cluster gives the same stored bundles and the same summary as coding locally."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.batch import code_into_store, code_with_dask
from detente.batch.dask import local_cluster_options
from detente.config import Settings
from detente.errors import DetenteError, InputError
from detente.records import Article, article_id, bundle_to_dict
from detente.store import open_store

distributed = pytest.importorskip("distributed")
pytest_plugins = ["tests.pg_server"]

TEXTS = [
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday.",
    "China accused the United States of spying on its companies, a foreign ministry spokesman said.",
    "Police fired tear gas at thousands of protesters in Tbilisi on Sunday.",
    "The European Union imposed new sanctions on Iran over drone deliveries to Russia.",
    "Ukraine and Poland signed an agreement on military cooperation in Warsaw.",
]


def corpus() -> list[Article | InputError]:
    articles: list[Article | InputError] = [
        Article(id=article_id(t), text=t, published=dt.date(2025, 6, 9), outlet="Wire", language="en")
        for t in TEXTS
    ]
    skipped = Article(id="ru-1", text="Это не английский текст.", language="ru", skip_reason="language ru")
    broken = InputError("feed.jsonl:3", "not valid JSON")
    return [*articles, skipped, articles[0], broken]  # plus a duplicate and an unreadable record


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The full pipeline when it loads; the bare model while stages are still missing."""
    from detente.pipeline import load_nlp

    for candidate in (Settings(batch_size=2), Settings(batch_size=2, stages=())):
        try:
            load_nlp(candidate)
        except Exception as exc:  # a stage under construction may fail in any way
            reason = exc
            continue
        return candidate
    pytest.skip(f"the detente pipeline does not load in this checkout: {reason}")


def count_pipeline_builds() -> None:
    """Runs on each Dask worker: count the coding processes it starts (each builds the pipeline once),
    per stage list, from now on."""
    from detente.batch.pool import CodingPool

    spawn = CodingPool._spawn
    builds: dict[tuple[str, ...], int] = {}

    def counting(self: CodingPool) -> object:
        builds[self.settings.stages] = builds.get(self.settings.stages, 0) + 1
        return spawn(self)

    CodingPool._spawn = counting  # type: ignore[method-assign]
    CodingPool.builds = builds  # type: ignore[attr-defined]


def pipeline_builds() -> dict[tuple[str, ...], int]:
    from detente.batch.pool import CodingPool

    return dict(CodingPool.builds)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes, shared by the tests that need a running cluster."""
    with (
        distributed.LocalCluster(**local_cluster_options(2)) as running,
        distributed.Client(running) as client,
    ):
        client.run(count_pipeline_builds)
        yield running


def stored(db: Path | str) -> dict[str, dict]:
    store = open_store(db)
    try:
        return {b.article.id: bundle_to_dict(b) for b in store.iter_bundles()}
    finally:
        store.close()


def test_dask_run_stores_what_a_local_run_stores(tmp_path: Path, settings: Settings) -> None:
    local_store = open_store(tmp_path / "local.db")
    local = code_into_store(corpus(), local_store, settings=settings)
    local_store.close()

    dask_store = open_store(tmp_path / "dask.db")
    batches: list[int] = []
    errors: list[InputError] = []
    summary = code_with_dask(
        corpus(), dask_store, settings=settings, workers=2, batch_size=2,
        progress=lambda bundles: batches.append(len(bundles)), on_error=errors.append,
    )  # fmt: skip
    dask_store.close()

    assert (summary.read, summary.coded, summary.skipped, summary.duplicates) == (7, 5, 1, 1)
    assert (summary.events, summary.claims, summary.stories) == (local.events, local.claims, local.stories)
    if settings.stages:  # the full pipeline codes events from these texts
        assert summary.events > 0
    assert [str(e) for e in errors] == [str(e) for e in summary.errors] == ["feed.jsonl:3: not valid JSON"]
    assert batches == [2, 2, 2]  # 6 fresh articles in partitions of 2, each written when it lands
    assert stored(tmp_path / "dask.db") == stored(tmp_path / "local.db")
    assert len(stored(tmp_path / "dask.db")) == 6


def test_a_second_run_resumes_and_each_worker_loads_the_pipeline_once(
    tmp_path: Path, settings: Settings, cluster: object
) -> None:
    store = open_store(tmp_path / "resume.db")
    articles = corpus()
    first = code_with_dask(
        articles[:3], store, settings=settings, batch_size=1, address=cluster.scheduler_address
    )  # type: ignore[attr-defined]
    assert first.coded == 3
    again = code_with_dask(
        articles, store, settings=settings, batch_size=1, address=cluster.scheduler_address
    )  # type: ignore[attr-defined]
    assert (again.already_stored, again.coded, again.skipped) == (3, 2, 1)
    assert len(store.article_ids()) == 6
    store.close()

    with distributed.Client(cluster) as client:
        builds = [b.get(settings.stages, 0) for b in client.run(pipeline_builds).values()]
    # 6 partitions over 2 worker processes, and the pipeline was built at most once in each.
    assert len(builds) == 2 and max(builds) == 1


def test_a_failing_worker_becomes_one_clear_error_and_writes_nothing(tmp_path: Path, cluster: object) -> None:
    store = open_store(tmp_path / "fail.db")
    bad = Settings(stages=("no.such.stage.v1",))
    with pytest.raises(DetenteError, match="a Dask worker failed while coding") as info:
        code_with_dask(corpus(), store, settings=bad, address=cluster.scheduler_address)  # type: ignore[attr-defined]
    assert "re-run the same command" in str(info.value)
    assert store.article_ids() == set()
    store.close()


def test_without_dask_the_error_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # 'import distributed' now raises ImportError
    store = open_store(tmp_path / "none.db")
    with pytest.raises(DetenteError, match=r"pip install 'detente\[dask\]'"):
        code_with_dask(corpus(), store)
    store.close()


def test_articles_over_the_budget_on_dask_are_stored_as_failed_and_the_run_goes_on(
    tmp_path: Path, settings: Settings, cluster: object
) -> None:
    from dataclasses import replace

    store = open_store(tmp_path / "budget.db")
    tiny = replace(settings, article_seconds=1e-6, batch_size=2)
    failed: list[object] = []
    summary = code_with_dask(
        corpus(), store, settings=tiny, address=cluster.scheduler_address, on_failure=failed.append
    )  # type: ignore[attr-defined]
    assert (summary.coded, len(summary.failed), summary.skipped) == (0, 5, 1)
    assert failed == summary.failed and {f.kind for f in summary.failed} == {"time"}
    assert {f.article_id for f in store.failures()} == {a.id for a in corpus()[:5]}  # type: ignore[union-attr]
    assert store.stats().failed == 5
    store.close()


@pytest.mark.postgres
@pytest.mark.parametrize("workers_write", [False, True], ids=["client-writes", "workers-write"])
def test_dask_into_postgresql_matches_a_local_sqlite_run(
    tmp_path: Path, settings: Settings, cluster: object, postgres_db: str, workers_write: bool
) -> None:
    """The server deployment: workers code, and the client or the workers write into PostgreSQL."""
    local_store = open_store(tmp_path / "local.db")
    code_into_store(corpus(), local_store, settings=settings)
    local_store.close()
    pg_store = open_store(postgres_db)
    summary = code_with_dask(
        corpus(), pg_store, settings=settings, batch_size=3, address=cluster.scheduler_address,  # type: ignore[attr-defined]
        workers_write=workers_write,
    )  # fmt: skip
    pg_store.close()
    assert (summary.coded, summary.skipped) == (5, 1)
    assert stored(postgres_db) == stored(tmp_path / "local.db")


def syndicated() -> list[Article | InputError]:
    """Each text from two outlets (ids of their own): syndicated copies, which stories join (and count once)."""
    day = dt.date(2025, 6, 9)
    articles: list[Article | InputError] = [
        Article(id=f"{outlet.lower()}-{i}", text=text, published=day, outlet=outlet, language="en")
        for i, text in enumerate(TEXTS)
        for outlet in ("Wire", "Echo")
    ]
    skipped = Article(id="ru-1", text="Это не английский текст.", language="ru", skip_reason="language ru")
    return [*articles, skipped]


@pytest.mark.postgres
def test_dask_workers_write_to_postgresql_themselves_and_the_client_counts_once(
    tmp_path: Path, settings: Settings, cluster: object, postgres_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 item 3: each worker writes its partitions on its own connection, counts left for later; the
    client gets ids and counts only, then counts and clusters once. What is stored equals one local run."""
    import psycopg

    from tests.test_event_counts import assert_counts_match, assert_rows_as_rebuilt
    from tests.test_scale_resume import snapshot

    base = postgres_db.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dask_reference")
        conn.execute("CREATE DATABASE dask_reference")
    reference = f"{base}/dask_reference"
    local_store = open_store(reference)
    local = code_into_store(syndicated(), local_store, settings=settings)
    local_store.close()

    store = open_store(postgres_db)
    client_writes: list[int] = []
    record = lambda bundles, **_: client_writes.append(len(list(bundles)))  # noqa: E731
    monkeypatch.setattr(store, "write_bundles", record)
    progress: list[list[str]] = []
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    summary = code_with_dask(
        syndicated(), store, settings=settings, address=address,
        progress=lambda bundles: progress.append([b.article.id for b in bundles]),
    )  # fmt: skip
    assert client_writes == []  # the client wrote no bundle: the workers did
    assert (summary.coded, summary.skipped, summary.events, summary.claims, summary.stories) == (
        local.coded, local.skipped, local.events, local.claims, local.stories,
    )  # fmt: skip
    assert summary.coded == 10 and summary.stories is not None and summary.stories < 10
    assert sorted(i for ids in progress for i in ids) == sorted(a.id for a in syndicated())  # type: ignore[union-attr]

    # Every article stored once; bundles, stories, corroboration and counted rows as one local run's;
    # nothing left waiting to be counted or clustered.
    after, expected = snapshot(postgres_db), snapshot(reference)
    assert len(after["bundles"]) == 11  # type: ignore[arg-type]
    assert after["waiting"] == [] and expected["waiting"] == []
    for part in expected:
        assert after[part] == expected[part], part
    assert len({story for _, story in after["stories"] if story}) == summary.stories  # type: ignore[union-attr]

    again = code_with_dask(syndicated(), store, settings=settings, address=address)
    assert (again.already_stored, again.coded, again.skipped) == (11, 0, 0)
    assert client_writes == [] and snapshot(postgres_db) == after  # the rerun stored nothing twice
    monkeypatch.undo()
    assert_counts_match(store)
    assert_rows_as_rebuilt(store)  # what was counted once equals recount_all()
    store.close()


@pytest.mark.postgres
def test_workers_writing_without_clustering_still_count_once(
    settings: Settings, cluster: object, postgres_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without update_stories nothing clusters, so the client counts what the workers left for later.
    A progress count (on_stored, what 'detente code --dask' passes without --jsonl) reads nothing back."""
    from tests.test_event_counts import assert_counts_match

    store = open_store(postgres_db)
    stored: list[int] = []

    def no_read_back(ids: object) -> None:
        raise AssertionError("the client read bundles back from the store")

    monkeypatch.setattr(store, "get_bundles", no_read_back)
    summary = code_with_dask(
        syndicated(), store, settings=settings, address=cluster.scheduler_address, update_stories=False,  # type: ignore[attr-defined]
        on_stored=stored.append,
    )  # fmt: skip
    monkeypatch.undo()
    assert sum(stored) == 11 and stored  # every article stored, skipped one included, counted as it came
    assert (summary.coded, summary.stories) == (10, None)
    assert store._rows("SELECT article_id FROM counted_pending") == []  # type: ignore[attr-defined]
    assert store.unclustered() == 10
    assert_counts_match(store)
    store.close()


def test_only_postgresql_can_be_written_by_workers(tmp_path: Path) -> None:
    store = open_store(tmp_path / "one-writer.db")
    with pytest.raises(DetenteError, match="SQLite has one writer"):
        code_with_dask(corpus(), store, workers_write=True)
    assert store.article_ids() == set()
    store.close()
