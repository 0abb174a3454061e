"""A stand-in coder for worker processes, to test the pool's watch without loading the model.

``CodingPool(coder="tests.faults:coder")`` starts workers that code an article by what its text asks:
``HANG`` loops forever (``HANG path`` first writes its pid to that file), ``BLOAT`` allocates until it is stopped, ``CRASH`` kills its own process (as
the OOM killer would), ``BOOM`` raises, ``SLOW`` takes a second; anything else comes back as a bundle
at once. Each reports the step ``faults.step`` first, as a pipeline component would.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

from detente.config import Settings
from detente.records import Article, Bundle, Failure

STAGE = "faults.step"


def coder(settings: Settings) -> Callable[[Article, Callable[[str], None]], Bundle | Failure]:
    from detente.batch.budget import Budget, failure

    budget = Budget.of(settings)

    def code(article: Article, on_stage: Callable[[str], None]) -> Bundle | Failure:
        on_stage(STAGE)
        text = article.text
        if "HANG" in text:
            pid_file = text.partition("HANG")[2].strip()
            if pid_file:  # tell the test which process to kill
                with open(pid_file, "w") as handle:
                    handle.write(str(os.getpid()))
            while True:  # a stage that never returns: only the parent can stop it
                pass
        if "BLOAT" in text:
            hoard = []
            while True:
                hoard.append(bytearray(16 * 2**20))  # touched pages count in RSS
                time.sleep(0.01)
        if "CRASH" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "BOOM" in text:
            return failure(article, "error", STAGE, 0.0, budget, detail="RuntimeError: boom")
        if "SLOW" in text:
            time.sleep(1.0)
        return Bundle(article=article)

    return code


def broken_coder(settings: Settings) -> Callable[[Article, Callable[[str], None]], Bundle | Failure]:
    """A coder that cannot start, like a pipeline naming a stage that is not installed."""
    from detente.errors import ConfigError

    raise ConfigError("unknown stage 'no.such.stage.v1'")
