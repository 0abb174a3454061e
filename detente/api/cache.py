"""Answers computed from the whole store, kept until the store changes.

The overview, a dyad's months, the events behind a filter, an actor's page and search count thousands of
mentions in Python; at 50,000 articles that takes seconds. Every committed write raises
``Store.version()`` (its last statement), so an answer computed at one version holds exactly until the
next write: a request asks for the version (one indexed row), and is served the kept answer when it was
computed at that version, never an older one. A key being computed is computed once; other requests for
it wait for that answer instead of all counting at once. The least recently used answers are dropped
beyond ``size``. Dashboard pages are kept whole, rendered, in a cache of their own: what a page derives
from a count (a dyad's months, the most active pairs) is not redone per request either.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from detente.store.base import Store

T = TypeVar("T")
SIZE = 16  # answers kept; the largest (a count over 20,000 mentions) are tens of MB


class ReadCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    def _kept(self, key: Hashable, version: int) -> tuple[bool, Any]:
        found = self._answers.get(key)
        if found is not None and found[0] == version:
            self._answers.move_to_end(key)
            return True, found[1]
        return False, None

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s answer for ``key`` at the store's current version."""
        version = store.version()
        with self._lock:
            hit, answer = self._kept(key, version)
            if hit:
                self.hits += 1
                return answer  # type: ignore[no-any-return]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                hit, answer = self._kept(key, version)
                if hit:
                    self.hits += 1
                    return answer  # type: ignore[no-any-return]
                self.misses += 1
            answer = compute()  # data committed after ``version`` may show: newer, never older
            with self._lock:
                self._answers[key] = (version, answer)
                self._answers.move_to_end(key)
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
                self._computing.pop(key, None)
        return answer


PAGES = 256  # rendered dashboard pages kept (each tens of kB)


def cached(request: Any, key: Hashable, compute: Callable[[], T], *, cache: str = "read_cache") -> T:
    """``compute()`` through one of the app's caches (``app.state.read_cache`` for counts and lists,
    ``app.state.page_cache`` for rendered pages), or directly without one."""
    found: ReadCache | None = getattr(request.app.state, cache, None)
    store: Store = request.app.state.store
    return found.get(store, key, compute) if found is not None else compute()
