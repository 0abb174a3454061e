"""SQLite store: the embedded default (WAL journal, one file, safe to interrupt)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

from detente.errors import StoreError
from detente.store.migrations import MIGRATIONS
from detente.store.sql import SQLStore


class SQLiteStore(SQLStore):
    placeholder = "?"

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        self._lock = threading.RLock()
        try:
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"cannot create {self.path}: folder {self.path.parent} does not exist")
            # check_same_thread off: the API serves one store from a thread pool; writes are serialised
            # by SQLite's own locking and each write is one transaction.
            self.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._enable_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
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

    def _table_exists(self, name: str) -> bool:
        rows = self._rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return bool(rows)

    def migrate(self) -> list[str]:
        """Apply pending migrations inside one IMMEDIATE transaction: processes opening a new file at
        the same moment take turns, and the second finds the work done."""
        applied: list[str] = []
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
                    for statement in statements:
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
        return applied
