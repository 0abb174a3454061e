"""Code a stream of articles into a store, in this process or in N worker processes.

Each batch is coded, then written in one transaction: a run stopped at any point (Ctrl-C, kill -9)
keeps every batch written before it, and the same command resumes because articles already stored
are skipped by id. Workers each load the pipeline once (spawned processes, model loaded in the
initializer); results come back in input order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from detente.config import Settings
from detente.errors import InputError
from detente.records import Article, Bundle
from detente.store.base import Store


@dataclass
class RunSummary:
    """What a run did; the CLI prints it, the API returns it."""

    read: int = 0
    coded: int = 0
    skipped: int = 0  # stored uncoded, e.g. not English
    already_stored: int = 0
    duplicates: int = 0  # the same article twice in one run
    events: int = 0
    claims: int = 0
    stories: int | None = None  # stories in the store after re-clustering
    errors: list[InputError] = field(default_factory=list)


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    from detente.pipeline import load_nlp

    load_nlp(settings)


def _code_batch(articles: list[Article]) -> list[Bundle]:
    from detente.pipeline import code_articles

    return list(code_articles(articles, settings=_worker_settings))


def code_batches(
    batches: Iterable[list[Article]], *, settings: Settings, workers: int = 1
) -> Iterator[list[Bundle]]:
    """Coded bundles per batch, in order; with workers > 1 batches run in parallel processes."""
    if workers <= 1:
        from detente.pipeline import code_articles, load_nlp

        nlp = load_nlp(settings)
        for batch in batches:
            yield list(code_articles(batch, nlp=nlp, settings=settings))
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_code_batch, batches)


def code_into_store(
    items: Iterable[Article | InputError],
    store: Store,
    *,
    settings: Settings | None = None,
    workers: int = 1,
    force: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    on_batch: Callable[[list[Bundle]], None] | None = None,
    update_stories: bool = True,
    coder: Callable[[Iterator[list[Article]]], Iterator[list[Bundle]]] | None = None,
) -> RunSummary:
    """Code articles into ``store``, one committed transaction per batch.

    With ``update_stories`` the store's articles are re-clustered into stories after anything new
    was coded, so corroboration counts take the new articles into account. ``coder`` turns batches of
    articles into batches of bundles (default: this process or ``workers`` local processes; the Dask
    runner passes its own), so every runner shares this skipping, counting and committing.
    """
    settings = settings or Settings()
    summary = RunSummary()
    stored = set() if force else store.article_ids()
    seen: set[str] = set()

    def fresh_articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, InputError):
                summary.errors.append(item)
                if on_error:
                    on_error(item)
                continue
            summary.read += 1
            if item.id in seen:
                summary.duplicates += 1
                continue
            seen.add(item.id)
            if item.id in stored:
                summary.already_stored += 1
                continue
            yield item

    if coder is None:

        def coder(batches: Iterator[list[Article]]) -> Iterator[list[Bundle]]:
            return code_batches(batches, settings=settings, workers=workers)

    for bundles in coder(batched(fresh_articles(), settings.batch_size)):
        store.write_bundles(bundles)
        for bundle in bundles:
            if bundle.article.skip_reason is None:
                summary.coded += 1
            else:
                summary.skipped += 1
            summary.events += len(bundle.events)
            summary.claims += len(bundle.claims)
        if on_batch:
            on_batch(bundles)
    if update_stories and summary.coded:
        from detente.analytics.stories import stories_in_store

        summary.stories = len(stories_in_store(store))
    return summary
