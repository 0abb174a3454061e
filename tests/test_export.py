"""``detente export``: every kind in every format read back with pandas (and with R's read.csv where R is
installed), the same selection as ``detente events``, PLOVER's field names, the documented columns."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.export import COLUMNS, KINDS, SCHEMAS
from tests.dashboard_sample import sample_bundles
from tests.test_cli_claims import provenance_bundle
from tests.test_divergence import make_bundle
from tests.test_stories import corpus

pd = pytest.importorskip("pandas", reason="pandas is in the dev extra: pip install -e '.[dev]'")
REPO = Path(__file__).resolve().parents[1]
PLOVER_FIELDS = {
    "id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
    "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
    "coder", "coded_date", "coded_time", "comment",
}  # fmt: skip
DETENTE_FIELDS = {
    "modality",
    "confidence",
    "article_id",
    "claim_id",
    "mentions",
    "corroboration",
    "article_ids",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("export") / "export.db")
    store = open_store(path)
    store.migrate()
    store.write_bundles([provenance_bundle(), make_bundle(), *corpus(), *sample_bundles()])
    store.close()
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def listed(db: str, *filters: str, mentions: bool = False) -> list[dict]:
    """What 'detente events' lists for the same filters (every row)."""
    args = ["events", "--db", db, *filters, "--limit", "100000", "--format", "jsonl"]
    return [json.loads(line) for line in run(*args, *(["--mentions"] if mentions else [])).splitlines()]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_reads_back_with_pandas_in_each_format(db, kind, tmp_path):
    frames = {
        "csv": pd.read_csv(
            io.StringIO(run("export", kind, "--db", db)), keep_default_na=False, na_values=[""]
        ),
        "jsonl": pd.read_json(io.StringIO(run("export", kind, "--db", db, "--format", "jsonl")), lines=True),
    }
    out = tmp_path / f"{kind}.parquet"
    run("export", kind, "--db", db, "--format", "parquet", "--out", str(out))
    frames["parquet"] = pd.read_parquet(out)
    sizes = {name: len(frame) for name, frame in frames.items()}
    assert len(set(sizes.values())) == 1 and sizes["csv"] > 0, sizes
    for name, frame in frames.items():
        assert list(frame.columns) == list(COLUMNS[kind]), name
    parquet, from_csv = frames["parquet"], frames["csv"]
    # Types: Parquet carries the schema; CSV reads its booleans and numbers as such.
    for column, typ in SCHEMAS[kind]:
        if typ == "bool":
            assert parquet[column].dtype == bool and from_csv[column].dtype == bool, column
        if typ == "int" and parquet[column].notna().all():
            assert str(parquet[column].dtype) == "int64" and str(from_csv[column].dtype) == "int64", column
        if typ == "date":
            assert all(v is None or hasattr(v, "isoformat") for v in parquet[column].tolist()), column
    # The three formats hold the same values, row for row.
    for column, typ in SCHEMAS[kind]:
        if typ in ("str", "int"):
            values = {
                name: [None if pd.isna(v) else str(v) for v in frame[column]]
                for name, frame in frames.items()
            }
            assert values["csv"] == values["parquet"] == values["jsonl"], column


def test_events_export_is_the_selection_detente_events_lists(db):
    for filters in (
        [],
        ["--dyad", "RUS", "UKR"],
        ["--type", "FIGHT"],
        ["--actor", "CHN", "--since", "2025-01-01"],
    ):
        exported = pd.read_csv(io.StringIO(run("export", "--db", db, *filters)))
        assert list(exported["event_id"]) == [e["id"] for e in listed(db, *filters)], filters
        mentions = pd.read_csv(io.StringIO(run("export", "mentions", "--db", db, *filters)))
        assert sorted(mentions["mention_id"]) == sorted(m["id"] for m in listed(db, *filters, mentions=True))
        assert set(mentions["event_id"]) == set(exported["event_id"])
        assert exported["mentions"].sum() == len(mentions)


def test_actors_and_claims_follow_the_selection(db):
    events = pd.read_csv(io.StringIO(run("export", "--db", db, "--dyad", "RUS", "UKR")))
    actors = pd.read_csv(io.StringIO(run("export", "actors", "--db", db, "--dyad", "RUS", "UKR")))
    assert set(actors["country"]) == {"RUS", "UKR"}
    assert actors["as_source"].sum() == sum(len(s.split(";")) for s in events["source_actor_id"].dropna())
    every_claim = pd.read_csv(io.StringIO(run("export", "claims", "--db", db)))
    some = pd.read_csv(io.StringIO(run("export", "claims", "--db", db, "--dyad", "RUS", "CHN")))
    chosen = set(pd.read_csv(io.StringIO(run("export", "--db", db, "--dyad", "RUS", "CHN")))["article_id"])
    assert 0 < len(some) < len(every_claim) and set(some["article_id"]) <= chosen
    leaked = every_claim[every_claim["verification"] == "mixed"].iloc[0]
    assert leaked["obtained_by"] == "Ares Leaks" and leaked["verification_text"].startswith("- This prevents")


def test_plover_json_uses_plover_field_names(db):
    records = [json.loads(line) for line in run("export", "--db", db, "--format", "plover-json").splitlines()]
    assert len(records) == len(listed(db))
    for record in records:
        assert set(record) <= PLOVER_FIELDS | DETENTE_FIELDS, set(record) - PLOVER_FIELDS - DETENTE_FIELDS
        assert {"id", "date", "actor", "event"} <= set(record)  # the manual's required fields
        # null only when neither the text nor the article says when (an undated article of the sample)
        assert (record["date"] is None and record["article_id"] in ("art", "prov")) or re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", record["date"]
        )
        assert record["quad_code"] in (1, 2, 3, 4)
        assert isinstance(record["event"], list) and all(
            set(a) >= {"code", "entity_text"} for a in record["actor"]
        )
    moscow = next(r for r in records if "event_loc" in r)
    assert moscow["event_loc"]["resolved_place"] == "Moscow" and moscow["event_loc"]["lat"] == 55.75
    mentions = [
        json.loads(x) for x in run("export", "mentions", "--db", db, "--format", "plover-json").splitlines()
    ]
    assert len(mentions) == len(listed(db, mentions=True))
    refused = CliRunner().invoke(cli, ["export", "claims", "--db", db, "--format", "plover-json"])
    assert refused.exit_code == 1 and "plover-json holds events, not claims" in refused.stderr


def test_an_empty_export_keeps_its_header_and_schema(db, tmp_path):
    text = run("export", "--db", db, "--since", "2999-01-01")
    assert text == ",".join(COLUMNS["events"]) + "\n"
    out = tmp_path / "empty.parquet"
    run("export", "--db", db, "--since", "2999-01-01", "--format", "parquet", "--out", str(out))
    frame = pd.read_parquet(out)
    assert len(frame) == 0 and list(frame.columns) == list(COLUMNS["events"])
    assert str(frame["quad_code"].dtype) == "int64" and frame["reciprocal"].dtype == bool


def test_export_errors_say_what_to_do(db, tmp_path):
    parquet = CliRunner().invoke(cli, ["export", "--db", db, "--format", "parquet"])
    assert parquet.exit_code == 1 and "Parquet is binary: give a file to write it to" in parquet.stderr
    unknown = CliRunner().invoke(cli, ["export", "--db", db, "--dyad", "RUS", "XYZ"])
    assert unknown.exit_code == 1 and "no stored event has 'XYZ'" in unknown.stderr
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--out", str(out)])
    assert result.stdout == "" and result.stderr == f"exported {len(listed(db))} events to {out}\n"
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS["events"])


def test_docs_list_every_column():
    text = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    for kind in KINDS:
        section = text.split(f"### {kind}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        documented = [
            c for cell in re.findall(r"^\| (`[^|]+) \|", section, re.M) for c in re.findall(r"`(\w+)`", cell)
        ]
        assert sorted(documented) == sorted(COLUMNS[kind]), kind  # each column once, none missing


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed (Debian: r-base-core)")
@pytest.mark.parametrize("kind", KINDS)
def test_r_reads_csv_and_json_lines(db, kind, tmp_path):
    """Base R's read.csv reads the CSV (booleans as logical, counts as integers); jsonlite, where installed,
    the JSON lines. Parquet needs R's arrow package, which Debian does not ship: not tested in R."""
    table, lines = tmp_path / f"{kind}.csv", tmp_path / f"{kind}.jsonl"
    run("export", kind, "--db", db, "--out", str(table))
    run("export", kind, "--db", db, "--format", "jsonl", "--out", str(lines))
    rows = len(pd.read_csv(table))
    script = (
        f'e <- read.csv("{table}", stringsAsFactors = FALSE); types <- sapply(e, class); '
        f'cat(nrow(e), ncol(e), paste(names(e), collapse = ","), "\\n"); '
        f'cat(paste(names(types), types, sep = "=", collapse = " "), "\\n"); '
        f'if (requireNamespace("jsonlite", quietly = TRUE)) {{ j <- jsonlite::stream_in(file("{lines}"), verbose = FALSE); cat(nrow(j), "\\n") }} else cat("none\\n")'
    )  # fmt: skip
    out = subprocess.run(
        ["Rscript", "-e", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    count, width, names = out[0].split()
    assert (int(count), int(width), names.split(",")) == (rows, len(COLUMNS[kind]), list(COLUMNS[kind]))
    types = dict(pair.split("=") for pair in out[1].split())
    for column, typ in SCHEMAS[kind]:
        if typ == "bool":
            assert types[column] == "logical", column
        if typ == "int" and pd.read_csv(table)[column].notna().all():
            assert types[column] == "integer", column
    assert out[2].strip() in ("none", str(rows))


def test_csv_is_plain_rfc4180(db):
    rows = list(csv.reader(io.StringIO(run("export", "claims", "--db", db))))
    assert len({len(r) for r in rows}) == 1 and rows[0] == list(COLUMNS["claims"])
