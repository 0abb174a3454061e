"""CLI: detente actors resolve|add|list|check and detente eval actors — output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli import cli

pytestmark = pytest.mark.model

MINE = "- name: Blue Heron Collective\n  country: FRA\n  sector: CVL\n  aliases: [BHC]\n"


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    monkeypatch.setenv("DETENTE_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_resolve_prints_a_table(runner):
    result = runner.invoke(cli, ["actors", "resolve", "Si Jin-Pching", "the Kremlin", "--date", "2025-06-09"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "mention",
        "text",
        "country",
        "sector",
        "actor_id",
        "name",
        "kind",
        "confidence",
    ]
    assert "person:xi-jinping" in lines[2] and "CHN" in lines[2] and "GOV" in lines[2]
    assert "RUS" in lines[3] and "metonym" in lines[3]


def test_resolve_json_with_context_and_date(runner):
    result = runner.invoke(
        cli, ["actors", "resolve", "Trump", "--date", "2022-01-05", "--context", "Trump met Putin.", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["actor_id"], r["country"], r["sector"]) for r in rows] == [
        ("person:donald-trump", "USA", "ELI")
    ]


def test_resolve_file_gives_one_line_per_input_in_order(runner, tmp_path):
    path = tmp_path / "m.jsonl"
    items = [
        {"text": "Marco Rubio", "date": "2019-05-01"},
        {"text": "Marco Rubio", "date": "2025-05-01"},
        {"text": "FSB", "context": "Russia's FSB watched WeChat users."},
        {"text": "Zorbulon Quatch"},
    ]
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["actors", "resolve", "--file", str(path)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["text"] for o in out] == [i["text"] for i in items]
    assert out[0]["actors"][0]["sector"] == "LEG" and out[1]["actors"][0]["sector"] == "GOV"
    assert out[2]["actors"][0]["text"] == "Russia's FSB" and out[2]["actors"][0]["sector"] == "SPY"
    assert out[3]["actors"][0]["country"] == "UNK"


def test_resolve_needs_input(runner):
    result = runner.invoke(cli, ["actors", "resolve"])
    assert result.exit_code == 2
    assert "give one or more TEXTs or --file FILE" in result.output


def test_resolve_file_answers_every_line_and_exits_1_after_bad_ones(runner, tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        '{"text": "NATO"}',
        '{"nope": 1}',
        '{"text": "Putin", "date": 20250609}',  # a number: a traceback before issue 14
        '{"text": "FSB", "context": ["Russia"]}',
        "not json",
        '{"text": "the Kremlin", "date": "2025-06-09"}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["actors", "resolve", "--file", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("line") for o in out] == [None, 2, 3, 4, 5, None]
    assert out[0]["actors"][0]["country"] == "IGO" and out[5]["actors"][0]["country"] == "RUS"
    assert out[2] == {"line": 3, "text": "Putin", "error": "'date' 20250609 is not a date; use YYYY-MM-DD"}
    assert out[3]["error"] == "'context' must be a string (a sentence containing the mention)"
    assert (
        result.stderr == f"error: {path}: 4 of 6 line(s) could not be answered (their output lines say why)\n"
    )


def test_check_add_and_list_a_user_file(runner, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(MINE, encoding="utf-8")
    checked = runner.invoke(cli, ["actors", "check", str(path)])
    assert checked.exit_code == 0 and checked.output.startswith(f"{path}: 1 actor(s) OK")
    added = runner.invoke(cli, ["actors", "add", str(path)])
    assert added.exit_code == 0, added.output
    assert (tmp_path / "home" / "actors" / "mine.yaml").exists()
    listed = runner.invoke(
        cli, ["actors", "list", "--country", "FRA", "--kind", "organization", "--format", "json"]
    )
    listed_names = [r["name"] for r in json.loads(listed.output)]
    assert "Blue Heron Collective" in listed_names  # beside the shipped packs' French organisations
    resolved = runner.invoke(cli, ["actors", "resolve", "BHC", "--json"])
    assert json.loads(resolved.output)[0]["country"] == "FRA"


def test_check_reports_a_bad_file(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "actor_id,name,country,sector,kind,aliases\norg:x,X Group,Narnia,REB,group,\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["actors", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {path}: entry 2: country 'Narnia' is not a 3-letter code")


def test_list_people_with_roles_at_a_date(runner):
    result = runner.invoke(cli, ["actors", "list", "--country", "USA", "--kind", "person", "--date", "2019-06-01",
                                 "--format", "json"])  # fmt: skip
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["Donald Trump"]["sector"] == "GOV"
    assert rows["Marco Rubio"]["sector"] == "LEG"


def gold_file(tmp_path, lines: list[dict]) -> Path:
    """A gold file of the PLOVER dev shape (actorText -> code/sector pairs per sentence)."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return gold


def test_eval_actors_on_own_gold(runner, tmp_path):
    lines = [
        {"id": "g1", "text": "Russian troops shelled the town, Ukrainian officials said.",
         "source": [{"actorText": "Russian troops", "code": "RUS", "sector": "MIL"}],
         "target": [{"actorText": "Ukrainian officials", "code": "UKR", "sector": "GOV"}]},
        {"id": "g2", "text": "NATO criticised Belarus.",
         "source": [{"actorText": "NATO", "code": "IGO"}], "target": [{"actorText": "Belarus", "code": "FRA"}]},
    ]  # fmt: skip
    gold = gold_file(tmp_path, lines)
    result = runner.invoke(cli, ["eval", "actors", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["all"]
    assert data["country"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    assert data["sector"] == {"correct": 2, "total": 2, "accuracy": 1.0}
    assert data["wrong_country"] == {"count": 1, "total": 4, "rate": 0.25}  # Belarus is not France
    assert [f["actorText"] for f in data["failures"]] == ["Belarus"]
    table = runner.invoke(cli, ["eval", "actors", str(gold)])
    assert table.output.splitlines()[2].split() == ["all", "4", "0.750", "1.000", "0.250"]


def test_eval_actors_by_kind_scores_names_descriptions_and_pronouns_apart(runner, tmp_path):
    lines = [
        {"id": "k1", "text": "Russian troops shelled the town, and they withdrew, Ukrainian officials said.",
         "source": [{"actorText": "Russian troops", "code": "RUS", "sector": "MIL"},
                    {"actorText": "they", "code": "RUS", "sector": "MIL"}],
         "target": [{"actorText": "Ukrainian officials", "code": "UKR", "sector": "GOV"}]},
        {"id": "k2", "text": "NATO criticised Belarus.",
         "source": [{"actorText": "NATO", "code": "IGO"}], "target": [{"actorText": "Belarus", "code": "FRA"}]},
    ]  # fmt: skip
    gold = gold_file(tmp_path, lines)
    result = runner.invoke(cli, ["eval", "actors", str(gold), "--by-kind", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["all", "all, names", "all, descriptions", "all, pronouns"]
    assert data["all"]["mentions"] == 5
    assert [data[f"all, {k}"]["mentions"] for k in ("names", "descriptions", "pronouns")] == [2, 2, 1]
    # the wrong country (Belarus coded as France in this gold) is a name's
    assert data["all, names"]["wrong_country"]["count"] == 1
    assert data["all, descriptions"]["wrong_country"]["count"] == 0
    plain = runner.invoke(cli, ["eval", "actors", str(gold), "--json"])
    assert list(json.loads(plain.output)) == ["all"]  # without the flag, the splits alone


def test_eval_actors_on_the_mention_gold_reports_each_half_and_the_held_out_mentions_no_event_covers(runner):
    from detente.actors.evaluation import mention_gold

    if not mention_gold():
        pytest.skip("no mention gold in this checkout")
    result = runner.invoke(cli, ["eval", "actors", "--split", "mentions", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    tuning, held_out, fresh = (
        data["mentions tuning"],
        data["mentions held-out"],
        data["held-out, no event covers"],
    )
    assert held_out["mentions"] >= 400 and 0 < fresh["mentions"] < held_out["mentions"]
    assert tuning["mentions"] + held_out["mentions"] == len(mention_gold())
    assert 0.0 < held_out["country"]["accuracy"] <= 1.0
    # failures are listed for the tuning half only: the held-out half is not read while rules are written
    assert "failures" in tuning and "failures" not in held_out


def test_eval_actors_missing_file(runner, tmp_path):
    result = runner.invoke(cli, ["eval", "actors", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "no such gold file" in result.output


def test_eval_actors_saves_a_run_and_compares_a_later_one_with_it(runner, tmp_path):
    gold = gold_file(tmp_path, [
        {"id": "s1", "text": "Russian troops shelled the town, Ukrainian officials said.",
         "source": [{"actorText": "Russian troops", "code": "RUS", "sector": "MIL"}],
         "target": [{"actorText": "Ukrainian officials", "code": "UKR", "sector": "GOV"}]},
    ])  # fmt: skip
    saved = tmp_path / "before.jsonl"
    first = runner.invoke(cli, ["eval", "actors", str(gold), "--save", str(saved)])
    assert first.exit_code == 0, first.output
    rows = [json.loads(x) for x in saved.read_text(encoding="utf-8").splitlines()]
    assert [(r["actorText"], r["country_ok"]) for r in rows] == [
        ("Russian troops", True),
        ("Ukrainian officials", True),
    ]
    # the same code against itself: nothing moved
    same = runner.invoke(cli, ["eval", "actors", str(gold), "--against", str(saved), "--json"])
    assert json.loads(same.output)["against"]["splits"]["all"]["right_gained"] == 0
    # a saved run in which "Ukrainian officials" was a wrong country: now it is right, and listed
    rows[1] |= {"country_ok": False, "wrong_country": True, "got": ["POL", "GOV", "agent noun"]}
    saved.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    moved = runner.invoke(cli, ["eval", "actors", str(gold), "--against", str(saved)])
    assert moved.exit_code == 0, moved.output
    assert "all: right +1 -0, wrong country +0 -1, sector +0 -0" in moved.output
    assert (
        "'Ukrainian officials' gold ['UKR', 'GOV']: ['POL', 'GOV', 'agent noun'] -> ['UKR', 'GOV'"
        in moved.output
    )


def test_eval_actors_against_a_file_that_is_no_saved_run_says_so_in_one_line(runner, tmp_path):
    gold = gold_file(tmp_path, [{"id": "s1", "text": "NATO met.", "source": [{"actorText": "NATO", "code": "IGO"}],
                                 "target": []}])  # fmt: skip
    other = tmp_path / "other.jsonl"
    other.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["eval", "actors", str(gold), "--against", str(other)])
    assert result.exit_code != 0
    assert "other.jsonl: line 1 is not a saved outcome" in result.output and "Traceback" not in result.output


def test_compare_outcomes_counts_the_held_out_half_without_listing_it():
    from detente.actors.evaluation import compare_outcomes

    row = {"id": "v-1", "start": 0, "actorText": "he", "split": "held-out", "gold": ["KEN", "GOV"],
           "got": None, "country_ok": False, "sector_ok": False, "wrong_country": False}  # fmt: skip
    after = dict(row, got=["KEN", "GOV", "coreference"], country_ok=True, sector_ok=True)
    result = compare_outcomes([row], [after])["splits"]["held-out"]
    assert (result["right_gained"], result["sector_gained"]) == (1, 1) and "changed" not in result
