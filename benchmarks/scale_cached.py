"""Issue 15's figures on a store built once and kept (``benchmarks/scale.py`` fills a new one every run).

    python benchmarks/scale_cached.py fill  --store URL --size 50000
    python benchmarks/scale_cached.py add   --store URL [--repeats 3] [--add 100] [--out CSV]
    python benchmarks/scale_cached.py api   --store URL [--repeats 5] [--out CSV]
    python benchmarks/scale_cached.py serve --store URL [--requests 40] [--clients 20] [--out CSV]

``URL`` is a SQLite file or a ``postgresql://`` URL; keep the store outside the repository (filling 50,000
articles takes about 10 minutes a backend on two cores; opening it with newer code applies the migrations).

- ``fill``: the benchmark stream's first ``--size`` articles written as bundles and clustered, as
  ``scale.py`` fills its stores (the documented shortcut: sentences coded once by the real pipeline).
- ``add``: ``--add`` new articles of the stream (dated after the store's last day) coded once by the real
  pipeline (loaded before, so its loading time is not counted as coding), then, for each of ``--repeats`` batches, written and clustered as ``detente code`` does
  (``scale.store_add``) into a fresh copy of the store and into an empty store, each in a new process (so
  nothing parsed or cached is shared); the whole add (coding + store part) into the store over the same
  into an empty one, medians, and the same in CPU seconds (less moved by other work on the machine; for
  PostgreSQL the server's processes' CPU is added to this process's).
- ``api``: in one running app (FastAPI's test client, in this process), the first request after a write to
  the overview, the dyad page of the busiest pair, the events list and search: each preceded by a write
  (one skipped input recorded, then forgotten), so nothing kept from an earlier answer applies. CPU and wall
  time, median of ``--repeats``.

- ``serve``: ``scale.py``'s API measure (``detente serve`` in its own process, over loopback: the first
  request to each page since the server started, p50/p95 of ``--requests`` sequential ones, then
  ``--clients`` concurrent clients: requests per second and p95).

It prints figures and asserts none; ``--out`` appends one row per figure to a CSV.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import PER_DAY, START, Pool, assemble, plans, sentence_bundles  # noqa: E402


def _postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _copy(url: str, name: str, folder: Path, template: bool) -> str:
    """A fresh copy of the store (``template``) or an empty database, named ``name``."""
    if not _postgres(url):
        path = folder / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if template:
            shutil.copy(url, path)
        return str(path)
    import psycopg

    base, source = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {source}" if template else ""))
    return f"{base}/{name}"


def fill(url: str, size: int) -> None:
    from detente.analytics.stories import update_stories
    from detente.store import open_store

    pool = Pool()
    coded = sentence_bundles(pool, HERE / "results")
    store = open_store(url)
    wanted = plans(pool, 0, size)
    t = time.perf_counter()
    for at in range(0, size, 500):
        store.write_bundles([assemble(pool, p, coded) for p in wanted[at : at + 500]])
    print(f"written {size} articles in {time.perf_counter() - t:.0f} s", flush=True)
    t = time.perf_counter()
    print(update_stories(store), f"{time.perf_counter() - t:.0f} s", flush=True)


def _size(url: str) -> int:
    from detente.store import open_store

    store = open_store(url)
    try:
        return store.stats().articles
    finally:
        store.close()


def add(url: str, repeats: int, count: int, out: Path | None) -> None:
    import scale

    size = _size(url)
    additions = scale.Additions(Pool(), count)
    latest = START + dt.timedelta(days=size // PER_DAY)
    with tempfile.TemporaryDirectory(prefix="detente-add-") as tmp:
        folder = Path(tmp)
        scale.Additions(Pool(), 8).next(latest)  # the pipeline loaded before anything is timed
        batches = []
        for _ in range(repeats):  # (articles, bundles, coding wall s, coding CPU s)
            c = time.process_time()
            batches.append((*additions.next(latest), time.process_time() - c))
        (folder / "batches.pkl").write_bytes(pickle.dumps(batches))
        measured: dict[str, list[dict[str, float]]] = {"store": [], "empty": []}
        for r in range(repeats):
            for kind in ("empty", "store"):
                target = _copy(url, f"bench_{kind}", folder, template=kind == "store")
                os.sync()  # the copy's gigabyte flushed to disk now, not while the add is timed
                answer = subprocess.run(
                    [sys.executable, __file__, "_add_one", "--store", target, "--batch", str(r), "--folder", tmp],
                    capture_output=True, text=True,
                )  # fmt: skip
                if answer.returncode != 0:
                    raise SystemExit(f"the {kind} add failed:\n{answer.stderr[-3000:]}")
                measured[kind].append(json.loads(answer.stdout.strip().splitlines()[-1]))
                print(kind, r, measured[kind][-1], flush=True)
    coding_wall = statistics.median(b[2] for b in batches)
    coding_cpu = statistics.median(b[3] for b in batches)
    rows = []
    for clock, coding in (("wall", coding_wall), ("cpu", coding_cpu)):
        full = statistics.median(m[clock] for m in measured["store"])
        empty = statistics.median(m[clock] for m in measured["empty"])
        rows += [
            (f"add{count}_coding_{clock}_s", coding),
            (f"add{count}_store_{clock}_s", full),
            (f"add{count}_store_empty_{clock}_s", empty),
            (f"add{count}_ratio_{clock}", (coding + full) / (coding + empty)),
        ]
    _report(url, size, rows, f"median of {repeats} batches of {count}", out)


def _add_one(url: str, batch: int, folder: Path) -> None:
    import scale

    from detente.store import open_store

    articles, bundles, _, _ = pickle.loads((folder / "batches.pkl").read_bytes())[batch]
    store = open_store(url)
    server = _server_cpu(store) if _postgres(url) else (lambda: 0.0)
    s, t, c = server(), time.perf_counter(), time.process_time()
    scale.store_add(store, articles, bundles)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps({"wall": wall, "cpu": cpu + server() - s}))


def _server_cpu(store: Any) -> Any:
    """A clock of the CPU seconds the PostgreSQL server's processes spent (the postmaster and its children,
    from /proc): the store's CPU time is in the server as much as in this process."""
    directory = store._rows("SHOW data_directory")[0][0]
    postmaster = Path(directory, "postmaster.pid").read_text().split()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat.parent.name == postmaster or fields[1] == postmaster:  # fields[1]: the parent's pid
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    return clock


def api(url: str, repeats: int, out: Path | None) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    import scale
    from fastapi.testclient import TestClient

    from detente.api.app import create_app
    from detente.store import open_store
    from detente.store.base import SkippedInput

    store = open_store(url)
    a, b = scale.top_dyad(store)
    paths = {"overview": "/", "dyad_page": f"/dyads/{a}/{b}", "events_list": "/api/events?limit=100",
             "search": f"/search?q={scale.SEARCH}"}  # fmt: skip
    client = TestClient(create_app(store))
    for path in paths.values():
        client.get(path)  # imports and templates loaded once, as in a running server
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    wall: dict[str, list[float]] = {name: [] for name in paths}
    try:
        for i in range(repeats):
            for name, path in paths.items():
                store.record_skipped_inputs([SkippedInput(f"scale_cached-{i}-{name}", "benchmark write")])
                t, c = time.perf_counter(), time.process_time()
                answer = client.get(path)
                cpu[name].append(time.process_time() - c)
                wall[name].append(time.perf_counter() - t)
                assert answer.status_code == 200, (path, answer.status_code)
    finally:
        store.record_skipped_inputs(
            [], read_fine=[f"scale_cached-{i}-{n}" for i in range(repeats) for n in paths]
        )
    rows = []
    for name in paths:
        rows += [(f"api_{name}_after_write_cpu_ms", 1000 * statistics.median(cpu[name])),
                 (f"api_{name}_after_write_wall_ms", 1000 * statistics.median(wall[name]))]  # fmt: skip
    _report(url, store.stats().articles, rows, f"median of {repeats}; dyad {a}-{b}", out)


def serve(url: str, requests: int, clients: int, concurrent: int, out: Path | None) -> None:
    """``scale.py``'s API measure on the kept store: ``detente serve`` in its own process, over loopback."""
    import scale

    from detente.store import open_store

    store = open_store(url)
    size = store.stats().articles
    results = scale.Results()
    backend = "postgresql" if _postgres(url) else "sqlite"
    with tempfile.TemporaryDirectory(prefix="detente-serve-") as tmp:
        scale.measure_api(backend, size, url, store, requests, clients, concurrent, results, Path(tmp))
    _report(url, size, [(r["measure"], float(r["value"])) for r in results.rows], "detente serve", out)


def _report(url: str, size: int, rows: list[tuple[str, float]], note: str, out: Path | None) -> None:
    backend = "postgresql" if _postgres(url) else "sqlite"
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for measure, value in rows:
        print(f"{backend} {size:>6} {measure:<36} {value:10.3f}  {note}", flush=True)
    if out is not None:
        new = not out.exists()
        with out.open("a", newline="") as handle:
            writer = csv.writer(handle)
            if new:
                writer.writerow(["at", "backend", "size", "measure", "value", "note"])
            writer.writerows([stamp, backend, size, m, f"{v:.4f}", note] for m, v in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["fill", "add", "api", "serve", "_add_one"])
    parser.add_argument("--store", required=True)
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--requests", type=int, default=40, help="serve: sequential requests per endpoint")
    parser.add_argument("--clients", type=int, default=20, help="serve: concurrent clients")
    parser.add_argument("--concurrent", type=int, default=200, help="serve: requests per endpoint under load")
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "fill":
        fill(args.store, args.size)
    elif args.command == "add":
        add(args.store, args.repeats, args.add, args.out)
    elif args.command == "api":
        api(args.store, args.repeats, args.out)
    elif args.command == "serve":
        serve(args.store, args.requests, args.clients, args.concurrent, args.out)
    else:
        _add_one(args.store, args.batch, args.folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
