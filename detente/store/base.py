"""The Store protocol: one interface, SQLite (embedded default) and PostgreSQL (server) behind it.

A store keeps whole article bundles (the article, its actor mentions, claims and events) keyed by
stable ids. Writing a bundle replaces whatever was stored for that article in one transaction, so
re-running the same input never duplicates and an interrupted run loses at most the batch in flight.
Every implementation passes the same contract suite (tests/test_store_contract.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from detente.records import Article, Bundle, Claim, Event, Failure


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters for ``Store.events``. An actor matches by actor_id or country code (e.g. 'RUS').

    ``dyad`` matches events from either actor to the other, and reciprocal events ("Putin met Xi")
    that have both among their participants.
    """

    actor: str | None = None
    dyad: tuple[str, str] | None = None  # either direction, or both participants of a reciprocal event
    event_type: str | None = None
    quad: str | None = None
    modality: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    article_id: str | None = None
    claim_id: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class ActorSummary:
    actor_id: str
    name: str
    country: str
    sector: str | None
    kind: str
    mentions: int
    events: int


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What counting needs of an article, without its text."""

    id: str
    published: dt.date | None
    outlet: str | None
    story_id: str | None


@dataclass(frozen=True, slots=True)
class Stats:
    """Rows the store holds. ``mentions`` are event records (one per sentence reporting an event);
    events as a reader counts them come from ``detente.analytics.counting``."""

    articles: int
    skipped: int
    mentions: int
    claims: int
    actors: int
    outlets: int
    stories: int
    failed: int = 0  # stored uncoded after a failure (``skipped`` counts the others, e.g. not English)


@runtime_checkable
class Store(Protocol):
    url: str

    def migrate(self) -> list[str]:
        """Apply pending named migrations; returns the names applied."""

    def close(self) -> None: ...

    # writing
    def write_bundles(self, bundles: Iterable[Bundle], *, failures: Iterable[Failure] = ()) -> int:
        """Upsert bundles, committing once per call; returns how many were written.

        ``failures`` records articles among ``bundles`` (written uncoded) as failed; writing an article
        again clears its failure. A writer kept waiting past the store's write timeout by another raises
        ``StoreBusyError`` with nothing written.
        """

    def write_stories(self, story_of_article: dict[str, str], outlets_of_event: dict[str, int]) -> None:
        """Record story clustering in one transaction: story ids and corroboration counts together, so
        a run killed while writing them leaves either all or nothing (and ``unclustered`` tells)."""

    def set_story_ids(self, story_of_article: dict[str, str]) -> None:
        """Record story clusters (article id -> story id)."""

    def set_corroboration(self, outlets_of_event: dict[str, int]) -> None:
        """Record how many independent outlets report each event (event id -> count)."""

    # reading
    def article_ids(self) -> set[str]: ...

    def failures(self) -> list[Failure]:
        """Articles recorded as failed, by article id."""

    def unclustered(self) -> int:
        """Coded articles without a story id, or with an event without corroboration: clustering that
        a killed run left undone (or articles added since, e.g. through the API)."""

    def get_article(self, article_id: str) -> Article:
        """Raises NotFoundError for an unknown id."""

    def get_bundle(self, article_id: str) -> Bundle:
        """Raises NotFoundError for an unknown id."""

    def iter_bundles(self) -> Iterator[Bundle]: ...

    def article_facts(self, article_ids: Iterable[str]) -> dict[str, ArticleFacts]:
        """Publication date, outlet and story id of each known article (unknown ids are left out)."""

    def articles(
        self, *, q: str | None = None, outlet: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Article]:
        """Newest first; q matches title or text."""

    def events(self, query: EventQuery | None = None) -> list[Event]:
        """Ordered by event date (falling back to publication date), newest first."""

    def count_events(self, query: EventQuery | None = None) -> int: ...

    def get_event(self, event_id: str) -> Event:
        """Raises NotFoundError for an unknown id."""

    def claims(
        self, *, speaker: str | None = None, channel: str | None = None, article_id: str | None = None,
        limit: int = 100, offset: int = 0,
    ) -> list[Claim]: ...  # fmt: skip

    def get_claim(self, claim_id: str) -> Claim: ...

    def actors(self, *, q: str | None = None, limit: int = 100, offset: int = 0) -> list[ActorSummary]:
        """Most mentioned first; q matches id, name or country."""

    def stats(self) -> Stats: ...
