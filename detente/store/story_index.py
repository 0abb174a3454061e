"""The story index in SQL (tables of migration ``0007_story_index``), shared by every backend.

Every read and write goes through the cursor of one write transaction (``SQLStore.story_index``), so a
clustering step sees the index as no other writer can change it meanwhile and commits whole or not at
all. The clustering itself is in :mod:`detente.analytics.stories`; this module only stores it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from detente.records import Bundle
from detente.store.base import IndexedArticle, StoryLead, StoryMention, StoryUpdate

CHUNK = 500  # ids per IN (...) list, well under every backend's parameter limit
TABLES = (
    "story_bands", "story_mentions", "stories", "story_articles", "story_stale_keys", "story_settings", "story_pending",
)  # fmt: skip


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _chunks(items: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(dict.fromkeys(items))
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _marks(items: Sequence[Any]) -> str:
    return ", ".join("?" * len(items))


# Articles written again lose their place in the index, and so does every article of their story (a story
# can only be split by clustering its articles again): they become pending, and the keys of the story's
# mentions are counted again at the next clustering. ``{ids}`` is the batch's id list.
_STORY_OF = "SELECT s.story_id FROM story_articles s WHERE s.article_id IN ({ids})"
_MATES = "SELECT m.article_id FROM story_articles m WHERE m.story_id IN (" + _STORY_OF + ")"
INVALIDATE = (
    "INSERT INTO story_stale_keys (event_key) SELECT DISTINCT k.event_key FROM story_mentions k"
    " WHERE k.article_id IN (" + _MATES + ") ON CONFLICT (event_key) DO NOTHING",
    "INSERT INTO story_pending (article_id) SELECT p.article_id FROM story_articles p"
    " WHERE p.article_id IN (" + _MATES + ") ON CONFLICT (article_id) DO NOTHING",
    "DELETE FROM story_mentions WHERE article_id IN (" + _MATES + ")",
    "DELETE FROM story_bands WHERE article_id IN (" + _MATES + ")",
    "DELETE FROM stories WHERE story_id IN (" + _STORY_OF + ")",
    "DELETE FROM story_articles WHERE story_id IN (" + _STORY_OF + ")",
)


def invalidate(execute: Callable[[str, Sequence[Any]], None], article_ids: Sequence[str]) -> None:
    """Inside a bundle write, before it: take the stories of ``article_ids`` out of the index (see above)."""
    for chunk in _chunks(article_ids):
        for statement in INVALIDATE:
            execute(statement.format(ids=_marks(chunk)), chunk)


def mark_pending(execute: Callable[[str, Sequence[Any]], None], article_ids: Sequence[str]) -> None:
    """Inside a bundle write, after it: the coded articles written wait for clustering."""
    for chunk in _chunks(article_ids):
        execute(
            f"INSERT INTO story_pending (article_id) SELECT id FROM articles WHERE id IN ({_marks(chunk)})"
            " AND skip_reason IS NULL ON CONFLICT (article_id) DO NOTHING",
            chunk,
        )


class SQLStoryIndex:
    """:class:`~detente.store.base.StoryIndex` over a cursor in a write transaction."""

    def __init__(
        self,
        fetch: Callable[[str, Sequence[Any]], list[tuple[Any, ...]]],
        execute: Callable[[str, Sequence[Any]], None],
        executemany: Callable[[str, Sequence[Sequence[Any]]], None],
        read_bundles: Callable[[Sequence[str]], list[Bundle]],
    ) -> None:
        self._fetch = fetch
        self._execute = execute
        self._executemany = executemany
        self._read_bundles = read_bundles
        self.touched: set[str] = set()  # articles whose counted events must be counted again
        self.touched_events: set[str] = set()  # events whose counted event must be counted again

    def settings(self) -> dict[str, str]:
        return {name: value for name, value in self._fetch("SELECT name, value FROM story_settings", ())}

    def reset(self, settings: Mapping[str, str]) -> None:
        for table in TABLES:
            self._execute(f"DELETE FROM {table}", ())
        self._executemany("INSERT INTO story_settings (name, value) VALUES (?, ?)", list(settings.items()))
        self._execute(
            "INSERT INTO story_pending (article_id) SELECT id FROM articles WHERE skip_reason IS NULL", ()
        )

    def pending(self, limit: int) -> list[str]:
        rows = self._fetch("SELECT article_id FROM story_pending ORDER BY article_id LIMIT ?", (limit,))
        return [r[0] for r in rows]

    def bundles(self, article_ids: Sequence[str]) -> list[Bundle]:
        found: list[Bundle] = []
        for chunk in _chunks(article_ids):
            found += self._read_bundles(chunk)
        return found

    def band_neighbours(self, keys: Iterable[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(keys):
            sql = f"SELECT band_key, article_id FROM story_bands WHERE band_key IN ({_marks(chunk)})"
            for key, article_id in self._fetch(sql, chunk):
                found[int(key)].append(article_id)
        return dict(found)

    def articles(self, article_ids: Iterable[str]) -> dict[str, IndexedArticle]:
        found = {}
        for chunk in _chunks(article_ids):
            rows = self._fetch(
                "SELECT s.article_id, s.signature, s.day, s.dup_root, s.story_id, a.outlet"
                " FROM story_articles s JOIN articles a ON a.id = s.article_id"
                f" WHERE s.article_id IN ({_marks(chunk)})",
                chunk,
            )
            for aid, signature, day, root, story, outlet in rows:
                found[aid] = IndexedArticle(aid, signature, _day(day), root, story, outlet)
        return found

    def stories(self, story_ids: Iterable[str]) -> dict[str, StoryLead]:
        found = {}
        for chunk in _chunks(story_ids):
            sql = f"SELECT story_id, lead_id, lead_day, articles FROM stories WHERE story_id IN ({_marks(chunk)})"
            for story, lead, day, size in self._fetch(sql, chunk):
                found[story] = StoryLead(story, lead, _day(day), int(size))
        return found

    def mentions(self, keys: Iterable[str]) -> list[StoryMention]:
        found = []
        for chunk in _chunks(keys):
            rows = self._fetch(
                "SELECT m.event_id, m.article_id, m.event_key, m.day, s.dup_root, r.outlet, e.corroboration"
                " FROM story_mentions m JOIN story_articles s ON s.article_id = m.article_id"
                " JOIN articles r ON r.id = s.dup_root JOIN events e ON e.id = m.event_id"
                f" WHERE m.event_key IN ({_marks(chunk)})",
                chunk,
            )
            found += [
                StoryMention(eid, aid, key, _day(day), root, outlet, count)
                for eid, aid, key, day, root, outlet, count in rows
            ]
        return found

    def group_keys(self, roots: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(roots):
            rows = self._fetch(
                "SELECT DISTINCT m.event_key FROM story_mentions m JOIN story_articles s"
                f" ON s.article_id = m.article_id WHERE s.dup_root IN ({_marks(chunk)})",
                chunk,
            )
            found |= {r[0] for r in rows}
        return found

    def stale_keys(self) -> set[str]:
        return {r[0] for r in self._fetch("SELECT event_key FROM story_stale_keys", ())}

    def story_count(self) -> int:
        return int(self._fetch("SELECT COUNT(*) FROM stories", ())[0][0])

    def write(self, update: StoryUpdate) -> None:
        new = [a.article_id for a in update.articles]
        for chunk in _chunks(new):  # rows an earlier, interrupted index of these articles may have left
            self._execute(f"DELETE FROM story_bands WHERE article_id IN ({_marks(chunk)})", chunk)
            self._execute(f"DELETE FROM story_mentions WHERE article_id IN ({_marks(chunk)})", chunk)
            self._execute(f"DELETE FROM story_pending WHERE article_id IN ({_marks(chunk)})", chunk)
        self._executemany("INSERT INTO story_bands (band_key, article_id) VALUES (?, ?)", update.bands)
        self._executemany(
            "INSERT INTO story_mentions (event_id, article_id, event_key, day) VALUES (?, ?, ?, ?)",
            [(eid, aid, key, _iso(day)) for eid, aid, key, day in update.mentions],
        )
        self._executemany(
            "UPDATE story_articles SET dup_root = ? WHERE dup_root = ?",
            [(new_root, old) for old, new_root in update.renamed_roots.items()],
        )
        renamed = [(new_id, old) for old, new_id in update.renamed_stories.items()]
        self._executemany(
            "UPDATE articles SET story_id = ? WHERE id IN (SELECT article_id FROM story_articles WHERE story_id = ?)",
            renamed,
        )
        self._executemany("UPDATE story_articles SET story_id = ? WHERE story_id = ?", renamed)
        gone = list(update.renamed_stories) + [s.story_id for s in update.stories]
        for chunk in _chunks(gone):
            self._execute(f"DELETE FROM stories WHERE story_id IN ({_marks(chunk)})", chunk)
        self._executemany(
            "INSERT INTO stories (story_id, lead_id, lead_day, articles) VALUES (?, ?, ?, ?)",
            [(s.story_id, s.lead_id, _iso(s.lead_day), s.articles) for s in update.stories],
        )
        self._executemany(
            "INSERT INTO story_articles (article_id, signature, day, dup_root, story_id) VALUES (?, ?, ?, ?, ?)",
            [(a.article_id, a.signature, _iso(a.day), a.dup_root, a.story_id) for a in update.articles],
        )
        self._executemany(
            "UPDATE articles SET story_id = ? WHERE id = ?",
            [(a.story_id, a.article_id) for a in update.articles],
        )
        self._executemany(
            "UPDATE events SET corroboration = ? WHERE id = ?",
            [(count, eid) for eid, count in update.corroboration.items()],
        )
        self._execute("DELETE FROM story_stale_keys", ())
        self._execute("UPDATE store_version SET version = version + 1 WHERE id = 1", ())
        # What detente.store.event_counts counts again before the commit: articles whose story this step
        # changed, and events whose corroboration it changed.
        self.touched.update(a.article_id for a in update.articles)
        for chunk in _chunks(set(update.renamed_stories.values())):
            self.touched.update(r[0] for r in self._fetch(
                f"SELECT id FROM articles WHERE story_id IN ({_marks(chunk)})", chunk))  # fmt: skip
        self.touched_events.update(update.corroboration)
