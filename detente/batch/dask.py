"""Code a corpus on a Dask cluster (optional extra: ``pip install 'detente[dask]'``).

Articles are cut into partitions of ``batch_size``; each partition is coded on a Dask worker, which
hands it to a coding process of its own (:class:`detente.batch.pool.CodingPool`, one per Dask worker
thread, started once and kept): the pipeline loads once per Dask worker, and the per-article budget is
enforced there exactly as in a local run, so an article past it, or one whose coding process dies, comes
back as a failure and the run goes on. A partition whose Dask worker itself is lost (after Dask's own
retries) has its articles recorded as failed, for ``--retry-failed``.
Only the client touches the store: it writes each coded partition in one transaction as soon as it
arrives, so a run stopped at any point keeps every partition written before it, and re-running
the same command resumes (articles already stored are skipped by id, as in a local run).

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

from detente.batch.local import Outcome, RunSummary, code_into_store
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
) -> RunSummary:
    """Code ``articles`` into ``store`` on Dask; the summary counts what a local run would.

    ``progress`` is called with each partition's bundles after they are written (in completion
    order, which may differ from input order). ``force`` re-codes articles already stored, and
    ``retry_failed`` those stored as failed. As in ``code_into_store``, with ``update_stories`` the store
    is re-clustered into stories at the end.
    """
    distributed = _distributed()
    settings = settings or Settings()
    if batch_size is not None:
        settings = replace(settings, batch_size=batch_size)
    if workers < 1 or settings.batch_size < 1:
        raise DetenteError("workers and batch_size must be at least 1")

    def dask_batches(partitions: Iterator[list[Article]]) -> Iterator[list[Outcome]]:
        with _client(distributed, address, workers) as client:
            yield from _run(client, distributed, partitions, settings, in_flight=2 * workers)

    return code_into_store(
        articles, store, settings=settings, force=force, retry_failed=retry_failed, on_error=on_error,
        on_batch=progress, on_failure=on_failure, update_stories=update_stories, coder=dask_batches,
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


def _run(
    client: Any, distributed: Any, partitions: Iterator[list[Article]], settings: Settings, *, in_flight: int
) -> Iterator[list[Outcome]]:
    """Keep ``in_flight`` partitions queued (bounded memory on big corpora); yield each as it lands."""
    pending = distributed.as_completed()
    submitted: dict[str, list[Article]] = {}
    for partition in partitions:
        future = client.submit(code_partition, partition, settings, pure=False)
        submitted[future.key] = partition
        pending.add(future)
        if pending.count() >= in_flight:
            yield _next_result(pending, submitted, settings)
    while not pending.is_empty():
        yield _next_result(pending, submitted, settings)


def _next_result(pending: Any, submitted: dict[str, list[Article]], settings: Settings) -> list[Outcome]:
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
        return [
            Bundle(article=a)
            if a.skip_reason is not None
            else failure(a, "worker_lost", None, 0.0, budget, detail=detail)
            for a in partition
        ]
    return outcomes  # type: ignore[no-any-return]
