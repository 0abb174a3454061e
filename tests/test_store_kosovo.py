"""Migration 0018: a store an older detente wrote, with Kosovo coded KOS, reads as one coded with XKX."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.records import ActorRef, Article, Bundle, Claim, Event, Span, bundle_to_dict, claim_id, event_id
from detente.store import EventQuery, Store, open_store
from detente.store.migrations import KOSOVO_MIGRATION, kosovo_actor_id

pytest_plugins = ["tests.pg_server"]

TEXT = (
    "Kosovo police arrested Serbian protesters in Pristina, the government said. "
    "Serbia condemned the Kosovar police. The Kosovo Security Force was not involved."
)
# The tables written from an article's records (what a rewritten article must make again).
TABLES = {
    "actor_refs": "article_id, idx, text, start_char, end_char, actor_id, name, country, sector, kind, reason",
    "event_actors": "event_id, role, actor_id, country, sector",
    "event_pairs": "x, y, event_id",
    "claims": "id, article_id, kind, channel, stance, parent_id, speakers, data",
    "claim_speakers": "claim_id, article_id, speaker",
    "events": "id, article_id, event_type, quad, modality, data, count_key",
    "divergence_items": "a, b, article_id, seq, data",
    "actor_counts": "actor_id, name, country, sector, kind, refs",
    "actor_event_counts": "actor_id, events",
    "counted_pairs": "x, y, forward, backward",
}


def _ref(
    text: str, actor_id: str, name: str, country: str, sector: str | None, kind: str, nth: int = 0
) -> ActorRef:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    return ActorRef(text, start, start + len(text), actor_id, name, country, sector, kind, 0.9, "exact")


def _span(needle: str) -> Span:
    return Span(needle, TEXT.index(needle), TEXT.index(needle) + len(needle))


def bundle(code: str) -> Bundle:
    """The article as detente codes it with ``code`` for Kosovo (KOS before, XKX now): refs whose ids are
    made from the code (a country, an agent group, a Phoenix country entry) and one that is not (a body)."""
    low = code.lower()
    article = Article(id="kos1", text=TEXT, title="Arrests", outlet="Wire", published=dt.date(2024, 5, 1))
    police = _ref("Kosovo police", f"group:{low}-cop", "Kosovo police", code, "COP", "group")
    serbs = _ref("Serbian protesters", "group:srb-cvl", "Serbian civilians", "SRB", "CVL", "group")
    government = _ref("the government", f"phoenix:country:{low}:kosovo", "Kosovo", code, "GOV", "country")
    serbia = _ref("Serbia", "country:SRB", "Serbia", "SRB", None, "country")
    police2 = _ref("Kosovar police", f"group:{low}-cop", "Kosovo police", code, "COP", "group")
    force = _ref("Kosovo Security Force", "phoenix:org:kosova-security-force", "Kosova Security Force", code,
                 "MIL", "institution")  # fmt: skip
    said = _span("Kosovo police arrested Serbian protesters in Pristina")
    claim = Claim(claim_id(article.id, said, "indirect"), article.id, (government,), _span("said"), said,
                  "indirect", "public_statement")  # fmt: skip

    def event(
        trigger: str, kind: str, quad: str, source: ActorRef, target: ActorRef, cid: str | None
    ) -> Event:
        span = _span(trigger)
        # One id for both versions: a stored event keeps its id (other rows name it) when its codes change.
        return Event(event_id(article.id, span, kind), article.id, kind, None, (), quad, -5.0, "asserted",
                     (source,), (target,), span, Span(TEXT, 0, len(TEXT)), claim_id=cid, confidence=0.8)  # fmt: skip

    arrest = event("arrested", "COERCE", "material_conflict", police, serbs, claim.id)
    condemn = event("condemned", "ACCUSE", "verbal_conflict", serbia, police2, None)
    return Bundle(article, (police, serbs, government, serbia, police2, force), (claim,), (arrest, condemn))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_path(request: pytest.FixtureRequest, tmp_path) -> str:
    """Where the old store lives (the expected one is SQLite: the rows compared are the same text)."""
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return str(request.getfixturevalue("postgres_db"))


def rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sorted((tuple(r) for r in store._rows(f"SELECT {columns} FROM {table}")), key=repr)  # type: ignore[attr-defined]
        for table, columns in TABLES.items()
    }


def old_store(path: str) -> Store:
    """A store as an older detente left it: Kosovo's articles coded KOS, migration 0018 not applied."""
    store = open_store(path)
    store.write_bundles([bundle("KOS")])
    with store._transaction() as cur:  # type: ignore[attr-defined]
        store._exec(cur, "DELETE FROM migrations WHERE name = ?", (KOSOVO_MIGRATION,))  # type: ignore[attr-defined]
    store.close()
    return store


def test_a_store_written_with_kos_is_rewritten_to_xkx(old_path: str, tmp_path) -> None:
    old_store(old_path)
    expected = open_store(tmp_path / "expected.db")
    expected.write_bundles([bundle("XKX")])
    migrated = open_store(old_path)  # opening applies 0018
    try:
        assert migrated.migrate() == []
        [got] = migrated.get_bundles(["kos1"])
        [want] = expected.get_bundles(["kos1"])
        assert bundle_to_dict(got) == bundle_to_dict(want)
        assert rows(migrated) == rows(expected)
        assert not migrated.events(EventQuery(dyad=("KOS", "SRB")))
        found = migrated.events(EventQuery(dyad=("XKX", "SRB")))
        assert {e.event_type for e in found} == {"COERCE", "ACCUSE"}
        assert {e.event_type for e in migrated.events(EventQuery(actor="group:xkx-cop"))} == {
            "COERCE",
            "ACCUSE",
        }
        assert "KOS" not in {a.country for a in migrated.actors(limit=1000)}
        assert migrated.divergence("XKX", "SRB") == expected.divergence("XKX", "SRB")
    finally:
        migrated.close()
        expected.close()


def test_a_store_without_kosovo_is_left_as_it_was(tmp_path) -> None:
    path = str(tmp_path / "plain.db")
    store = open_store(path)
    serbia_only = bundle("XKX")
    store.write_bundles([serbia_only])
    with store._transaction() as cur:  # type: ignore[attr-defined]
        store._exec(cur, "DELETE FROM migrations WHERE name = ?", (KOSOVO_MIGRATION,))  # type: ignore[attr-defined]
    before, version = rows(store), store.version()
    store.close()
    reopened = open_store(path)
    try:
        assert rows(reopened) == before and reopened.version() == version
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("country:KOS", "country:XKX"),
        ("group:kos-gov", "group:xkx-gov"),
        ("phoenix:country:kos:kosovo", "phoenix:country:xkx:kosovo"),
        ("org:kfor:kos", "org:kfor:xkx"),  # a national branch (matching: the id and the stated country)
        ("org:kla", "org:kla"),
        ("phoenix:org:kosovo-assembly", "phoenix:org:kosovo-assembly"),
        ("person:kostas-simitis", "person:kostas-simitis"),
        ("group:kosmos-x", "group:kosmos-x"),
    ],
)
def test_kosovo_actor_ids(old: str, new: str) -> None:
    assert kosovo_actor_id(old) == new
