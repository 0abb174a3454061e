"""PostgreSQL store: the server backend, on psycopg 3 (optional extra: ``pip install 'detente[postgres]'``).

It runs the same portable SQL as SQLite (``detente.store.sql``); only the plumbing differs:

- the connection is in autocommit mode, so reads never leave a transaction idle (which would hold
  locks and block other writers' migrations); writes open an explicit transaction, one per
  ``write_bundles`` call, exactly like SQLite, sent in pipeline mode (no round trip per statement);
- a connection the server dropped (restart, idle timeout) is reopened once and the read or the
  write retried: reads are side-effect free and a bundle write is an idempotent upsert;
- migrations take a session advisory lock, so two processes opening a fresh database at once
  (the API and a ``detente code`` run) apply each migration once;
- ``url`` is the given URL with any password masked, safe to show in messages and logs;
- database errors surface as ``StoreError`` naming that URL;
- one store may serve many threads (the API's pool): reads and writes have a connection each, each
  under its own lock (a psycopg connection cannot interleave pipelines and transactions), so a writer
  waiting for a row lock another process holds never holds up readers; it waits at most
  ``write_timeout`` seconds (PostgreSQL's ``lock_timeout``) and then raises ``StoreBusyError``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from detente.errors import StoreBusyError, StoreError
from detente.records import Bundle, Failure
from detente.store.sql import SQLStore

INSTALL_HINT = "pip install 'detente[postgres]'"
# Any constant works; it only has to be the same for every detente process.
MIGRATION_LOCK = 7_042_025
STORY_LOCK = 7_042_026


def mask_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` -> ``postgresql://user:***@host/db``."""
    return re.sub(r"^(\w+://[^:/@]*):[^@]*@", r"\1:***@", url)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class PostgresStore(SQLStore):
    placeholder = "%s"
    dialect = "postgresql"

    def __init__(
        self, url: str, *, migrate: bool = True, connect_timeout: int = 10, write_timeout: float = 30.0
    ) -> None:
        self.url = mask_password(url)
        self._dsn = url
        self._connect_timeout = connect_timeout
        self.write_timeout = write_timeout
        self._in_transaction = False
        self._lock = threading.RLock()  # the reading connection
        self._write_lock = threading.RLock()  # the writing connection
        self.write_conn: Any = None  # opened at the first write
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                f"cannot open {self.url}: the PostgreSQL driver psycopg is not installed", hint=INSTALL_HINT
            ) from exc
        self._psycopg = psycopg
        self._connect()
        if migrate:
            try:
                self.migrate()
            except (psycopg.Error, StoreError) as exc:
                self.conn.close()
                raise StoreError(
                    f"{self.url}: could not apply migrations: {_one_line(exc)}",
                    hint="the user needs CREATE rights on the database's schema",
                ) from exc

    def _open(self) -> Any:
        try:
            return self._psycopg.connect(self._dsn, autocommit=True, connect_timeout=self._connect_timeout)
        except self._psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {self.url}: {_one_line(exc)}",
                hint="check that the server is running and the URL's user, password, host, port and database",
            ) from exc

    def _connect(self) -> None:
        self.conn = self._open()

    def _connect_writer(self) -> None:
        self.write_conn = self._open()

    @staticmethod
    def _gone(conn: Any) -> bool:
        return conn is None or conn.closed or conn.broken

    def _lost(self) -> bool:
        """The reading connection is gone."""
        return self._gone(self.conn)

    def _writer_lost(self) -> bool:
        """The writing connection is gone (and we are not inside a transaction a reconnect would split)."""
        return not self._in_transaction and self._gone(self.write_conn)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._rows_retrying(sql, params)

    def _rows_retrying(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        for attempt in (1, 2):
            try:
                return super()._rows(sql, params)
            except self._psycopg.OperationalError as exc:
                if attempt == 1 and self._lost():
                    self._connect()
                    continue
                raise StoreError(f"{self.url}: query failed: {_one_line(exc)}") from exc
            except self._psycopg.Error as exc:
                raise StoreError(f"{self.url}: query failed: {_one_line(exc)}") from exc
        raise AssertionError("unreachable")

    def write_bundles(
        self, bundles: Iterable[Bundle], *, failures: Iterable[Failure] = (), count_later: bool = False
    ) -> int:
        bundles = list(bundles)
        failures = list(failures)
        with self._write_lock:
            return self._write_retrying(bundles, failures, count_later)

    def _write_retrying(self, bundles: list[Bundle], failures: list[Failure], count_later: bool) -> int:
        if self._writer_lost():
            self._connect_writer()
        for attempt in (1, 2):
            try:
                return self._write_pipelined(bundles, failures, count_later)
            except StoreBusyError:
                raise
            except StoreError as exc:
                if attempt == 2 or not (
                    isinstance(exc.__cause__, self._psycopg.OperationalError) and self._writer_lost()
                ):
                    raise
            # The server dropped the connection mid-batch: none of it was committed, so write it again.
            self._connect_writer()
        raise AssertionError("unreachable")

    def _write_pipelined(self, bundles: list[Bundle], failures: list[Failure], count_later: bool) -> int:
        # Pipeline mode sends a batch's statements without waiting for each reply: ~4x faster writes.
        try:
            with self.write_conn.pipeline():
                return super().write_bundles(bundles, failures=failures, count_later=count_later)
        except self._psycopg.Error as exc:  # raised when the pipeline syncs, outside SQLStore's handler
            if self._busy(exc):
                raise StoreBusyError(
                    f"the database is busy: another writer held a lock for over {self.write_timeout:g} s;"
                    " nothing was written",
                    retry_after=max(1.0, self.write_timeout),
                    hint="try the same write again",
                ) from exc
            raise StoreError(f"could not write to {self.url}: {_one_line(exc)}") from exc

    def _busy(self, exc: BaseException) -> bool:
        return isinstance(exc, self._psycopg.errors.LockNotAvailable)

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        return (self._psycopg.Error,)

    def _lock_stories(self, cur: Any) -> None:
        # Two clustering steps (two detente runs on one database) take turns; released at commit.
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (STORY_LOCK,))

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._write_lock:
            if self._writer_lost():
                self._connect_writer()
            self._in_transaction = True
            try:
                with self.write_conn.transaction(), self.write_conn.cursor() as cur:
                    # Wait for row locks at most write_timeout (this transaction only), then fail cleanly.
                    cur.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        (f"{int(self.write_timeout * 1000)}ms",),
                    )
                    yield cur
            finally:
                self._in_transaction = False

    def _table_exists(self, name: str) -> bool:
        rows = self._rows(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
            (name,),
        )
        return bool(rows)

    def migrate(self) -> list[str]:
        with self._lock:
            self._rows("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
            try:
                return super().migrate()
            finally:
                self._rows("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))

    def close(self) -> None:
        with self._lock, self._write_lock:
            self.conn.close()
            if self.write_conn is not None:
                self.write_conn.close()

    def __enter__(self) -> PostgresStore:
        return self
