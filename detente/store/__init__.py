"""Storage of coded bundles behind one ``Store`` protocol (SQLite embedded, PostgreSQL server)."""

from __future__ import annotations

from pathlib import Path

from detente.store.base import ActorSummary, ArticleFacts, EventQuery, Stats, Store


def open_store(url: str | Path = "detente.db") -> Store:
    """Open (and migrate) a store: a file path for SQLite, a ``postgresql://`` URL for PostgreSQL."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        from detente.store.postgres import PostgresStore

        return PostgresStore(text)
    from detente.store.sqlite import SQLiteStore

    return SQLiteStore(text)


__all__ = ["ActorSummary", "ArticleFacts", "EventQuery", "Stats", "Store", "open_store"]
