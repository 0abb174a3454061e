"""CLI: code, events, show, stats — exact output and exit codes, bad input, resuming."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from detente.cli import cli

pytestmark = pytest.mark.model

GOOD = [
    {"id": "a1", "text": "Russian forces attacked the Ukrainian city of Kharkiv on Monday, officials said.",
     "outlet": "Wire", "published": "2024-03-06"},
    {"id": "a2", "text": "China and Russia signed an energy agreement in Beijing on Tuesday.",
     "outlet": "Post", "published": "2024-04-10"},
]  # fmt: skip
GERMAN = "Der russische Geheimdienst FSB betrachtet China als Feind mit territorialen Ansprüchen und warnt vor Spionage."


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in GOOD) + "\n{broken\n")
    (folder / "de.txt").write_text(GERMAN)
    (folder / "empty.txt").write_text("")
    return folder


def run(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_help_teaches_with_examples(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    for command in ("code", "events", "show", "stats"):
        assert command in result.output
    result = run(runner, "code", "--help")
    assert result.exit_code == 0 and "Examples:" in result.output and "--workers" in result.output


def test_code_reports_bad_files_keeps_good_ones_and_exits_1(runner, corpus, tmp_path):
    db = str(tmp_path / "d.db")
    # --workers 0: in this process, with the session's pipeline (worker processes: test_batch_budget.py)
    result = run(runner, "code", str(corpus), "--db", db, "--quiet", "--workers", "0")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert any(f"{corpus / 'news.jsonl'}:3: is not valid JSON" in e for e in errors)
    assert any(f"{corpus / 'empty.txt'}: is empty" in e for e in errors)
    stats = run(runner, "stats", "--db", db)
    counts, skipped = stats.output.split("\n\n", 1)  # the counts, then the skipped inputs with why
    lines = counts.splitlines()
    assert lines[0] == "articles        3"
    assert lines[1] == "skipped         1"
    assert [line.split()[0] for line in lines[2:]] == [
        "mentions", "events", "background", "before_article", "reciprocal", "claims", "actors", "outlets", "stories",
        "failed",
    ]  # fmt: skip
    assert skipped.startswith("skipped inputs by reason (3 in all)")  # the two bad inputs, the uncoded one
    assert f"{corpus / 'news.jsonl'}:3\n" in skipped and f"{corpus / 'empty.txt'}\n" in skipped
    # a re-run stores nothing twice (the bad inputs are listed again, once each, newly dated)
    again = run(runner, "code", str(corpus), "--db", db, "--workers", "0")
    assert again.exit_code == 1
    assert "already stored" in again.stderr
    counts_again, skipped_again = run(runner, "stats", "--db", db).output.split("\n\n", 1)
    assert counts_again == counts
    assert skipped_again.startswith("skipped inputs by reason (3 in all)")


def test_the_summary_names_each_skipped_input_and_why(runner, corpus, tmp_path):
    db = str(tmp_path / "d.db")
    result = run(runner, "code", str(corpus), "--db", db, "--workers", "0")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("coded "))
    assert lines[at + 1] == "skipped 3 input(s):"
    named = lines[at + 2 : at + 5]
    assert f"  {corpus / 'news.jsonl'}:3: is not valid JSON" in "\n".join(named)
    assert f"  {corpus / 'empty.txt'}: is empty (nothing to code)" in named
    german = next(line for line in named if "stored uncoded as article" in line)
    assert german.startswith("  Der russische Geheimdienst") and "language is 'de'" in german
    # A second run names only what it skipped itself: the same bad inputs again, not the stored article.
    again = run(runner, "code", str(corpus), "--db", db, "--workers", "0").stderr.splitlines()
    at = next(i for i, line in enumerate(again) if line.startswith("coded "))
    assert again[at + 1] == "skipped 2 input(s):" and "stored uncoded" not in "\n".join(again[at + 2 :])
    quiet = run(runner, "code", str(corpus), "--db", db, "--workers", "0", "--quiet")
    assert "skipped 2 input(s)" not in quiet.stderr  # --quiet prints the errors as they come, no summary


def test_a_publication_date_detente_cannot_read_is_named_not_dropped_quietly(runner, tmp_path):
    """The article is still coded (its text is fine) but without the date its input gave: the run says so,
    per input line, with what to write instead; a readable date gives no such line."""
    path = tmp_path / "dated.jsonl"
    records = [
        {"text": "Russia and China signed a trade deal on Monday.", "published": "2024-13-45"},
        {"text": "India and Pakistan held talks in Dubai on Tuesday.", "published": "2024-05-06"},
        {"text": "Iran criticized Israel on Wednesday.", "published": "next week"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = run(runner, "code", str(path), "--db", str(tmp_path / "d.db"), "--workers", "0")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    at = next(
        i for i, line in enumerate(lines) if line.startswith("2 article(s) coded without the publication")
    )
    assert "write it as YYYY-MM-DD" in lines[at]
    assert lines[at + 1 : at + 3] == [
        f"  {path}:1: published '2024-13-45'",
        f"  {path}:3: published 'next week'",
    ]
    assert not any(":2: published" in line for line in lines)


def test_code_jsonl_to_stdout_and_read_back(runner, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(GOOD[0]) + "\n")
    db = str(tmp_path / "d.db")
    result = run(runner, "code", str(path), "--db", db, "--jsonl", "-", "--quiet", "--workers", "0")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    bundle = json.loads(line)
    assert list(bundle) == ["article", "actors", "claims", "events", "dates", "places", "divergences"]
    assert bundle["article"]["published"] == "2024-03-06"
    article_id = bundle["article"]["id"]
    shown = json.loads(run(runner, "show", article_id[:8], "--db", db, "--format", "json").output)
    # Story ids and corroboration are assigned after the run, when the store is re-clustered.
    assert shown["article"].pop("story_id") is not None and bundle["article"].pop("story_id") is None
    assert [e.pop("corroboration") for e in shown["events"]] == [1] * len(shown["events"])
    assert {e.pop("corroboration") for e in bundle["events"]} <= {None}
    assert shown == bundle
    text = run(runner, "show", article_id, "--db", db)
    assert text.output.startswith(f"article {article_id}\n")
    listed = run(runner, "events", "--db", db, "--format", "json")
    assert [e["id"] for e in json.loads(listed.output)] == [e["id"] for e in bundle["events"]]


def test_reading_commands_refuse_a_missing_database(runner, tmp_path):
    result = run(runner, "stats", "--db", str(tmp_path / "nope.db"))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: no database at {tmp_path / 'nope.db'} (code some articles first: detente code PATH --db {tmp_path / 'nope.db'})\n"
    )


def test_show_unknown_id_is_one_line_error(runner, tmp_path):
    db = str(tmp_path / "d.db")
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(GOOD[1]) + "\n")
    run(runner, "code", str(path), "--db", db, "-q", "--workers", "0")
    result = run(runner, "show", "ffffffffffff", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no article with id 'ffffffffffff'")


def test_bad_option_values_are_usage_errors(runner, tmp_path):
    result = runner.invoke(cli, ["events", "--db", str(tmp_path / "x.db"), "--since", "yesterday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_interrupted_run_resumes_without_loss_or_duplicates(tmp_path):
    """kill -9 in the middle of a run, then the same command: every article once."""
    texts = [
        {"id": f"n{i}", "text": f"Russia and China held talks in Moscow on day {i} of the summit, officials said.",
         "published": "2024-05-01"}
        for i in range(40)
    ]  # fmt: skip
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(t) for t in texts) + "\n")
    db = tmp_path / "d.db"
    cmd = [sys.executable, "-m", "detente", "code", str(path), "--db", str(db), "--batch-size", "2", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 4:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 40, "the run should have been killed part-way"
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 40
        assert conn.execute("SELECT COUNT(*) FROM articles WHERE meta LIKE '%input_id%'").fetchone()[0] == 40


def test_twenty_megabyte_file_is_refused_quickly_with_a_hint(runner, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Russia and China held talks in Moscow. " * 520_000)  # ~20 MB
    assert path.stat().st_size > 20_000_000
    start = time.perf_counter()
    result = run(runner, "code", str(path), "--db", str(tmp_path / "d.db"), "-q")
    assert time.perf_counter() - start < 30
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: is too large to code as one article")
    assert "split it into articles" in result.stderr


def test_invalid_utf8_and_binary_files_do_not_crash(runner, tmp_path):
    (tmp_path / "cp1252.txt").write_bytes(
        "Le ministre a déclaré que la réunion à Genève était « utile ».".encode("cp1252")
    )
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    result = run(runner, "code", str(tmp_path), "--db", str(tmp_path / "d.db"), "-q")
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'image.txt'}: is a binary file" in result.stderr
    assert "Traceback" not in result.stderr
    stats = run(runner, "stats", "--db", str(tmp_path / "d.db"), "--format", "json")
    assert json.loads(stats.output)["articles"] == 1


def test_dask_option_codes_on_a_local_cluster(runner, tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in GOOD) + "\n")
    db = str(tmp_path / "d.db")
    result = run(runner, "code", str(path), "--db", db, "--dask", "--workers", "1", "-q")
    assert result.exit_code == 0, result.stderr
    local = str(tmp_path / "l.db")
    run(runner, "code", str(path), "--db", local, "-q", "--workers", "0")
    dask_events = json.loads(run(runner, "events", "--db", db, "--format", "json").output)
    local_events = json.loads(run(runner, "events", "--db", local, "--format", "json").output)
    assert dask_events == local_events and dask_events


def test_a_run_that_reads_nothing_leaves_no_empty_database_behind(runner, tmp_path):
    db = tmp_path / "new.db"
    (tmp_path / "moscow.txt").write_bytes(b"Russia and China met in Mosc\xff\xfew on Monday, officials said.")
    result = run(runner, "code", str(tmp_path / "missing.txt"), str(tmp_path / "moscow.txt"), "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"nothing was stored, so {db} was not created"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moscow.txt"]
    # an existing database, even an empty one, is never removed
    open_store_and_close(db)
    assert run(runner, "code", str(tmp_path / "missing.txt"), "--db", str(db), "-q").exit_code == 1
    assert db.exists()


def open_store_and_close(db):
    from detente.store import open_store

    open_store(db).close()


def test_clearly_cp1252_file_is_coded_with_a_warning_and_mojibake_is_refused(runner, tmp_path):
    text = "Russia and China signed a “strategic” energy agreement in Beijing on Tuesday – “a new era”."
    (tmp_path / "quotes.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "moscow.txt").write_bytes(b"Russia and China met in Mosc\xff\xfew on Monday, officials said.")
    db = tmp_path / "d.db"
    result = run(runner, "code", str(tmp_path), "--db", str(db), "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'moscow.txt'}: is not UTF-8 (byte 0xFF at offset 28) and its encoding cannot be told"
        " with confidence (best guess iso8859_13: 0.75, 0.90 needed) (convert it to UTF-8, e.g. iconv -f"
        " iso8859_13 -t UTF-8)",
        f"warning: {tmp_path / 'quotes.txt'}: is not UTF-8; read as cp1252 (confidence 0.97)",
    ]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT text FROM articles").fetchall() == [(text,)]
