"""Code a stream of articles into a store, in supervised worker processes or in this process.

Each batch is coded, then written in one transaction: a run stopped at any point (Ctrl-C, kill -9)
keeps every batch written before it, and the same command resumes because articles already stored
are skipped by id.

No single article can end or stall a run. Each is coded under a budget of time and memory
(``Settings.article_seconds``, ``Settings.article_memory_mb``; :mod:`detente.batch.budget`); an article
past it, or one whose coding raises, or whose worker process dies, is stored uncoded and recorded as
failed with the stage and the time it reached, and the run goes on. ``retry_failed`` codes those again.

``workers`` >= 1 codes in that many worker processes watched from outside (:mod:`detente.batch.pool`):
a runaway article is killed there, whatever it is doing. ``workers=0`` codes in this process, which is
simpler to debug but can only check the budget between pipeline steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from detente.config import Settings
from detente.errors import InputError
from detente.records import Article, Bundle, Failure
from detente.store.base import Store

LOOKUP_CHUNK = 500  # input articles looked up in the store at a time (already stored ones are skipped)

Outcome = Bundle | Failure


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
    failed: list[Failure] = field(default_factory=list)  # stored uncoded; retry with retry_failed
    retried: int = 0  # articles stored as failed that this run coded again (whatever the outcome)
    # Coded articles an earlier run (killed while clustering) or the API left without a story id:
    # this run clustered them.
    unclustered: int = 0


@dataclass(frozen=True)
class Written:
    """One article a coder stored itself (Dask workers writing straight to PostgreSQL), as the client
    learns of it: ids and counts only, so no bundle travels back."""

    article_id: str
    skipped: bool  # stored uncoded (not English, or failed)
    events: int
    claims: int
    failure: Failure | None = None


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def code_batches(
    batches: Iterable[list[Article]], *, settings: Settings, workers: int = 0
) -> Iterator[list[Outcome]]:
    """Bundles (or failures) per batch, in input order. Workers start only when there is work."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    if workers <= 0:
        from detente.batch.budget import Budget, code_article
        from detente.pipeline import load_nlp

        nlp = load_nlp(settings)
        budget = Budget.of(settings)
        yield [code_article(nlp, article, budget) for article in first]
        for batch in batches:
            yield [code_article(nlp, article, budget) for article in batch]
        return
    from itertools import chain

    from detente.batch.pool import CodingPool

    with CodingPool(settings, workers) as pool:
        yield from pool.code_batches(chain([first], batches))


COUNT_LATER_MAX = 1_000  # articles of a run whose counted events wait for its clustering (see below)


def code_into_store(
    items: Iterable[Article | InputError],
    store: Store,
    *,
    settings: Settings | None = None,
    workers: int = 0,
    force: bool = False,
    retry_failed: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    on_batch: Callable[[list[Bundle]], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    update_stories: bool = True,
    on_stored: Callable[[int], None] | None = None,
    coder: Callable[[Iterator[list[Article]]], Iterator[list[Outcome]]] | None = None,
    writing_coder: Callable[[Iterator[list[Article]]], Iterator[list[Written]]] | None = None,
) -> RunSummary:
    """Code articles into ``store``, one committed transaction per batch.

    ``retry_failed`` also codes again every article stored as failed (from the store when the input
    does not hold it). With ``update_stories`` the articles not clustered yet join the store's stories after
    anything new was coded, or when coded articles are still unclustered (a run killed while clustering,
    articles posted to the API): each is compared with its candidates in the story index only, and the
    corroboration of the events it touches is updated (``detente.analytics.stories.update_stories``).

    ``coder`` turns batches of articles into batches of bundles or failures (default: this process with
    ``workers=0``, else ``workers`` supervised processes; the Dask runner passes its own), so every
    runner shares this skipping, counting and committing. ``on_batch`` gets the bundles written, failed
    articles included (uncoded, with ``skip_reason``); ``on_failure`` each failure as it is written;
    ``on_stored`` how many articles each batch stored, which is all a progress bar needs: where Dask workers
    write, ``on_batch`` has to read every batch back from the store and ``on_stored`` does not.
    """
    from detente.batch.budget import failed_bundle

    settings = settings or Settings()
    summary = RunSummary()
    unclustered_before = store.unclustered() if update_stories else 0
    failed_before = {f.article_id for f in store.failures()} if retry_failed else set()
    seen: set[str] = set()
    # Articles handed to the coder and not yet back: a failure names only its article id, and the
    # article is stored with it (uncoded), so it can be retried without the original input.
    in_flight: dict[str, Article] = {}

    def looked_up(chunk: list[Article]) -> Iterator[tuple[Article, bool]]:
        """Each article, and whether it is stored already (looked up by id a chunk at a time: the store's
        other ids are never read)."""
        stored = set() if force else store.known_ids([a.id for a in chunk]) - failed_before
        for article in chunk:
            yield article, article.id in stored

    def checked() -> Iterator[tuple[Article | InputError, bool]]:
        chunk: list[Article] = []
        for item in items:
            if isinstance(item, InputError):
                yield item, False  # reported as it is read, in order with the reader's own warnings
                continue
            chunk.append(item)
            if len(chunk) >= LOOKUP_CHUNK:
                yield from looked_up(chunk)
                chunk = []
        yield from looked_up(chunk)

    def fresh_articles() -> Iterator[Article]:
        for item, stored in checked():
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
            if stored:
                summary.already_stored += 1
                continue
            in_flight[item.id] = item
            yield item
        for article_id in sorted(failed_before - seen):  # failed articles the input did not hold
            seen.add(article_id)
            article = replace(store.get_article(article_id), skip_reason=None, story_id=None)
            in_flight[article_id] = article
            yield article

    if coder is None:

        def coder(batches: Iterator[list[Article]]) -> Iterator[list[Outcome]]:
            return code_batches(batches, settings=settings, workers=workers)

    if writing_coder is not None:
        _take_written(writing_coder(batched(fresh_articles(), settings.batch_size)), store, summary,
                      in_flight, failed_before, on_batch, on_failure, on_stored)  # fmt: skip
        if summary.coded or summary.skipped or summary.failed:
            waiting = 1  # everything written waits to be counted
            if not update_stories:
                store.set_corroboration({})  # a write that counts: it takes the pending articles
        else:
            waiting = 0
        coded: Iterator[list[Outcome]] = iter(())
    else:
        coded = coder(batched(fresh_articles(), settings.batch_size))
        waiting = 0
    # With clustering to follow, the batches' events are counted once, by the clustering (what the
    # articles touch changes again when they join their stories); every COUNT_LATER_MAX articles a batch
    # counts what is waiting, so the counts of a long run lag it by that many at most.
    try:
        for outcomes in coded:
            written = [
                failed_bundle(in_flight.pop(o.article_id), o) if isinstance(o, Failure) else o
                for o in outcomes
            ]
            for bundle in written:
                in_flight.pop(bundle.article.id, None)
            later = update_stories and waiting + len(written) <= COUNT_LATER_MAX
            waiting = waiting + len(written) if later else 0
            store.write_bundles(
                written, failures=[o for o in outcomes if isinstance(o, Failure)], count_later=later
            )
            for outcome, bundle in zip(outcomes, written, strict=True):
                if bundle.article.id in failed_before:
                    summary.retried += 1
                if isinstance(outcome, Failure):
                    summary.failed.append(outcome)
                    if on_failure:
                        on_failure(outcome)
                elif bundle.article.skip_reason is None:
                    summary.coded += 1
                else:
                    summary.skipped += 1
                summary.events += len(bundle.events)
                summary.claims += len(bundle.claims)
            if on_batch:
                on_batch(written)
            if on_stored:
                on_stored(len(written))
    finally:
        close = getattr(coded, "close", None)
        if close is not None:
            close()  # stop worker processes now, also when the write failed or the caller interrupted
    if update_stories and (summary.coded or waiting or unclustered_before or store.unclustered()):
        from detente.analytics import stories

        summary.unclustered = unclustered_before
        summary.stories = stories.update_stories(store).stories
    return summary


def _take_written(
    batches: Iterator[list[Written]],
    store: Store,
    summary: RunSummary,
    in_flight: dict[str, Article],
    failed_before: set[str],
    on_batch: Callable[[list[Bundle]], None] | None,
    on_failure: Callable[[Failure], None] | None,
    on_stored: Callable[[int], None] | None = None,
) -> None:
    """Add up what a writing coder stored, batch by batch."""
    try:
        for written in batches:
            for item in written:
                in_flight.pop(item.article_id, None)
                if item.article_id in failed_before:
                    summary.retried += 1
                if item.failure is not None:
                    summary.failed.append(item.failure)
                    if on_failure:
                        on_failure(item.failure)
                elif item.skipped:
                    summary.skipped += 1
                else:
                    summary.coded += 1
                summary.events += item.events
                summary.claims += item.claims
            if on_batch:
                on_batch(store.get_bundles([item.article_id for item in written]))
            if on_stored:
                on_stored(len(written))
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()
