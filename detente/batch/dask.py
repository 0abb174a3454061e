"""Code a corpus on a Dask cluster (optional extra: ``pip install 'detente[dask]'``).

Articles are cut into partitions of ``batch_size``; each partition is coded on a Dask worker, which
hands it to a coding process of its own (:class:`detente.batch.pool.CodingPool`, one per Dask worker
thread, started once and kept): the pipeline loads once per Dask worker, and the per-article budget is
enforced there exactly as in a local run, so an article past it, or one whose coding process dies, comes
back as a failure and the run goes on. A partition whose Dask worker itself is lost (after Dask's own
retries) has its articles recorded as failed, for ``--retry-failed``.
Into SQLite (one writer) only the client touches the store: it writes each coded partition in one
transaction as soon as it arrives. Into PostgreSQL each Dask worker writes its partitions itself, one
transaction each, on a connection of its own, with their counts left for later (``count_later``), and
sends back only ids, counts and failures; the client counts once, when it clusters the run's articles
into stories at the end. Either way a run stopped at any point keeps every partition written before it,
and re-running the same command resumes (articles already stored are skipped by id, as in a local run;
articles left uncounted or unclustered by a stopped run are counted and clustered by the next).

Without ``address`` a ``LocalCluster`` with ``workers`` processes is started and stopped here; with
``address`` (``tcp://scheduler:8786``) the partitions go to an existing cluster whose workers have
detente and its model installed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from detente.batch.local import Outcome, RunSummary, Written, code_into_store
from detente.config import Settings
from detente.errors import DetenteError, InputError
from detente.records import Article, Bundle, Failure
from detente.store.base import Store

INSTALL_HINT = "pip install 'detente[dask]'"


class WorkerError(Exception):
    """A failure inside a worker, reduced to text so it always pickles back to the client."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message


# Coding pools of this Dask worker process, one per task thread and budget; they live as long as the
# process (a cache, like load_nlp's), the least recently used closed beyond a few. Their coding
# processes exit when this process ends.
_pools = threading.local()
POOLS_KEPT = 2


def _pool(settings: Settings) -> Any:
    from detente.batch.pool import CodingPool

    key = replace(settings, batch_size=1)  # the partition size does not change what a worker loads
    pools: dict[Settings, CodingPool] = _pools.__dict__.setdefault("by_settings", {})
    pool = pools.pop(key, None) or CodingPool(key, workers=1)
    pools[key] = pool  # most recently used last
    while len(pools) > POOLS_KEPT:
        pools.pop(next(iter(pools))).close()
    return pool


def code_partition(articles: list[Article], settings: Settings) -> list[Outcome]:
    """Runs on a Dask worker: code one partition in this worker's coding process, under the budget."""
    try:
        [outcomes] = list(_pool(settings).code_batches([articles]))
    except Exception as exc:  # a setup failure (no model, unknown stage): one clear error for the run
        _pools.__dict__.get("by_settings", {}).pop(replace(settings, batch_size=1), None)
        raise WorkerError(type(exc).__name__, str(exc)) from None
    return outcomes  # type: ignore[no-any-return]


# This worker process's connections to the stores it writes to, one per task thread and URL.
_stores = threading.local()
WRITE_ATTEMPTS = 3  # a write that PostgreSQL aborts (a deadlock with another worker's) is tried again


def _worker_store(url: str) -> Store:
    from detente.store import open_store

    stores: dict[str, Store] = _stores.__dict__.setdefault("by_url", {})
    if url not in stores:
        stores[url] = open_store(url)
    return stores[url]


def written_of(bundles: list[Bundle], outcomes: list[Outcome]) -> list[Written]:
    """What the client learns of a written partition (failures carry their Failure)."""
    pairs = zip(bundles, outcomes, strict=True)
    return [Written(b.article.id, b.article.skip_reason is not None, len(b.events), len(b.claims),
                    o if isinstance(o, Failure) else None) for b, o in pairs]  # fmt: skip


def write_outcomes(store: Store, articles: list[Article], outcomes: list[Outcome]) -> list[Written]:
    """Store one partition's outcomes in one transaction, counts left for later; what was written."""
    from detente.batch.budget import failed_bundle
    from detente.errors import StoreError

    by_id = {a.id: a for a in articles}
    bundles = [failed_bundle(by_id[o.article_id], o) if isinstance(o, Failure) else o for o in outcomes]
    failures = [o for o in outcomes if isinstance(o, Failure)]
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            store.write_bundles(bundles, failures=failures, count_later=True)
            break
        except StoreError:  # nothing of this transaction was committed
            if attempt == WRITE_ATTEMPTS:
                raise
    return written_of(bundles, outcomes)


def code_and_write_partition(articles: list[Article], settings: Settings, url: str) -> list[Written]:
    """Runs on a Dask worker: code one partition, write it to the store at ``url`` itself."""
    outcomes = code_partition(articles, settings)
    try:
        return write_outcomes(_worker_store(url), articles, outcomes)
    except Exception as exc:  # the store refused: the run stops, partitions written so far are kept
        _stores.__dict__.get("by_url", {}).pop(url, None)
        raise WorkerError(type(exc).__name__, str(exc)) from None


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DetenteError("Dask is not installed, so --dask cannot run", hint=INSTALL_HINT) from exc
    return distributed


def code_with_dask(
    articles: Iterable[Article | InputError],
    store: Store,
    *,
    settings: Settings | None = None,
    workers: int = 2,
    batch_size: int | None = None,
    progress: Callable[[list[Bundle]], None] | None = None,
    address: str | None = None,
    force: bool = False,
    retry_failed: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    update_stories: bool = True,
    workers_write: bool | None = None,
    on_stored: Callable[[int], None] | None = None,
) -> RunSummary:
    """Code ``articles`` into ``store`` on Dask; the summary counts what a local run would.

    ``progress`` is called with each partition's bundles after they are written (in completion
    order, which may differ from input order). ``force`` re-codes articles already stored, and
    ``retry_failed`` those stored as failed. As in ``code_into_store``, with ``update_stories`` the store
    is re-clustered into stories at the end.

    ``workers_write`` (default: when ``store`` is PostgreSQL) has each Dask worker write its partitions
    to ``store.url`` itself; the workers must reach that database. ``progress`` then reads each
    partition's bundles back from the store, so leave it out where only speed matters: ``on_stored``
    (how many articles each partition stored) is enough for a progress bar and reads nothing back.
    """
    distributed = _distributed()
    settings = settings or Settings()
    if batch_size is not None:
        settings = replace(settings, batch_size=batch_size)
    if workers < 1 or settings.batch_size < 1:
        raise DetenteError("workers and batch_size must be at least 1")

    if workers_write is None:
        workers_write = store.url.startswith(("postgresql://", "postgres://"))
    if workers_write and not store.url.startswith(("postgresql://", "postgres://")):
        raise DetenteError("only a PostgreSQL store can be written by Dask workers; SQLite has one writer")

    def dask_batches(partitions: Iterator[list[Article]]) -> Iterator[list[Outcome]]:
        with _client(distributed, address, workers) as client:
            for _, outcomes in _run(client, distributed, partitions, settings, in_flight=2 * workers):
                yield outcomes  # type: ignore[misc]

    def dask_writes(partitions: Iterator[list[Article]]) -> Iterator[list[Written]]:
        with _client(distributed, address, workers) as client:
            runs = _run(client, distributed, partitions, settings, in_flight=2 * workers, write_to=store.url)
            for articles, outcomes in runs:
                if all(isinstance(o, Written) for o in outcomes):
                    yield outcomes  # type: ignore[misc]
                else:  # the worker was lost: its partition is recorded as failed, here
                    yield _record_lost(store, articles, outcomes)  # type: ignore[arg-type]

    if workers_write:
        return code_into_store(
            articles, store, settings=settings, force=force, retry_failed=retry_failed, on_error=on_error,
            on_batch=progress, on_failure=on_failure, update_stories=update_stories, writing_coder=dask_writes,
            on_stored=on_stored,
        )  # fmt: skip
    return code_into_store(
        articles, store, settings=settings, force=force, retry_failed=retry_failed, on_error=on_error,
        on_batch=progress, on_failure=on_failure, update_stories=update_stories, coder=dask_batches,
        on_stored=on_stored,
    )  # fmt: skip


def local_cluster_options(workers: int) -> dict[str, Any]:
    """A private single-machine cluster: localhost only, no dashboard, no fixed ports (runs can overlap)."""
    return {
        "n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1",
        "scheduler_port": 0, "dashboard_address": None, "silence_logs": logging.ERROR,
        # Without a dashboard the scheduler still serves health routes, by default on port 8787.
        "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    }  # fmt: skip


def _client(distributed: Any, address: str | None, workers: int) -> Any:
    try:
        if address:
            return distributed.Client(address, timeout="30s")
        cluster = distributed.LocalCluster(**local_cluster_options(workers))
        return _OwnedClient(distributed.Client(cluster), cluster)
    except OSError as exc:  # a scheduler that does not answer
        raise DetenteError(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            hint="check the scheduler address and port",
        ) from exc
    except RuntimeError as exc:  # "Nanny failed to start": usually a script without a __main__ guard
        raise DetenteError(
            f"cannot start a local Dask cluster of {workers} workers: {exc}",
            hint="workers are spawned processes: call code_with_dask under 'if __name__ == \"__main__\":'",
        ) from exc


class _OwnedClient:
    """A client plus the LocalCluster it owns, closed together."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        try:
            self.client.close()
        finally:
            self.cluster.close()


def _record_lost(store: Store, articles: list[Article], failures: list[Outcome]) -> list[Written]:
    """A lost worker's partition, stored as failed; articles it wrote before it was lost are kept."""
    known = store.known_ids([a.id for a in articles])
    kept = store.get_bundles([a.id for a in articles if a.id in known])
    lost = [o for o in failures if (o.article_id if isinstance(o, Failure) else o.article.id) not in known]
    written = write_outcomes(store, articles, lost) if lost else []
    return written + written_of(kept, list(kept))


def _run(
    client: Any,
    distributed: Any,
    partitions: Iterator[list[Article]],
    settings: Settings,
    *,
    in_flight: int,
    write_to: str | None = None,
) -> Iterator[tuple[list[Article], list[Outcome] | list[Written]]]:
    """Keep ``in_flight`` partitions queued (bounded memory on big corpora); yield each as it lands, with
    its articles. With ``write_to`` the workers write their partitions to that store themselves."""
    pending = distributed.as_completed()
    submitted: dict[str, list[Article]] = {}
    for partition in partitions:
        if write_to is None:
            future = client.submit(code_partition, partition, settings, pure=False)
        else:
            future = client.submit(code_and_write_partition, partition, settings, write_to, pure=False)
        submitted[future.key] = partition
        pending.add(future)
        if pending.count() >= in_flight:
            yield _next_result(pending, submitted, settings)
    while not pending.is_empty():
        yield _next_result(pending, submitted, settings)


def _next_result(
    pending: Any, submitted: dict[str, list[Article]], settings: Settings
) -> tuple[list[Article], list[Outcome] | list[Written]]:
    future = next(pending)
    partition = submitted.pop(future.key)
    try:
        outcomes = future.result()
    except WorkerError as exc:  # the coding process could not start: every partition would fail alike
        for other in list(pending.futures):
            other.cancel()
        raise DetenteError(
            f"a Dask worker failed while coding: {exc.kind}: {exc.message}",
            hint="fix the cause and re-run the same command: partitions already written are kept",
        ) from None
    except Exception as exc:  # the Dask worker itself was lost (KilledWorker after Dask's retries)
        from detente.batch.budget import Budget, failure

        detail = f"Dask: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        budget = Budget.of(settings)
        return partition, [
            Bundle(article=a)
            if a.skip_reason is not None
            else failure(a, "worker_lost", None, 0.0, budget, detail=detail)
            for a in partition
        ]
    return partition, outcomes
