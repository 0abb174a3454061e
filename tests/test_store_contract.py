"""One contract suite for every Store backend: SQLite (embedded) and PostgreSQL (a real server).

Every test takes the parametrized ``store`` fixture and asserts behaviour through the Store
protocol only, so a backend passes exactly when it behaves like the others.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from detente.errors import NotFoundError, StoreError
from detente.records import (
    QUAD_OF_TYPE,
    ActorRef,
    Article,
    Bundle,
    Claim,
    Event,
    ResolvedDate,
    Span,
    bundle_to_dict,
    claim_id,
    event_id,
)
from detente.store import EventQuery, Store, open_store

pytest_plugins = ["tests.pg_server"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(tmp_path / "contract.db")
    else:
        opened = open_store(request.getfixturevalue("postgres_db"))
    try:
        yield opened
    finally:
        opened.close()


# ---------------------------------------------------------------------------------------------
# Building bundles by hand: small, readable, every field chosen by the test.

ACTORS = {
    "RUS": ("Russia", "RUS", "GOV", "country"),
    "CHN": ("China", "CHN", "GOV", "country"),
    "fsb": ("Federal Security Service", "RUS", "SPY", "organization"),
    "USA": ("United States", "USA", "GOV", "country"),
    "nyt": ("The New York Times", "USA", "JRN", "outlet"),
}


def ref(actor_id: str, text: str, start: int, confidence: float = 0.9) -> ActorRef:
    name, country, sector, kind = ACTORS[actor_id]
    return ActorRef(text, start, start + len(text), actor_id, name, country, sector, kind, confidence)


def find(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(needle, start, start + len(needle))


def make_event(
    article: Article, trigger: str, event_type: str, source: list[ActorRef], target: list[ActorRef], *,
    date: dt.date | None = None, modality: str = "asserted", claim: str | None = None, intensity: float = 1.0,
) -> Event:  # fmt: skip
    span = find(article.text, trigger)
    resolved = ResolvedDate(date, date, "day", "exact", str(date), "test") if date else None
    return Event(
        id=event_id(article.id, span, event_type, tuple(source), tuple(target)),
        article_id=article.id, event_type=event_type, mode=None, context=("security",),
        quad=QUAD_OF_TYPE[event_type], intensity=intensity, modality=modality,
        source=tuple(source), target=tuple(target), trigger=span, sentence=Span(article.text, 0, len(article.text)),
        date=resolved, claim_id=claim, confidence=0.75,
    )  # fmt: skip


def make_claim(
    article: Article, content: str, speaker: list[ActorRef], channel: str, kind: str = "indirect"
) -> Claim:
    span = find(article.text, content)
    return Claim(
        id=claim_id(article.id, span, kind), article_id=article.id, speaker=tuple(speaker),
        cue=find(article.text, "said"), content=span, kind=kind, channel=channel,
    )  # fmt: skip


def article(
    aid: str, text: str, published: dt.date | None, outlet: str = "Daily", title: str | None = None
) -> Article:
    return Article(
        id=aid, text=text, title=title or text[:20], outlet=outlet, published=published, language="en"
    )


def corpus() -> dict[str, Bundle]:
    """Three articles: Russia/China both ways, a US statement, and an undated article."""
    a1 = article(
        "a1", "Russia said it signed a pact with China. China praised Russia. The FSB met China.",
        dt.date(2025, 6, 9), outlet="Example Daily", title="Russia and China",
    )  # fmt: skip
    rus, chn = ref("RUS", "Russia", 0), ref("CHN", "China", a1.text.index("China"))
    chn2 = ref("CHN", "China", a1.text.index("China praised"))
    rus2 = ref("RUS", "Russia", a1.text.index("Russia."))
    fsb = ref("fsb", "FSB", a1.text.index("FSB"))
    chn3 = ref("CHN", "China", a1.text.rindex("China"))
    c1 = make_claim(a1, "it signed a pact with China", [rus], "public_statement")
    e_agree = make_event(
        a1, "signed", "AGREE", [rus], [chn], date=dt.date(2025, 6, 1), claim=c1.id, intensity=6.0
    )
    e_support = make_event(a1, "praised", "SUPPORT", [chn2], [rus2], date=dt.date(2025, 6, 5), intensity=3.5)
    e_consult = make_event(
        a1, "met", "CONSULT", [fsb], [chn3], modality="future"
    )  # no date: pub date 2025-06-09
    b1 = Bundle(
        a1, actors=(rus, chn, chn2, rus2, fsb, chn3), claims=(c1,), events=(e_agree, e_support, e_consult)
    )

    a2 = article(
        "a2", "The United States said Russia threatened Ukraine. The New York Times reported it.",
        dt.date(2025, 5, 20), outlet="Wire",
    )  # fmt: skip
    usa, rus3 = ref("USA", "The United States", 0), ref("RUS", "Russia", a2.text.index("Russia"))
    nyt = ref("nyt", "The New York Times", a2.text.index("The New York Times"))
    c2 = make_claim(a2, "Russia threatened Ukraine", [usa], "official_document")
    c3 = make_claim(a2, "reported it", [nyt], "media_report", kind="according_to")
    e_threaten = make_event(a2, "threatened", "THREATEN", [rus3], [], date=dt.date(2025, 5, 18), claim=c2.id,
                            modality="hypothetical", intensity=-4.0)  # fmt: skip
    b2 = Bundle(a2, actors=(usa, rus3, nyt), claims=(c2, c3), events=(e_threaten,))

    a3 = article("a3", "China accused the United States of spying.", None, outlet="Wire")
    chn4, usa2 = ref("CHN", "China", 0), ref("USA", "the United States", a3.text.index("the United"))
    e_accuse = make_event(a3, "accused", "ACCUSE", [chn4], [usa2], date=dt.date(2024, 12, 31), intensity=-2.0)
    b3 = Bundle(a3, actors=(chn4, usa2), events=(e_accuse,))
    return {"a1": b1, "a2": b2, "a3": b3}


def event_ids(bundles: dict[str, Bundle], *names: tuple[str, str]) -> set[str]:
    """Ids of events picked as (article id, event type)."""
    return {e.id for aid, etype in names for e in bundles[aid].events if e.event_type == etype}


@pytest.fixture
def filled(store: Store) -> dict[str, Bundle]:
    bundles = corpus()
    assert store.write_bundles(bundles.values()) == 3
    return bundles


# ---------------------------------------------------------------------------------------------
# Migrations, writing, idempotence


def test_migrations_are_recorded_once(store: Store) -> None:
    from detente.store.migrations import MIGRATIONS

    assert store.migrate() == []  # opening the store applied them all
    rows = store._rows("SELECT name, COUNT(*) FROM migrations GROUP BY name ORDER BY name")  # type: ignore[attr-defined]
    assert [(name, int(count)) for name, count in rows] == [(name, 1) for name, _ in MIGRATIONS]
    again = open_store(store.url)  # a second process opening the same database
    try:
        assert again.migrate() == []
    finally:
        again.close()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def fresh_database(request: pytest.FixtureRequest, tmp_path) -> str:
    """Where a store would live, not yet opened (so nothing is migrated)."""
    if request.param == "sqlite":
        return str(tmp_path / "fresh.db")
    return str(request.getfixturevalue("postgres_db"))


def test_concurrent_first_opens_migrate_once(fresh_database: str) -> None:
    """The API and a coding run starting together on a new database must both open it."""
    import threading

    opened: list[Store] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        start.wait()
        try:
            opened.append(open_store(fresh_database))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert [str(e) for e in errors] == []
        rows = opened[0]._rows("SELECT name, COUNT(*) FROM migrations GROUP BY name")  # type: ignore[attr-defined]
        assert all(int(count) == 1 for _, count in rows) and rows
    finally:
        for store in opened:
            store.close()


def test_bundle_round_trips_exactly(store: Store, filled: dict[str, Bundle]) -> None:
    for aid, bundle in filled.items():
        stored = store.get_bundle(aid)
        expected = bundle_to_dict(bundle)
        got = bundle_to_dict(stored)
        # The store returns events and claims in text order; the input order is the same here.
        assert got == expected
    assert store.article_ids() == {"a1", "a2", "a3"}
    assert {b.article.id for b in store.iter_bundles()} == {"a1", "a2", "a3"}


def test_upsert_is_idempotent(store: Store, filled: dict[str, Bundle]) -> None:
    before = store.stats()
    assert store.write_bundles(filled.values()) == 3
    assert store.write_bundles([filled["a1"]]) == 1
    assert store.stats() == before
    assert store.count_events() == 5
    assert len(store.claims()) == 3
    assert bundle_to_dict(store.get_bundle("a1")) == bundle_to_dict(filled["a1"])
    assert store.write_bundles([]) == 0


def test_rewriting_a_bundle_replaces_its_events_claims_and_actors(
    store: Store, filled: dict[str, Bundle]
) -> None:
    old = filled["a1"]
    a = old.article
    usa = ref("USA", "Russia", 0)  # a different resolution of the same mention
    new_event = make_event(a, "met", "CONSULT", [usa], [], date=dt.date(2025, 6, 2))
    store.write_bundles([Bundle(a, actors=(usa,), claims=(), events=(new_event,))])

    stored = store.get_bundle("a1")
    assert [e.id for e in stored.events] == [new_event.id]
    assert stored.claims == () and stored.actors == (usa,)
    for gone in old.events:
        with pytest.raises(NotFoundError):
            store.get_event(gone.id)
    with pytest.raises(NotFoundError):
        store.get_claim(old.claims[0].id)
    # The actor index follows: the FSB is no longer mentioned anywhere, nor in any event.
    assert store.events(EventQuery(actor="fsb")) == []
    assert [s.actor_id for s in store.actors(q="federal")] == []
    assert store.events(EventQuery(actor="USA", article_id="a1")) == [new_event]
    # The other articles are untouched.
    assert bundle_to_dict(store.get_bundle("a2")) == bundle_to_dict(filled["a2"])


def test_unicode_text_survives(store: Store) -> None:
    text = "Москва и 北京 подписали соглашение — «партнёрство» 🤝, said Zoë Ñúñez. Ω≈ç√ \u2028 end."
    a = article("u1", text, dt.date(2025, 1, 2), outlet="Радио Свобода", title="Россия 🇷🇺 Китай")
    speaker = ActorRef("Zoë Ñúñez", text.index("Zoë"), text.index("Zoë") + 9, "zoë-ñúñez", "Zoë Ñúñez", "ESP",
                       "JRN", "person", 1.0)  # fmt: skip
    claim = make_claim(a, "«партнёрство» 🤝", [speaker], "public_statement", kind="direct_quote")
    store.write_bundles([Bundle(a, actors=(speaker,), claims=(claim,))])
    stored = store.get_bundle("u1")
    assert stored.article.text == text and stored.article.title == "Россия 🇷🇺 Китай"
    assert stored.article.outlet == "Радио Свобода"
    assert stored.claims[0].content.text == "«партнёрство» 🤝"
    assert stored.actors == (speaker,)
    assert [x.id for x in store.articles(q="北京")] == ["u1"]
    assert [x.id for x in store.articles(outlet="Радио Свобода")] == ["u1"]
    assert [c.id for c in store.claims(speaker="zoë-ñúñez")] == [claim.id]
    assert [s.actor_id for s in store.actors(q="Zoë")] == ["zoë-ñúñez"]


def test_interrupted_batches_keep_earlier_commits_and_nothing_half_written(store: Store) -> None:
    bundles = corpus()
    store.write_bundles([bundles["a1"]])
    before = bundle_to_dict(store.get_bundle("a1"))

    # A batch whose second bundle violates the schema (an event without a quad): the whole batch
    # rolls back, including the re-write of a1 that came first in it.
    rewritten = Bundle(bundles["a1"].article, actors=(), claims=(), events=())
    bad_event = bundles["a2"].events[0]
    object.__setattr__(bad_event, "quad", None)  # frozen record: forge the broken value on purpose
    with pytest.raises(StoreError, match="could not write"):
        store.write_bundles([rewritten, bundles["a2"], bundles["a3"]])
    assert store.article_ids() == {"a1"}
    assert bundle_to_dict(store.get_bundle("a1")) == before
    assert store.count_events() == 3

    # An input stream that breaks while being read writes nothing from that call.
    def stream() -> Iterator[Bundle]:
        yield bundles["a3"]
        raise RuntimeError("reader died")

    with pytest.raises(RuntimeError, match="reader died"):
        store.write_bundles(stream())
    assert store.article_ids() == {"a1"}

    # The store is still usable after the failures.
    assert store.write_bundles([bundles["a3"]]) == 1
    assert store.article_ids() == {"a1", "a3"}


# ---------------------------------------------------------------------------------------------
# Reading: events and their filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventQuery(), [("a1", "CONSULT"), ("a1", "SUPPORT"), ("a1", "AGREE"), ("a2", "THREATEN"),
                        ("a3", "ACCUSE")]),
        (EventQuery(actor="RUS"), [("a1", "AGREE"), ("a1", "SUPPORT"), ("a1", "CONSULT"), ("a2", "THREATEN")]),
        (EventQuery(actor="fsb"), [("a1", "CONSULT")]),
        (EventQuery(actor="USA"), [("a3", "ACCUSE")]),
        (EventQuery(dyad=("RUS", "CHN")), [("a1", "AGREE"), ("a1", "SUPPORT"), ("a1", "CONSULT")]),
        (EventQuery(dyad=("CHN", "RUS")), [("a1", "AGREE"), ("a1", "SUPPORT"), ("a1", "CONSULT")]),
        (EventQuery(dyad=("fsb", "CHN")), [("a1", "CONSULT")]),
        (EventQuery(dyad=("USA", "RUS")), []),
        (EventQuery(dyad=("USA", "CHN")), [("a3", "ACCUSE")]),
        (EventQuery(event_type="AGREE"), [("a1", "AGREE")]),
        (EventQuery(quad="verbal_conflict"), [("a2", "THREATEN"), ("a3", "ACCUSE")]),
        (EventQuery(modality="future"), [("a1", "CONSULT")]),
        (EventQuery(modality="hypothetical", actor="RUS"), [("a2", "THREATEN")]),
        (EventQuery(article_id="a2"), [("a2", "THREATEN")]),
        # the undated CONSULT falls back to its article's publication date (2025-06-09)
        (EventQuery(since=dt.date(2025, 6, 2)), [("a1", "CONSULT"), ("a1", "SUPPORT")]),
        (EventQuery(since=dt.date(2025, 6, 9), until=dt.date(2025, 6, 9)), [("a1", "CONSULT")]),
        (EventQuery(until=dt.date(2025, 5, 31)), [("a2", "THREATEN"), ("a3", "ACCUSE")]),
        (EventQuery(since=dt.date(2025, 5, 18), until=dt.date(2025, 6, 1)), [("a1", "AGREE"), ("a2", "THREATEN")]),
        (EventQuery(actor="CHN", until=dt.date(2025, 1, 1)), [("a3", "ACCUSE")]),
    ],
)  # fmt: skip
def test_event_filters(
    store: Store, filled: dict[str, Bundle], query: EventQuery, expected: list[tuple[str, str]]
) -> None:
    got = store.events(query)
    assert {e.id for e in got} == event_ids(filled, *expected)
    assert store.count_events(query) == len(expected)
    dates = [e.date.start if e.date else store.get_article(e.article_id).published_date for e in got]
    assert dates == sorted(dates, reverse=True)  # newest first, undated events by publication date


def test_undated_events_come_last_and_export_order_is_the_same_everywhere(
    store: Store, filled: dict[str, Bundle]
) -> None:
    a4 = article("a4", "China met Russia.", None)
    undated = make_event(a4, "met", "CONSULT", [ref("CHN", "China", 0)], [ref("RUS", "Russia", 10)])
    store.write_bundles([Bundle(a4, events=(undated,))])
    assert [e.id for e in store.events()][-1] == undated.id
    assert [e.id for e in store.events(EventQuery(dyad=("RUS", "CHN")))][-1] == undated.id
    assert store.events(EventQuery(since=dt.date(1900, 1, 1), article_id="a4")) == []  # no date, no match
    # Export order: undated articles first, then oldest to newest.
    assert [b.article.id for b in store.iter_bundles()] == ["a3", "a4", "a2", "a1"]


def test_event_filter_by_claim_and_paging(store: Store, filled: dict[str, Bundle]) -> None:
    claim = filled["a1"].claims[0].id
    assert [e.event_type for e in store.events(EventQuery(claim_id=claim))] == ["AGREE"]
    everything = store.events(EventQuery(limit=100))
    assert [e.event_type for e in everything] == ["CONSULT", "SUPPORT", "AGREE", "THREATEN", "ACCUSE"]
    pages = [store.events(EventQuery(limit=2, offset=offset)) for offset in (0, 2, 4)]
    assert [e for page in pages for e in page] == everything
    assert [len(p) for p in pages] == [2, 2, 1]
    assert store.count_events(EventQuery(limit=1)) == 5  # counting ignores paging
    assert store.get_event(everything[0].id) == everything[0]


# ---------------------------------------------------------------------------------------------
# Reading: articles, claims, actors, stats, stories


def test_articles_newest_first_with_filters(store: Store, filled: dict[str, Bundle]) -> None:
    # a3 has no publication date: it comes last, after the dated ones.
    assert [a.id for a in store.articles()] == ["a1", "a2", "a3"]
    assert [a.id for a in store.articles(outlet="Wire")] == ["a2", "a3"]
    assert [a.id for a in store.articles(q="new york")] == ["a2"]  # case-insensitive, text
    assert [a.id for a in store.articles(q="RUSSIA AND")] == ["a1"]  # title
    assert [a.id for a in store.articles(limit=1, offset=1)] == ["a2"]
    assert store.get_article("a1") == filled["a1"].article


def test_claim_filters(store: Store, filled: dict[str, Bundle]) -> None:
    c1 = filled["a1"].claims[0]
    c2, c3 = filled["a2"].claims
    assert {c.id for c in store.claims()} == {c1.id, c2.id, c3.id}
    assert [c.id for c in store.claims(speaker="RUS")] == [c1.id]
    assert {c.id for c in store.claims(speaker="USA")} == {c2.id, c3.id}  # by id, and nyt by its country
    assert [c.id for c in store.claims(speaker="nyt")] == [c3.id]
    assert [c.id for c in store.claims(speaker="US")] == []  # whole codes only, no prefixes
    assert [c.id for c in store.claims(channel="media_report")] == [c3.id]
    assert [c.id for c in store.claims(channel="official_document", article_id="a2")] == [c2.id]
    assert [c.id for c in store.claims(article_id="a1")] == [c1.id]
    assert len(store.claims(limit=2)) == 2 and len(store.claims(limit=2, offset=2)) == 1
    assert store.get_claim(c3.id) == c3


def test_actors_summary(store: Store, filled: dict[str, Bundle]) -> None:
    summary = store.actors()
    assert [(s.actor_id, s.mentions, s.events) for s in summary] == [
        ("CHN", 4, 4), ("RUS", 3, 3), ("USA", 2, 1), ("fsb", 1, 1), ("nyt", 1, 0),
    ]  # fmt: skip
    fsb = next(s for s in summary if s.actor_id == "fsb")
    assert (fsb.name, fsb.country, fsb.sector, fsb.kind) == (
        "Federal Security Service",
        "RUS",
        "SPY",
        "organization",
    )
    assert [s.actor_id for s in store.actors(q="SECURITY")] == ["fsb"]  # name, case-insensitive
    assert [s.actor_id for s in store.actors(q="rus")] == ["RUS", "fsb"]  # id, and country code
    assert [s.actor_id for s in store.actors(limit=2, offset=1)] == ["RUS", "USA"]


def test_stats_and_story_ids(store: Store, filled: dict[str, Bundle]) -> None:
    skipped = Article(id="s1", text="Это не английский текст.", published=dt.date(2025, 1, 1), outlet="Daily",
                      language="ru", skip_reason="language ru is not coded")  # fmt: skip
    store.write_bundles([Bundle(skipped)])
    assert store.stats() == type(store.stats())(
        articles=4, skipped=1, mentions=5, claims=3, actors=5, outlets=3, stories=0
    )
    store.set_story_ids({"a1": "story-1", "a2": "story-1", "a3": "story-2"})
    assert [store.get_article(a).story_id for a in ("a1", "a2", "a3", "s1")] == [
        "story-1",
        "story-1",
        "story-2",
        None,
    ]
    assert store.stats().stories == 2
    assert store.get_bundle("s1").article.skip_reason == "language ru is not coded"
    facts = store.article_facts(["a1", "a3", "no-such-id"])
    assert sorted(facts) == ["a1", "a3"]
    assert (facts["a1"].published, facts["a1"].outlet, facts["a1"].story_id) == (
        dt.date(2025, 6, 9), "Example Daily", "story-1",
    )  # fmt: skip
    assert (facts["a3"].published, facts["a3"].story_id) == (None, "story-2")
    assert len(store.article_facts(f"x{i}" for i in range(1200))) == 0  # chunked under parameter limits


def test_skipped_inputs_and_uncoded_articles_are_listed_with_their_reasons(
    store: Store, filled: dict[str, Bundle]
) -> None:
    from detente.store.base import SkippedInput

    assert store.skipped().total == 0  # the corpus codes every article
    uncoded = Article(id="s1", text="Это не английский текст.", published=None, outlet="Daily", language="ru",
                      skip_reason="language ru is not coded")  # fmt: skip
    store.write_bundles([Bundle(uncoded)])
    early = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    version = store.version()
    store.record_skipped_inputs([
        SkippedInput("in/empty.txt", "is empty", at=early),
        SkippedInput("in/blob.txt", "is a binary file, not text", at=early),
        SkippedInput("in/other.txt", "is empty", at=early),
    ])  # fmt: skip
    assert store.version() > version  # pages cached on the version show the new rows
    # A source skipped again keeps one row, with its latest reason and time.
    store.record_skipped_inputs([SkippedInput("in/blob.txt", "is a binary file, not text")])
    report = store.skipped(limit=10)
    assert report.total == 4
    assert report.by_reason == [
        ("is empty", 2),
        ("is a binary file, not text", 1),
        ("language ru is not coded", 1),
    ]
    newest = {report.latest[0].source, report.latest[1].source}
    assert newest == {
        "in/blob.txt",
        "s1",
    }  # both skipped now (no URL or title: the id); the empty files in 2020
    assert [(i.source, i.at) for i in report.latest[2:]] == [("in/empty.txt", early), ("in/other.txt", early)]
    assert [i.article_id for i in report.latest if i.article_id] == ["s1"]
    assert len(store.skipped(limit=1).latest) == 1
    assert store.skipped(limit=1).total == 4  # counts are over every skipped input, not the page
    # A source read fine since (a file fixed and coded again) is forgotten; unknown sources change nothing.
    store.record_skipped_inputs([], read_fine=["in/other.txt", "in/never-skipped.txt"])
    assert [i.source for i in store.skipped().latest if not i.article_id] == ["in/blob.txt", "in/empty.txt"]


def test_reciprocal_events_reach_their_dyads_and_flags_round_trip(
    store: Store, filled: dict[str, Bundle]
) -> None:
    import dataclasses

    a5 = article(
        "a5", "Putin met Xi in Kazan. Russia and China condemned the United States.", dt.date(2025, 6, 10)
    )
    rus, chn = ref("RUS", "Putin", 0), ref("CHN", "Xi", a5.text.index("Xi"))
    met = dataclasses.replace(make_event(a5, "met", "CONSULT", [rus, chn], []), reciprocal=True)
    # Both in source with a target is a compound source, not a relation between them.
    condemned = make_event(a5, "condemned", "ACCUSE", [ref("RUS", "Russia", a5.text.index("Russia")),
                           ref("CHN", "China", a5.text.index("China"))], [ref("USA", "the United States",
                           a5.text.index("the United"))])  # fmt: skip
    earlier = dataclasses.replace(make_event(a5, "Kazan", "CONSULT", [rus], [chn], date=dt.date(2022, 2, 4)),
                                  background=True)  # fmt: skip
    store.write_bundles([Bundle(a5, events=(met, condemned, earlier))])
    assert store.get_event(met.id).reciprocal and not store.get_event(met.id).background
    assert store.get_event(earlier.id).background
    found = {e.id for e in store.events(EventQuery(dyad=("CHN", "RUS"), article_id="a5"))}
    assert found == {met.id, earlier.id}
    assert store.count_events(EventQuery(dyad=("RUS", "CHN"), article_id="a5")) == 2
    assert {e.id for e in store.events(EventQuery(dyad=("RUS", "USA"), article_id="a5"))} == {condemned.id}
    # Rows stored before migration 0004 get their flags from their JSON.
    from detente.store.migrations import MIGRATIONS

    backfill = dict(MIGRATIONS)["0004_event_flags"][2:]
    with store._transaction() as cur:  # type: ignore[attr-defined]
        store._exec(cur, "UPDATE events SET reciprocal = 0, background = 0")  # type: ignore[attr-defined]
        for statement in backfill:
            store._exec(cur, statement)  # type: ignore[attr-defined]
    flagged = store._rows(  # type: ignore[attr-defined]
        "SELECT id, reciprocal, background FROM events WHERE reciprocal = 1 OR background = 1"
    )
    assert sorted((i, int(r), int(b)) for i, r, b in flagged) == sorted([(met.id, 1, 0), (earlier.id, 0, 1)])


def test_corroboration_is_kept_beside_each_event(store: Store, filled: dict[str, Bundle]) -> None:
    event = filled["a1"].events[0]
    assert store.get_event(event.id).corroboration is None
    store.set_corroboration({event.id: 3})
    assert store.get_event(event.id).corroboration == 3
    assert {e.id: e.corroboration for e in store.get_bundle("a1").events}[event.id] == 3
    assert {e.id: e.corroboration for e in store.events()}[event.id] == 3
    # re-writing the article resets it until the next clustering
    store.write_bundles([filled["a1"]])
    assert store.get_event(event.id).corroboration is None


@pytest.mark.parametrize("getter", ["get_article", "get_bundle", "get_event", "get_claim"])
def test_unknown_ids_raise_not_found(store: Store, filled: dict[str, Bundle], getter: str) -> None:
    with pytest.raises(NotFoundError, match="no-such-id"):
        getattr(store, getter)("no-such-id")


# ---------------------------------------------------------------------------------------------
# PostgreSQL-specific: connection errors say what to do


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_postgres_unreachable_names_the_url_and_hides_the_password() -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://detente:s3cret@127.0.0.1:{_closed_port()}/events"
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert f"postgresql://detente:***@127.0.0.1:{url.split(':')[3].split('/')[0]}/events" in message
    assert "s3cret" not in message
    assert "server is running" in message


def test_postgres_without_psycopg_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes 'import psycopg' raise ImportError
    with pytest.raises(StoreError, match=r"psycopg is not installed.*pip install 'detente\[postgres\]'"):
        open_store("postgres://localhost/detente")


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_postgres_fails_on_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    from tests.pg_server import _missing

    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="apt-get install -y postgresql"):
        _missing("no PostgreSQL server binaries (initdb, pg_ctl) found")


@pytest.mark.postgres
def test_postgres_reconnects_after_the_server_drops_the_connection(postgres_db: str) -> None:
    import psycopg

    store = open_store(postgres_db)
    bundles = corpus()
    store.write_bundles([bundles["a1"]])

    def drop_connection() -> None:
        with psycopg.connect(postgres_db, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (store.conn.info.backend_pid,))  # type: ignore[attr-defined]

    drop_connection()
    assert store.stats().articles == 1  # the read is retried on a new connection
    drop_connection()
    assert store.write_bundles([bundles["a2"], bundles["a3"]]) == 2  # so is the (idempotent) write
    assert store.article_ids() == {"a1", "a2", "a3"}
    assert store.count_events() == 5
    store.close()


def test_one_store_serves_many_threads(store: Store, request: pytest.FixtureRequest) -> None:
    """The API shares one store across its thread pool: concurrent reads and writes must not collide."""
    import threading

    bundles = list(corpus().values())
    store.write_bundles(bundles)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(40):
                assert len(store.events(EventQuery(dyad=("RUS", "CHN")))) == 3
                assert store.stats().articles == 3
                assert len(store.claims(speaker="USA")) == 2
        except BaseException as exc:
            errors.append(exc)

    def write() -> None:
        try:
            for _ in range(20):
                store.write_bundles(bundles)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)] + [threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [repr(e) for e in errors] == []
    assert store.count_events() == 5


# ---------------------------------------------------------------------------------------------
# Failed articles, story clustering written whole, and a writer kept waiting (issue 14)


def test_failed_articles_are_recorded_counted_and_cleared_by_a_later_write(
    store: Store, filled: dict[str, Bundle]
) -> None:
    from detente.batch.budget import Budget, failed_bundle, failure

    a4 = article("a4", "Russia and China held talks in Moscow.", dt.date(2025, 6, 1))
    fault = failure(a4, "time", "detente.claims.v1", 301.5, Budget(300, 4096))
    store.write_bundles([failed_bundle(a4, fault)], failures=[fault])
    assert store.failures() == [fault]
    assert store.get_article("a4").skip_reason == (
        "coding failed: over the 300 s time budget in detente.claims.v1 after 301.5 s;"
        " retry with 'detente code --retry-failed'"
    )
    stats = store.stats()
    assert (stats.articles, stats.failed, stats.skipped) == (4, 1, 0)
    # Coded again (--retry-failed): the same write that stores the bundle clears the failure.
    store.write_bundles([Bundle(a4)])
    assert store.failures() == []
    assert (store.stats().failed, store.get_article("a4").skip_reason) == (0, None)


def test_a_clustering_step_is_written_whole_and_unclustered_counts_what_is_left(
    store: Store, filled: dict[str, Bundle]
) -> None:
    from detente.analytics.stories import index_settings, stored_stories, update_stories
    from detente.store.base import IndexedArticle, StoryLead, StoryUpdate

    assert store.unclustered() == 3  # coded, never clustered
    events = {e.id for b in filled.values() for e in b.events}
    # A step that dies after writing (kill -9 is the same: the transaction is never committed) leaves
    # no story id, no count and no index row.
    with pytest.raises(RuntimeError), store.story_index() as index:
        index.reset(index_settings(3))
        ids = index.pending(10)
        assert ids == ["a1", "a2", "a3"] and [b.article.id for b in index.bundles(ids)] == ids
        index.write(StoryUpdate(
            articles=[IndexedArticle(a, None, None, a, "s1") for a in ids], stories=[StoryLead("s1", "a1", None, 3)],
            corroboration=dict.fromkeys(events, 1),
        ))  # fmt: skip
        assert index.story_count() == 1
        raise RuntimeError("killed half-way")
    assert [store.get_article(a).story_id for a in filled] == [None, None, None]
    assert {e.corroboration for e in store.events()} == {None}
    assert store.unclustered() == 3 and store.story_members() == []
    run = update_stories(store)
    assert (run.clustered, run.steps) == (3, 1) and store.unclustered() == 0
    assert None not in {e.corroboration for e in store.events()}
    # A new article, or one coded again (with its whole story), is unclustered until the next clustering;
    # skipped ones never are.
    story_of_a1 = next(s for s in stored_stories(store) if "a1" in s.article_ids)
    a4 = article("a4", "Russia and China held talks in Moscow.", dt.date(2025, 6, 1))
    skipped = Article(id="s1", text="Nicht auf Englisch.", language="de", skip_reason="language de")
    store.write_bundles([Bundle(a4), filled["a1"], Bundle(skipped)])
    assert store.unclustered() == 1 + len(story_of_a1.article_ids)
    assert update_stories(store).clustered == 1 + len(story_of_a1.article_ids)
    assert store.unclustered() == 0


def test_incremental_story_index_equals_clustering_everything(store: Store) -> None:
    """Issue 15: the persisted index (LSH band keys, event keys, originals and stories in the database)
    gives the same story ids and corroboration as clustering every article at once, and as --rebuild."""
    from detente.analytics.stories import (
        corroboration_counts,
        stored_stories,
        stories,
        story_ids,
        update_stories,
    )
    from tests.story_corpus import story_corpus

    bundles = story_corpus(25, seed=3)
    expected = stories(bundles)
    for at in range(0, len(bundles), 9):  # arriving a few at a time, clustered after each arrival
        store.write_bundles(bundles[at : at + 9])
        update_stories(store, step=4)
    stored = list(store.iter_bundles())
    counts = {e.id: e.corroboration for b in stored for e in b.events}
    assert stored_stories(store) == expected
    assert {b.article.id: b.article.story_id for b in stored} == story_ids(expected)
    assert counts == corroboration_counts(bundles)
    assert update_stories(store, rebuild=True).clustered == len(bundles)
    assert stored_stories(store) == expected
    assert {e.id: e.corroboration for b in store.iter_bundles() for e in b.events} == counts


def test_get_bundles_reads_many_in_the_order_asked(store: Store, filled: dict[str, Bundle]) -> None:
    found = store.get_bundles(["a3", "missing", "a1", "a3"])
    assert [bundle_to_dict(b) for b in found] == [bundle_to_dict(filled["a3"]), bundle_to_dict(filled["a1"])]
    assert store.get_bundles([]) == []
    assert store.known_ids(["a3", "missing", "a1"]) == {"a1", "a3"} and store.known_ids([]) == set()


@contextmanager
def _hold_write_lock(store: Store) -> Iterator[None]:
    """Another process's writer in the middle of a transaction: SQLite's write lock, or PostgreSQL row
    locks on every article."""
    if store.url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(store.url) as conn:
            conn.execute("SELECT id FROM articles FOR UPDATE")
            yield
            conn.rollback()
    else:
        import sqlite3

        conn = sqlite3.connect(store.url, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()


def test_a_writer_kept_waiting_gives_up_with_store_busy_and_never_holds_up_readers(
    store: Store, filled: dict[str, Bundle]
) -> None:
    import threading

    from detente.errors import StoreBusyError

    api_store = open_store(store.url, write_timeout=1.0)
    outcome: list[object] = []
    done = threading.Event()

    def write() -> None:
        try:
            outcome.append(api_store.write_bundles([filled["a1"]]))
        except Exception as exc:
            outcome.append(exc)
        done.set()

    reads_while_waiting: list[int] = []

    def read() -> None:  # a thread that has not read before: it opens its connection while the writer waits
        count = 0
        while not done.is_set():
            assert api_store.get_article("a2").outlet == "Wire"
            assert api_store.stats().articles == 3
            count += 0 if done.is_set() else 1
        reads_while_waiting.append(count)

    try:
        with _hold_write_lock(store):
            writer = threading.Thread(target=write)
            writer.start()
            reader = threading.Thread(target=read)
            reader.start()
            writer.join()
            reader.join()
        [busy] = outcome
        assert isinstance(busy, StoreBusyError), busy
        assert "nothing was written" in str(busy) and busy.retry_after >= 1.0
        assert store.url not in str(busy)  # the API shows this message: no path, no server address
        # The readers were answered all along: a second of reads, not one after the writer gave up.
        assert reads_while_waiting[0] >= 20
        assert api_store.write_bundles([filled["a1"]]) == 1  # and once the lock is free, it writes
    finally:
        api_store.close()


def test_every_write_raises_the_store_version(store: Store) -> None:
    from detente.analytics.stories import update_stories

    first = store.version()
    filled = corpus()
    store.write_bundles(filled.values())
    written = store.version()
    (
        store.events(),
        store.stats(),
        store.get_bundles(["a1", "a2"]),
        store.story_members(),
    )  # reads change nothing
    assert store.version() == written > first
    update_stories(store)
    clustered = store.version()
    assert clustered > written
    store.set_corroboration({})
    store.set_story_ids({})
    assert store.version() == clustered + 2
    assert store.write_bundles([]) == 0 and store.version() == clustered + 2  # nothing written: no change
