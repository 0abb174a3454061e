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
- one store may serve many threads (the API's pool): a lock gives each query or transaction the
  connection to itself, because a psycopg connection cannot interleave pipelines and transactions.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from detente.errors import StoreError
from detente.records import Bundle
from detente.store.sql import SQLStore

INSTALL_HINT = "pip install 'detente[postgres]'"
# Any constant works; it only has to be the same for every detente process.
MIGRATION_LOCK = 7_042_025


def mask_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` -> ``postgresql://user:***@host/db``."""
    return re.sub(r"^(\w+://[^:/@]*):[^@]*@", r"\1:***@", url)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class PostgresStore(SQLStore):
    placeholder = "%s"

    def __init__(self, url: str, *, migrate: bool = True, connect_timeout: int = 10) -> None:
        self.url = mask_password(url)
        self._dsn = url
        self._connect_timeout = connect_timeout
        self._in_transaction = False
        self._lock = threading.RLock()
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

    def _connect(self) -> None:
        try:
            self.conn = self._psycopg.connect(
                self._dsn, autocommit=True, connect_timeout=self._connect_timeout
            )
        except self._psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {self.url}: {_one_line(exc)}",
                hint="check that the server is running and the URL's user, password, host, port and database",
            ) from exc

    def _lost(self) -> bool:
        """The connection is gone (and we are not inside a transaction that a reconnect would split)."""
        return not self._in_transaction and (self.conn.closed or self.conn.broken)

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

    def write_bundles(self, bundles: Iterable[Bundle]) -> int:
        bundles = list(bundles)
        with self._lock:
            return self._write_retrying(bundles)

    def _write_retrying(self, bundles: list[Bundle]) -> int:
        if self._lost():
            self._connect()
        for attempt in (1, 2):
            try:
                return self._write_pipelined(bundles)
            except StoreError as exc:
                if attempt == 2 or not (
                    isinstance(exc.__cause__, self._psycopg.OperationalError) and self._lost()
                ):
                    raise
            # The server dropped the connection mid-batch: none of it was committed, so write it again.
            self._connect()
        raise AssertionError("unreachable")

    def _write_pipelined(self, bundles: list[Bundle]) -> int:
        # Pipeline mode sends a batch's statements without waiting for each reply: ~4x faster writes.
        try:
            with self.conn.pipeline():
                return super().write_bundles(bundles)
        except self._psycopg.Error as exc:  # raised when the pipeline syncs, outside SQLStore's handler
            raise StoreError(f"could not write to {self.url}: {_one_line(exc)}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            self._in_transaction = True
            try:
                with self.conn.transaction(), self.conn.cursor() as cur:
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
        with self._lock:
            self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self
