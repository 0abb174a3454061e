"""Storage of coded bundles behind one ``Store`` protocol (SQLite embedded, PostgreSQL server)."""

from __future__ import annotations

from pathlib import Path

from detente.store.base import ActorSummary, ArticleFacts, EventQuery, Stats, Store


def open_store(url: str | Path = "detente.db", *, write_timeout: float = 30.0) -> Store:
    """Open (and migrate) a store: a file path for SQLite, a ``postgresql://`` URL for PostgreSQL.

    ``write_timeout``: seconds a write waits for another writer's lock before ``StoreBusyError``
    (a coding run can wait; the API waits less and answers 503).
    """
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        from detente.store.postgres import PostgresStore

        return PostgresStore(text, write_timeout=write_timeout)
    from detente.store.sqlite import SQLiteStore

    return SQLiteStore(text, write_timeout=write_timeout)


__all__ = ["ActorSummary", "ArticleFacts", "EventQuery", "Stats", "Store", "open_store"]
