"""Stories: near-duplicate groups, same-story clusters and corroboration counts over hand-built bundles."""

from __future__ import annotations

import datetime as dt

from detente.analytics.stories import (
    corroboration,
    corroboration_counts,
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
    and so never clustered (issue 14). Now the store is as before clustering, and the next run clusters."""
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
stories.corroboration = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)  # dies half-way
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
