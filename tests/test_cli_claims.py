"""CLI: claims, stories, divergence and eval claims — exact output and exit codes over a store of hand-built
bundles (no model), plus one end-to-end run through ``detente code``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.records import ActorRef, Article, Bundle, Claim, Span, Verification
from tests.test_divergence import make_bundle
from tests.test_stories import corpus

NYT = ActorRef("NYT", 16, 19, "org:nyt", "The New York Times", "USA", "JRN", "outlet")
TEXT = "According to the NYT, the leaked memo shows that talks failed."


def provenance_bundle() -> Bundle:
    root = Claim("root", "prov", (), None, Span(TEXT, 0, len(TEXT)), "document", "media_report")
    relay = Claim(
        "c-nyt", "prov", (NYT,), Span("According to", 0, 12), Span(TEXT[22:61], 22, 61), "according_to",
        "media_report", parent_id="root",
    )  # fmt: skip
    memo = Claim(
        "c-memo", "prov", (), Span("shows", 38, 43), Span("talks failed", 49, 61), "document", "leaked_document",
        parent_id="c-nyt", verification=(Verification("leaked memo", 26, 37, "doubts"),),
    )  # fmt: skip
    return Bundle(
        Article(id="prov", text=TEXT, outlet="Example Daily"), actors=(NYT,), claims=(root, relay, memo)
    )


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path) -> str:
    from detente.store import open_store

    path = str(tmp_path / "claims.db")
    store = open_store(path)
    store.migrate()
    store.write_bundles([provenance_bundle(), make_bundle(), *corpus()])
    store.close()
    return path


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_claims_filters_by_channel_and_speaker(runner, db):
    result = run(runner, "claims", "--db", db, "--channel", "leaked_document", "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["id"] for r in rows} == {"c-memo", "c2"}
    memo = next(r for r in rows if r["id"] == "c-memo")
    assert memo["parent_id"] == "c-nyt" and memo["verification"] == [
        {"text": "leaked memo", "start": 26, "end": 37, "polarity": "doubts"}
    ]
    result = run(runner, "claims", "--db", db, "--speaker", "org:nyt", "--format", "csv")
    assert result.output == (
        "id,article_id,channel,kind,stance,speaker,cue,content,parent_id,obtained_by,verification,verification_text\n"
        "c-nyt,prov,media_report,according_to,asserts,The New York Times,According to,"
        "the leaked memo shows that talks failed,root,,,\n"
    )
    result = run(
        runner, "claims", "--db", db, "--article", "prov", "--channel", "leaked_document", "--format", "csv"
    )
    assert result.output.splitlines()[1].endswith(",c-nyt,,doubted,- leaked memo")


def test_claims_table_and_empty_result(runner, db):
    result = run(runner, "claims", "--db", db, "--article", "prov")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "article_id", "channel", "kind", "stance", "speaker", "cue", "content",
                                "parent_id", "obtained_by", "verification", "verification_text"]  # fmt: skip
    assert len(lines) == 2 + 3
    result = run(runner, "claims", "--db", db, "--speaker", "nobody")
    assert result.exit_code == 0 and result.output == "(no rows)\n"


def test_missing_database_is_one_clear_error(runner, tmp_path):
    for args in (["claims"], ["stories"], ["divergence", "RUS", "CHN"]):
        result = runner.invoke(cli, [*args, "--db", str(tmp_path / "none.db")])
        assert result.exit_code == 1
        assert result.output.startswith("error: no database at ") and "detente code" in result.output


def test_stories_clusters_and_records_story_ids(runner, db):
    result = run(runner, "stories", "--db", db, "--format", "json")
    assert result.exit_code == 0
    stories = json.loads(result.output)
    biggest = stories[0]
    assert biggest["articles"] == 4 and biggest["originals"] == 2
    assert biggest["outlets"] == "AP, Evening Post, Reuters, Daily Herald"
    from detente.store import open_store

    store = open_store(db)
    try:
        assert (
            store.get_article("paper1").story_id
            == biggest["story_id"]
            == store.get_article("reuters").story_id
        )
    finally:
        store.close()


def test_stories_events_lists_corroboration(runner, db):
    result = run(runner, "stories", "--db", db, "--events", "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assault = next(r for r in rows if r["event_type"] == "ASSAULT" and r["source"] == "RUS")
    assert assault["outlets"] == 2 and assault["outlet_names"] == "AP, Reuters" and assault["articles"] == 4
    # One event as 'detente events' counts it: four articles of one story, one mention each.
    assert (
        assault["mentions"] == 4
        and len([r for r in rows if r["event_type"] == "ASSAULT" and r["source"] == "RUS"]) == 1
    )


def test_divergence_table_and_json(runner, db):
    result = run(runner, "divergence", "BOR", "ARL", "--db", db, "--min-items", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        "BOR toward ARL: public cooperative, internal documents hostile; divergence 1.00"
        " (1 public item against 1 item of internal documents)"
    )
    assert lines[1].split()[:7] == ["side", "stance", "kind", "id", "channel", "speakers", "articles"]
    assert [line.split()[0] for line in lines[3:]] == ["public", "internal", "material"]
    data = json.loads(run(runner, "divergence", "BOR", "ARL", "--db", db, "--format", "json").output)
    assert data["score"] is None and data["min_items"] == 3 and data["internal"]["evidence"][0]["id"] == "c2"
    assert (
        run(runner, "divergence", "BOR", "ARL", "--db", db)
        .output.splitlines()[0]
        .endswith(
            "not enough evidence to compare (1 public item against 1 item of internal documents; needs one a side"
            " and 3 in all)"
        )
    )
    none = run(runner, "divergence", "XXX", "YYY", "--db", db)
    assert none.output == (
        "XXX toward YYY: public no evidence, material actions no evidence; not enough evidence to compare"
        " (0 public items against 0 items of material actions; needs one a side and 3 in all)\n"
    )


def test_help_has_examples(runner):
    for command in (["claims"], ["stories"], ["divergence"], ["eval", "claims"]):
        result = run(runner, *command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_eval_claims_rejects_a_bad_gold_file(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": "He said so.", "claims": [{"cue": "told", "speaker": "He",
                                                                                "content": "so"}]}) + "\n")  # fmt: skip
    result = runner.invoke(cli, ["eval", "claims", str(gold)])
    assert (
        result.exit_code == 1
        and "line 1" in result.output
        and "cue 'told' is not in the text" in result.output
    )


@pytest.mark.model
def test_code_then_claims_end_to_end(runner, tmp_path, example_text):
    source = tmp_path / "fsb.jsonl"
    source.write_text(json.dumps({"id": "fsb", "text": example_text, "outlet": "Example Daily",
                                  "published": "2025-06-09"}) + "\n")  # fmt: skip
    db = str(tmp_path / "e2e.db")
    assert runner.invoke(cli, ["code", str(source), "--db", db, "--quiet"]).exit_code == 0
    rows = [json.loads(line) for line in run(runner, "claims", "--db", db, "--channel", "leaked_document",
                                             "--format", "jsonl").output.splitlines()]  # fmt: skip
    assert rows and all(any("Ares Leaks" in a["text"] for a in r["obtained_by"]) for r in rows)
    # The verification language reads as it does in the article: doubt and confirmation, not a tick.
    table = run(runner, "claims", "--db", db, "--channel", "leaked_document", "--format", "csv").output
    checked = [r for r in csv.DictReader(io.StringIO(table)) if r["verification"]]
    assert [(r["verification"], r["verification_text"]) for r in checked] == [(
        "mixed",
        "- This prevents the definitive verification of the authenticity of the material; "
        "+ six Western news services; + they all evaluated it as authentic",
    )]  # fmt: skip
    assert checked[0]["obtained_by"] == "Ares Leaks"
    result = run(runner, "divergence", "RUS", "CHN", "--db", db)
    assert result.output.startswith(
        "RUS toward CHN: public cooperative, internal documents hostile; divergence "
    )
