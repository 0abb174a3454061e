"""Stories: near-duplicate groups, same-story clusters and corroboration counts over hand-built bundles."""

from __future__ import annotations

import datetime as dt
import json

from detente.analytics.stories import (
    corroboration,
    corroboration_counts,
    event_key,
    near_duplicates,
    shingles,
    stories,
    stories_in_store,
    story_ids,
)
from detente.records import ActorRef, Article, Bundle, Event, ResolvedDate, Span, event_id

WIRE = (
    "Russian forces launched a wave of drone attacks on the Ukrainian port city of Odesa overnight, damaging "
    "grain terminals and a residential building, regional officials said on Saturday. Ukraine's air force "
    "said it shot down most of the drones over the Black Sea coast, while emergency crews worked through the "
    "night to put out fires at the port. Kyiv accused Moscow of trying to cripple its grain exports and "
    "called on allies to send more air defence systems before the winter."
)
REWRITE = (
    "Ukraine on Saturday blamed Russia for an overnight strike on Odesa in which drones hit grain silos at the "
    "harbour. The government in Kyiv again asked Western partners for additional air defences. Moscow did not "
    "comment. Officials in the region said two people were injured and several warehouses burned down."
)
OTHER = (
    "Kenya's central bank cut its benchmark interest rate by half a percentage point on Tuesday, citing "
    "easing inflation and a stronger shilling, and said it expected growth to pick up in the second half."
)

RUS = ActorRef("Russian forces", 0, 14, "country:RUS", "Russia", "RUS", "MIL", "country")
UKR = ActorRef("Kyiv", 0, 4, "country:UKR", "Ukraine", "UKR", "GOV", "country")


def event(article: str, event_type: str, source: ActorRef, target: ActorRef, day: dt.date | None) -> Event:
    trigger = Span(event_type.lower(), 0, 5)
    date = ResolvedDate(day, day, "day", "exact", "Saturday", "test") if day else None
    return Event(
        id=event_id(article, trigger, event_type, (source,), (target,)), article_id=article, event_type=event_type,
        mode=None, context=(), quad="material_conflict", intensity=-9.0, modality="asserted", source=(source,),
        target=(target,), trigger=trigger, sentence=Span("s", 0, 1), date=date,
    )  # fmt: skip


def bundle(
    aid: str, text: str, outlet: str, day: dt.date, events: tuple[tuple[str, ActorRef, ActorRef], ...] = ()
) -> Bundle:
    article = Article(id=aid, text=text, outlet=outlet, published=day)
    return Bundle(article=article, events=tuple(event(aid, t, s, g, day) for t, s, g in events))


ATTACK = (("ASSAULT", RUS, UKR), ("ACCUSE", UKR, RUS))
DAY = dt.date(2025, 3, 1)


def corpus() -> list[Bundle]:
    return [
        bundle("ap", WIRE, "AP", DAY, ATTACK),
        # Two papers run the wire copy with their own first line and a trimmed last sentence.
        bundle(
            "paper1", "From our wire desk. " + WIRE[:-30], "Daily Herald", DAY + dt.timedelta(days=1), ATTACK
        ),
        bundle("paper2", WIRE.replace("Saturday", "Sunday"), "Evening Post", DAY, ATTACK),
        bundle("reuters", REWRITE, "Reuters", DAY, ATTACK),
        bundle("kenya", OTHER, "Nation", DAY, (("SANCTION", UKR, RUS),)),
    ]


def test_shingles_are_word_five_grams():
    assert shingles("one two three four five six") == {b"one two three four five", b"two three four five six"}
    assert shingles("Too short") == {b"too short"}
    assert shingles("") == set()


def test_syndicated_copies_form_one_duplicate_group():
    groups = near_duplicates(corpus())
    assert ("ap", "paper2", "paper1") in groups  # earliest first, then by id
    assert ("reuters",) in groups and ("kenya",) in groups
    assert len(groups) == 3


def test_same_story_joins_rewrites_that_code_the_same_events():
    found = stories(corpus())
    biggest = found[0]
    assert set(biggest.article_ids) == {"ap", "paper1", "paper2", "reuters"}
    assert biggest.duplicate_groups[0] == ("ap", "paper2", "paper1")
    assert biggest.outlets[0] == "AP" and "Reuters" in biggest.outlets
    assert biggest.first_published == DAY
    mapping = story_ids(found)
    assert mapping["kenya"] != mapping["ap"] and mapping["reuters"] == mapping["ap"]
    assert story_ids(stories(corpus())) == mapping  # stable ids


def test_one_common_event_alone_does_not_merge_unrelated_texts():
    texts = [
        bundle("a", WIRE, "AP", DAY, (("ACCUSE", UKR, RUS),)),
        bundle("b", OTHER, "Nation", DAY, (("ACCUSE", UKR, RUS),)),
    ]
    assert len(stories(texts)) == 2


def test_events_outside_the_window_are_another_story():
    late = DAY + dt.timedelta(days=20)
    texts = [bundle("a", WIRE, "AP", DAY, ATTACK), bundle("b", REWRITE, "Reuters", late, ATTACK)]
    assert len(stories(texts, window_days=3)) == 2
    assert len(stories(texts, window_days=30)) == 1


def test_corroboration_counts_independent_outlets_once():
    rows = corroboration(corpus())
    assault = next(r for r in rows if r.event_type == "ASSAULT")
    assert (assault.source, assault.target) == ("RUS", "UKR")
    assert set(assault.article_ids) == {"ap", "paper1", "paper2", "reuters"}
    assert set(assault.outlets) == {"AP", "Reuters"} and assault.count == 2
    sanction = next(r for r in rows if r.event_type == "SANCTION")
    assert sanction.count == 1
    counts = corroboration_counts(corpus())
    assert all(counts[e] == 2 for e in assault.event_ids)
    assert rows[0].count >= rows[-1].count


def test_same_outlet_twice_counts_once():
    texts = [bundle("a", WIRE, "AP", DAY, ATTACK), bundle("b", REWRITE, "AP", DAY, ATTACK)]
    assert {r.count for r in corroboration(texts)} == {1}


def test_empty_and_skipped_articles():
    assert stories([]) == [] and corroboration([]) == []
    skipped = Bundle(Article(id="x", text="Texte en français.", skip_reason="language fr"))
    assert stories([skipped]) == []
    blank = bundle("blank", "", "AP", DAY)
    assert [s.article_ids for s in stories([blank])] == [("blank",)]


def test_stories_in_sqlite_store(tmp_path):
    from detente.store import open_store

    store = open_store(tmp_path / "stories.db")
    try:
        store.migrate()
        store.write_bundles(corpus())
        found = stories_in_store(store)
        assert {aid: store.get_article(aid).story_id for aid in store.article_ids()} == story_ids(found)
        stored = {aid: store.get_article(aid).story_id for aid in ("ap", "paper1", "reuters", "kenya")}
        assert stored["ap"] == stored["paper1"] == stored["reuters"] != stored["kenya"]
        assert store.stats().stories == 2
        counts = {e: c.count for c in corroboration(corpus()) for e in c.event_ids}
        assert max(counts.values()) > 1  # a story told by several independent outlets
        assert {
            e.id: e.corroboration for b in store.iter_bundles() for e in b.events if e.id in counts
        } == counts
    finally:
        store.close()


def test_events_missing_a_side_never_link_articles():
    nobody = ActorRef("someone", 0, 7, "unresolved:someone", "someone", "UNK")
    partial = (("ASSAULT", RUS, nobody), ("ACCUSE", nobody, RUS))
    texts = [bundle("a", WIRE, "AP", DAY, partial), bundle("b", OTHER, "Nation", DAY, partial)]
    assert len(stories(texts)) == 2
    assert all(r.count == 1 for r in corroboration(texts))
    copies = [bundle("a", WIRE, "AP", DAY, partial), bundle("c", WIRE, "Post", DAY, partial)]
    assert {r.count for r in corroboration(copies)} == {1} and len(corroboration(copies)) == 2


def test_a_run_killed_while_clustering_is_finished_by_the_next_run(tmp_path):
    """kill -9 during clustering left every story id and corroboration empty, and a re-run coded nothing
    and so never clustered (issue 14). Now the store is as before clustering (the step's transaction is
    never committed), and the next run clusters."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from detente.batch.local import code_into_store
    from detente.store import open_store

    db = tmp_path / "killed.db"
    killed_mid_clustering = f"""
import os, signal
from detente.analytics import stories
from detente.store import open_store
from tests.test_stories import corpus

store = open_store({str(db)!r})
store.write_bundles(corpus())
stories._recount = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)  # dies half-way through a step
stories.stories_in_store(store)
"""
    repo = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, "-c", killed_mid_clustering], cwd=repo, capture_output=True, timeout=120
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    store = open_store(db)
    try:
        # Nothing half-written: no story ids without corroboration, and the store knows what is left.
        assert {store.get_article(a).story_id for a in store.article_ids()} == {None}
        assert store.unclustered() == 5
        summary = code_into_store([], store)  # the same command again: nothing new to code
        assert (summary.coded, summary.unclustered, summary.stories) == (0, 5, 2)
        assert store.unclustered() == 0
        assert {aid: store.get_article(aid).story_id for aid in store.article_ids()} == story_ids(
            stories(corpus())
        )
        assert all(e.corroboration for b in store.iter_bundles() for e in b.events)
        again = code_into_store([], store)
        assert (again.unclustered, again.stories) == (0, None)  # done once, not every run
    finally:
        store.close()


# ---------------------------------------------------------------------------------------------
# The persisted index (issue 15): incremental clustering equals clustering everything at once


def _assert_same_as_from_scratch(store) -> list:
    from detente.analytics.stories import stored_stories

    now = [b for b in store.iter_bundles() if b.article.skip_reason is None]
    expected = stories(now)
    assert stored_stories(store) == expected
    assert {b.article.id: b.article.story_id for b in now} == story_ids(expected)
    assert {e.id: e.corroboration for b in now for e in b.events} == corroboration_counts(now)
    assert store.unclustered() == 0
    return expected


def test_articles_added_in_any_order_and_steps_cluster_as_all_at_once():
    import random

    from detente.analytics.stories import update_stories
    from detente.store import open_store
    from tests.story_corpus import story_corpus

    bundles = story_corpus(50)
    expected = stories(bundles)
    assert len(bundles) > 120 and len(expected) < len(bundles) - 30  # stories of several articles abound
    assert any(len(s.duplicate_groups) > 1 for s in expected)  # copies and rewrites in one story
    assert any(len(g) > 1 for s in expected for g in s.duplicate_groups)
    for seed in range(3):
        rng = random.Random(seed)
        order = bundles[:]
        rng.shuffle(order)
        store = open_store(":memory:")
        try:
            at = 0
            while at < len(order):
                size = rng.randint(1, 12)
                store.write_bundles(order[at : at + size])
                at += size
                run = update_stories(store, step=rng.randint(1, 6))
                assert run.rebuilt == (at <= size) and run.clustered == min(size, len(order) - at + size)
            assert _assert_same_as_from_scratch(store) == expected
        finally:
            store.close()


def test_a_step_reads_the_new_articles_and_their_candidates_only(tmp_path):
    from detente.analytics.stories import update_stories
    from detente.store import open_store
    from tests.story_corpus import story_corpus

    store = open_store(tmp_path / "index.db")
    try:
        store.write_bundles(story_corpus(30))
        update_stories(store)
        newcomers = corpus()
        store.write_bundles(newcomers)
        read: list[str] = []
        seen_keys: list[str] = []
        store.iter_bundles = store.get_bundles = store.get_bundle = None  # nothing reads the whole store

        real = store.story_index

        class Watched:
            def __init__(self, index):
                self.index = index

            def __getattr__(self, name):
                return getattr(self.index, name)

            def bundles(self, ids):
                read.extend(ids)
                return self.index.bundles(ids)

            def mentions(self, keys):
                seen_keys.extend(keys)
                return self.index.mentions(keys)

        from contextlib import contextmanager

        @contextmanager
        def watched():
            with real() as index:
                yield Watched(index)

        store.story_index = watched
        run = update_stories(store)
        assert (run.clustered, run.steps, run.rebuilt) == (5, 1, False)
        assert sorted(read) == sorted(b.article.id for b in newcomers)
        new_keys = {
            json.dumps(list(event_key(e)), separators=(",", ":")) for b in newcomers for e in b.events
        }
        assert set(seen_keys) == new_keys  # mentions read: those sharing the new articles' event keys
        del store.story_index, store.iter_bundles, store.get_bundles, store.get_bundle
        _assert_same_as_from_scratch(store)
    finally:
        store.close()


def test_coding_an_article_again_takes_its_story_out_of_the_index_and_back(tmp_path):
    import dataclasses

    from detente.analytics.stories import update_stories
    from detente.store import open_store

    store = open_store(tmp_path / "recoded.db")
    try:
        store.write_bundles(corpus())
        update_stories(store)
        before = _assert_same_as_from_scratch(store)
        assert set(before[0].article_ids) == {"ap", "paper1", "paper2", "reuters"}
        # Coded again with no events: the rewrite no longer shares an event with the wire story.
        reuters = store.get_bundle("reuters")
        store.write_bundles([dataclasses.replace(reuters, events=())])
        assert store.unclustered() == 4  # the whole story it was in waits for clustering
        assert update_stories(store).clustered == 4
        after = _assert_same_as_from_scratch(store)
        assert {s.article_ids for s in after} >= {("reuters",), ("ap", "paper2", "paper1")}
        assert len(after) == 3 and store.stats().stories == 3
    finally:
        store.close()


def test_rebuild_equals_the_incremental_index_and_other_settings_rebuild(tmp_path):
    from detente.analytics.stories import stored_stories, update_stories
    from detente.store import open_store
    from tests.story_corpus import story_corpus

    store = open_store(tmp_path / "rebuild.db")
    try:
        bundles = story_corpus(30, seed=11)
        for i in range(0, len(bundles), 7):
            store.write_bundles(bundles[i : i + 7])
            update_stories(store, step=3)
        incremental = stored_stories(store)
        counts = {e.id: e.corroboration for b in store.iter_bundles() for e in b.events}
        run = update_stories(store, rebuild=True)
        assert run.rebuilt and run.clustered == len(bundles) and run.stories == len(incremental)
        assert stored_stories(store) == incremental
        assert {e.id: e.corroboration for b in store.iter_bundles() for e in b.events} == counts
        assert update_stories(store).clustered == 0  # up to date: nothing to do
        wide = update_stories(store, window_days=30)  # other settings: the index is rebuilt with them
        assert wide.rebuilt and wide.clustered == len(bundles)
        assert stored_stories(store) == stories(list(store.iter_bundles()), window_days=30)
    finally:
        store.close()
