"""The SQL shared by every database backend.

Queries are written once with ``?`` placeholders in portable SQL; a backend only supplies a DB-API
connection, its placeholder style and how it reports an applied-migrations table. Whole records
travel as JSON in ``data`` columns; the other columns exist to filter and sort.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from detente.errors import NotFoundError, StoreBusyError, StoreError
from detente.records import (
    ActorRef,
    Article,
    Bundle,
    Claim,
    Event,
    Failure,
    actor_ref_from_dict,
    article_from_dict,
    claim_from_dict,
    date_from_dict,
    place_from_dict,
    to_dict,
)
from detente.store import divergence_items, event_counts, story_index
from detente.store.base import (
    ActorSummary,
    ArticleFacts,
    EventQuery,
    EventTotals,
    SkippedInput,
    SkippedSummary,
    Stats,
    StoryIndex,
    StoryMember,
)

if TYPE_CHECKING:
    from detente.analytics.counting import Occurrence
    from detente.analytics.divergence import Divergence
from detente.store.migrations import (
    COMPONENTS_MIGRATION,
    COUNTS_MIGRATION,
    DIVERGENCE_MIGRATION,
    KOSOVO_ARTICLES,
    KOSOVO_MIGRATION,
    MIGRATIONS,
    NEWS_COMPONENTS_MIGRATION,
    kosovo_xkx,
    statements_for,
)

ARTICLE_COLUMNS = "id, title, url, outlet, published, language, story_id, skip_reason, text, meta"
# The last statement of every write transaction (the row is locked only from here to the commit).
BUMP_VERSION = "UPDATE store_version SET version = version + 1 WHERE id = 1"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class SQLStore:
    """Store protocol over a DB-API connection. Subclasses set ``placeholder`` and open ``conn``."""

    placeholder = "?"
    dialect = "sqlite"  # which dialect-only migration statements to run (detente.store.migrations)
    url: str
    conn: Any
    # One store may serve many threads (the API's pool): each query or transaction holds the lock,
    # so a read never sees an article half re-written.
    _lock: threading.RLock

    # -- plumbing ---------------------------------------------------------------------------------

    def _q(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    @contextmanager
    def _read(self) -> Iterator[Any]:
        """A connection to read with. By default the store's one connection, under the store's lock;
        a backend may give readers connections of their own, so a waiting writer never holds them up."""
        with self._lock:
            yield self.conn

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads that must see one state of the database (a bundle read in four queries)."""
        with self._lock:
            yield

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._read() as conn:
            cur = conn.cursor()
            try:
                cur.execute(self._q(sql), tuple(params))
                return list(cur.fetchall())
            finally:
                cur.close()

    def _busy(self, exc: BaseException) -> bool:
        """Whether a failed write failed only because another writer held the lock too long."""
        return False

    def _exec(self, cur: Any, sql: str, params: Sequence[Any] = ()) -> None:
        cur.execute(self._q(sql), tuple(params))

    def _execmany(self, cur: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cur.executemany(self._q(sql), [tuple(r) for r in rows])

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            cur = self.conn.cursor()
            try:
                yield cur
                self.conn.commit()
            except BaseException:
                self.conn.rollback()
                raise
            finally:
                cur.close()

    def _table_exists(self, name: str) -> bool:
        raise NotImplementedError

    def migrate(self) -> list[str]:
        applied: list[str] = []
        with self._transaction() as cur:
            if not self._table_exists("migrations"):
                self._exec(cur, "CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in self._rows("SELECT name FROM migrations")}
        for name, statements in MIGRATIONS:
            if name in done:
                continue
            with self._transaction() as cur:
                for statement in statements_for(statements, self.dialect):
                    self._exec(cur, statement)
                self._exec(
                    cur,
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                    (name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                )
            applied.append(name)
        self._after_migrations(applied)
        return applied

    def _recounter(self, cur: Any) -> event_counts.Recounter:
        def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            # A cursor of its own: in PostgreSQL's pipeline mode the writing cursor may still hold the
            # result of an earlier statement when a read is fetched.
            reader = cur.connection.cursor()
            try:
                self._exec(reader, sql, params)
                return list(reader.fetchall())
            finally:
                reader.close()

        return event_counts.Recounter(
            fetch,
            lambda sql, params: self._exec(cur, sql, params),
            lambda sql, rows: self._execmany(cur, sql, rows),
        )

    def _after_migrations(self, applied: Sequence[str]) -> None:
        """Fill what SQL alone cannot: the counted events and claim speakers of a store written before."""
        if COUNTS_MIGRATION in applied:
            with self._transaction() as cur:
                rows = self._rows("SELECT id, article_id, speakers FROM claims")
                self._execmany(
                    cur, "INSERT INTO claim_speakers (claim_id, article_id, speaker) VALUES (?, ?, ?)",
                    [(cid, aid, who) for cid, aid, speakers in rows for who in dict.fromkeys(speakers.split())],
                )  # fmt: skip
            self.recount_all()
        elif COMPONENTS_MIGRATION in applied or NEWS_COMPONENTS_MIGRATION in applied:
            self.recount_all()
        if DIVERGENCE_MIGRATION in applied:
            ids = [r[0] for r in self._rows("SELECT id FROM articles ORDER BY id")]
            with self._transaction() as cur:  # all or nothing, a slice of the store in memory at a time
                for i in range(0, len(ids), BUNDLE_CHUNK):
                    rows = [row for bundle in self.get_bundles(ids[i : i + BUNDLE_CHUNK])
                            for row in divergence_items.rows_of(bundle)]  # fmt: skip
                    self._execmany(cur, divergence_items.INSERT, rows)
                self._exec(cur, BUMP_VERSION)
        if KOSOVO_MIGRATION in applied:
            # Written again like any article (its counts, pairs, speakers, evidence and story follow), a
            # slice at a time; only the few articles that name Kosovo.
            ids = [r[0] for r in self._rows(KOSOVO_ARTICLES)]
            for i in range(0, len(ids), BUNDLE_CHUNK):
                self.write_bundles([kosovo_xkx(b) for b in self.get_bundles(ids[i : i + BUNDLE_CHUNK])])

    def recount_all(self) -> None:
        """Count every stored event again into the counted-event tables (detente.store.event_counts)."""
        with self._transaction() as cur:
            self._recounter(cur).rebuild()
            self._exec(cur, BUMP_VERSION)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------------

    write_timeout: float = 30.0  # seconds a writer waits for another's lock before StoreBusyError

    def write_bundles(
        self, bundles: Iterable[Bundle], *, failures: Iterable[Failure] = (), count_later: bool = False
    ) -> int:
        bundles = list(bundles)
        failures = list(failures)
        if not bundles:
            return 0
        try:
            with self._transaction() as cur:
                ids = list(dict.fromkeys(b.article.id for b in bundles))
                story_index.invalidate(lambda sql, params: self._exec(cur, sql, params), ids)
                recounter = self._recounter(cur)
                fetch = recounter._fetch
                parts: set[str] = set()
                if count_later:
                    recounter.count_later(ids)
                else:  # what the old versions of these articles were in, and those left for later
                    parts = recounter.partitions_of(ids) | recounter.take_pending()
                old_refs, old_events = event_counts.actor_deltas(fetch, ids, -1)
                for bundle in bundles:
                    self._write_bundle(cur, bundle)
                if not count_later:
                    recounter.recount(parts | recounter.partitions_of(ids))
                new_refs, new_events = event_counts.actor_deltas(fetch, ids, 1)
                event_counts.apply_actor_deltas(
                    lambda sql, params: self._exec(cur, sql, params),
                    lambda sql, rows: self._execmany(cur, sql, rows),
                    old_refs + new_refs,
                    old_events + new_events,
                )
                story_index.mark_pending(
                    lambda sql, params: self._exec(cur, sql, params), [b.article.id for b in bundles]
                )
                # Deleting the article row cascades to its failure; said here too, for clarity.
                self._execmany(
                    cur, "DELETE FROM failures WHERE article_id = ?", [(b.article.id,) for b in bundles]
                )
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                self._execmany(
                    cur,
                    "INSERT INTO failures (article_id, kind, stage, elapsed, message, source, failed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(f.article_id, f.kind, f.stage, f.elapsed, f.message, f.source, now) for f in failures],
                )
                self._exec(cur, BUMP_VERSION)
        except StoreError:
            raise
        except Exception as exc:
            if self._busy(exc):
                raise StoreBusyError(
                    f"the database is busy: another writer held it for over {self.write_timeout:g} s;"
                    " nothing was written",
                    retry_after=max(1.0, self.write_timeout),
                    hint="try the same write again",
                ) from exc
            raise StoreError(
                f"could not write to {self.url}: {exc}", hint="check the database is writable"
            ) from exc
        return len(bundles)

    def _write_bundle(self, cur: Any, bundle: Bundle) -> None:
        article = bundle.article
        aid = article.id
        # Replace everything stored for this article: re-coding never duplicates.
        self._exec(
            cur,
            "DELETE FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
            (aid,),
        )
        self._exec(
            cur,
            "DELETE FROM event_pairs WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
            (aid,),
        )
        for table in ("events", "claims", "claim_speakers", "actor_refs", "divergence_items"):
            self._exec(cur, f"DELETE FROM {table} WHERE article_id = ?", (aid,))
        self._exec(cur, "DELETE FROM articles WHERE id = ?", (aid,))
        self._exec(
            cur,
            "INSERT INTO articles (id, title, url, outlet, published, pub_date, language, story_id, skip_reason,"
            " text, meta, coded_at, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                aid,
                article.title,
                article.url,
                article.outlet,
                _iso(article.published),
                _iso(article.published_date),
                article.language,
                article.story_id,
                article.skip_reason,
                article.text,
                json.dumps(to_dict(article.meta), ensure_ascii=False),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                json.dumps(
                    {"dates": to_dict(bundle.dates), "places": to_dict(bundle.places)}, ensure_ascii=False
                ),
            ),
        )
        self._execmany(
            cur,
            "INSERT INTO actor_refs (article_id, idx, text, start_char, end_char, actor_id, name, country, sector,"
            " kind, confidence, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    aid,
                    i,
                    r.text,
                    r.start,
                    r.end,
                    r.actor_id,
                    r.name,
                    r.country,
                    r.sector,
                    r.kind,
                    r.confidence,
                    r.reason,
                )
                for i, r in enumerate(bundle.actors)
            ],
        )
        self._execmany(
            cur,
            "INSERT INTO claims (id, article_id, kind, channel, stance, parent_id, speakers, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    aid,
                    c.kind,
                    c.channel,
                    c.stance,
                    c.parent_id,
                    " ".join(_speakers(c)),
                    json.dumps(to_dict(c), ensure_ascii=False),
                )
                for c in _unique(bundle.claims)
            ],
        )
        self._execmany(
            cur,
            "INSERT INTO claim_speakers (claim_id, article_id, speaker) VALUES (?, ?, ?)",
            [(c.id, aid, who) for c in _unique(bundle.claims) for who in _speakers(c)],
        )
        events = _unique(bundle.events)
        self._execmany(
            cur,
            "INSERT INTO events (id, article_id, event_type, mode, quad, intensity, modality, date_start,"
            " date_end, claim_id, confidence, reciprocal, background, data, count_key, sort_day)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.id,
                    aid,
                    e.event_type,
                    e.mode,
                    e.quad,
                    e.intensity,
                    e.modality,
                    _iso(e.date.start) if e.date else None,
                    _iso(e.date.end) if e.date else None,
                    e.claim_id,
                    e.confidence,
                    int(e.reciprocal),
                    int(e.background),
                    json.dumps(to_dict(e), ensure_ascii=False),
                    event_counts.count_key(e),
                    # The day it sorts by: its date, else its article's ('' when neither: last, newest first).
                    _iso(e.date.start if e.date and e.date.start else article.published_date) or "",
                )
                for e in events
            ],
        )
        roles = {
            (e.id, role, ref.actor_id): (ref.country, ref.sector)
            for e in events
            for role, refs in (("source", e.source), ("target", e.target))
            for ref in refs
        }
        self._execmany(
            cur,
            "INSERT INTO event_actors (event_id, role, actor_id, country, sector) VALUES (?, ?, ?, ?, ?)",
            [(eid, role, actor, country, sector) for (eid, role, actor), (country, sector) in roles.items()],
        )
        self._execmany(
            cur, "INSERT INTO event_pairs (x, y, event_id) VALUES (?, ?, ?)", _event_pairs(events, roles)
        )
        self._execmany(cur, divergence_items.INSERT, divergence_items.rows_of(bundle))

    def set_story_ids(self, story_of_article: dict[str, str]) -> None:
        with self._transaction() as cur:
            recounter = self._recounter(cur)
            parts = recounter.partitions_of(story_of_article) | recounter.take_pending()
            self._execmany(
                cur,
                "UPDATE articles SET story_id = ? WHERE id = ?",
                [(story, aid) for aid, story in story_of_article.items()],
            )
            recounter.recount(parts | recounter.partitions_of(story_of_article))
            self._exec(cur, BUMP_VERSION)

    def set_corroboration(self, outlets_of_event: dict[str, int]) -> None:
        with self._transaction() as cur:
            self._execmany(
                cur,
                "UPDATE events SET corroboration = ? WHERE id = ?",
                [(count, event_id) for event_id, count in outlets_of_event.items()],
            )
            recounter = self._recounter(cur)
            recounter.recount(recounter.partitions_of_events(outlets_of_event) | recounter.take_pending())
            self._exec(cur, BUMP_VERSION)

    def version(self) -> int:
        return int(self._rows("SELECT version FROM store_version WHERE id = 1")[0][0])

    def _lock_stories(self, cur: Any) -> None:
        """Keep two clustering steps apart (SQLite's write transaction already does)."""

    @contextmanager
    def story_index(self) -> Iterator[StoryIndex]:
        try:
            with self._transaction() as cur:
                self._lock_stories(cur)

                def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
                    self._exec(cur, sql, params)
                    return list(cur.fetchall())

                index = story_index.SQLStoryIndex(
                    fetch,
                    lambda sql, params: self._exec(cur, sql, params),
                    lambda sql, rows: self._execmany(cur, sql, rows),
                    lambda ids: read_bundles(fetch, ids),
                )
                yield index
                # Stories renamed or joined and corroboration recounted: their events counted again, with
                # the articles whose counts were left for later (a coding run's batches, counted here once).
                recounter = self._recounter(cur)
                recounter.recount(
                    recounter.partitions_of(index.touched)
                    | recounter.partitions_of_events(index.touched_events)
                    | recounter.take_pending()
                )
        except (StoreError, AssertionError):
            raise
        except Exception as exc:
            if self._busy(exc):
                raise StoreBusyError(
                    f"the database is busy: another writer held it for over {self.write_timeout:g} s;"
                    " nothing was clustered",
                    retry_after=max(1.0, self.write_timeout),
                    hint="run 'detente stories' again",
                ) from exc
            if isinstance(exc, self._driver_errors()):
                raise StoreError(f"could not update the story index in {self.url}: {exc}") from exc
            raise

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        return ()

    # -- reading ----------------------------------------------------------------------------------

    def article_ids(self) -> set[str]:
        return {row[0] for row in self._rows("SELECT id FROM articles")}

    def failures(self) -> list[Failure]:
        rows = self._rows(
            "SELECT article_id, kind, stage, elapsed, message, source FROM failures ORDER BY article_id"
        )
        return [
            Failure(aid, kind, stage, float(elapsed), message, source)
            for aid, kind, stage, elapsed, message, source in rows
        ]

    def unclustered(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM story_pending")[0][0])

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            found |= {
                r[0]
                for r in self._rows(
                    f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                )
            }
        return found

    def story_members(self) -> list[StoryMember]:
        rows = self._rows(
            "SELECT s.story_id, s.article_id, s.dup_root, s.day, a.outlet"
            " FROM story_articles s JOIN articles a ON a.id = s.article_id ORDER BY s.article_id"
        )
        return [
            StoryMember(story, aid, root, dt.date.fromisoformat(day) if day else None, outlet)
            for story, aid, root, day, outlet in rows
        ]

    def _article(self, row: Sequence[Any]) -> Article:
        return _article_from_row(row)

    def get_article(self, article_id: str) -> Article:
        rows = self._rows(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFoundError(
                f"no article with id {article_id!r}", hint="list ids with 'detente events' or the dashboard"
            )
        return self._article(rows[0])

    def get_bundle(self, article_id: str) -> Bundle:
        found = self.get_bundles([article_id])
        if not found:
            raise NotFoundError(
                f"no article with id {article_id!r}", hint="list ids with 'detente events' or the dashboard"
            )
        return found[0]

    def get_bundles(self, article_ids: Iterable[str]) -> list[Bundle]:
        ids = list(dict.fromkeys(article_ids))
        found: list[Bundle] = []
        for i in range(0, len(ids), BUNDLE_CHUNK):
            with self._snapshot():  # one state of the database, even while a writer replaces articles
                found += read_bundles(self._rows, ids[i : i + BUNDLE_CHUNK])
        return found

    def iter_bundles(self) -> Iterator[Bundle]:
        ids = [
            r[0] for r in self._rows("SELECT id FROM articles ORDER BY pub_date IS NOT NULL, pub_date, id")
        ]
        for i in range(0, len(ids), BUNDLE_CHUNK):
            yield from self.get_bundles(ids[i : i + BUNDLE_CHUNK])

    def article_facts(self, article_ids: Iterable[str]) -> dict[str, ArticleFacts]:
        ids = sorted(set(article_ids))
        facts: dict[str, ArticleFacts] = {}
        for i in range(0, len(ids), 500):  # well under every backend's parameter limit
            chunk = ids[i : i + 500]
            rows = self._rows(
                "SELECT id, pub_date, outlet, story_id FROM articles WHERE id IN"
                f" ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for aid, pub_date, outlet, story_id in rows:
                published = dt.date.fromisoformat(pub_date) if pub_date else None
                facts[aid] = ArticleFacts(aid, published, outlet, story_id or None)
        return facts

    def articles(
        self, *, q: str | None = None, outlet: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Article]:
        where, params = [], []
        if q:
            pattern = f"%{q.lower()}%"
            if self.dialect == "sqlite" and len(q) >= 3:
                # The trigram index finds every article the LIKE below matches (and a few more: it folds
                # non-ASCII case too); the LIKE keeps exactly what it always matched.
                where.append("rowid IN (SELECT rowid FROM articles_search WHERE body LIKE ?)")
                params.append(pattern)
            where.append("(LOWER(title) LIKE ? OR LOWER(text) LIKE ?)")
            params += [pattern] * 2
        if outlet:
            where.append("outlet = ?")
            params.append(outlet)
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY pub_date IS NULL, pub_date DESC, id LIMIT ? OFFSET ?"  # undated last everywhere
        return [self._article(r) for r in self._rows(sql, [*params, limit, offset])]

    def _event_filter(self, query: EventQuery) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if query.actor:
            where.append("e.id IN (SELECT event_id FROM event_actors WHERE actor_id = ? OR country = ?)")
            params += [query.actor, query.actor]
        if query.dyad:
            a, b = query.dyad
            # Either direction, or both among the participants of a reciprocal event (all in source):
            # event_pairs holds both orders of those (see _event_pairs).
            where.append(
                "e.id IN (SELECT event_id FROM event_pairs WHERE (x = ? AND y = ?) OR (x = ? AND y = ?))"
            )
            params += [a, b, b, a]
        for column, value in (
            ("e.event_type", query.event_type), ("e.quad", query.quad), ("e.modality", query.modality),
            ("e.article_id", query.article_id), ("e.claim_id", query.claim_id),
        ):  # fmt: skip
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        when = "COALESCE(e.date_start, a.pub_date)"
        if query.since:
            where.append(f"{when} >= ?")
            params.append(query.since.isoformat())
        if query.until:
            where.append(f"{when} <= ?")
            params.append(query.until.isoformat())
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def events(self, query: EventQuery | None = None) -> list[Event]:
        query = query or EventQuery()
        where, params = self._event_filter(query)
        sql = (
            "SELECT e.data, e.corroboration FROM "
            + _events_from(query)
            + where
            # sort_day is COALESCE(e.date_start, a.pub_date, ''), written with the event: indexed.
            + " ORDER BY e.sort_day DESC, e.id LIMIT ? OFFSET ?"
        )
        return [_event(r) for r in self._rows(sql, [*params, query.limit, query.offset])]

    def divergence_articles(
        self, a: str, b: str, channels: Iterable[str], *, material: Iterable[str] = (), limit: int = 2_000
    ) -> list[str]:  # fmt: skip
        """Articles that can hold divergence evidence between a and b (detente.analytics.divergence), each
        side named by actor id or country code (as given or upper-cased, as divergence compares them): those
        with an event of a ``material`` quad from one side to the other (newest first), then those where a
        claim on one of ``channels`` spoken by one side names the other (an actor mention or an event's
        target in the article). Evidence is found nowhere else, so divergence over these bundles is
        divergence over the whole store."""
        material = list(material)
        ids: dict[str, None] = {}
        if material:
            side = "(x.actor_id = ? OR x.country = ?)"
            rows = self._rows(
                "SELECT e.article_id, e.sort_day, e.id FROM events e"
                " JOIN event_actors s ON s.event_id = e.id AND s.role = 'source'"
                " JOIN event_actors t ON t.event_id = e.id AND t.role = 'target'"
                f" WHERE e.quad IN ({', '.join('?' * len(material))})"
                f" AND (({side.replace('x.', 's.')} AND {side.replace('x.', 't.')})"
                f" OR ({side.replace('x.', 's.')} AND {side.replace('x.', 't.')}))",
                [*material, a, a.upper(), b, b.upper(), b, b.upper(), a, a.upper()],
            )
            rows.sort(key=lambda r: r[2])
            rows.sort(key=lambda r: r[1] or "", reverse=True)  # newest first, ids ascending within a day
            ids = dict.fromkeys(r[0] for r in rows)
        channels = list(channels)
        for speaker, other in ((a, b), (b, a)):
            said = {r[0] for r in self._rows(
                "SELECT cs.article_id FROM claim_speakers cs JOIN claims c ON c.id = cs.claim_id"
                f" WHERE cs.speaker IN (?, ?) AND c.channel IN ({', '.join('?' * len(channels))})",
                [speaker, speaker.upper(), *channels])}  # fmt: skip
            if not said:
                continue
            named = {r[0] for r in self._rows(
                "SELECT article_id FROM actor_refs WHERE actor_id = ? OR country = ?", (other, other.upper()))}  # fmt: skip
            named |= {r[0] for r in self._rows(
                "SELECT e.article_id FROM event_actors ea JOIN events e ON e.id = ea.event_id"
                " WHERE ea.role = 'target' AND (ea.actor_id = ? OR ea.country = ?)", (other, other.upper()))}  # fmt: skip
            ids.update(dict.fromkeys(sorted(said & named)))
        return list(ids)[:limit]

    def divergence(self, a: str, b: str) -> Divergence:
        with self._snapshot():
            return divergence_items.divergence(
                self._rows,
                lambda ids: [_event(r) for chunk in _chunk_list(list(ids)) for r in self._rows(
                    f"SELECT data, corroboration FROM events WHERE id IN ({', '.join('?' * len(chunk))})", chunk)],
                self.article_facts,
                a,
                b,
            )  # fmt: skip

    # -- counted events (detente.store.event_counts) ---------------------------------------------------

    def event_totals(self) -> EventTotals:
        rows = self._rows(
            "SELECT COUNT(*), SUM(mentions), SUM(background), SUM(before_article), SUM(reciprocal)"
            " FROM counted_events"
        )
        return EventTotals(*(int(v or 0) for v in rows[0]))

    def top_pairs(self, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
        rows = self._rows(
            "SELECT x, y, COUNT(*), SUM(forward), SUM(backward) FROM counted_pairs GROUP BY x, y"
        )
        # Named in the direction their directed events more often take, as counting.top_pairs names them.
        named = [((y, x) if int(back) > int(fore) else (x, y), int(n)) for x, y, n, fore, back in rows]
        return sorted(named, key=lambda kv: (-kv[1], kv[0]))[:limit]

    def latest_events(self, limit: int = 15) -> list[Occurrence]:
        with self._snapshot():
            boundary = self._rows(
                "SELECT day FROM counted_events WHERE day IS NOT NULL ORDER BY day DESC LIMIT 1 OFFSET ?",
                (max(limit - 1, 0),),
            )
            if boundary:  # the newest days hold enough: ties on the last day are sorted here, not by SQL
                rows = self._rows(
                    "SELECT id, part, day FROM counted_events WHERE day >= ?", (boundary[0][0],)
                )
            else:
                rows = self._rows("SELECT id, part, day FROM counted_events")
            rows.sort(
                key=lambda r: (r[2] is None, -(dt.date.fromisoformat(r[2]).toordinal() if r[2] else 0), r[0])
            )
            chosen = [r[0] for r in rows[:limit]]
            return self._stored_events(chosen)

    def _stored_events(self, event_ids: Sequence[str]) -> list[Occurrence]:
        """Counted events rebuilt from the mentions kept for them (``counted_members``): each article's
        mentions of an event are one piece, put together by counting's own ``_occurrence``, so nothing is
        merged again."""
        from detente.analytics.counting import _occurrence, _Piece, event_key

        members: dict[str, list[str]] = {}
        for chunk in _chunk_list(list(event_ids)):
            for mention_id, event_id in self._rows(
                f"SELECT mention_id, event_id FROM counted_members WHERE event_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                members.setdefault(event_id, []).append(mention_id)
        mention_ids = [m for ids in members.values() for m in ids]
        mentions: dict[str, Event] = {}
        for chunk in _chunk_list(mention_ids):
            for row in self._rows(
                f"SELECT data, corroboration FROM events WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            ):
                event = _event(row)
                mentions[event.id] = event
        facts = self.article_facts({m.article_id for m in mentions.values()})
        found = []
        for event_id in event_ids:
            by_article: dict[str, list[Event]] = defaultdict(list)
            for mention_id in members.get(event_id, ()):
                if mention_id in mentions:
                    by_article[mentions[mention_id].article_id].append(mentions[mention_id])
            if not by_article:
                continue
            pieces = []
            for aid, found_mentions in by_article.items():
                fact = facts.get(aid)
                ordered = sorted(found_mentions, key=lambda e: (e.trigger.start, e.id))
                pieces.append(_Piece(
                    event_key(ordered[0]), aid, ordered, fact.published if fact else None,
                    (fact.story_id if fact else None) or f"article:{aid}", None, False,
                ))  # fmt: skip
            found.append(_occurrence(pieces, facts))
        return found

    def count_events(self, query: EventQuery | None = None) -> int:
        query = query or EventQuery()
        where, params = self._event_filter(query)
        rows = self._rows("SELECT COUNT(*) FROM " + _events_from(query) + where, params)
        return int(rows[0][0])

    def get_event(self, event_id: str) -> Event:
        rows = self._rows("SELECT data, corroboration FROM events WHERE id = ?", (event_id,))
        if not rows:
            raise NotFoundError(f"no event with id {event_id!r}", hint="list events with 'detente events'")
        return _event(rows[0])

    def claims(
        self, *, speaker: str | None = None, channel: str | None = None, article_id: str | None = None,
        limit: int = 100, offset: int = 0,
    ) -> list[Claim]:  # fmt: skip
        where, params = [], []
        if speaker:
            # speakers holds space-separated actor ids and country codes.
            where.append("(' ' || speakers || ' ') LIKE ?")
            params.append(f"% {speaker} %")
        if channel:
            where.append("channel = ?")
            params.append(channel)
        if article_id:
            where.append("article_id = ?")
            params.append(article_id)
        sql = "SELECT data FROM claims" + ((" WHERE " + " AND ".join(where)) if where else "")
        sql += " ORDER BY article_id, id LIMIT ? OFFSET ?"
        return [claim_from_dict(json.loads(r[0])) for r in self._rows(sql, [*params, limit, offset])]

    def get_claim(self, claim_id: str) -> Claim:
        rows = self._rows("SELECT data FROM claims WHERE id = ?", (claim_id,))
        if not rows:
            raise NotFoundError(f"no claim with id {claim_id!r}", hint="list claims with 'detente claims'")
        return claim_from_dict(json.loads(rows[0][0]))

    def actors(self, *, q: str | None = None, limit: int = 100, offset: int = 0) -> list[ActorSummary]:
        # Read from the sums every write keeps (one row per actor and name, country, sector and kind), so the
        # answer is what grouping every actor mention would give without reading them.
        where, params = "", []
        if q:
            where = " WHERE LOWER(r.actor_id) LIKE ? OR LOWER(r.name) LIKE ? OR LOWER(r.country) = ?"
            params = [f"%{q.lower()}%", f"%{q.lower()}%", q.lower()]
        sql = (
            "SELECT r.actor_id, MAX(r.name), MAX(r.country), MAX(NULLIF(r.sector, '')), MAX(r.kind), SUM(r.refs),"
            " COALESCE((SELECT ae.events FROM actor_event_counts ae WHERE ae.actor_id = r.actor_id), 0)"
            " FROM actor_counts r"
            + where
            + " GROUP BY r.actor_id ORDER BY SUM(r.refs) DESC, r.actor_id LIMIT ? OFFSET ?"
        )
        return [
            ActorSummary(a, n, c, sec, k, int(m), int(e))
            for a, n, c, sec, k, m, e in self._rows(sql, [*params, limit, offset])
        ]

    def stats(self) -> Stats:
        def one(sql: str) -> int:
            return int(self._rows(sql)[0][0] or 0)

        return Stats(
            articles=one("SELECT COUNT(*) FROM articles"),
            skipped=one(
                "SELECT COUNT(*) FROM articles WHERE skip_reason IS NOT NULL"
                " AND id NOT IN (SELECT article_id FROM failures)"
            ),
            mentions=one("SELECT COUNT(*) FROM events"),
            claims=one("SELECT COUNT(*) FROM claims"),
            actors=one(
                "SELECT COUNT(DISTINCT actor_id) FROM actor_counts"
            ),  # kept: one row per actor at least
            outlets=one("SELECT COUNT(DISTINCT outlet) FROM articles"),
            stories=one("SELECT COUNT(DISTINCT story_id) FROM articles"),
            failed=one("SELECT COUNT(*) FROM failures"),
        )

    def record_skipped_inputs(self, inputs: Iterable[SkippedInput], *, read_fine: Iterable[str] = ()) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows = [(i.source, i.reason, _iso(i.at) or now) for i in inputs]
        # Only sources listed now can be forgotten: most runs skipped nothing before, and write nothing here.
        listed = {row[0] for row in self._rows("SELECT source FROM skipped_inputs")}
        fixed = [(source,) for source in dict.fromkeys(read_fine) if source in listed]
        if not rows and not fixed:
            return
        with self._transaction() as cur:
            self._execmany(cur, "DELETE FROM skipped_inputs WHERE source = ?", fixed)
            self._execmany(
                cur,
                "INSERT INTO skipped_inputs (source, reason, skipped_at) VALUES (?, ?, ?)"
                " ON CONFLICT (source) DO UPDATE SET reason = excluded.reason, skipped_at = excluded.skipped_at",
                rows,
            )
            self._exec(cur, BUMP_VERSION)

    def skipped(self, *, limit: int = 20) -> SkippedSummary:
        # Both kinds in one list: inputs that never became articles, and articles stored uncoded (their
        # coded_at is when they were skipped). Both timestamps are ISO UTC text, so they sort as text.
        union = (
            "SELECT source, reason, skipped_at AS at, CAST(NULL AS TEXT) AS article_id FROM skipped_inputs"
            " UNION ALL SELECT COALESCE(url, title, id), skip_reason, coded_at, id FROM articles"
            " WHERE skip_reason IS NOT NULL"
        )
        with self._snapshot():
            latest = self._rows(
                f"SELECT source, reason, at, article_id FROM ({union}) AS s ORDER BY at DESC, source LIMIT ?",
                (limit,),
            )
            counts = self._rows(
                f"SELECT reason, COUNT(*) FROM ({union}) AS s GROUP BY reason ORDER BY COUNT(*) DESC, reason"
            )
        return SkippedSummary(
            latest=[
                SkippedInput(source, reason, dt.datetime.fromisoformat(at) if at else None, aid)
                for source, reason, at, aid in latest
            ],
            by_reason=[(reason, int(n)) for reason, n in counts],
            total=sum(int(n) for _, n in counts),
        )


BUNDLE_CHUNK = 200  # bundles read per round of queries (one query per table), well under parameter limits
_REF_KEYS = ("text", "start", "end", "actor_id", "name", "country", "sector", "kind", "confidence", "reason")


def read_bundles(
    fetch: Callable[[str, Sequence[Any]], list[tuple[Any, ...]]], ids: Sequence[str]
) -> list[Bundle]:
    """Bundles of ``ids`` (unknown ones left out), in the order given, with one query per table.

    ``fetch(sql, params)`` runs a query (``?`` placeholders) and returns its rows: the store's reader, or
    a cursor inside a transaction (the story index)."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    articles = fetch(f"SELECT {ARTICLE_COLUMNS}, mentions FROM articles WHERE id IN ({marks})", ids)
    refs: dict[str, list[ActorRef]] = defaultdict(list)
    for row in fetch(
        "SELECT article_id, text, start_char, end_char, actor_id, name, country, sector, kind, confidence,"
        f" reason FROM actor_refs WHERE article_id IN ({marks}) ORDER BY article_id, idx",
        ids,
    ):
        refs[row[0]].append(actor_ref_from_dict(dict(zip(_REF_KEYS, row[1:], strict=True))))
    claims: dict[str, list[Claim]] = defaultdict(list)
    for aid, data in fetch(f"SELECT article_id, data FROM claims WHERE article_id IN ({marks})", ids):
        claims[aid].append(claim_from_dict(json.loads(data)))
    events: dict[str, list[Event]] = defaultdict(list)
    for aid, data, corroboration in fetch(
        f"SELECT article_id, data, corroboration FROM events WHERE article_id IN ({marks})", ids
    ):
        events[aid].append(_event((data, corroboration)))
    found: dict[str, Bundle] = {}
    for row in articles:
        article = _article_from_row(row[:-1])
        aid = article.id
        mentions = json.loads(row[-1] or "{}")
        found[aid] = Bundle(
            article=article, actors=tuple(refs[aid]),
            claims=tuple(sorted(claims[aid], key=lambda c: (c.content.start, c.id))),
            events=tuple(sorted(events[aid], key=lambda e: (e.trigger.start, e.id))),
            dates=tuple(d for d in map(date_from_dict, mentions.get("dates", ())) if d is not None),
            places=tuple(p for p in map(place_from_dict, mentions.get("places", ())) if p is not None),
        )  # fmt: skip
    return [found[i] for i in ids if i in found]


def _article_from_row(row: Sequence[Any]) -> Article:
    names = [c.strip() for c in ARTICLE_COLUMNS.split(",")]
    data = dict(zip(names, row, strict=True))
    data["meta"] = json.loads(data["meta"] or "{}")
    return article_from_dict(data)


def _event(row: Sequence[Any]) -> Event:
    """An event from its JSON plus the corroboration count the store keeps beside it (parsed once while it
    is among the latest read: ``event_counts.parsed_event``)."""
    return event_counts.parsed_event(row[0], row[1])


def _event_pairs(
    events: Sequence[Event], roles: dict[tuple[str, str, str], tuple[str, str | None]]
) -> list[tuple[str, str, str]]:
    """``event_pairs`` rows: each pair of keys (actor id, country) from a source to a target of an event as
    ``event_actors`` stores them, and for a reciprocal event between any two of its sources (either order,
    one actor with itself too: an actor id and its country), so one lookup of (a, b) or (b, a) finds what
    the dyad filter matched with a source of a and a target of b, the reverse, or a reciprocal event with
    sources of both."""
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (eid, role, actor), (country, _) in roles.items():
        keys[(eid, role)] |= {actor, country}
    found: set[tuple[str, str, str]] = set()
    for event in events:
        sources = keys.get((event.id, "source"), set())
        others = keys.get((event.id, "target"), set()) | (sources if event.reciprocal else set())
        found |= {(x, y, event.id) for x in sources for y in others}
    return sorted(found)


def _chunk_list(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _events_from(query: EventQuery) -> str:
    """The tables an event query reads: the articles only when a date filter needs their publication date
    (every event has its article, so the join drops nothing; without it the sort index is walked directly)."""
    return "events e JOIN articles a ON a.id = e.article_id" if query.since or query.until else "events e"


def _speakers(claim: Claim) -> list[str]:
    """A claim's speakers as the ``speakers`` column and ``claim_speakers`` keep them: actor ids and countries."""
    return sorted({s.actor_id for s in claim.speaker} | {s.country for s in claim.speaker})


def _unique(records: Iterable[Any]) -> list[Any]:
    """Drop repeated ids (a stage that emits one record twice must not break the write)."""
    seen: dict[str, Any] = {}
    for record in records:
        seen.setdefault(record.id, record)
    return list(seen.values())
