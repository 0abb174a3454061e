"""PostgreSQL store: the server backend, on psycopg 3 (optional extra: ``pip install 'detente[postgres]'``).

It runs the same portable SQL as SQLite (``detente.store.sql``); only the plumbing differs:

- the connection is in autocommit mode, so reads never leave a transaction idle (which would hold
  locks and block other writers' migrations); writes open an explicit transaction, one per
  ``write_bundles`` call, exactly like SQLite;
- migrations take a session advisory lock, so two processes opening a fresh database at once
  (the API and a ``detente code`` run) apply each migration once;
- ``url`` is the given URL with any password masked, safe to show in messages and logs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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


class PostgresStore(SQLStore):
    placeholder = "%s"

    def __init__(self, url: str, *, migrate: bool = True, connect_timeout: int = 10) -> None:
        self.url = mask_password(url)
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                f"cannot open {self.url}: the PostgreSQL driver psycopg is not installed", hint=INSTALL_HINT
            ) from exc
        self._errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout)
        except psycopg.Error as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise StoreError(
                f"cannot connect to PostgreSQL at {self.url}: {reason}",
                hint="check that the server is running and the URL's user, password, host, port and database",
            ) from exc
        if migrate:
            try:
                self.migrate()
            except psycopg.Error as exc:
                self.conn.close()
                raise StoreError(
                    f"{self.url}: could not apply migrations: {exc}",
                    hint="the user needs CREATE rights on the database's schema",
                ) from exc

    def write_bundles(self, bundles: Iterable[Bundle]) -> int:
        # Pipeline mode sends a batch's statements without waiting for each reply: ~3x faster writes.
        with self.conn.pipeline():
            return super().write_bundles(bundles)

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self.conn.transaction(), self.conn.cursor() as cur:
            yield cur

    def _table_exists(self, name: str) -> bool:
        rows = self._rows(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
            (name,),
        )
        return bool(rows)

    def migrate(self) -> list[str]:
        self._rows("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
        try:
            return super().migrate()
        finally:
            self._rows("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))

    def __enter__(self) -> PostgresStore:
        return self
