"""One consistent CLI (issue 13): every command that prints data takes ``--format table|json|jsonl|csv``
(a test walks every command with every format), ``--json`` stays an alias, id prefixes resolve or list
their candidates, ``--type`` reads the older labels, ``--dyad`` says what was wrong, every help has an
example."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.cli.main import FORMATS
from detente.export import FORMATS as EXPORT_FORMATS
from detente.records import ActorRef, Article, Bundle, Event, Span
from tests.test_cli_claims import provenance_bundle
from tests.test_divergence import make_bundle
from tests.test_stories import corpus

REPO = Path(__file__).resolve().parents[1]
# Commands that act or serve rather than print data: no --format.
NO_DATA = {"code", "serve", "actors add", "actors check", "kb build", "kb wikidata"}
DB = "{db}"
GOLD = "{gold}"
# Every data command, run with arguments that give it data to print.
COMMANDS: dict[str, list[str]] = {
    "actors list": ["actors", "list", "--country", "RUS", "--kind", "person"],
    "actors resolve": ["actors", "resolve", "FSB", "the Kremlin", "--date", "2025-06-09"],
    "claims": ["claims", "--db", DB],
    "dates": ["dates", "last Sunday", "--pub-date", "2025-06-09"],
    "divergence": ["divergence", "BOR", "ARL", "--db", DB],
    "eval actors": ["eval", "actors", GOLD + "actors.jsonl"],
    "eval claims": ["eval", "claims", GOLD + "claims.jsonl"],
    "eval dates": ["eval", "dates", str(REPO / "tests" / "data" / "date_cases.jsonl")],
    "eval events": ["eval", "events", GOLD + "events.jsonl"],
    "eval news": ["eval", "news", "--folds", "2"],
    "events": ["events", "--db", DB],
    "kb packs": ["kb", "packs"],
    "show": ["show", "pro", "--db", DB],
    "stats": ["stats", "--db", DB],
    "stories": ["stories", "--db", DB, "--no-write"],
}
# Commands whose output formats are files of their own kinds (docs/export.md).
FILE_FORMATS: dict[str, tuple[str, ...]] = {"export": EXPORT_FORMATS}
# Commands whose json/jsonl give whole records of another shape than their table and csv rows.
WHOLE_RECORDS = {"show"}
NEEDS_MODEL = {"actors list", "actors resolve", "eval actors", "eval claims", "eval events", "kb packs"}


def leaf_commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.update(leaf_commands(command, (*path, name)))
        else:
            found[" ".join((*path, name))] = command
    return found


def all_commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> dict[str, click.Command]:
    found: dict[str, click.Command] = {" ".join(path) or "detente": group}
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.update(all_commands(command, (*path, name)))
        else:
            found[" ".join((*path, name))] = command
    return found


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("formats") / "formats.db")
    store = open_store(path)
    store.migrate()
    store.write_bundles([provenance_bundle(), make_bundle(), *corpus()])
    store.close()
    return path


@pytest.fixture(scope="module")
def gold(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("gold")
    events = [
        {"id": "g1", "text": "Russian forces attacked the Ukrainian city of Kharkiv on Monday.", "event": "ASSAULT",
         "source": [{"actorText": "Russian forces", "code": "RUS"}], "target": [{"actorText": "Kharkiv", "code": "UKR"}],
         "eventText": "attacked"},
        {"id": "g2", "text": "China and Russia signed an energy agreement in Beijing.", "event": "AGREE",
         "source": [{"actorText": "China", "code": "CHN"}], "target": [{"actorText": "Russia", "code": "RUS"}],
         "eventText": "signed"},
    ]  # fmt: skip
    actors = [
        {"id": "a1", "text": "Russian troops shelled the town, Ukrainian officials said.",
         "source": [{"actorText": "Russian troops", "code": "RUS", "sector": "MIL"}],
         "target": [{"actorText": "Ukrainian officials", "code": "UKR", "sector": "GOV"}]},
    ]  # fmt: skip
    claims = [
        {"id": "c1", "text": "The ministry said the talks had failed.",
         "claims": [{"cue": "said", "speaker": "The ministry", "content": "the talks had failed"}]},
    ]  # fmt: skip
    for name, lines in (("events", events), ("actors", actors), ("claims", claims)):
        (folder / f"{name}.jsonl").write_text(
            "\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8"
        )
    return str(folder) + "/"


@pytest.fixture
def quick_news(monkeypatch):
    """'eval news' trains for minutes; its output formats are what is tested here, so training is stubbed."""
    from detente.events import training

    class Policy:
        def as_dict(self):
            return {"drop": 0.5}

    summary = {"precision": 0.8, "recall": 0.7, "f1": 0.75, "source_country_right": 0.9,
               "target_country_right": 0.85, "negatives_coded": 0.05}  # fmt: skip
    report = {"news": summary, "synthetic": summary, "written": summary,
              "dev_gold": {"type_accuracy": 0.6, "macro_f1": 0.5, "source_country": 0.7, "target_country": 0.65},
              "reliability_news": [{"bin": "0.5-0.6", "events": 3, "mean_confidence": 0.55, "share_right": 0.66}]}  # fmt: skip
    monkeypatch.setattr(training, "load_material", lambda *a, **k: ([], None))
    monkeypatch.setattr(training, "cross_validate", lambda *a, **k: [])
    monkeypatch.setattr(training, "nested_outcomes", lambda *a, **k: ([], [Policy()]))
    monkeypatch.setattr(training, "outcomes", lambda *a, **k: [])
    monkeypatch.setattr(training, "cv_report", lambda items: report)


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_every_data_command_takes_every_format_and_every_help_has_an_example():
    leaves = leaf_commands()
    assert set(leaves) == set(COMMANDS) | set(FILE_FORMATS) | NO_DATA, "a new command: add it here"
    for name in [*COMMANDS, *FILE_FORMATS]:
        option = next(p for p in leaves[name].params if p.name == "fmt")
        assert tuple(option.type.choices) == FILE_FORMATS.get(name, FORMATS), name  # type: ignore[attr-defined]
    for name in NO_DATA:
        assert not any(p.name == "fmt" for p in leaves[name].params), name
    for name in all_commands():
        args = name.split()[1:] if name.startswith("detente") else name.split()
        result = invoke(*args, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output or "Typical session" in result.output, (
            f"{name} --help has no example"
        )


def _params(name: str, fmt: str):
    marks = [pytest.mark.model] if name in NEEDS_MODEL else []
    return pytest.param(name, fmt, marks=marks, id=f"{name.replace(' ', '-')}-{fmt}")


@pytest.mark.parametrize(("name", "fmt"), [_params(n, f) for n in COMMANDS for f in FORMATS])
def test_every_command_with_every_format(name, fmt, db, gold, quick_news):
    args = [a.replace(DB, db).replace(GOLD, gold) for a in COMMANDS[name]]
    result = CliRunner().invoke(cli, [*args, "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, (name, fmt, result.output)
    out = result.stdout
    assert out.strip(), (name, fmt)
    if fmt == "json":
        data = json.loads(out)
        assert data and isinstance(data, (list, dict))
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in out.splitlines()]
        assert lines and all(isinstance(line, dict) for line in lines)
        assert len(lines) == 1 if name in WHOLE_RECORDS else True
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1, (name, rows[:3])  # a header, rows as wide
    else:
        with pytest.raises(ValueError):
            json.loads(out)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=[pytest.mark.model] if n in NEEDS_MODEL else [])
        for n in COMMANDS
        if n not in WHOLE_RECORDS
    ],
)
def test_jsonl_and_csv_hold_the_same_rows(name, db, gold, quick_news):
    args = [a.replace(DB, db).replace(GOLD, gold) for a in COMMANDS[name]]
    jsonl = invoke(*args, "--format", "jsonl").stdout.splitlines()
    rows = list(csv.DictReader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    assert len(jsonl) == len(rows) > 0, name


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_with_every_format(fmt, db, tmp_path):
    out = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "parquet":
        assert data[:4] == data[-4:] == b"PAR1"
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode())))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
    else:
        assert all(isinstance(json.loads(line), dict) for line in data.decode().splitlines())
    assert result.stderr.startswith("exported ") and result.stdout == ""


def test_json_is_an_alias_of_format_json():
    assert (
        invoke("dates", "last Sunday", "--pub-date", "2025-06-09", "--json").stdout
        == invoke("dates", "last Sunday", "--pub-date", "2025-06-09", "--format", "json").stdout
    )
    clash = CliRunner().invoke(cli, ["dates", "last Sunday", "--json", "--format", "csv"])
    assert clash.exit_code == 2 and "--json means --format json" in clash.output


def test_single_records_read_as_one_row():
    result = invoke("dates", "last Sunday", "--pub-date", "2025-06-09", "--format", "csv")
    assert result.stdout == "text,start,end,granularity,type,reason\n" + (
        "last Sunday,2025-06-08,2025-06-08,day,exact," + json.loads(
            invoke("dates", "last Sunday", "--pub-date", "2025-06-09", "--format", "json").stdout
        )["reason"] + "\n"
    )  # fmt: skip
    table = invoke("dates", "last Sunday", "--pub-date", "2025-06-09").stdout.splitlines()
    assert table[:3] == ["text         last Sunday", "start        2025-06-08", "end          2025-06-08"]


def test_dates_file_in_every_format(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "last Sunday", "pub_date": "2025-06-09"}\n{oops\n', encoding="utf-8")
    plain = CliRunner().invoke(cli, ["dates", "--file", str(path)])
    assert plain.exit_code == 1 and len(plain.stdout.splitlines()) == 2  # JSON lines by default, as before
    as_csv = CliRunner().invoke(cli, ["dates", "--file", str(path), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert as_csv.exit_code == 1 and [(r["line"], r["start"], r["error"][:14]) for r in rows] == [
        ("1", "2025-06-08", ""), ("2", "", "is not valid J"),
    ]  # fmt: skip
    as_json = CliRunner().invoke(cli, ["dates", "--file", str(path), "--format", "json"])
    assert [r.get("start") for r in json.loads(as_json.stdout)] == ["2025-06-08", None]


# ---------------------------------------------------------------------------------------------- ids


def _article(aid: str, text: str) -> Bundle:
    rus = ActorRef("Russia", 0, 6, "country:RUS", "Russia", "RUS", None, "country")
    ukr = ActorRef("Ukraine", 16, 23, "country:UKR", "Ukraine", "UKR", None, "country")
    event = Event(
        id=f"e-{aid}", article_id=aid, event_type="ASSAULT", mode=None, context=(), quad="material_conflict",
        intensity=-9.0, modality="asserted", source=(rus,), target=(ukr,), trigger=Span("attacked", 7, 15),
        sentence=Span(text, 0, len(text)),
    )  # fmt: skip
    return Bundle(Article(id=aid, text=text, outlet="Wire"), actors=(rus, ukr), events=(event,))


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> str:
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("twins") / "twins.db")
    store = open_store(path)
    store.migrate()
    store.write_bundles([
        _article("abc123", "Russia attacked Ukraine on Monday."),
        _article("abd456", "Russia attacked Ukraine on Tuesday."),
    ])  # fmt: skip
    store.close()
    return path


def test_an_ambiguous_id_prefix_lists_the_candidates(twins):
    for args in (["show", "ab"], ["events", "--article", "ab"], ["claims", "--article", "ab"]):
        result = CliRunner().invoke(cli, [*args, "--db", twins])
        assert result.exit_code == 1, args
        assert result.stderr == (
            "error: article id prefix 'ab' is ambiguous: it starts 2 article ids: abc123, abd456 "
            "(give more of the id)\n"
        )
    assert invoke("show", "abd", "--db", twins, "--format", "jsonl").stdout.startswith(
        '{"article": {"id": "abd456"'
    )
    events = invoke("events", "--article", "abc", "--db", twins, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(e)["article_ids"] for e in events] == [["abc123"]]
    missing = CliRunner().invoke(cli, ["events", "--article", "zz", "--db", twins])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no article with id 'zz'")


def test_type_takes_the_older_labels_the_api_takes(db):
    assault = invoke("events", "--db", db, "--type", "ASSAULT", "--format", "csv").stdout
    assert assault.count("\n") > 1
    for old in ("FIGHT", "fight"):
        assert invoke("events", "--db", db, "--type", old, "--format", "csv").stdout == assault
    accuse = invoke("events", "--db", db, "--type", "ACCUSE", "--format", "csv").stdout
    assert invoke("events", "--db", db, "--type", "DISAPPROVE", "--format", "csv").stdout == accuse
    assert invoke("events", "--db", db, "--type", "INVESTIGATE", "--format", "csv").stdout == accuse
    assert "DEMAND" in invoke("events", "--help").stdout
    wrong = CliRunner().invoke(cli, ["events", "--db", db, "--type", "BOMB"])
    assert wrong.exit_code == 2 and "'BOMB' is not one of" in wrong.output


@pytest.mark.parametrize(
    ("dyad", "code", "message"),
    [
        (["RUS"], 2, "Option '--dyad' requires 2 arguments: --dyad takes two actors separated by a space, "
                     "e.g. --dyad RUS CHN."),
        (["RUS", "--limit", "5"], 2, "Invalid value for --dyad: takes two actors, e.g. --dyad RUS CHN, but the "
                                      "second value is the option '--limit'"),
        (["RUS,CHN", "--limit", "5"], 2, "Invalid value for --dyad: takes two actors separated by a space, not a "
                                         "comma: --dyad RUS CHN (got 'RUS,CHN')"),
        (["RUS,CHN", "UKR"], 2, "Invalid value for --dyad: takes two actors separated by a space, not a comma: "
                                "--dyad RUS CHN (got 'RUS,CHN')"),
        (["RUS", "rus"], 2, "Invalid value for --dyad: needs two different actors (got RUS twice); for everything "
                            "RUS did or had done to it, use --actor RUS"),
        (["RUS", "XYZ"], 1, "error: --dyad: no stored event has 'XYZ' as an actor (actors are country codes "
                            "(RUS, CHN) or actor ids (org:fsb); the source and target columns of 'detente events' "
                            "show them)"),
    ],
)  # fmt: skip
def test_dyad_errors_say_what_went_wrong(db, dyad, code, message):
    result = CliRunner().invoke(cli, ["events", "--db", db, "--dyad", *dyad])
    assert result.exit_code == code
    assert message in " ".join(result.output.split()), result.output


def test_dyad_and_actor_read_country_codes_in_any_case(db):
    upper = invoke("events", "--db", db, "--dyad", "RUS", "UKR", "--format", "csv").stdout
    assert upper.count("\n") > 1
    assert invoke("events", "--db", db, "--dyad", "rus", "ukr", "--format", "csv").stdout == upper
    unknown = CliRunner().invoke(cli, ["events", "--db", db, "--actor", "nobody"])
    assert unknown.exit_code == 1 and unknown.stderr.startswith(
        "error: --actor: no stored event has 'nobody'"
    )


def test_show_reads_verification_language_as_it_points():
    """'detente show': the leaked memo's verification casts doubt; it is not listed as a tick."""
    from detente.cli.code import render_bundle

    lines = render_bundle(provenance_bundle()).splitlines()
    memo = lines.index(next(line for line in lines if line.startswith("  c-memo ")))
    assert lines[memo + 1 : memo + 3] == ["    verification doubted:", "      - casts doubt: leaked memo"]


def test_eval_news_reports_the_written_sentences_and_the_dev_golds_roles(quick_news):
    result = invoke("eval", "news", "--folds", "2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["stories"] for r in rows} >= {"news", "synthetic", "written", "plover dev gold"}
    dev = next(r for r in rows if r["coder"] == "model" and r["stories"] == "plover dev gold")
    assert (dev["source_ok"], dev["target_ok"]) == ("0.7", "0.65")
