"""SQLite store: the embedded default (WAL journal, one file, safe to interrupt).

One connection writes (and migrates); every thread that reads gets a connection of its own. In WAL mode
readers never wait for a writer, so a writer waiting for another process's lock (a ``detente code`` run
committing a batch) holds up nobody but itself, and gives up after ``write_timeout`` seconds with
``StoreBusyError`` (the API answers 503 and Retry-After). An in-memory database exists only inside its
one connection, so ``:memory:`` reads and writes through the writer, under the store's lock.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from detente.errors import StoreError
from detente.store.migrations import MIGRATIONS, statements_for
from detente.store.sql import SQLStore

READ_TIMEOUT = 10.0  # WAL readers wait only in rare cases (recovery after a crash, a checkpoint reset)


class SQLiteStore(SQLStore):
    placeholder = "?"

    def __init__(self, path: str | Path, *, migrate: bool = True, write_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        self.write_timeout = write_timeout
        self._memory = str(path) == ":memory:"
        self._lock = threading.RLock()  # the writer connection: one transaction at a time
        self._readers = threading.local()
        self._connections: list[sqlite3.Connection] = []
        # Guards the list alone: a reader opening its connection must never wait for the writer's lock.
        self._connections_lock = threading.Lock()
        try:
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"cannot create {self.path}: folder {self.path.parent} does not exist")
            self.conn = self._connect(write_timeout)
            self._enable_wal()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a usable SQLite database: {exc}",
                hint="pass another --db file, or move this one away",
            ) from exc
        if migrate:
            try:
                self.migrate()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: could not apply migrations: {exc}") from exc

    def _connect(self, timeout: float) -> sqlite3.Connection:
        # check_same_thread off: the writer serves the API's thread pool under the store's lock, and
        # close() closes every reader from whichever thread calls it.
        conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        with self._connections_lock:
            self._connections.append(conn)
        return conn

    def _enable_wal(self, attempts: int = 50) -> None:
        # Switching a new file to WAL needs a moment alone with it; SQLite answers "locked" at once
        # (no busy wait) when another connection opens the same new file, so retry briefly.
        for attempt in range(attempts):
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.02 * (attempt + 1))

    @contextmanager
    def _read(self) -> Iterator[Any]:
        if self._memory:
            with self._lock:
                yield self.conn
            return
        conn = getattr(self._readers, "conn", None)
        if conn is None:
            conn = self._readers.conn = self._connect(READ_TIMEOUT)
        yield conn

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        if self._memory:
            with self._lock:
                yield
            return
        with self._read() as conn:
            conn.execute("BEGIN")  # a read transaction: every query inside sees one WAL snapshot
            try:
                yield
            finally:
                conn.execute("COMMIT")

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            cur = self.conn.cursor()
            try:
                # IMMEDIATE takes the write lock now, waiting up to write_timeout for it; a deferred
                # transaction could fail later without waiting, when another writer got in between.
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                self.conn.commit()
            except BaseException:
                self.conn.rollback()
                raise
            finally:
                cur.close()

    def _busy(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.Error,)

    def _table_exists(self, name: str) -> bool:
        rows = self._rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return bool(rows)

    def _pending_migrations(self) -> bool:
        if not self._table_exists("migrations"):
            return True
        done = {row[0] for row in self._rows("SELECT name FROM migrations")}
        return any(name not in done for name, _ in MIGRATIONS)

    def migrate(self) -> list[str]:
        """Apply pending migrations inside one IMMEDIATE transaction: processes opening a new file at
        the same moment take turns, and the second finds the work done. An up-to-date database is
        checked without the write lock, so opening it never waits for a coding run's batch."""
        applied: list[str] = []
        if not self._pending_migrations():
            return applied
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                done = {row[0] for row in self.conn.execute("SELECT name FROM migrations")}
                for name, statements in MIGRATIONS:
                    if name in done:
                        continue
                    for statement in statements_for(statements, self.dialect):
                        self.conn.execute(statement)
                    self.conn.execute(
                        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                        (name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                    )
                    applied.append(name)
                self.conn.commit()
            except BaseException:
                self.conn.rollback()
                raise
        self._after_migrations(applied)
        return applied

    def close(self) -> None:
        with self._lock, self._connections_lock:
            for conn in self._connections:
                conn.close()
            self._connections = []
