"""Worker processes that code articles under watch: the hard edge of the per-article budget.

Each worker (:mod:`detente.batch.worker`) loads the pipeline once and codes one article at a time,
reporting each step as it starts. The parent watches from outside, where nothing an article does can
stop it:

- an article still running past its time budget (plus a short grace, so a step that ends late is
  reported by the worker itself with its exact stage) gets its worker killed;
- a worker whose memory grew past the budget while coding an article is killed;
- a worker that dies (the kernel's OOM killer, a crash in native code, ``kill -9``) is noticed at once
  by the end of its pipe.

In each case the article becomes a :class:`~detente.records.Failure` (kind, stage, seconds), a new
worker takes the dead one's place, and coding goes on. Results come back per batch, in input order;
the next batch is already being coded while the caller writes the previous one.

Workers are plain subprocesses (not ``multiprocessing``), so a pool also starts inside a Dask worker,
whose daemonic processes may not fork ``multiprocessing`` children, and no ``__main__`` guard is needed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from detente.batch.budget import Budget, failure, rss_bytes
from detente.batch.worker import DEFAULT_CODER
from detente.config import Settings
from detente.errors import DetenteError
from detente.records import Article, Bundle, Failure

Outcome = Bundle | Failure
LOOKAHEAD_BATCHES = 2  # batches open at once: one being finished, the next already being coded
START_FAILURES = 3  # workers dying before they are ready, in a row, before the run gives up


@dataclass
class _Batch:
    articles: list[Article]
    results: list[Outcome | None] = field(init=False)
    remaining: int = field(init=False)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.articles)
        self.remaining = len(self.articles)

    def settle(self, index: int, outcome: Outcome) -> None:
        if self.results[index] is None:
            self.remaining -= 1
        self.results[index] = outcome


@dataclass
class _Job:
    seq: int
    batch: _Batch
    index: int
    sent_at: float
    base_rss: int | None
    stage: str | None = None

    @property
    def article(self) -> Article:
        return self.batch.articles[self.index]


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    inbox: Connection  # parent -> worker
    outbox: Connection  # worker -> parent
    started_at: float
    ready: bool = False
    job: _Job | None = None


def describe_exit(code: int | None) -> str:
    """How a worker ended, for the failure message."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        oom = ", perhaps by the system's out-of-memory killer" if -code == signal.SIGKILL else ""
        return f"killed by {name}{oom}"
    return f"exit code {code}"


class CodingPool:
    """``workers`` coding processes, started on first use and kept until :meth:`close`.

    ``coder`` is the ``module:function`` a worker codes with (see :mod:`detente.batch.worker`); tests
    name a stand-in there. ``started`` counts worker processes started, replacements included.
    ``on_article`` is called with each article coded (or failed) and the seconds it took.
    """

    def __init__(
        self, settings: Settings | None = None, workers: int = 1, *, coder: str = DEFAULT_CODER,
        poll_seconds: float = 0.2, grace_seconds: float = 1.0, start_seconds: float = 600.0,
        on_article: Callable[[Article, float], None] | None = None,
    ) -> None:  # fmt: skip
        if workers < 1:
            raise DetenteError("a coding pool needs at least one worker")
        self.settings = settings or Settings()
        self.budget = Budget.of(self.settings)
        self.size = workers
        self.coder = coder
        self.poll_seconds = poll_seconds
        self.grace_seconds = grace_seconds
        self.start_seconds = start_seconds
        self.on_article = on_article
        self.started = 0
        self._workers: list[_Worker] = []
        self._seq = itertools.count()
        self._start_failures = 0
        self._lock = threading.Lock()  # code() may be called from many threads (the API)
        self._closed = False

    # -- public ----------------------------------------------------------------------------------

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (to watch them, or to kill one in a test)."""
        return [w.process.pid for w in self._workers if w.process.poll() is None]

    def start(self) -> None:
        """Start the workers now (they load the pipeline in the background) instead of at the first
        article: a server does this at startup, so its first request does not wait for the model."""
        if self._closed:
            raise DetenteError("this coding pool is closed")
        self._fill()

    def code(self, article: Article) -> Outcome:
        """Code one article (thread-safe: concurrent callers take turns)."""
        with self._lock:
            for results in self.code_batches([[article]]):
                return results[0]
        raise AssertionError("unreachable")

    def code_batches(self, batches: Iterable[list[Article]]) -> Iterator[list[Outcome]]:
        """Each batch's bundles and failures in input order, as soon as the whole batch is coded."""
        if self._closed:
            raise DetenteError("this coding pool is closed")
        source = iter(batches)
        open_batches: deque[_Batch] = deque()
        queue: deque[tuple[_Batch, int]] = deque()
        exhausted = False
        while True:
            while not exhausted and len(open_batches) < LOOKAHEAD_BATCHES:
                articles = next(source, None)
                if articles is None:
                    exhausted = True
                    break
                batch = _Batch(list(articles))
                open_batches.append(batch)
                for index, article in enumerate(batch.articles):
                    if article.skip_reason is not None:  # not English etc.: nothing to code
                        batch.settle(index, Bundle(article=article))
                    else:
                        queue.append((batch, index))
            if open_batches and open_batches[0].remaining == 0:
                done = open_batches.popleft()
                yield [r for r in done.results if r is not None]
                continue
            if not open_batches:
                return
            self._fill()
            self._dispatch(queue)
            self._watch()

    def close(self) -> None:
        """Stop every worker: idle ones end on EOF, busy ones are killed."""
        self._closed = True
        for worker in self._workers:
            self._stop(worker, kill=worker.job is not None or not worker.ready)
        self._workers = []

    def __enter__(self) -> CodingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers ---------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        to_worker_read, to_worker_write = os.pipe()
        from_worker_read, from_worker_write = os.pipe()
        # The worker imports what this process can import (a source checkout, a test package).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "detente.batch.worker", self.coder, str(to_worker_read),
                 str(from_worker_write), str(os.getpid())],
                pass_fds=(to_worker_read, from_worker_write), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # stdout may carry --jsonl data; warnings still go to stderr
                start_new_session=True, env=env,
            )  # fmt: skip
        finally:
            os.close(to_worker_read)
            os.close(from_worker_write)
        worker = _Worker(
            process=process,
            inbox=Connection(to_worker_write, readable=False),
            outbox=Connection(from_worker_read, writable=False),
            started_at=time.monotonic(),
        )
        self.started += 1
        # A worker that died at once fails this send; the watch loop then sees its pipe close.
        with contextlib.suppress(OSError):
            worker.inbox.send(("setup", self.settings))
        return worker

    def _fill(self) -> None:
        while len(self._workers) < self.size:
            self._workers.append(self._spawn())

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.poll() is None:
            worker.process.kill()
        for conn in (worker.inbox, worker.outbox):
            with contextlib.suppress(OSError):
                conn.close()
        try:
            worker.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()

    def _replace(self, worker: _Worker, *, kill: bool) -> None:
        self._stop(worker, kill=kill)
        self._workers[self._workers.index(worker)] = self._spawn()

    # -- the watch loop --------------------------------------------------------------------------

    def _dispatch(self, queue: deque[tuple[_Batch, int]]) -> None:
        for worker in self._workers:
            if not queue:
                return
            if not worker.ready or worker.job is not None:
                continue
            batch, index = queue.popleft()
            job = _Job(next(self._seq), batch, index, time.monotonic(), rss_bytes(worker.process.pid))
            try:
                worker.inbox.send(("code", job.seq, job.article))
            except OSError:  # died while idle: the article was never started, so it simply waits
                queue.appendleft((batch, index))
                self._lost(worker)
                continue
            worker.job = job

    def _watch(self) -> None:
        """Wait for messages (at most one poll interval), then apply the budget to busy workers."""
        now = time.monotonic()
        timeout = self.poll_seconds
        for worker in self._workers:
            if worker.job is not None:
                timeout = min(timeout, max(0.0, self._deadline(worker.job) - now))
        by_pipe = {id(w.outbox): w for w in self._workers}
        for pipe in wait([w.outbox for w in self._workers], timeout):
            worker = by_pipe[id(pipe)]
            try:
                while worker.outbox.poll():
                    self._handle(worker, worker.outbox.recv())
            except (EOFError, OSError):
                self._lost(worker)
        self._enforce()

    def _handle(self, worker: _Worker, message: tuple[object, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self._start_failures = 0
        elif kind == "fatal":
            self.close()
            raise DetenteError(f"a coding worker could not start: {message[1]}")
        elif kind == "stage" and worker.job is not None and worker.job.seq == message[1]:
            worker.job.stage = str(message[2])
        elif kind == "done" and worker.job is not None and worker.job.seq == message[1]:
            job, worker.job = worker.job, None
            job.batch.settle(job.index, message[2])  # type: ignore[arg-type]
            if self.on_article is not None:
                self.on_article(job.article, float(message[3]))  # type: ignore[arg-type]

    def _lost(self, worker: _Worker) -> None:
        """The worker's pipe closed: it died. Its article (if any) fails; a new worker takes its place."""
        try:
            code = worker.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            code = worker.process.wait()
        if worker.job is not None:
            job = worker.job
            self._fail(job, "worker_lost", detail=describe_exit(code))
        elif not worker.ready:
            self._start_failures += 1
            if self._start_failures >= START_FAILURES:
                self.close()
                raise DetenteError(
                    f"coding workers keep dying as they start ({describe_exit(code)})",
                    hint="run with --workers 0 to see the error in this process",
                )
        self._replace(worker, kill=False)

    def _enforce(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers):
            job = worker.job
            if job is None:
                if not worker.ready and now - worker.started_at > self.start_seconds:
                    self.close()
                    raise DetenteError(
                        f"a coding worker did not load the pipeline within {self.start_seconds:g} s",
                        hint="check the model installation with 'python -m spacy validate'",
                    )
                continue
            if now > self._deadline(job):
                self._fail(job, "time")
                self._replace(worker, kill=True)
                continue
            rss = rss_bytes(worker.process.pid)
            if rss is not None and job.base_rss is not None and rss - job.base_rss > self.budget.memory_bytes:
                self._fail(job, "memory", used_mb=(rss - job.base_rss) // 2**20)
                self._replace(worker, kill=True)

    def _deadline(self, job: _Job) -> float:
        return job.sent_at + self.budget.seconds + self.grace_seconds

    def _fail(self, job: _Job, kind: str, *, detail: str = "", used_mb: int | None = None) -> None:
        elapsed = time.monotonic() - job.sent_at
        outcome = failure(job.article, kind, job.stage, elapsed, self.budget, detail=detail, used_mb=used_mb)
        job.batch.settle(job.index, outcome)
        if self.on_article is not None:
            self.on_article(job.article, elapsed)
        for worker in self._workers:
            if worker.job is job:
                worker.job = None
