"""Counted events kept by the store (detente.store.event_counts) against counting every mention in Python.

Random stores (seeded) on SQLite and PostgreSQL: articles with repeated, dated and undated, background and
reciprocal mentions, copies clustered into stories, corroboration set, articles coded again; after every
step the store's kept counts must equal ``detente.analytics.counting`` over all its mentions, its actor sums
the grouping of every actor mention, and its indexed search the plain LIKE scan.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest

from detente.analytics import counting
from detente.analytics.stories import update_stories
from detente.records import (
    QUAD_OF_TYPE,
    ActorRef,
    Article,
    Bundle,
    Claim,
    Event,
    ResolvedDate,
    Span,
    event_id,
)
from detente.store import Store, open_store

pytest_plugins = ["tests.pg_server"]

ACTORS = [
    ("Q1", "Putin", "RUS"), ("Q2", "Lavrov", "RUS"), ("Q3", "Xi", "CHN"), ("Q4", "Biden", "USA"),
    ("Q5", "Zelensky", "UKR"), ("Q6", "a spokesman", "UNK"), ("Q7", "Erdogan", "TUR"),
]  # fmt: skip
TYPES = ["CONSULT", "ACCUSE", "AID", "ASSAULT"]
WORDS = [
    "talks",
    "sanctions",
    "border",
    "ceasefire",
    "grain",
    "summit",
    "missile",
    "envoy",
    "Ümlaut",
    "naïve",
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(tmp_path / "counts.db")
    else:
        opened = open_store(request.getfixturevalue("postgres_db"))
    yield opened
    opened.close()


def _ref(rng: random.Random, text: str, at: int) -> ActorRef:
    actor_id, name, country = rng.choice(ACTORS)
    return ActorRef(text[at : at + 4], at, at + 4, actor_id, name, country, None, "person", 0.9)


def _date(rng: random.Random, published: dt.date) -> ResolvedDate | None:
    roll = rng.random()
    if roll < 0.3:
        return None
    if roll < 0.45:  # a publication date standing in for an unstated one
        return ResolvedDate(
            published, published, "day", "exact", "", "publication date (no date in the text)"
        )
    start = published - dt.timedelta(days=rng.choice([0, 1, 2, 5, 40, 400]))
    granularity = rng.choice(["day", "day", "month", "year"])
    end = start + dt.timedelta(days={"day": 0, "month": 29, "year": 364}[granularity])
    return ResolvedDate(start, end, granularity, "exact", str(start), "test")


def random_bundle(rng: random.Random, aid: str, published: dt.date | None, outlet: str) -> Bundle:
    words = [rng.choice(WORDS) for _ in range(40)]
    text = " ".join(words) + "."
    article = Article(id=aid, text=text, title=" ".join(words[:4]), outlet=outlet, published=published,
                      language="en")  # fmt: skip
    day = published or dt.date(2024, 3, 1)
    events, refs = [], []
    for i in range(rng.randint(0, 6)):
        at = min(len(text) - 6, i * 12 + rng.randint(0, 5))
        trigger = Span(text[at : at + 5], at, at + 5)
        source = tuple(_ref(rng, text, at) for _ in range(rng.choice([0, 1, 1, 2])))
        target = tuple(_ref(rng, text, at + 1) for _ in range(rng.choice([0, 1, 1])))
        reciprocal = rng.random() < 0.15
        if reciprocal:
            source, target = source + target, ()
        refs += [*source, *target]
        event_type = rng.choice(TYPES)
        events.append(Event(
            id=event_id(aid, trigger, event_type, source, target) + f"-{i}", article_id=aid,
            event_type=event_type, mode=None, context=(), quad=QUAD_OF_TYPE[event_type],
            intensity=rng.choice([-5.0, 1.0, 4.0]), modality=rng.choice(["asserted", "asserted", "hypothetical"]),
            source=source, target=target, trigger=trigger, sentence=Span(text, 0, len(text)),
            date=_date(rng, day), confidence=rng.choice([0.4, 0.7, 0.95]), reciprocal=reciprocal,
            background=rng.random() < 0.2,
        ))  # fmt: skip
    claims = []
    if refs and rng.random() < 0.5:
        speaker = refs[0]
        claims.append(Claim(id=f"{aid}-c", article_id=aid, speaker=(speaker,), cue=Span(text[:4], 0, 4),
                            content=Span(text[5:-1], 5, len(text) - 1), kind="indirect",
                            channel=rng.choice(["public_statement", "official_document"])))  # fmt: skip
    return Bundle(article=article, actors=tuple(refs), claims=tuple(claims), events=tuple(events))


def random_store(store: Store, seed: int, size: int = 40) -> tuple[random.Random, dict[str, Bundle]]:
    rng = random.Random(seed)
    bundles: dict[str, Bundle] = {}
    for i in range(size):
        published = (
            None if rng.random() < 0.1 else dt.date(2024, 3, 1) + dt.timedelta(days=rng.randint(0, 20))
        )
        bundle = random_bundle(
            rng, f"art-{seed}-{i}", published, rng.choice(["Daily", "Wire", "Post", "Times"])
        )
        if bundles and rng.random() < 0.3:  # a syndicated copy: same mentions, another outlet, a day later
            original = rng.choice(list(bundles.values()))
            bundle = copy_of(original, f"art-{seed}-{i}", rng.choice(["Wire", "Echo"]))
        bundles[bundle.article.id] = bundle
    ids = list(bundles)
    for at in range(0, len(ids), 7):  # batches of several articles
        store.write_bundles([bundles[i] for i in ids[at : at + 7]])
    return rng, bundles


def copy_of(original: Bundle, aid: str, outlet: str) -> Bundle:
    import dataclasses

    article = dataclasses.replace(original.article, id=aid, outlet=outlet,
                                  published=original.article.published and original.article.published + dt.timedelta(days=1))  # fmt: skip
    events = tuple(dataclasses.replace(e, id=f"{e.id}@{aid}", article_id=aid) for e in original.events)
    claims = tuple(dataclasses.replace(c, id=f"{c.id}@{aid}", article_id=aid) for c in original.claims)
    return dataclasses.replace(original, article=article, events=events, claims=claims)


def assert_counts_match(store: Store) -> None:
    """The store's kept counts against counting.count_events over every stored mention."""
    full = counting.count_in_store(store, limit=max(store.stats().mentions, 1))
    assert not full.truncated
    totals = store.event_totals()
    assert (totals.events, totals.mentions) == (full.tally.events, full.tally.mentions)
    assert totals.background == sum(e.background for e in full.events)
    assert totals.before_article == sum(e.before_article for e in full.events)
    assert totals.reciprocal == sum(e.reciprocal for e in full.events)
    assert store.top_pairs(50) == counting.top_pairs(full.events, limit=50)
    assert store.latest_events(15) == list(full.events[:15])
    kept = {
        row[0]: row[1:]
        for row in store._rows(  # type: ignore[attr-defined]
            "SELECT id, day, month, before_article, mentions, corroboration, low_confidence, single_source,"
            " quad FROM counted_events"
        )
    }
    expected = {
        e.id: (e.day.isoformat() if e.day else None, e.month, int(e.before_article), len(e.mentions),
               e.corroboration, int(e.low_confidence), int(e.single_source), e.quad)
        for e in full.events
    }  # fmt: skip
    assert kept == expected
    summary = counting.summarize(store)
    assert summary.tally == full.tally and not summary.truncated
    assert counting.store_counts(store)["events"] == full.tally.events


def assert_actors_match(store: Store) -> None:
    """Store.actors from the kept sums against grouping every actor mention (the query it replaced)."""
    for q in (None, "rus", "pu", "zz"):
        where, params = "", []
        if q:
            where = " WHERE LOWER(r.actor_id) LIKE ? OR LOWER(r.name) LIKE ? OR LOWER(r.country) = ?"
            params = [f"%{q}%", f"%{q}%", q]
        rows = store._rows(  # type: ignore[attr-defined]
            "SELECT r.actor_id, MAX(r.name), MAX(r.country), MAX(r.sector), MAX(r.kind), COUNT(*),"
            " (SELECT COUNT(DISTINCT ea.event_id) FROM event_actors ea WHERE ea.actor_id = r.actor_id)"
            f" FROM actor_refs r{where} GROUP BY r.actor_id ORDER BY COUNT(*) DESC, r.actor_id",
            params,
        )
        found = [(a.actor_id, a.name, a.country, a.sector, a.kind, a.mentions, a.events)
                 for a in store.actors(q=q, limit=1000)]  # fmt: skip
        assert found == [(*tuple(r[:5]), int(r[5]), int(r[6])) for r in rows]


def assert_search_matches(store: Store) -> None:
    """Indexed search returns exactly what scanning every title and text with LIKE returns."""
    for q in ("ceasefire", "GRAIN summit", "sum", "ümlaut", "naïve", "ai", "nothing-like-this"):
        pattern = f"%{q.lower()}%"
        rows = store._rows(  # type: ignore[attr-defined]
            "SELECT id FROM articles WHERE LOWER(title) LIKE ? OR LOWER(text) LIKE ?"
            " ORDER BY pub_date IS NULL, pub_date DESC, id",
            [pattern, pattern],
        )
        assert [a.id for a in store.articles(q=q, limit=1000)] == [r[0] for r in rows], q


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_equal_counting_every_mention(store: Store, seed: int) -> None:
    rng, bundles = random_store(store, seed)
    assert_counts_match(store)
    update_stories(store)  # stories joined, corroboration counted
    assert_counts_match(store)
    # Articles coded again (new mentions, a new outlet), then clustered again.
    for aid in rng.sample(sorted(bundles), 8):
        store.write_bundles([random_bundle(rng, aid, dt.date(2024, 3, rng.randint(1, 25)), "Post")])
    assert_counts_match(store)
    update_stories(store)
    assert_counts_match(store)
    # Stories and corroboration set directly (the older entry points) are counted again too.
    ids = sorted(bundles)
    store.set_story_ids({aid: "story-x" for aid in ids[:6]})
    assert_counts_match(store)
    some = [e.id for e in store.events(counting.EventQuery(limit=10))]
    store.set_corroboration({eid: 5 for eid in some})
    assert_counts_match(store)
    assert_actors_match(store)
    assert_search_matches(store)
    assert_divergence_matches(store)
    assert_dyads_match(store)


def assert_dyads_match(store: Store) -> None:
    """The dyad filter through ``event_pairs`` selects exactly what the role lists it replaced selected:
    a source of one side and a target of the other, or a reciprocal event with sources of both."""
    role = "SELECT event_id FROM event_actors WHERE role = ? AND (actor_id = ? OR country = ?)"
    old = (
        f"SELECT e.id FROM events e WHERE ((e.id IN ({role}) AND e.id IN ({role}))"
        f" OR (e.id IN ({role}) AND e.id IN ({role}))"
        f" OR (e.reciprocal = 1 AND e.id IN ({role}) AND e.id IN ({role})))"
    )
    keys = sorted({k for q, _, country in ACTORS for k in (q, country)})
    found = 0
    for a in keys:
        for b in keys:
            params = [
                "source",
                a,
                a,
                "target",
                b,
                b,
                "source",
                b,
                b,
                "target",
                a,
                a,
                "source",
                a,
                a,
                "source",
                b,
                b,
            ]
            expected = sorted(r[0] for r in store._rows(old, params))  # type: ignore[attr-defined]
            query = counting.EventQuery(dyad=(a, b), limit=100_000)
            assert sorted(e.id for e in store.events(query)) == expected, (a, b)
            assert store.count_events(query) == len(expected)
            found += len(expected)
    assert found


def assert_divergence_matches(store: Store) -> None:
    """Divergence over the articles the store picks equals divergence over every bundle."""
    from detente.analytics.divergence import divergence
    from detente.api.services import divergence_for
    from detente.records import to_dict

    everything = sorted(store.iter_bundles(), key=lambda b: (str(b.article.published or ""), b.article.id))
    found = 0
    for a, b in (("RUS", "CHN"), ("USA", "RUS"), ("Q1", "UKR"), ("TUR", "USA")):
        expected = to_dict(divergence(everything, a, b))
        assert divergence_for(store, a, b) == expected
        found += sum(len(expected[side]["evidence"]) for side in ("public", "internal", "material"))
    assert found  # the random stores hold evidence, so the comparison means something
    # The evidence kept per article (detente.store.divergence_items), for every pair of keys: actor ids and
    # country codes, in any case, and keys no article has.
    keys = sorted(
        {k for _, _, country in ACTORS for k in (country, country.lower())} | {q for q, _, _ in ACTORS}
    )
    for a in [*keys, "XYZ"]:
        for b in keys:
            assert to_dict(store.divergence(a, b)) == to_dict(divergence(everything, a, b)), (a, b)


def test_a_store_migrated_with_events_is_counted(tmp_path) -> None:
    """A database written before the counted tables existed gets them filled by the migration."""
    from detente.store.migrations import COUNTS_MIGRATION

    path = tmp_path / "old.db"
    store = open_store(path)
    random_store(store, 7)
    update_stories(store)
    expected = counting.count_in_store(store, limit=10_000)
    store.close()
    import sqlite3

    conn = sqlite3.connect(path)  # back to how migration 0009 left the database
    for statement in (
        "DELETE FROM migrations WHERE name >= '" + COUNTS_MIGRATION + "'",
        "DROP TRIGGER articles_search_insert", "DROP TRIGGER articles_search_delete", "DROP TABLE articles_search",
        "DROP TABLE counted_events", "DROP TABLE counted_members", "DROP TABLE counted_pairs",
        "DROP TABLE claim_speakers", "DROP TABLE actor_counts", "DROP TABLE actor_event_counts",
        "DROP INDEX events_count_key", "DROP INDEX articles_outlet", "DROP INDEX articles_skipped", "DROP INDEX events_sort", "ALTER TABLE events DROP COLUMN count_key",
        "ALTER TABLE events DROP COLUMN sort_day", "DROP TABLE skipped_inputs", "DROP TABLE counted_pending", "DROP TABLE divergence_items",
        "DROP TABLE event_pairs",
    ):  # fmt: skip
        conn.execute(statement)
    conn.commit()
    conn.close()
    reopened = open_store(path)
    try:
        assert store_counts_equal(reopened, expected)
        assert_counts_match(reopened)
        assert_actors_match(reopened)
        assert_search_matches(reopened)
        assert_divergence_matches(reopened)  # the evidence of the stored articles computed by the migration
        assert_dyads_match(reopened)  # event_pairs filled from event_actors by the migration
    finally:
        reopened.close()


def store_counts_equal(store: Store, expected: counting.Counted) -> bool:
    return store.event_totals().events == expected.tally.events


@pytest.mark.parametrize("background", [True, False], ids=["background", "news"])
@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_components_follow_chains_of_dates(store: Store, seed: int, background: bool) -> None:
    """Mentions of one key (background ones across stories, news ones in one story), written one article at a
    time with overlapping dates of every width: a new mention can regroup mentions it does not overlap
    (through the ones it does), and the kept counts must still equal counting every mention."""
    rng = random.Random(seed)
    putin, xi = ACTORS[0], ACTORS[2]
    for i in range(45):
        aid = f"bg-{seed}-{i}"
        text = "since the earlier talks and the earlier strikes and the earlier summit and then more."
        published = dt.date(2024, 5, 1) + dt.timedelta(days=rng.randint(0, 40))
        article = Article(id=aid, text=text, title=aid, outlet=rng.choice(["Daily", "Wire", "Post"]),
                          published=published, language="en",
                          story_id=rng.choice([None, None, f"s{i % 4}"]) if background else "s-one")  # fmt: skip
        events = []
        for j in range(rng.choice([1, 1, 2])):
            start = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randint(0, 45))
            width = rng.choice([0, 0, 0, 2, 5, 9])
            date = (
                None if rng.random() < 0.15
                else ResolvedDate(start, start + dt.timedelta(days=width), "day" if width == 0 else "week", "exact", "x", "test")
            )  # fmt: skip
            at = 10 + 20 * j
            trigger = Span(text[at : at + 5], at, at + 5)
            source = (ActorRef("P", at, at + 1, putin[0], putin[1], putin[2], None, "person", 0.9),)
            target = (ActorRef("X", at + 2, at + 3, xi[0], xi[1], xi[2], None, "person", 0.9),)
            events.append(Event(
                id=f"{aid}-e{j}", article_id=aid, event_type="ASSAULT", mode=None, context=(),
                quad=QUAD_OF_TYPE["ASSAULT"], intensity=-5.0, modality="asserted", source=source, target=target,
                trigger=trigger, sentence=Span(text, 0, len(text)), date=date, confidence=0.9, background=background,
            ))  # fmt: skip
        store.write_bundles([Bundle(article=article, actors=(), claims=(), events=tuple(events))])
        assert_counts_match(store)
    update_stories(store)
    assert_counts_match(store)


def kept_rows(store: Store) -> dict[str, set[tuple[object, ...]]]:
    from detente.store.event_counts import _TABLES, _comparable

    return {
        table: {_comparable(row) for row in store._rows(f"SELECT {columns} FROM {table}")}  # type: ignore[attr-defined]
        for table, (columns, _) in _TABLES.items()
    }


def assert_rows_as_rebuilt(store: Store) -> None:
    """Every kept row, written a changed row at a time, equals counting the whole store again."""
    before = kept_rows(store)
    store.recount_all()  # type: ignore[attr-defined]
    assert kept_rows(store) == before


@pytest.mark.parametrize("seed", [21, 22])
def test_counts_left_for_later_are_counted_by_the_next_write_that_counts(store: Store, seed: int) -> None:
    """``write_bundles(count_later=True)`` counts nothing; the next clustering step, plain write,
    ``set_story_ids`` or ``set_corroboration`` counts what waits (new articles, and the old versions of
    articles coded again), and the kept rows equal a recount of everything."""
    rng = random.Random(seed)
    bundles = {}
    for i in range(30):
        published = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randint(0, 12))
        bundle = random_bundle(rng, f"later-{seed}-{i}", published, rng.choice(["Daily", "Wire", "Post"]))
        if bundles and rng.random() < 0.3:
            bundle = copy_of(rng.choice(list(bundles.values())), f"later-{seed}-{i}", "Echo")
        bundles[bundle.article.id] = bundle
    ids = list(bundles)
    for at in range(0, len(ids), 6):
        store.write_bundles([bundles[i] for i in ids[at : at + 6]], count_later=True)
    assert store.event_totals().events == 0  # waiting for the clustering
    update_stories(store)
    assert_counts_match(store)
    assert_rows_as_rebuilt(store)
    # Articles coded again with their counts left for later: their old mentions are still counted until a
    # write that counts takes them out.
    ids = sorted(bundles)
    for counted_by in ("write", "stories", "story_ids", "corroboration"):
        for aid in rng.sample(ids, 5):
            store.write_bundles([random_bundle(rng, aid, dt.date(2024, 3, rng.randint(1, 15)), "Post")],
                                count_later=True)  # fmt: skip
        if counted_by == "write":
            store.write_bundles([random_bundle(rng, f"later-{seed}-new", dt.date(2024, 3, 4), "Wire")])
        elif counted_by == "stories":
            update_stories(store)
        elif counted_by == "story_ids":
            store.set_story_ids({aid: "story-y" for aid in ids[:4]})
        else:
            store.set_corroboration({e.id: 3 for e in store.events(counting.EventQuery(limit=5))})
        assert_counts_match(store)
        assert_rows_as_rebuilt(store)


@pytest.mark.parametrize("update", [True, False], ids=["clustered", "not-clustered"])
def test_a_coding_run_counts_its_batches_once(
    store: Store, monkeypatch: pytest.MonkeyPatch, update: bool
) -> None:
    """``code_into_store`` leaves its batches' counts to its clustering, and counts what waits every
    COUNT_LATER_MAX articles (here 10, batches of 4); without clustering it counts every batch."""
    from detente.batch import local
    from detente.config import Settings

    monkeypatch.setattr(local, "COUNT_LATER_MAX", 10)
    rng = random.Random(5)
    bundles = {
        f"run-{i}": random_bundle(rng, f"run-{i}", dt.date(2024, 3, 1 + i % 9), rng.choice(["Daily", "Wire"]))
        for i in range(23)
    }
    waiting: list[int] = []

    def replay(batches: Iterator[list[Article]]) -> Iterator[list[Bundle]]:
        for batch in batches:
            waiting.append(len(store._rows("SELECT article_id FROM counted_pending")))  # type: ignore[attr-defined]
            yield [bundles[a.id] for a in batch]

    summary = local.code_into_store(
        [b.article for b in bundles.values()], store, settings=Settings(batch_size=4), coder=replay,
        update_stories=update,
    )  # fmt: skip
    assert summary.coded == 23
    assert max(waiting) <= 10 and (max(waiting) > 0) == update
    assert not store._rows("SELECT article_id FROM counted_pending")  # type: ignore[attr-defined]
    assert_counts_match(store)
    assert_rows_as_rebuilt(store)
