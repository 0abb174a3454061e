"""Code a corpus on a Dask cluster (optional extra: ``pip install 'detente[dask]'``).

Articles are cut into partitions of ``batch_size``; each partition is coded in a worker process,
which loads the pipeline once (``load_nlp`` caches it per process) and sends back plain bundles.
Only the client touches the store: it writes each coded partition in one transaction as soon as it
arrives, so a run stopped at any point keeps every partition written before it, and re-running
the same command resumes (articles already stored are skipped by id, as in a local run).

Without ``address`` a ``LocalCluster`` with ``workers`` processes is started and stopped here; with
``address`` (``tcp://scheduler:8786``) the partitions go to an existing cluster whose workers have
detente and its model installed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from detente.batch.local import RunSummary, code_into_store
from detente.config import Settings
from detente.errors import DetenteError, InputError
from detente.records import Article, Bundle
from detente.store.base import Store

INSTALL_HINT = "pip install 'detente[dask]'"


class WorkerError(Exception):
    """A failure inside a worker, reduced to text so it always pickles back to the client."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message


def code_partition(articles: list[Article], settings: Settings) -> list[Bundle]:
    """Runs on a worker: code one partition with the process's cached pipeline."""
    from detente.pipeline import code_articles, load_nlp

    try:
        return list(code_articles(articles, nlp=load_nlp(settings), settings=settings))
    except Exception as exc:
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
    on_error: Callable[[InputError], None] | None = None,
    update_stories: bool = True,
) -> RunSummary:
    """Code ``articles`` into ``store`` on Dask; the summary counts what a local run would.

    ``progress`` is called with each partition's bundles after they are written (in completion
    order, which may differ from input order). ``force`` re-codes articles already stored. As in
    ``code_into_store``, with ``update_stories`` the store is re-clustered into stories at the end.
    """
    distributed = _distributed()
    settings = settings or Settings()
    if batch_size is not None:
        settings = replace(settings, batch_size=batch_size)
    if workers < 1 or settings.batch_size < 1:
        raise DetenteError("workers and batch_size must be at least 1")

    def dask_batches(partitions: Iterator[list[Article]]) -> Iterator[list[Bundle]]:
        with _client(distributed, address, workers) as client:
            yield from _run(client, distributed, partitions, settings, in_flight=2 * workers)

    return code_into_store(
        articles, store, settings=settings, force=force, on_error=on_error, on_batch=progress,
        update_stories=update_stories, coder=dask_batches,
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
) -> Iterator[list[Bundle]]:
    """Keep ``in_flight`` partitions queued (bounded memory on big corpora); yield each as it lands."""
    pending = distributed.as_completed()
    for partition in partitions:
        pending.add(client.submit(code_partition, partition, settings, pure=False))
        if pending.count() >= in_flight:
            yield _next_result(pending)
    while not pending.is_empty():
        yield _next_result(pending)


def _next_result(pending: Any) -> list[Bundle]:
    future = next(pending)
    try:
        bundles = future.result()
    except Exception as exc:  # a coding error, or a worker that died (KilledWorker)
        for other in list(pending.futures):
            other.cancel()
        kind, message = (exc.kind, exc.message) if isinstance(exc, WorkerError) else (type(exc).__name__, exc)
        raise DetenteError(
            f"a Dask worker failed while coding: {kind}: {message}",
            hint="fix the cause and re-run the same command: partitions already written are kept",
        ) from None
    return bundles  # type: ignore[no-any-return]
