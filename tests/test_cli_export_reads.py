"""Exports read as docs/export.md shows (issue 13): its pandas and R examples run as written on real exports
and give the dashboard's dyad series; PLOVER JSON read with pandas and with R's jsonlite; Parquet read in R
where a Parquet package is installed, else checked to hold only types R's readers map.

The store is ``tests/filters_sample.py`` (90 articles of our own, 60 of them Russia-China events over 21
months), so a dyad series has many months and all four quad classes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.cli import cli
from detente.export import COLUMNS, SCHEMAS
from tests.filters_sample import fill
from tests.test_export import DETENTE_FIELDS, PLOVER_FIELDS

pd = pytest.importorskip("pandas", reason="pandas is in the dev extra: pip install -e '.[dev]'")
pytest.importorskip("pyarrow", reason="Parquet needs the parquet extra: pip install -e '.[parquet]'")
REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "export.md"
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


def has_r(*packages: str) -> bool:
    if shutil.which("Rscript") is None:
        return False
    check = " && ".join(f'requireNamespace("{p}", quietly = TRUE)' for p in packages) or "TRUE"
    done = subprocess.run(["Rscript", "-e", f"quit(status = if ({check}) 0 else 1)"], capture_output=True)
    return done.returncode == 0


def blocks(language: str) -> list[str]:
    """The fenced ``language`` blocks of the doc's "Reading an export" section, in order."""
    section = DOC.read_text(encoding="utf-8").split("## Reading an export", 1)[1]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    from detente.store import open_store

    path = str(tmp_path_factory.mktemp("reads") / "reads.db")
    store = open_store(path)
    fill(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory) -> Path:
    """The doc's own export commands, run through the CLI into a folder (``detente`` replaced by the CLI)."""
    folder = tmp_path_factory.mktemp("exported")
    (commands,) = blocks("sh")
    for line in commands.strip().splitlines():
        args = line.split()
        assert args[0] == "detente", line
        target = None
        if ">" in args:
            at = args.index(">")
            args, target = args[:at], args[at + 1]
        args = [folder / a if a.startswith("rus-chn") else a for a in args[1:]]
        result = CliRunner().invoke(cli, [str(a) for a in args] + ["--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        if target:
            (folder / target).write_text(result.stdout, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def dashboard_series(db) -> dict[str, dict[str, object]]:
    """What the dashboard draws for RUS-CHN: each month's events per quad class and mean intensity."""
    from detente.store import open_store

    store = open_store(db)
    try:
        answer = TestClient(create_app(store)).get("/api/dyads/RUS/CHN").json()
    finally:
        store.close()
    assert answer["events"] == 60 and not answer["truncated"]
    return {
        p["month"]: {"counts": p["counts"], "mean_intensity": p["mean_intensity"]} for p in answer["points"]
    }


class Plots:
    """A pandas plotting backend that keeps what it is asked to draw (matplotlib is not a test dependency)."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, dict[str, object]]] = []

    def plot(self, data, kind=None, **kwargs):
        self.calls.append((data, {"kind": kind, **kwargs}))
        return f"axes {len(self.calls)}"


def test_the_pandas_example_runs_and_draws_the_dashboards_series(exported, dashboard_series, monkeypatch):
    (code,) = blocks("python")
    plots = Plots()
    backend = types.ModuleType("recording_backend")
    backend.plot = plots.plot  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "recording_backend", backend)
    monkeypatch.chdir(exported)
    names: dict[str, object] = {}
    with pd.option_context("plotting.backend", "recording_backend"):
        exec(compile(code, str(DOC), "exec"), names)  # the example as written
    events, series, intensity = names["events"], names["series"], names["intensity"]
    assert (
        len(events) == 60
        and len(names["same"]) == 60
        and list(names["same"].columns) == list(COLUMNS["events"])
    )
    assert len(names["mentions"]) == 60 and len(names["plover"]) == 60
    assert set(names["plover"].columns) <= PLOVER_FIELDS | DETENTE_FIELDS
    assert {"code", "entity_text"} <= set(names["sources"].columns)
    assert str(events["date"].dtype).startswith("datetime64")
    # The series is the dashboard's, month for month.
    drawn = {
        month: {
            "counts": {q: int(series.loc[month].get(q, 0)) for q in QUADS},
            "mean_intensity": round(float(intensity.loc[month]), 2),
        }
        for month in series.index
    }
    assert drawn == dashboard_series
    # Both were handed to the plotting backend: the stacked bars, then the intensity on the same axes.
    (bars, bar_args), (line, line_args) = plots.calls
    assert bars is series and bar_args["kind"] == "bar" and bar_args["stacked"] is True
    assert line is intensity and line_args["ax"] == "axes 1" and line_args["secondary_y"] is True


@pytest.mark.skipif(
    not has_r("jsonlite"), reason="needs R with jsonlite (Debian: r-base-core r-cran-jsonlite)"
)
def test_the_r_example_runs_and_gives_the_same_series(exported, dashboard_series):
    (code,) = blocks("r")
    script = code + (
        '\nwrite.csv(as.data.frame.matrix(monthly), "monthly.csv")'
        '\nwrite.csv(data.frame(month = names(intensity), mean = as.vector(intensity)), "intensity.csv", row.names = FALSE)'
        '\ncat(nrow(events), nrow(mentions), nrow(plover), class(events$reciprocal), class(events$mentions), "\\n")'
    )  # fmt: skip
    done = subprocess.run(["Rscript", "-e", script], cwd=exported, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows, mentions, plover, reciprocal, counts = done.stdout.split()
    assert (rows, mentions, plover) == ("60", "60", "60") and (reciprocal, counts) == ("logical", "integer")
    assert (exported / "Rplots.pdf").stat().st_size > 0  # barplot drew to R's default device
    monthly = pd.read_csv(exported / "monthly.csv", index_col=0)
    intensity = pd.read_csv(exported / "intensity.csv").set_index("month")["mean"]
    drawn = {
        month: {
            "counts": {q: int(monthly.loc[month].get(q, 0)) for q in QUADS},
            "mean_intensity": round(float(intensity.loc[month]), 2),
        }
        for month in monthly.index
    }
    assert drawn == dashboard_series


@pytest.mark.parametrize("kind", ["events", "mentions"])
def test_pandas_reads_plover_json(db, kind):
    text = CliRunner().invoke(cli, ["export", kind, "--db", db, "--format", "plover-json"]).stdout
    frame = pd.read_json(io.StringIO(text), lines=True)
    assert len(frame) == 90 and set(frame.columns) <= PLOVER_FIELDS | DETENTE_FIELDS
    assert {"id", "date", "actor", "recipient", "event", "quad_code"} <= set(frame.columns)
    assert frame["quad_code"].isin([1, 2, 3, 4]).all() and str(frame["quad_code"].dtype) == "int64"
    actors = pd.json_normalize(frame.explode("actor")["actor"].tolist())
    assert set(actors["code"]) == {"RUS", "CHN", "USA"}
    assert frame["id"].is_unique


@pytest.mark.skipif(
    not has_r("jsonlite"), reason="needs R with jsonlite (Debian: r-base-core r-cran-jsonlite)"
)
def test_r_reads_plover_json(db, tmp_path):
    out = tmp_path / "events.plover.jsonl"
    CliRunner().invoke(cli, ["export", "--db", db, "--format", "plover-json", "--out", str(out)])
    script = (
        f'p <- jsonlite::stream_in(file("{out}"), verbose = FALSE); '
        "codes <- unique(unlist(lapply(p$actor, function(a) a$code))); "
        'cat(nrow(p), class(p$quad_code), paste(sort(codes), collapse = ","), class(p$actor), "\\n")'
    )
    done = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["90", "integer", "CHN,RUS,USA", "list"]


R_PARQUET = {"arrow": "arrow::read_parquet", "nanoparquet": "nanoparquet::read_parquet"}


def test_parquet_holds_only_types_r_reads(db, tmp_path):
    """arrow and nanoparquet in R map these Parquet types to character, integer (64-bit integers fit R's
    double or integer64), double, logical and Date; nothing needs pandas' metadata to be read right."""
    import pyarrow.parquet as pq

    for kind in COLUMNS:
        out = tmp_path / f"{kind}.parquet"
        result = CliRunner().invoke(
            cli, ["export", kind, "--db", db, "--format", "parquet", "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        schema = pq.read_schema(out)
        assert {str(t) for t in schema.types} <= {"string", "int64", "double", "bool", "date32[day]"}, kind
        assert [(f.name, str(f.type)) for f in schema] == [
            (
                name,
                {"str": "string", "int": "int64", "float": "double", "bool": "bool", "date": "date32[day]"}[
                    t
                ],
            )
            for name, t in SCHEMAS[kind]
        ]
        assert b"pandas" not in (schema.metadata or {}), kind  # plain Parquet: no pandas index to rebuild
    package = next((p for p in R_PARQUET if has_r(p)), None)
    if package is None:
        pytest.skip("R reads Parquet with arrow or nanoparquet, neither installed (Debian ships neither)")
    out = tmp_path / "events.parquet"
    script = f'e <- {R_PARQUET[package]}("{out}"); cat(nrow(e), ncol(e), class(e$date), class(e$reciprocal), "\\n")'
    done = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["90", str(len(COLUMNS["events"])), "Date", "logical"]


def test_the_doc_examples_read_every_format():
    """The examples name each format once: a format added to the export would need its example."""
    text = "".join(blocks("sh"))
    for fmt in ("--format parquet", "--format jsonl", "--format plover-json"):
        assert fmt in text
    python, r = blocks("python")[0], blocks("r")[0]
    assert all(call in python for call in ("read_csv", "read_parquet", "read_json"))
    assert all(call in r for call in ("read.csv", "jsonlite::stream_in", "arrow::read_parquet"))
