"""One count everywhere (issue 12): the store with known answers read through every view.

The overview, the dyad page, the actor page, ``detente events`` (table, CSV and JSON exports),
``detente stats``, ``/api/stats`` and ``/api/dyads/...`` must all give the hand count of
tests/counting_sample.py.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.cli import cli
from detente.store import open_store
from tests import counting_sample as known

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("known") / "known.db"
    store = open_store(path)
    known.fill(store)
    store.close()
    return str(path)


@pytest.fixture(scope="module")
def client(db):
    store = open_store(db)
    yield TestClient(create_app(store), raise_server_exceptions=False)
    store.close()


def tally_of(html: str, element_id: str) -> tuple[int, int]:
    """(mentions, events) from the data attributes of the count inside the element with this id."""
    start = html.index(f'id="{element_id}"')
    found = re.search(r'data-mentions="(\d+)" data-events="(\d+)"', html[start:])
    assert found, element_id
    return int(found.group(1)), int(found.group(2))


def cli_run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_api_gives_the_hand_count(client):
    stats = client.get("/api/stats").json()
    assert (stats["mentions"], stats["events"]) == (known.STORE_MENTIONS, known.STORE_EVENTS)
    assert (stats["background"], stats["before_article"], stats["reciprocal"]) == (2, 1, 3)
    series = client.get("/api/dyads/RUS/CHN").json()
    assert (series["mentions"], series["events"]) == (known.DYAD_MENTIONS, known.DYAD_EVENTS)
    assert series["directions"] == known.DYAD_DIRECTIONS
    assert {p["month"]: (p["events"], p["mentions"]) for p in series["points"]} == known.DYAD_MONTHS
    assert len(series["before_article_event_ids"]) == known.DYAD_BEFORE_ARTICLE
    june = next(p for p in series["points"] if p["month"] == "2025-06")
    assert (june["low_confidence"], june["low_confidence_share"]) == (1, 0.333)
    assert (june["single_source"], june["single_source_share"]) == (3, 1.0)
    # The background invasion counts in February 2022, never in June 2025.
    ukraine = client.get("/api/dyads/RUS/UKR").json()
    assert [(p["month"], p["events"], p["mentions"]) for p in ukraine["points"]] == [("2022-02", 1, 2)]


def test_pages_give_the_hand_count(client):
    overview = client.get("/", headers=HTML).text
    assert tally_of(overview, "tally") == (known.STORE_MENTIONS, known.STORE_EVENTS)
    assert ">7 events</a>" in overview  # the RUS–CHN pair among the most active dyads
    dyad = client.get("/dyads/RUS/CHN", headers=HTML).text
    assert tally_of(dyad, "dyad-tally") == (known.DYAD_MENTIONS, known.DYAD_EVENTS)
    for month, (events, mentions) in known.DYAD_MONTHS.items():
        assert f'id="m-{month}" data-events="{events}" data-mentions="{mentions}"' in dyad
    for actor, (events, mentions) in known.ACTOR_COUNTS.items():
        page = client.get(f"/actors/{actor}", headers=HTML).text
        assert tally_of(page, "actor-tally") == (mentions, events)
    listed = client.get("/events", params={"dyad": "RUS,CHN"}, headers=HTML).text
    assert tally_of(listed, "events-tally") == (known.DYAD_MENTIONS, known.DYAD_EVENTS)
    assert listed.count("<tr data-event=") == known.DYAD_EVENTS
    june = client.get("/events", params={"dyad": "RUS,CHN", "month": "2025-06"}, headers=HTML).text
    assert tally_of(june, "events-tally") == (4, 3)
    before = client.get("/events", params={"dyad": "RUS,CHN", "when": "before"}, headers=HTML).text
    assert tally_of(before, "events-tally") == (1, 1) and "before the article" in before


def test_every_page_links_to_the_definitions(client):
    bundles = known.known_bundles()
    ban = bundles["ban"]
    for path in ("/", "/dyads/RUS/CHN", "/actors/RUS", "/events", f"/articles/{ban.article.id}",
                 f"/events/{ban.events[1].id}", "/search?q=ban", "/docs", "/counting"):  # fmt: skip
        assert 'href="/counting"' in client.get(path, headers=HTML).text, path
    definitions = client.get("/counting", headers=HTML).text
    for term in ("mention", "event", "story", "corroboration", "background", "reciprocal"):
        assert f'<dt id="{term}">{term}</dt>' in definitions


def test_article_and_event_pages_show_one_event_with_its_mentions(client):
    ban = known.known_bundles()["ban"]
    article = client.get(f"/articles/{ban.article.id}", headers=HTML).text
    assert tally_of(article, "article-tally") == (4, 2)  # three sentences of one ban, one protest
    restated = client.get(f"/events/{ban.events[1].id}", headers=HTML).text
    assert 'id="occurrence" data-mentions="5"' in restated  # with the other outlets of the story
    assert "2 independent outlets" in restated


def test_cli_and_exports_give_the_hand_count(db):
    table = cli_run("events", "--dyad", "RUS", "CHN", "--db", db)
    assert len(table.stdout.splitlines()) == 2 + known.DYAD_EVENTS
    assert (
        table.stderr.strip()
        == f"{known.DYAD_MENTIONS} mentions, {known.DYAD_EVENTS} events (showing 7 events from 1)"
    )
    rows = list(
        csv.DictReader(
            io.StringIO(cli_run("events", "--dyad", "RUS", "CHN", "--format", "csv", "--db", db).stdout)
        )
    )
    assert len(rows) == known.DYAD_EVENTS and sum(int(r["mentions"]) for r in rows) == known.DYAD_MENTIONS
    assert {r["date"] for r in rows} >= {"2025-05", "2025-06", "before the article"}  # months as months
    exported = json.loads(cli_run("events", "--dyad", "RUS", "CHN", "--format", "json", "--db", db).stdout)
    assert len(exported) == known.DYAD_EVENTS and sum(e["mentions"] for e in exported) == known.DYAD_MENTIONS
    ban = next(e for e in exported if e["event_type"] == "SANCTION")
    assert (ban["mentions"], len(ban["article_ids"]), ban["corroboration"]) == (5, 3, 2)
    mentions = cli_run("events", "--dyad", "RUS", "CHN", "--mentions", "--format", "jsonl", "--db", db).stdout
    assert len(mentions.splitlines()) == known.DYAD_MENTIONS
    assert len({json.loads(line)["event"] for line in mentions.splitlines()}) == known.DYAD_EVENTS
    for actor, (events, _) in known.ACTOR_COUNTS.items():
        listed = json.loads(cli_run("events", "--actor", actor, "--format", "json", "--db", db).stdout)
        assert len(listed) == events
    stats = json.loads(cli_run("stats", "--format", "json", "--db", db).stdout)
    assert (stats["mentions"], stats["events"]) == (known.STORE_MENTIONS, known.STORE_EVENTS)
