"""Counting (issue 12): what one event is, against hand-made records with known answers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from detente.analytics.counting import (
    BEFORE_ARTICLE,
    count_events,
    count_in_store,
    counterparts,
    country_pairs,
    date_label,
    direction,
    occurrence_of,
    tally,
    top_pairs,
)
from detente.records import ActorRef, Event, ResolvedDate, Span
from detente.store import EventQuery, open_store
from detente.store.base import ArticleFacts
from tests import counting_sample as known

RUS = ActorRef("Russia", 0, 6, "RUS", "Russia", "RUS")
UKR = ActorRef("Ukraine", 20, 27, "UKR", "Ukraine", "UKR")
CHN = ActorRef("China", 30, 35, "CHN", "China", "CHN")
PUB = dt.date(2025, 6, 20)


def mention(eid: str, at: int, *, article: str = "a1", when: dt.date | None = None, stated: bool = True,
            etype: str = "ASSAULT", source=(RUS,), target=(UKR,), **flags) -> Event:  # fmt: skip
    date = None
    if when is not None:
        reason = "written" if stated else "publication date: no date expression"
        date = ResolvedDate(when, when, "day", "exact", "on Monday" if stated else "", reason)
    return Event(eid, article, etype, None, (), "material_conflict", -10.0, "asserted", tuple(source),
                 tuple(target), Span("x", at, at + 1), Span("x", at, at + 1), date=date, **flags)  # fmt: skip


def facts(*rows: tuple[str, dt.date | None, str | None, str | None]) -> dict[str, ArticleFacts]:
    return {r[0]: ArticleFacts(*r) for r in rows}


ONE = facts(("a1", PUB, "Post", None))


def test_restatements_in_an_article_are_one_event_with_every_mention():
    lead = mention("e1", 0, when=dt.date(2025, 6, 16))
    again = mention("e2", 50, when=PUB, stated=False)  # "the attack": dated by publication only
    later = mention("e3", 90, when=None)
    [event] = count_events([later, again, lead], ONE)
    assert [m.id for m in event.mentions] == ["e1", "e2", "e3"] and event.id == "e1"
    assert event.day == dt.date(2025, 6, 16) and event.month == "2025-06"
    assert str(tally([event])) == "3 mentions, 1 event"


def test_two_dates_in_one_article_are_two_events_and_a_restatement_joins_the_one_before_it():
    monday = mention("e1", 0, when=dt.date(2025, 6, 16))
    wednesday = mention("e2", 40, when=dt.date(2025, 6, 18))
    restated = mention("e3", 60, when=PUB, stated=False)  # "the strikes continued": the last one told
    first_told = mention("e0", 0, when=PUB, stated=False)
    events = count_events([monday, wednesday, restated], ONE)
    assert sorted(tuple(m.id for m in e.mentions) for e in events) == [("e1",), ("e2", "e3")]
    # Before any dated mention, a restatement joins the first dated one after it.
    first = count_events([dataclasses.replace(first_told, trigger=Span("x", -5, -4)), monday], ONE)
    assert [len(e.mentions) for e in first] == [2]


def test_a_vaguer_date_joins_a_precise_one_without_chaining_two_days():
    june = ResolvedDate(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month", "exact", "in June", "month")
    monday = mention("e1", 0, when=dt.date(2025, 6, 16))
    wednesday = mention("e2", 40, when=dt.date(2025, 6, 18))
    vague = dataclasses.replace(mention("e3", 80), date=june)
    events = count_events([vague, monday, wednesday], ONE)
    assert len(events) == 2 and sum(len(e.mentions) for e in events) == 3


def test_different_type_actors_or_modality_are_different_events():
    base = mention("e1", 0, when=PUB)
    others = [
        dataclasses.replace(base, id="e2", event_type="THREATEN"),
        dataclasses.replace(base, id="e3", target=(CHN,)),
        dataclasses.replace(base, id="e4", modality="negated"),
    ]
    assert len(count_events([base, *others], ONE)) == 4


def test_one_story_across_outlets_is_one_event_other_stories_are_not():
    rows = facts(("a1", PUB, "Post", "s1"), ("a2", PUB + dt.timedelta(days=1), "Wire", "s1"),
                 ("a3", PUB, "Gazette", "s2"))  # fmt: skip
    found = [mention("e1", 0, article="a1", when=dt.date(2025, 6, 18), corroboration=2),
             mention("e2", 0, article="a2", when=PUB + dt.timedelta(days=1), stated=False, corroboration=2),
             mention("e3", 0, article="a3", when=dt.date(2025, 6, 18))]  # fmt: skip
    events = count_events(found, rows)
    assert sorted((e.article_ids, e.corroboration) for e in events) == [(("a1", "a2"), 2), (("a3",), 1)]
    # Before clustering (no story ids) each article is its own story.
    assert len(count_events(found, facts(("a1", PUB, "Post", None), ("a2", PUB, "Wire", None)))) == 3


def test_dates_too_far_apart_in_one_story_are_two_events():
    rows = facts(("a1", PUB, "Post", "s1"), ("a2", PUB, "Wire", "s1"))
    found = [mention("e1", 0, article="a1", when=dt.date(2025, 6, 1)),
             mention("e2", 0, article="a2", when=dt.date(2025, 6, 18))]  # fmt: skip
    assert len(count_events(found, rows)) == 2


def test_background_counts_at_its_own_date_once_and_undated_background_is_before_the_article():
    feb = ResolvedDate(dt.date(2022, 2, 1), dt.date(2022, 2, 28), "month", "exact", "in February 2022", "m")
    rows = facts(("a1", PUB, "Post", "s1"), ("a2", PUB, "Wire", "s2"))
    told = [dataclasses.replace(mention("e1", 0, article="a1"), date=feb, background=True),
            dataclasses.replace(mention("e2", 0, article="a2"), date=feb, background=True),
            mention("e3", 40, article="a2", background=True)]  # "since the invasion": no date  # fmt: skip
    [invasion] = count_events(told, rows)  # the undated one joins the dated one of its story
    assert invasion.month == "2022-02" and invasion.when == "2022-02" and len(invasion.mentions) == 3
    [alone] = count_events([mention("e4", 0, background=True)], ONE)
    assert alone.before_article and alone.month is None and alone.when == BEFORE_ARTICLE and alone.day is None
    # News of the same type and actors in the same article stays apart from the background.
    news = mention("e5", 80, when=PUB, stated=False)
    assert len(count_events([mention("e4", 0, background=True), news], ONE)) == 2


def test_reciprocal_events_relate_every_pair_once_and_have_no_direction():
    met = mention("e1", 0, when=PUB, etype="CONSULT", source=(RUS, CHN), target=(), reciprocal=True)
    met_again = dataclasses.replace(met, id="e2", trigger=Span("x", 40, 41), source=(CHN, RUS))
    [event] = count_events([met, met_again], ONE)
    assert len(event.mentions) == 2
    assert country_pairs(event) == {("CHN", "RUS")}
    assert direction(event, "RUS", "CHN") == "mutual" and direction(event, "RUS", "UKR") is None
    three = dataclasses.replace(met, source=(RUS, CHN, UKR))
    assert country_pairs(three) == {("CHN", "RUS"), ("CHN", "UKR"), ("RUS", "UKR")}
    assert counterparts([event], "RUS") == {"CHN": 1}


def test_top_pairs_are_undirected_and_named_by_their_usual_direction():
    attack = count_events([mention("e1", 0, when=PUB)], ONE)
    met = count_events([mention("e2", 0, when=PUB, etype="CONSULT", source=(UKR, RUS), target=(),
                                reciprocal=True, article="a2")], facts(("a2", PUB, None, None)))  # fmt: skip
    assert top_pairs([*attack, *met]) == [(("RUS", "UKR"), 2)]


def test_date_labels_show_a_month_as_a_month():
    def d(start, end, granularity):
        return ResolvedDate(start, end, granularity, "exact", "x", "x")

    assert date_label(d(dt.date(2025, 5, 1), dt.date(2025, 5, 31), "month")) == "2025-05"
    assert date_label(d(dt.date(2025, 1, 1), dt.date(2025, 3, 31), "quarter")) == "2025-Q1"
    assert date_label(d(dt.date(2018, 1, 1), dt.date(2018, 12, 31), "year")) == "2018"
    assert date_label(d(dt.date(2025, 6, 2), dt.date(2025, 6, 2), "day")) == "2025-06-02"
    assert date_label(None, dt.date(2025, 6, 2)) == "2025-06-02" and date_label(None) == "undated"
    [year_only] = count_events([dataclasses.replace(mention("e1", 0), date=d(dt.date(2018, 1, 1),
                               dt.date(2018, 12, 31), "year"))], ONE)  # fmt: skip
    assert year_only.month is None and year_only.when == "2018"  # never shown or counted as January


# ------------------------------------------------------------------ the known-answer store


def by_type(events):
    return sorted((e.event_type, len(e.mentions)) for e in events)


def test_known_bundles_count_to_the_hand_count():
    bundles = known.known_bundles()
    rows = {b.article.id: ArticleFacts(b.article.id, b.article.published_date, b.article.outlet,
                                       known.STORIES["ban"] if name in ("ban", "wire", "copy") else None)
            for name, b in bundles.items()}  # fmt: skip
    events = count_events([e for b in bundles.values() for e in b.events], rows)
    assert (tally(events).mentions, tally(events).events) == (known.STORE_MENTIONS, known.STORE_EVENTS)
    assert by_type(events) == [("ACCUSE", 1), ("ACCUSE", 1), ("AGREE", 1), ("AGREE", 1), ("ASSAULT", 2),
                               ("CONSULT", 2), ("COOPERATE", 1), ("SANCTION", 5)]  # fmt: skip
    ban = next(e for e in events if e.event_type == "SANCTION")
    assert ban.when == "2025-03-10" and set(ban.outlets) == {"Eastern Wire", "Coast Gazette", "Northern Post"}
    assert ban.corroboration == 3  # without stored corroboration: distinct outlets (copies not known)


@pytest.fixture
def known_store(tmp_path):
    store = open_store(tmp_path / "known.db")
    bundles = known.fill(store)
    yield store, bundles
    store.close()


def test_known_store_counts(known_store):
    store, bundles = known_store
    everything = count_in_store(store)
    assert (everything.tally.mentions, everything.tally.events) == (known.STORE_MENTIONS, known.STORE_EVENTS)
    dyad = count_in_store(store, EventQuery(dyad=("RUS", "CHN")))
    assert (dyad.tally.mentions, dyad.tally.events) == (known.DYAD_MENTIONS, known.DYAD_EVENTS)
    ban = next(e for e in dyad.events if e.event_type == "SANCTION")
    assert ban.corroboration == 2 and not ban.single_source  # the syndicated copy counts once
    for actor, (events, mentions) in known.ACTOR_COUNTS.items():
        found = count_in_store(store, EventQuery(actor=actor)).tally
        assert (found.events, found.mentions) == (events, mentions)
    invasion = next(e for e in count_in_store(store, EventQuery(dyad=("RUS", "UKR"))).events)
    assert invasion.corroboration == 2  # told in two stories, by two outlets
    restated = bundles["ban"].events[1]
    assert occurrence_of(store, store.get_event(restated.id)).id == ban.id


def test_story_clustering_of_the_known_store_agrees(known_store):
    """The hand-set stories and corroboration are what story clustering finds for these articles."""
    from detente.analytics.stories import stories_in_store

    store, _ = known_store
    stories_in_store(store)
    ban = next(
        e for e in count_in_store(store, EventQuery(dyad=("RUS", "CHN"))).events if e.event_type == "SANCTION"
    )
    assert len(ban.mentions) == 5 and ban.corroboration == 2


def test_the_docs_define_each_term_once_and_match_the_code():
    from pathlib import Path

    from detente.analytics import counting

    docs = Path(__file__).resolve().parents[1] / "docs"
    dashboard = (docs / "dashboard.md").read_text(encoding="utf-8")
    section = dashboard[dashboard.index("## Counting") :]
    section = section[: section.index("\n## ", 1)]
    for term in ("Mention", "Event", "Story", "Corroboration", "Background", "Reciprocal"):
        assert dashboard.count(f"- **{term}**:") == 1 and f"- **{term}**:" in section, term
    assert (
        f"below {counting.LOW_CONFIDENCE:g}" in section and f"within {counting.WINDOW_DAYS} days" in section
    )
    assert f"{counting.MAX_MENTIONS:,} mentions" in section
    events = (docs / "events.md").read_text(encoding="utf-8")
    last = events[events.rindex("\n## ") :]
    assert last.startswith("\n## What counts as one event") and "(dashboard.md#counting)" in last
    for term in ("mention", "event", "story", "corroboration"):
        assert f"**{term}**" in last and events.count(f"**{term}**") == 1, term
