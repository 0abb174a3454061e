"""Coding one article under a budget of time and memory, and what is recorded when it fails.

Every runner codes an article the same way, step by step: the spaCy tokenizer, then each pipeline
component in order (what ``nlp(text)`` does, one article at a time; measured on VOA stories it is as
fast as ``nlp.pipe``, and it is what lets a failure name its stage). Before each step ``on_stage`` is
told its name, and after it the budget is checked, so an article past the budget, or one whose step
raises, becomes a :class:`~detente.records.Failure` instead of ending the run.

The checks between steps cannot stop a step that never returns or that allocates without limit: that
is done by :mod:`detente.batch.pool`, which watches worker processes from outside and kills one past
the budget. Coding in this process (``workers=0``) has only the checks between steps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from detente.config import Settings
from detente.records import Article, Bundle, Failure

if TYPE_CHECKING:
    from spacy.language import Language

TOKENIZER = "tokenizer"  # the stage name of nlp.make_doc, before the first component
RETRY_HINT = "retry with 'detente code --retry-failed'"


@dataclass(frozen=True, slots=True)
class Budget:
    """What one article may cost: wall-clock seconds, and memory growth of the process coding it."""

    seconds: float
    memory_mb: int

    @classmethod
    def of(cls, settings: Settings) -> Budget:
        return cls(seconds=settings.article_seconds, memory_mb=settings.article_memory_mb)

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 1024 * 1024


class OverBudget(Exception):
    def __init__(self, kind: str, stage: str, elapsed: float, used_mb: int | None = None) -> None:
        super().__init__(kind, stage, elapsed)
        self.kind, self.stage, self.elapsed, self.used_mb = kind, stage, elapsed, used_mb


def rss_bytes(pid: int | None = None) -> int | None:
    """Resident memory of a process (this one by default); None where it cannot be read."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", "rb") as handle:  # Linux: cheap, no dependency
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except Exception:  # psutil absent, or the process is gone
        return None


def source_of(article: Article) -> str | None:
    """Where an article came from, for people: its input (file:line, URL), else its URL or title."""
    source = article.meta.get("source") if article.meta else None
    return str(source) if source else (article.url or article.title)


def failure(
    article: Article, kind: str, stage: str | None, elapsed: float, budget: Budget, *,
    detail: str = "", used_mb: int | None = None,
) -> Failure:  # fmt: skip
    """A failure with a message that says what happened, where, after how long."""
    where = f" in {stage}" if stage else ""
    if kind == "time":
        message = f"over the {budget.seconds:g} s time budget{where} after {elapsed:.1f} s"
    elif kind == "memory":
        used = f" (+{used_mb} MB)" if used_mb is not None else ""
        message = f"over the {budget.memory_mb} MB memory budget{where}{used} after {elapsed:.1f} s"
    elif kind == "worker_lost":
        message = f"the worker process coding it died{where} after {elapsed:.1f} s ({detail})"
    else:
        message = f"{detail}{where} after {elapsed:.1f} s"
    return Failure(
        article_id=article.id, kind=kind, stage=stage, elapsed=round(elapsed, 3), message=message,
        source=source_of(article),
    )  # fmt: skip


def failed_bundle(article: Article, fault: Failure) -> Bundle:
    """The article as stored for a failure: uncoded, with why (every reader shows ``skip_reason``)."""
    return Bundle(article=replace(article, skip_reason=f"coding failed: {fault.message}; {RETRY_HINT}"))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def code_article(
    nlp: Language, article: Article, budget: Budget, *, on_stage: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Bundle | Failure:  # fmt: skip
    """Code one article step by step; a step past the budget, or one that raises, gives a Failure.

    Skipped articles (not English, ...) pass through uncoded, as in ``code_articles``.
    """
    from detente.pipeline import doc_to_bundle, make_doc

    if article.skip_reason is not None:
        return Bundle(article=article)
    start = clock()
    base = rss_bytes()
    stage = TOKENIZER

    def check() -> None:
        elapsed = clock() - start
        if elapsed > budget.seconds:
            raise OverBudget("time", stage, elapsed)
        now = rss_bytes() if base is not None else None
        if now is not None and base is not None and now - base > budget.memory_bytes:
            raise OverBudget("memory", stage, elapsed, (now - base) // 2**20)

    try:
        if on_stage:
            on_stage(stage)
        doc = make_doc(nlp, article)
        check()
        for stage, component in nlp.pipeline:  # check() and the handlers below read ``stage``
            if on_stage:
                on_stage(stage)
            doc = component(doc)
            check()
        return doc_to_bundle(doc)
    except OverBudget as over:
        return failure(article, over.kind, over.stage, over.elapsed, budget, used_mb=over.used_mb)
    except MemoryError:
        return failure(article, "memory", stage, clock() - start, budget)
    except Exception as exc:  # one article's bug must not end a run of thousands; it is recorded instead
        return failure(article, "error", stage, clock() - start, budget, detail=_one_line(exc))
