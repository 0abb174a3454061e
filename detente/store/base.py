"""The Store protocol: one interface, SQLite (embedded default) and PostgreSQL (server) behind it.

A store keeps whole article bundles (the article, its actor mentions, claims and events) keyed by
stable ids. Writing a bundle replaces whatever was stored for that article in one transaction, so
re-running the same input never duplicates and an interrupted run loses at most the batch in flight.
Every implementation passes the same contract suite (tests/test_store_contract.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

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
class EventTotals:
    """Events as detente.analytics.counting counts them over the whole store (kept by every write)."""

    events: int
    mentions: int
    background: int
    before_article: int
    reciprocal: int


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


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """An input that was left uncoded, with why: a file or record that never became an article (empty,
    binary, not valid JSON), or an article stored uncoded (not English, coding failed)."""

    source: str  # the file, file:line or URL; for a stored article its URL, title or id
    reason: str  # one line for people, without the source
    at: dt.datetime | None = None  # when it was skipped (None: not recorded yet)
    article_id: str | None = None  # set for an article stored uncoded


@dataclass(frozen=True, slots=True)
class SkippedSummary:
    """The latest skipped inputs and how many were skipped for each reason (most common first)."""

    latest: list[SkippedInput]
    by_reason: list[tuple[str, int]]
    total: int


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    """A clustered article as the story index keeps it (``detente.analytics.stories``)."""

    article_id: str
    signature: str | None  # MinHash signature, base64 (detente.analytics.minhash); None: no words
    day: dt.date | None  # publication date: the earliest article leads its group and its story
    dup_root: str  # the original of its near-duplicate group (its earliest article)
    story_id: str
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class StoryMention:
    """An event with both sides known, as the story index keeps it, with what corroboration needs."""

    event_id: str
    article_id: str
    key: str  # "TYPE|SOURCE|TARGET" (detente.analytics.stories.event_key)
    day: dt.date | None  # the event's date, else its article's publication date
    dup_root: str
    root_outlet: str | None  # outlet of the original of its article's near-duplicate group
    corroboration: int | None


@dataclass(frozen=True, slots=True)
class StoryLead:
    """A story: its id, its earliest article (the id derives from it) and its size."""

    story_id: str
    lead_id: str
    lead_day: dt.date | None
    articles: int


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """Everything one clustering step writes, in one transaction: the index rows of the articles it
    clustered, renamed near-duplicate originals and stories (groups merged), story rows, and the
    corroboration counts that changed."""

    articles: Sequence[IndexedArticle] = ()
    bands: Sequence[tuple[int, str]] = ()  # (band key, article id)
    mentions: Sequence[tuple[str, str, str, dt.date | None]] = ()  # event id, article id, key, day
    renamed_roots: Mapping[str, str] = field(default_factory=dict)  # old original -> new
    renamed_stories: Mapping[str, str] = field(default_factory=dict)  # old story id -> new
    stories: Sequence[StoryLead] = ()  # new and changed stories
    corroboration: Mapping[str, int] = field(default_factory=dict)  # event id -> independent outlets


class StoryIndex(Protocol):
    """The persisted near-duplicate and story index, read and written inside one write transaction
    (``Store.story_index()``), so a clustering step is all or nothing and two never interleave."""

    def settings(self) -> dict[str, str]:
        """What the index was built with (empty for an empty index)."""

    def reset(self, settings: Mapping[str, str]) -> None:
        """Forget the whole index (every coded article becomes pending) and record new settings."""

    def pending(self, limit: int) -> list[str]:
        """Coded articles not in the index yet, at most ``limit``, by id."""

    def bundles(self, article_ids: Sequence[str]) -> list[Bundle]:
        """The stored bundles of these articles (batched reads), in the order given."""

    def band_neighbours(self, keys: Iterable[int]) -> dict[int, list[str]]:
        """Indexed articles under each LSH band key."""

    def articles(self, article_ids: Iterable[str]) -> dict[str, IndexedArticle]:
        """Index rows of these articles (unknown or pending ones are left out), with their outlets."""

    def stories(self, story_ids: Iterable[str]) -> dict[str, StoryLead]: ...

    def mentions(self, keys: Iterable[str]) -> list[StoryMention]:
        """Every indexed mention under these keys."""

    def group_keys(self, roots: Iterable[str]) -> set[str]:
        """Keys of the mentions of articles whose near-duplicate original is one of ``roots``."""

    def stale_keys(self) -> set[str]:
        """Keys left to count again because an article of theirs was coded again."""

    def story_count(self) -> int:
        """Stories the index holds."""

    def write(self, update: StoryUpdate) -> None:
        """Apply one step (and clear the stale keys, counted again in it)."""


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One clustered article, for listing stories without reading bundles."""

    story_id: str
    article_id: str
    dup_root: str
    day: dt.date | None
    outlet: str | None


@runtime_checkable
class Store(Protocol):
    url: str

    def migrate(self) -> list[str]:
        """Apply pending named migrations; returns the names applied."""

    def close(self) -> None: ...

    # writing
    def write_bundles(
        self, bundles: Iterable[Bundle], *, failures: Iterable[Failure] = (), count_later: bool = False
    ) -> int:
        """Upsert bundles, committing once per call; returns how many were written.

        ``failures`` records articles among ``bundles`` (written uncoded) as failed; writing an article
        again clears its failure. A writer kept waiting past the store's write timeout by another raises
        ``StoreBusyError`` with nothing written.

        The counted events (``event_totals``, ``top_pairs``, ``latest_events``) include the articles written
        once the call returns, unless ``count_later``: then they are counted by the next write that counts
        (a clustering step of ``story_index``, ``write_bundles`` without it, ``set_story_ids``,
        ``set_corroboration``), in its transaction. A coding run uses it so that what its batches touch is
        counted once, when it clusters them, not again for every batch.
        """

    def story_index(self) -> AbstractContextManager[StoryIndex]:
        """The story index inside one write transaction: what a clustering step reads and writes is
        committed together at the end of the ``with`` block, or not at all (``unclustered`` tells)."""

    def set_story_ids(self, story_of_article: dict[str, str]) -> None:
        """Record story clusters (article id -> story id)."""

    def set_corroboration(self, outlets_of_event: dict[str, int]) -> None:
        """Record how many independent outlets report each event (event id -> count)."""

    # reading
    def version(self) -> int:
        """A number that every committed write raises (bundles, stories, counts): an answer computed at
        one version holds until it changes."""

    def article_ids(self) -> set[str]: ...

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored (a lookup by id, not a read of every id)."""

    def failures(self) -> list[Failure]:
        """Articles recorded as failed, by article id."""

    def unclustered(self) -> int:
        """Coded articles not in the story index yet: clustering that a killed run left undone, articles
        added since (e.g. through the API), and the stories of articles coded again."""

    def story_members(self) -> list[StoryMember]:
        """Every clustered article with its story, original, day and outlet (no bundle is read)."""

    def get_article(self, article_id: str) -> Article:
        """Raises NotFoundError for an unknown id."""

    def get_bundle(self, article_id: str) -> Bundle:
        """Raises NotFoundError for an unknown id."""

    def get_bundles(self, article_ids: Iterable[str]) -> list[Bundle]:
        """Bundles of the known articles among ``article_ids``, in the order given, read a few hundred
        at a time with one query per table (unknown ids are left out)."""

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

    def record_skipped_inputs(self, inputs: Iterable[SkippedInput], *, read_fine: Iterable[str] = ()) -> None:
        """Keep inputs that never became articles, with why (one row per source: the latest reason), and
        forget the sources in ``read_fine`` (read as articles since: a file fixed and coded again)."""

    def skipped(self, *, limit: int = 20) -> SkippedSummary:
        """Inputs recorded by ``record_skipped_inputs`` and articles stored uncoded, newest first, with
        counts per reason over all of them."""

    # counted events, kept by every write (detente.store.event_counts): the same numbers as counting the
    # whole store with detente.analytics.counting, without reading its mentions
    def divergence(self, a: str, b: str) -> Any:
        """``detente.analytics.divergence.divergence`` of a toward b over every stored article, from the
        evidence kept per article when it was written (``detente.store.divergence_items``): a
        ``Divergence``."""

    def event_totals(self) -> EventTotals: ...

    def top_pairs(self, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
        """counting.top_pairs over every event of the store."""

    def latest_events(self, limit: int = 15) -> list[Any]:
        """The newest ``limit`` events (counting.Occurrence), in counting.sort_newest_first's order."""
