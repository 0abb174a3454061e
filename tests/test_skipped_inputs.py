"""Skipped inputs listed with their reason (issue 13): files that never became articles and articles
stored uncoded, on the overview page and in ``detente stats`` in every format."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.cli import cli
from detente.store import open_store

GOOD = "Russia and China signed a trade agreement in Moscow on Tuesday, officials said.\n"
GERMAN = (
    "Die Regierung in Berlin hat am Dienstag neue Sanktionen gegen Russland beschlossen, "
    "wie ein Sprecher des Auswärtigen Amtes mitteilte. Die Maßnahmen treten sofort in Kraft.\n"
)


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("skipped")
    inputs = folder / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "blob.txt").write_bytes(bytes(range(256)) * 4 + os.urandom(64))
    (inputs / "german.txt").write_text(GERMAN, encoding="utf-8")
    db = folder / "d.db"
    result = CliRunner().invoke(cli, ["code", str(inputs), "--db", str(db), "-q"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # input errors fail the run, after coding the rest
    return db, inputs


def stats(db, *args: str) -> str:
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_stats_json_lists_the_skipped_files_with_their_reasons(coded) -> None:
    db, inputs = coded
    data = json.loads(stats(db, "--format", "json"))
    assert data["articles"] == 2  # the good one, and the German one stored uncoded
    reasons = {row["source"]: row["reason"] for row in data["skipped_latest"]}
    assert reasons[str(inputs / "empty.txt")].startswith("is empty")
    assert reasons[str(inputs / "blob.txt")].startswith("is a binary file")
    german = [row for row in data["skipped_latest"] if row["article_id"]]
    assert len(german) == 1 and "language is 'de'" in german[0]["reason"]
    assert str(inputs / "good.txt") not in reasons
    assert sum(row["count"] for row in data["skipped_by_reason"]) == 3


def test_stats_table_and_csv_name_each_reason(coded) -> None:
    db, inputs = coded
    table = stats(db)
    assert "skipped inputs by reason (3 in all)" in table
    assert str(inputs / "empty.txt") in table and "is empty" in table
    assert str(inputs / "blob.txt") in table
    rows = list(csv.DictReader(io.StringIO(stats(db, "--skipped", "--format", "csv"))))
    assert {r["source"] for r in rows if not r["article_id"]} == {
        str(inputs / "empty.txt"),
        str(inputs / "blob.txt"),
    }
    assert all(r["reason"] and r["at"] for r in rows)
    assert (
        len(list(csv.DictReader(io.StringIO(stats(db, "--skipped", "--limit", "1", "--format", "csv"))))) == 1
    )
    # The counts stay a one-row frame in csv.
    assert len(list(csv.DictReader(io.StringIO(stats(db, "--format", "csv"))))) == 1


def test_overview_lists_the_skipped_files_with_their_reasons(coded) -> None:
    db, inputs = coded
    store = open_store(db)
    try:
        page = TestClient(create_app(store)).get("/", headers={"accept": "text/html"})
    finally:
        store.close()
    assert page.status_code == 200
    section = page.text[page.text.index('id="skipped"') :]
    section = section[: section.index("</section>")]
    assert str(inputs / "empty.txt") in section and "is empty" in section
    assert str(inputs / "blob.txt") in section and "is a binary file" in section
    assert "3 latest of 3" in section
    assert 'href="/articles/' in section  # the German article stored uncoded links to its page


def test_no_skipped_section_when_nothing_was_skipped(tmp_path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "d.db"
    CliRunner().invoke(
        cli, ["code", str(tmp_path / "good.txt"), "--db", str(db), "-q"], catch_exceptions=False
    )
    assert "skipped inputs" not in stats(db)
    store = open_store(db)
    try:
        assert (
            'id="skipped"' not in TestClient(create_app(store)).get("/", headers={"accept": "text/html"}).text
        )
    finally:
        store.close()


def test_a_fixed_file_coded_again_is_no_longer_listed(tmp_path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "later.txt").write_bytes(b"")
    db = tmp_path / "d.db"
    code = ["code", str(tmp_path), "--db", str(db), "-q"]
    assert CliRunner().invoke(cli, code, catch_exceptions=False).exit_code == 1
    assert str(tmp_path / "later.txt") in stats(db)
    (tmp_path / "later.txt").write_text(GOOD.replace("Tuesday", "Wednesday"), encoding="utf-8")
    assert CliRunner().invoke(cli, code, catch_exceptions=False).exit_code == 0
    assert json.loads(stats(db, "--format", "json"))["skipped_latest"] == []
    assert "skipped inputs" not in stats(db)


def test_api_stats_lists_the_skipped_inputs_as_detente_stats_does(coded) -> None:
    db, inputs = coded
    cli_json = json.loads(stats(db, "--format", "json"))
    store = open_store(db)
    try:
        client = TestClient(create_app(store))
        api = client.get("/api/stats").json()
        one = client.get("/api/stats", params={"skipped_limit": 1}).json()
        filtered = client.get("/api/stats", params={"type": "AGREE"}).json()
        refused = client.get("/api/stats", params={"skipped_limit": -1})
    finally:
        store.close()
    assert api["skipped_inputs"] == 3 and api["skipped_by_reason"] == cli_json["skipped_by_reason"]
    assert api["skipped_latest"] == cli_json["skipped_latest"]
    assert {row["source"] for row in api["skipped_latest"]} >= {
        str(inputs / "empty.txt"),
        str(inputs / "blob.txt"),
    }
    assert len(one["skipped_latest"]) == 1 and one["skipped_inputs"] == 3
    assert filtered["stored"]["skipped_inputs"] == 3  # the whole store's answer, beside the filtered counts
    assert refused.status_code == 422
