"""Issue 12's motivating example, end to end on the demo corpus: the reciprocal meetings of Russia and China
("Putin met Xi ...") reach the RUS-CHN dyad series at their own month, and background invasions stay out
of the news months (their date is tested in tests/test_known_events.py). Codes the corpus with the shipped
models, so it guards the whole path: coder, dates, store, counting, API."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.cli import cli
from detente.store import open_store
from tests.conftest import REPO

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    result = CliRunner().invoke(cli, ["code", str(REPO / "examples" / "demo-corpus.jsonl"), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_rus_chn_meetings_reach_the_dyad_series(demo_db):
    listed = CliRunner().invoke(
        cli, ["events", "--dyad", "RUS", "CHN", "--type", "consult", "--format", "json", "--db", demo_db]
    )
    meetings = [e for e in json.loads(listed.stdout) if e["reciprocal"] and not e["background"]]
    assert len(meetings) >= 2  # the demo corpus reports several Putin-Xi meetings
    store = open_store(demo_db)
    try:
        series = TestClient(create_app(store)).get("/api/dyads/RUS/CHN").json()
    finally:
        store.close()
    assert series["directions"]["mutual"] >= len(meetings)
    months = {point["month"]: set(point["event_ids"]) for point in series["points"]}
    for meeting in meetings:
        assert meeting["id"] in months.get(meeting["date"]["start"][:7], set()), meeting["sentence"]
