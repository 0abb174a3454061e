"""Events counted once and kept: the tables that let the overview, listings and stats read counts, not mentions.

``detente.analytics.counting`` defines an event (mentions merged within an article, across the articles of a
story, background events across the store). What it merges depends only on mentions sharing a counting key
(``counting.event_key``), and for news only within one story, so the store is cut into **partitions** that
are counted independently:

- a news mention belongs to ``n|<story>|<key>`` (its article's story, ``article:<id>`` before clustering);
- a background mention to ``b|<key>|<component>``: background events merge across stories, but only
  mentions whose dates overlap (within counting.WINDOW_DAYS), or that share a story, can reach each other
  through counting's merge, so each key is cut into the connected components of that relation (named by
  their smallest mention id). A new mention is counted with every component it touches; components only
  need to be recounted together, never kept apart, so merging more than needed is safe.

``counted_events`` holds every event of every partition, as ``counting.count_events`` counts the partition's
mentions, so the numbers are the counting module's by construction; ``counted_members`` says which event each
mention joined and ``counted_pairs`` which country pairs each event relates. Every write that can change a
count (a bundle written or rewritten, stories renamed or merged, corroboration recounted) calls
:func:`recount` with the articles it touched, inside its own transaction: the partitions those articles were
in before and are in now are counted again from their mentions, and nothing else is read.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from detente.records import Event, event_from_dict
from detente.store.base import ArticleFacts

Fetch = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
Execute = Callable[[str, Sequence[Any]], None]
ExecuteMany = Callable[[str, Sequence[Sequence[Any]]], None]

CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit
KEY_SEPARATOR = "\x1f"  # between the parts of a counting key (never inside a type, modality or actor id)


def _chunks(items: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(items)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _marks(items: Sequence[Any]) -> str:
    return ", ".join("?" * len(items))


def count_key(event: Event) -> str:
    """The counting key of a mention as stored in ``events.count_key``."""
    from detente.analytics.counting import event_key

    return KEY_SEPARATOR.join(event_key(event))


def partition(key: str, background: bool, story_id: str | None, article_id: str) -> str:
    """An article's mentions of a key as a partition to count (``...|new:<article>``), together with the
    components they touch (:meth:`Recounter.partitions_of`); counted, they take their component's name."""
    if background:
        return f"b|{key}|new:{article_id}"
    return f"n|{story_id or f'article:{article_id}'}|{key}|new:{article_id}"


def _background_key(part: str) -> str:
    return part[2:].rsplit("|", 1)[0]


def _news_parts(part: str) -> tuple[str, str, str]:
    """Story, key and component of a news partition."""
    story, rest = part[2:].split("|", 1)
    key, component = rest.rsplit("|", 1)
    return story, key, component


class Recounter:
    """Counts partitions again inside a write transaction (``fetch``/``execute`` run on its cursor)."""

    def __init__(self, fetch: Fetch, execute: Execute, executemany: ExecuteMany) -> None:
        self._fetch = fetch
        self._execute = execute
        self._executemany = executemany

    def partitions_of(self, article_ids: Iterable[str]) -> set[str]:
        """The partitions ``article_ids`` are in now (from their events) and were in when last counted, with
        the background components their background mentions touch now."""
        parts: set[str] = set()
        with_events: set[str] = set()
        for chunk in _chunks(set(article_ids)):
            marks = _marks(chunk)
            parts |= {r[0] for r in self._fetch(
                f"SELECT DISTINCT part FROM counted_members WHERE article_id IN ({marks})", chunk)}  # fmt: skip
            for key, background, story, aid in self._fetch(
                "SELECT e.count_key, e.background, a.story_id, a.id FROM events e JOIN articles a ON"
                f" a.id = e.article_id WHERE e.article_id IN ({marks})",
                chunk,
            ):
                parts.add(partition(key, bool(background), story, aid))
                with_events.add(aid)
        if with_events:
            parts |= self._touched_components(sorted(with_events))
        return parts

    def _touched_components(self, article_ids: list[str]) -> set[str]:
        """Components the articles' mentions reach: for news, the same story and key with dates within the
        window (or no date); for background, the same key and story, or dates within the window."""
        from detente.analytics.counting import WINDOW_DAYS, _pieces

        mentions = self._background_mentions(article_ids, background=None)
        parts: set[str] = set()
        pad = dt.timedelta(days=WINDOW_DAYS)
        for piece in _pieces(mentions, self._facts({m.article_id for m in mentions})):
            key = KEY_SEPARATOR.join(piece.key)
            if piece.key[2] != "background":
                sql = "SELECT DISTINCT part FROM counted_members WHERE count_key = ? AND story = ?"
                if piece.interval is None:
                    parts |= {r[0] for r in self._fetch(sql, (key, piece.story))}
                else:
                    lo, hi = piece.interval
                    parts |= {r[0] for r in self._fetch(
                        sql + " AND (lo IS NULL OR (lo <= ? AND hi >= ?))",
                        (key, piece.story, (hi + pad).isoformat(), (lo - pad).isoformat()))}  # fmt: skip
                continue
            parts |= {r[0] for r in self._fetch(
                "SELECT DISTINCT part FROM counted_members WHERE count_key = ? AND story = ?", (key, piece.story))}  # fmt: skip
            if piece.interval is not None:
                lo, hi = piece.interval
                parts |= {r[0] for r in self._fetch(
                    "SELECT DISTINCT part FROM counted_members WHERE count_key = ? AND lo IS NOT NULL"
                    " AND lo <= ? AND hi >= ?", (key, (hi + pad).isoformat(), (lo - pad).isoformat()))}  # fmt: skip
        return parts

    def _events_where(self, values: Sequence[str], where: str) -> dict[str, Event]:
        """Stored mentions by id, reading ``values`` a chunk at a time; ``where`` holds ``{marks}`` for them."""
        found: dict[str, Event] = {}
        for chunk in _chunks(values):
            for data, corroboration in self._fetch(
                "SELECT e.data, e.corroboration FROM events e " + where.format(marks=_marks(chunk)), chunk
            ):
                event = parsed_event(data, corroboration)
                found[event.id] = event
        return found

    def _component_mentions(self, components: Sequence[str], background: int) -> dict[str, Event]:
        """The mentions counted in these components (``background`` 1: background ones, 0: news)."""
        return self._events_where(
            components,
            "JOIN counted_members m ON e.id = m.mention_id WHERE m.part IN ({marks})"
            f" AND e.background = {int(background)}",
        )

    def _background_mentions(self, article_ids: Sequence[str], background: int | None = 1) -> list[Event]:
        """The articles' background mentions (``background`` 0: news ones; None: all)."""
        which = "" if background is None else f" AND e.background = {int(background)}"
        return list(self._events_where(article_ids, "WHERE e.article_id IN ({marks})" + which).values())

    def partitions_of_events(self, event_ids: Iterable[str]) -> set[str]:
        """The partitions some mentions were counted in (a changed corroboration changes their event only)."""
        parts: set[str] = set()
        for chunk in _chunks(set(event_ids)):
            parts |= {r[0] for r in self._fetch(
                f"SELECT DISTINCT part FROM counted_members WHERE mention_id IN ({_marks(chunk)})", chunk)}  # fmt: skip
        return parts

    def count_later(self, article_ids: Iterable[str]) -> None:
        """Leave the articles' counts for the next write that counts (:meth:`take_pending`): the mentions kept
        for their old versions stay in ``counted_members``, so the partitions they were in are still found."""
        self._executemany(
            "INSERT INTO counted_pending (article_id) VALUES (?) ON CONFLICT (article_id) DO NOTHING",
            [(aid,) for aid in dict.fromkeys(article_ids)],
        )

    def take_pending(self) -> set[str]:
        """The partitions of the articles left for later (their old and current ones), which the caller
        counts again in the same transaction; they are no longer pending."""
        pending = [r[0] for r in self._fetch("SELECT article_id FROM counted_pending", ())]
        if not pending:
            return set()
        # Only those read: on PostgreSQL another writer may commit more in between, left for the next count.
        for chunk in _chunks(pending):
            self._execute(f"DELETE FROM counted_pending WHERE article_id IN ({_marks(chunk)})", chunk)
        return self.partitions_of(pending)

    def recount_articles(self, article_ids: Iterable[str]) -> None:
        self.recount(self.partitions_of(article_ids))

    def recount(self, parts: Iterable[str]) -> None:
        """Count ``parts`` again from their mentions and replace their rows."""
        parts = set(parts)
        if not parts:
            return
        mentions = self._mentions(parts)
        facts = self._facts({m.article_id for m in mentions})
        events, members, pairs = _rows(mentions, facts)
        # Only the rows that changed are written: most of what a write recounts (the stories and
        # components its articles join) comes out as it was, and rewriting it was most of a write's I/O.
        for table, rows in (
            ("counted_events", events),
            ("counted_members", members),
            ("counted_pairs", pairs),
        ):
            self._replace(table, parts, rows)

    def _replace(self, table: str, parts: set[str], rows: list[tuple[Any, ...]]) -> None:
        """Make ``table``'s rows of ``parts`` equal ``rows``: delete those that are gone or differ (by key),
        insert those that are new or differ."""
        columns, width = _TABLES[table]
        old: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for chunk in _chunks(parts):
            for row in self._fetch(f"SELECT {columns} FROM {table} WHERE part IN ({_marks(chunk)})", chunk):
                old[tuple(row[:width])] = _comparable(row)
        new = {tuple(row[:width]): row for row in rows}
        gone = [key for key, row in old.items() if key not in new or _comparable(new[key]) != row]
        added = [row for key, row in new.items() if old.get(key) != _comparable(row)]
        names = columns.split(", ")
        if gone:
            where = " AND ".join(f"{name} = ?" for name in names[:width])
            self._executemany(f"DELETE FROM {table} WHERE {where}", gone)
        if added:
            self._executemany(f"INSERT INTO {table} ({columns}) VALUES ({_marks(names)})", added)

    def rebuild(self) -> None:
        """Every stored mention keyed and counted again (the migration that adds these tables, and tests)."""
        for table in ("counted_events", "counted_members", "counted_pairs", "counted_pending"):
            self._execute(f"DELETE FROM {table}", ())
        unkeyed = [r[0] for r in self._fetch("SELECT id FROM events WHERE count_key IS NULL", ())]
        for chunk in _chunks(unkeyed):
            rows = self._fetch(f"SELECT id, data FROM events WHERE id IN ({_marks(chunk)})", chunk)
            self._executemany(
                "UPDATE events SET count_key = ? WHERE id = ?",
                [(count_key(event_from_dict(json.loads(data))), eid) for eid, data in rows],
            )
        stories = self._fetch("SELECT DISTINCT COALESCE(story_id, '') FROM articles", ())
        ids = [r[0] for r in stories]
        # Story by story (background keys at the end), so memory holds one slice of the store at a time.
        for chunk in _chunks(ids):
            named = [s for s in chunk if s]
            if named:
                rows = self._fetch(
                    "SELECT e.count_key, e.background, a.story_id, a.id FROM events e JOIN articles a"
                    f" ON a.id = e.article_id WHERE a.story_id IN ({_marks(named)}) AND e.background = 0",
                    named,
                )
                self.recount({f"n|{s}|{k}|*" for k, _, s, a in rows})
            if "" in chunk:
                rows = self._fetch(
                    "SELECT e.count_key, e.background, a.story_id, a.id FROM events e JOIN articles a"
                    " ON a.id = e.article_id WHERE (a.story_id IS NULL OR a.story_id = '') AND e.background = 0",
                    (),
                )
                loose = sorted({f"n|article:{a}|{k}|*" for k, _, s, a in rows})
                for i in range(0, len(loose), CHUNK):
                    self.recount(loose[i : i + CHUNK])
        keys = [r[0] for r in self._fetch("SELECT DISTINCT count_key FROM events WHERE background = 1", ())]
        for i in range(0, len(keys), 50):  # fifty keys at a time, each cut into its components when written
            self.recount({f"b|{key}|*" for key in keys[i : i + 50]})

    # -- reading a partition's mentions ----------------------------------------------------------------

    def _mentions(self, parts: set[str]) -> list[Event]:
        whole_keys, components, new_articles = [], [], set()
        for part in parts:
            if part.startswith("b|"):
                component = part.rsplit("|", 1)[1]
                if component == "*":
                    whole_keys.append(_background_key(part))
                elif component.startswith("new:"):
                    new_articles.add(component[4:])
                else:
                    components.append(part)
        background: dict[str, Event] = {}
        for chunk in _chunks(whole_keys):
            for data, corroboration in self._fetch(
                f"SELECT data, corroboration FROM events WHERE count_key IN ({_marks(chunk)}) AND background = 1",
                chunk,
            ):
                event = parsed_event(data, corroboration)
                background[event.id] = event
        background.update(self._component_mentions(components, background=1))
        keys = {_background_key(p) for p in parts if p.startswith("b|")}
        for event in self._background_mentions(sorted(new_articles)):
            if count_key(event) in keys:
                background[event.id] = event
        # News: whole partitions (a rebuild) by their stories' mention keys first, then only theirs read;
        # components through the mentions kept for them; an article's new mentions by article.
        news: dict[str, Event] = {}
        whole: set[tuple[str, str]] = set()
        news_components, news_new = [], set()
        for part in parts:
            if part.startswith("n|"):
                story, key, component = _news_parts(part)
                if component == "*":
                    whole.add((story, key))
                elif component.startswith("new:"):
                    news_new.add((component[4:], key))
                else:
                    news_components.append(part)
        if whole:
            stories = {s for s, _ in whole if not s.startswith("article:")}
            own = {s.removeprefix("article:") for s, _ in whole if s.startswith("article:")}
            rows: list[tuple[Any, ...]] = []
            head = "SELECT e.id, e.count_key, a.story_id, a.id FROM events e JOIN articles a ON a.id = e.article_id WHERE "
            for chunk in _chunks(stories):
                rows += self._fetch(head + f"a.story_id IN ({_marks(chunk)}) AND e.background = 0", chunk)
            for chunk in _chunks(own):
                rows += self._fetch(
                    head + f"a.id IN ({_marks(chunk)}) AND (a.story_id IS NULL OR a.story_id = '')"
                    " AND e.background = 0",
                    chunk,
                )
            wanted = [eid for eid, key, story, aid in rows if (story or f"article:{aid}", key) in whole]
            for chunk in _chunks(wanted):
                for data, corroboration in self._fetch(
                    f"SELECT data, corroboration FROM events WHERE id IN ({_marks(chunk)})", chunk
                ):
                    event = parsed_event(data, corroboration)
                    news[event.id] = event
        news.update(self._component_mentions(news_components, background=0))
        if news_new:
            for event in self._background_mentions(sorted({a for a, _ in news_new}), background=0):
                if (event.article_id, count_key(event)) in news_new:
                    news[event.id] = event
        return list(background.values()) + list(news.values())

    def _facts(self, article_ids: set[str]) -> dict[str, ArticleFacts]:
        facts = {}
        for chunk in _chunks(sorted(article_ids)):
            for aid, pub_date, outlet, story_id in self._fetch(
                f"SELECT id, pub_date, outlet, story_id FROM articles WHERE id IN ({_marks(chunk)})", chunk
            ):
                published = dt.date.fromisoformat(pub_date) if pub_date else None
                facts[aid] = ArticleFacts(aid, published, outlet, story_id or None)
        return facts


def _rows(
    mentions: list[Event], facts: dict[str, ArticleFacts]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The counted rows of ``mentions`` (whole partitions): events, members and pairs, columns as in
    ``_TABLES``."""
    from detente.analytics.counting import _pieces, count_events, country_pairs

    found_pieces = _pieces(mentions, facts)
    piece_of = {m.id: p for p in found_pieces for m in p.mentions}
    component = _components(found_pieces)
    events, members, pairs = [], [], []
    for found in count_events(mentions, facts):
        lead = found.lead
        part = component[lead.id]
        events.append((
            found.id, part, found.day.isoformat() if found.day else None, found.month,
            int(found.before_article), int(found.background), int(found.reciprocal), found.event_type,
            found.quad, len(found.mentions), found.corroboration, found.confidence, found.intensity,
            int(found.low_confidence), int(found.single_source),
        ))  # fmt: skip
        for m in found.mentions:
            piece = piece_of[m.id]
            interval = piece.interval
            lo, hi = (
                (interval[0].isoformat(), interval[1].isoformat()) if interval is not None else (None, None)
            )
            key = KEY_SEPARATOR.join(piece.key)  # every mention of a piece has its key
            members.append((m.id, found.id, m.article_id, part, key, piece.story, lo, hi))
        directed = (
            set()
            if found.reciprocal
            else {(s.country, t.country) for s in found.source for t in found.target}
        )
        pairs += [(found.id, x, y, part, int((x, y) in directed), int((y, x) in directed))
                  for x, y in sorted(country_pairs(found))]  # fmt: skip
    return events, members, pairs


# Each counted table's columns, the first ``width`` of them its key.
_TABLES = {
    "counted_events": (
        "id, part, day, month, before_article, background, reciprocal, event_type, quad, mentions,"
        " corroboration, confidence, intensity, low_confidence, single_source",
        1,
    ),
    "counted_members": ("mention_id, event_id, article_id, part, count_key, story, lo, hi", 1),
    "counted_pairs": ("event_id, x, y, part, forward, backward", 3),
}


def _comparable(row: Sequence[Any]) -> tuple[Any, ...]:
    """A row as both backends give it back: PostgreSQL keeps REAL columns as 4-byte floats."""
    return tuple(struct.unpack("f", struct.pack("f", v))[0] if isinstance(v, float) else v for v in row)


# Mentions parsed lately, by their stored text and corroboration: a clustering recounts components that
# earlier writes read too, a server reads a dyad's mentions again after every write, and parsing the JSON
# is most of the cost of both. Events are frozen records, so the same text gives the same record; the
# oldest are dropped beyond the limit.
_PARSED: OrderedDict[tuple[str, int | None], Event] = OrderedDict()
_PARSED_LIMIT = 10_000
_parsed_lock = threading.Lock()


def parsed_event(data: str, corroboration: int | None) -> Event:
    key = (data, corroboration)
    with _parsed_lock:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
            return found
    record = json.loads(data)
    record["corroboration"] = corroboration
    event = event_from_dict(record)
    with _parsed_lock:
        _PARSED[key] = event
        while len(_PARSED) > _PARSED_LIMIT:
            _PARSED.popitem(last=False)
    return event


def _components(pieces: list[Any]) -> dict[str, str]:
    """Pieces (counting._Piece) cut into the components counting's merge cannot cross. News: one story and
    key, and dates within the window of each other (a piece without any date reaches all). Background: one
    key, and dates within the window of each other or one story. Mention id -> partition name."""
    from detente.analytics.counting import WINDOW_DAYS

    parent = list(range(len(pieces)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    def group(piece: Any) -> tuple[Any, ...]:
        return (piece.key,) if piece.key[2] == "background" else (piece.key, piece.story)

    by_key: dict[tuple[Any, ...], list[int]] = {}
    for i, piece in enumerate(pieces):
        by_key.setdefault(group(piece), []).append(i)
    for members in by_key.values():
        first_of_story: dict[str, int] = {}
        for i in members:
            if pieces[i].key[2] == "background":  # one story: a mention without a date joins a dated event
                union(i, first_of_story.setdefault(pieces[i].story, i))
            elif pieces[i].interval is None:  # news without any date overlaps every piece of its partition
                for j in members:
                    union(i, j)
        dated = sorted(
            (i for i in members if pieces[i].interval is not None), key=lambda i: pieces[i].interval[0]
        )
        reach: dt.date | None = None
        last = -1
        for i in dated:  # a sweep by start date: within the window of an earlier one, transitively
            lo, hi = pieces[i].interval
            if reach is not None and (lo - reach).days <= WINDOW_DAYS:
                union(i, last)
                reach = max(reach, hi)
            else:
                reach = hi
            last = i
    names: dict[int, str] = {}
    for i, piece in enumerate(pieces):
        root = find(i)
        smallest = min(m.id for m in piece.mentions)
        names[root] = min(names.get(root, smallest), smallest)

    def name(i: int, piece: Any) -> str:
        key = KEY_SEPARATOR.join(piece.key)
        if piece.key[2] == "background":
            return f"b|{key}|{names[find(i)]}"
        return f"n|{piece.story}|{key}|{names[find(i)]}"

    return {m.id: name(i, piece) for i, piece in enumerate(pieces) for m in piece.mentions}


def actor_deltas(
    fetch: Fetch, article_ids: Sequence[str], sign: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What ``article_ids``' stored actor mentions add to ``actor_counts`` and ``actor_event_counts``
    (``sign`` -1: what removing them takes away)."""
    refs: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for chunk in _chunks(article_ids):
        marks = _marks(chunk)
        refs += [(*row[:5], sign * int(row[5])) for row in fetch(
            "SELECT actor_id, name, country, COALESCE(sector, ''), kind, COUNT(*) FROM actor_refs"
            f" WHERE article_id IN ({marks}) GROUP BY actor_id, name, country, COALESCE(sector, ''), kind",
            chunk,
        )]  # fmt: skip
        events += [(aid, sign * int(n)) for aid, n in fetch(
            "SELECT ea.actor_id, COUNT(DISTINCT ea.event_id) FROM event_actors ea JOIN events e ON e.id = ea.event_id"
            f" WHERE e.article_id IN ({marks}) GROUP BY ea.actor_id",
            chunk,
        )]  # fmt: skip
    return refs, events


def apply_actor_deltas(
    execute: Execute, executemany: ExecuteMany, refs: list[tuple[Any, ...]], events: list[tuple[Any, ...]]
) -> None:
    # In one order of keys, so two writers at once (Dask workers on PostgreSQL) lock the rows they share
    # in the same order and wait for each other instead of deadlocking.
    refs = sorted(refs, key=lambda row: tuple("" if v is None else str(v) for v in row[:5]))
    events = sorted(events, key=lambda row: str(row[0]))
    executemany(
        "INSERT INTO actor_counts (actor_id, name, country, sector, kind, refs) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (actor_id, name, country, sector, kind) DO UPDATE SET refs = actor_counts.refs + excluded.refs",
        refs,
    )
    executemany(
        "INSERT INTO actor_event_counts (actor_id, events) VALUES (?, ?)"
        " ON CONFLICT (actor_id) DO UPDATE SET events = actor_event_counts.events + excluded.events",
        events,
    )
    if refs:
        execute("DELETE FROM actor_counts WHERE refs <= 0", ())
    if events:
        execute("DELETE FROM actor_event_counts WHERE events <= 0", ())
