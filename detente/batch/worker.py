"""A coding worker process: ``python -m detente.batch.worker CODER READ_FD WRITE_FD PARENT_PID``.

Started and watched by :class:`detente.batch.pool.CodingPool`. It talks over two pipes, in pickled tuples:

    parent -> worker   ("setup", settings) once, then ("code", seq, article) per article; EOF ends it
    worker -> parent   ("ready", pid) or ("fatal", message) once, then per article
                       ("stage", seq, name) before each step and ("done", seq, bundle_or_failure,
                       seconds)

``CODER`` names ``module:function``; the function takes the settings, loads what it needs once and
returns ``code(article, on_stage) -> Bundle | Failure``. The default, :func:`pipeline_coder`, is the
detente pipeline under the article budget. The worker runs in its own session, so Ctrl-C in a terminal
reaches only the parent, which stops the workers; a worker whose parent died (kill -9) exits by itself.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from detente.config import Settings
from detente.records import Article, Bundle, Failure

Coder = Callable[[Article, Callable[[str], None]], Bundle | Failure]
DEFAULT_CODER = "detente.batch.worker:pipeline_coder"


def pipeline_coder(settings: Settings) -> Coder:
    """The detente pipeline for these settings, each article coded under the budget."""
    from detente.batch.budget import Budget, code_article
    from detente.pipeline import load_nlp

    nlp = load_nlp(settings)
    budget = Budget.of(settings)

    def code(article: Article, on_stage: Callable[[str], None]) -> Bundle | Failure:
        return code_article(nlp, article, budget, on_stage=on_stage)

    return code


def resolve(reference: str) -> Callable[[Settings], Coder]:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _exit_when_orphaned(parent: int) -> None:
    # A parent killed with -9 cannot stop its workers; without this a worker busy on a runaway article
    # would go on burning a core. Idle workers see EOF on their pipe and end on their own.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(3)


def serve(coder_reference: str, inbox: Connection, outbox: Connection) -> int:
    try:
        _, settings = inbox.recv()
        code = resolve(coder_reference)(settings)
    except EOFError:
        return 0
    except BaseException as exc:  # the parent turns this into one clear error for the whole run
        from detente.errors import DetenteError

        reason = str(exc) if isinstance(exc, DetenteError) else f"{type(exc).__name__}: {exc}"
        outbox.send(("fatal", reason))
        return 1
    outbox.send(("ready", os.getpid()))
    while True:
        try:
            job: tuple[str, int, Article] = inbox.recv()
        except EOFError:
            return 0
        _, seq, article = job

        def on_stage(stage: str, seq: int = seq) -> None:
            outbox.send(("stage", seq, stage))

        start = time.monotonic()
        outcome = code(article, on_stage)
        try:
            outbox.send(("done", seq, outcome, time.monotonic() - start))
        except Exception as exc:  # a result that does not pickle is that article's failure, not the run's
            from detente.batch.budget import Budget, failure

            fault = failure(
                article, "error", None, 0.0, Budget.of(settings), detail=f"result not sent: {exc}"
            )
            outbox.send(("done", seq, fault, time.monotonic() - start))


def main(argv: list[str]) -> int:
    coder_reference, read_fd, write_fd, parent = argv
    threading.Thread(target=_exit_when_orphaned, args=(int(parent),), daemon=True).start()
    inbox = Connection(int(read_fd), writable=False)
    outbox = Connection(int(write_fd), readable=False)
    return serve(coder_reference, inbox, outbox)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
