"""``detente dates`` and ``detente eval dates``: exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from detente.cli import cli

CASES = Path(__file__).parent / "data" / "date_cases.jsonl"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_dates_prints_the_resolution():
    result = run("dates", "last Sunday", "--pub-date", "2025-06-09")
    assert result.exit_code == 0
    assert result.output == (
        "text         last Sunday\n"
        "start        2025-06-08\n"
        "end          2025-06-08\n"
        "granularity  day\n"
        "type         exact\n"
        "reason       the previous such weekday\n"
    )


def test_dates_json():
    result = run("dates", "Three days before Russian invasion At Ukraine in February 2022", "--pub-date",
                 "2025-06-09", "--json")  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["start"], data["end"], data["granularity"], data["type"]) == (
        "2022-02-21",
        "2022-02-21",
        "day",
        "exact",
    )
    assert set(data) == {"text", "start", "end", "granularity", "type", "reason"}


def test_dates_file_keeps_input_order(tmp_path):
    lines = [
        {"text": "last Sunday", "pub_date": "2025-06-09"},
        {"text": "three days of clashes", "pub_date": "2025-06-09"},
        {"text": "earlier this month"},
        {"text": "March 15-20, 2024", "pub_date": None},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = run("dates", "--file", str(path))
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["text"] for o in out] == [line["text"] for line in lines]
    assert [o["type"] for o in out] == ["exact", "unresolved", "unresolved", "range"]
    assert out[3]["start"] == "2024-03-15" and out[3]["end"] == "2024-03-20"
    # --pub-date is the default for lines without one
    result = run("dates", "--file", str(path), "--pub-date", "2025-06-09")
    assert json.loads(result.output.splitlines()[2])["start"] == "2025-06-01"


def test_dates_errors():
    assert run("dates").exit_code == 2
    bad_date = run("dates", "today", "--pub-date", "2025-13-01")
    assert bad_date.exit_code == 2 and "not a date; use YYYY-MM-DD" in bad_date.output


def test_dates_file_answers_every_line_and_exits_1_after_bad_ones(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        '{"text": "last Sunday", "pub_date": "2025-06-09"}',
        "{oops",
        '{"text": "last Sunday", "pub_date": 1749427200}',  # a number: a traceback before issue 14
        '{"text": "last Sunday", "pub_date": "2025-13-01"}',  # silently ignored before
        '["today"]',
        '{"text": 5}',
        "",
        '{"text": "in 2024"}',
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "Mosc\xffw"}\n')
    result = run("dates", "--file", str(path))
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["start"] == "2025-06-08" and out[6]["start"] == "2024-01-01"
    assert out[1:6] + out[7:] == [
        {"line": 2, "error": "is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"},
        {"line": 3, "text": "last Sunday", "error": "'pub_date' 1749427200 is not a date; use YYYY-MM-DD"},
        {"line": 4, "text": "last Sunday", "error": "'pub_date' \"2025-13-01\" is not a date; use YYYY-MM-DD"},
        {"line": 5, "error": "is not a JSON object"},
        {"line": 6, "error": 'needs "text": a date expression (a string)'},
        {"line": 9, "error": "is not UTF-8 (byte 0xFF at offset 14)"},
    ]  # fmt: skip
    assert (
        result.stderr == f"error: {path}: 6 of 8 line(s) could not be answered (their output lines say why)\n"
    )


def test_eval_dates_scores_the_case_file():
    result = run("eval", "dates", str(CASES), "--json")
    assert result.exit_code == 0
    scores = json.loads(result.output)
    assert scores["total"] >= 100 and scores["accuracy"] >= 0.95
    assert set(scores["by_type"]) == {"exact", "approximate", "range", "unresolved"}


def test_eval_dates_reports_failures_and_gates(tmp_path):
    path = tmp_path / "cases.jsonl"
    cases = [
        {
            "text": "yesterday",
            "pub_date": "2025-06-09",
            "expected": {"start": "2025-06-08", "end": "2025-06-08"},
        },
        {"text": "yesterday", "pub_date": "2025-06-09", "expected": {"start": "2025-06-01", "type": "exact"}},
        {
            "text": "last week",
            "pub_date": "2025-06-09",
            "expected": {"start": "2025-06-03"},
            "tolerance_days": 1,
        },
    ]
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    result = run("eval", "dates", str(path))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "dates: 2/3 correct (66.7%)"
    assert "  FAIL 'yesterday' (pub 2025-06-09): start: expected 2025-06-01, got 2025-06-08" in result.output
    assert run("eval", "dates", str(path), "--min-accuracy", "0.9").exit_code == 1
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    missing = run("eval", "dates", str(path))
    assert missing.exit_code == 1 and "line 1" in missing.output
