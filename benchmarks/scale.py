"""The scale benchmark (issue 15): how detente behaves as its store grows, on SQLite and PostgreSQL.

    python benchmarks/scale.py [--sizes 1000,10000,50000] [--backends sqlite,postgresql] [--code 1000]
                               [--add 100] [--repeats 3] [--requests 40] [--clients 20] [--out DIR]

The corpus is a synthetic news stream made of the VOA stories' sentences (``benchmarks/synthetic.py``: the
stories reserved for outside evaluation left out; 20 % syndicated copies and 10 % rewrites of recent
originals, so near-duplicates and stories occur at a known rate). Everything runs in a temporary folder:
SQLite files, and a throwaway PostgreSQL server (``tests/pg_server.py``: fsync off) on 127.0.0.1.

1. **Coding throughput at the start and end of a run** (``--code N``, per backend): the first N articles
   of the stream coded by the real pipeline (``detente code`` with ``--workers 2``, batches of 32) into a
   fresh store; articles per second over the first and the last tenth of the run (the model loading in
   the workers before the first batch is left out), and the clustering after the last batch (with the
   counting of the run's events, which ``detente code`` leaves to it). With ``--cpu``, also the CPU seconds
   per article of every process of the run (the writer, the workers, the PostgreSQL server; from /proc,
   ``cpuclock.py``) over the same tenths and each tenth between: on a shared machine the wall-clock rate
   says how much of it the run got, the CPU per article what the run cost.
2. **Stores of each size** (``--sizes``): filled by writing the stream's bundles directly, not coded (the
   documented shortcut: coding 50,000 articles takes hours on two cores): each article's bundle is put
   together from its sentences' bundles, which the real pipeline coded once (cached in ``--out``). Then
   the stories are clustered incrementally (``update_stories``), as ``detente code`` would.
3. **Adding ``--add`` articles** to each store and to an empty one (``--repeats`` batches, each new): the
   articles are coded by the real pipeline once (in this process; that time is the same for both), then
   written and clustered as ``detente code`` does (``code_into_store`` replaying the coded bundles: the
   stored-id check, the write, the incremental clustering). The ratio of the whole add (coding + store) to
   a store of N over an empty store, the medians of the repeats; and the store part alone.
4. **API latency** on loopback: ``detente serve`` on the store; the first request to the overview
   (``/``), the dyad page of the store's most active country pair, the events list
   (``/api/events?limit=100``) and search (``/search?q=Ukraine``) after the store changed (cold: the answer
   is computed, then kept until the next write, ``detente.api.cache``); then ``--requests`` sequential
   requests each after one more: p50 and p95; then ``--clients`` concurrent clients (at most
   ``--concurrent`` requests or 60 s per endpoint): requests per second and p95.
5. **Incremental equals rebuild**: story ids and corroboration stored incrementally, compared with
   ``update_stories(rebuild=True)`` on the same store.

Figures go to ``--out/scale.csv`` (one row per measure) and ``scale.svg`` (drawn by hand; ``scale.png``
through headless Chromium when it is installed). It prints figures and never asserts timings.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import (
    COPY_RATE,
    PER_DAY,
    REWRITE_RATE,
    START,
    Pool,
    article_row,
    assemble,
    plans,
    sentence_bundles,
)
from voa import REPO, VOA

sys.path.insert(0, str(REPO))
HERE = Path(__file__).resolve().parent
FILL_BATCH = 500
SEARCH = "Ukraine"


@dataclasses.dataclass
class Results:
    rows: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def add(self, backend: str, size: int, measure: str, value: float, unit: str, note: str = "") -> None:
        self.rows.append({"backend": backend, "size": size, "measure": measure, "value": round(value, 4),
                          "unit": unit, "note": note})  # fmt: skip
        print(f"  {backend:10} {size:>7,}  {measure:38} {value:>10.3f} {unit}  {note}", flush=True)

    def get(self, backend: str, size: int, measure: str) -> float | None:
        found = [
            r["value"]
            for r in self.rows
            if (r["backend"], r["size"], r["measure"]) == (backend, size, measure)
        ]
        return found[-1] if found else None

    def write(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=["backend", "size", "measure", "value", "unit", "note"]
            )
            writer.writeheader()
            writer.writerows(self.rows)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- stores ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_server() -> Iterator[Any]:
    from tests.pg_server import PostgresServer, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise SystemExit(
            "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql, or --backends sqlite"
        )
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def new_database(backend: str, folder: Path, name: str, server: Any) -> str:
    if backend == "sqlite":
        return str(folder / f"{name}.db")
    import psycopg

    admin = f"postgresql://postgres@127.0.0.1:{server.port}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:{server.port}/{name}"


# -- 1. a coded run: throughput at its start and end -------------------------------------------------


def window(marks: list[tuple[float, int, float]], lo: int, hi: int) -> tuple[int, int, float, float]:
    """Articles from, articles to, articles/s and CPU s per article between two points of a run.

    ``marks`` are (wall time, articles stored so far, CPU seconds so far), one per batch; the window runs
    from the last mark at or before ``lo`` articles (the first mark if none) to the first at or after ``hi``
    (the last if none)."""
    before = [m for m in marks if m[1] <= lo]
    a = before[-1] if before else marks[0]
    b = next((m for m in marks if m[1] >= hi), marks[-1])
    articles = b[1] - a[1]
    return a[1], b[1], articles / (b[0] - a[0]), (b[2] - a[2]) / articles


def coded_run(backend: str, url: str, pool: Pool, count: int, results: Results,
              cpu: Callable[[], float] | None = None) -> None:  # fmt: skip
    """``cpu``: a clock of the CPU seconds of every process of the run (``cpuclock.cpu_clock``); with it,
    CPU seconds per article are measured beside articles per second, and per tenth of the run."""
    from detente.analytics.stories import update_stories
    from detente.batch.local import code_into_store
    from detente.config import Settings
    from detente.ingest import IngestOptions, make_article
    from detente.store import open_store

    articles = [
        make_article(article_row(pool, p, "coded"), f"coded:{p.index}", IngestOptions())
        for p in plans(pool, 0, count)
    ]
    clock = cpu or (lambda: 0.0)
    marks: list[tuple[float, int, float]] = []
    done = 0

    def on_batch(bundles: list[Any]) -> None:
        nonlocal done
        done += len(bundles)
        marks.append((time.perf_counter(), done, clock()))

    store = open_store(url)
    start = time.perf_counter()
    # As detente code runs: the batches' counts left to the clustering at the end (count_later), which is
    # timed from the last batch written to the return.
    summary = code_into_store(articles, store, settings=Settings(batch_size=32), workers=2, on_batch=on_batch)
    clustered_at, clustered_cpu = time.perf_counter(), clock()
    coded_at, _, coded_cpu = marks[-1]
    run = update_stories(store)  # nothing left: the run clustered its articles
    store.close()
    tenth = max(1, count // 10)
    n0 = marks[0][1]  # the first batch: the workers' model loading is behind it
    last_n = marks[-1][1]
    spans = {"start": window(marks, n0, n0 + tenth), "end": window(marks, last_n - tenth, last_n)}
    for name, (a, b, rate, cpu_per) in spans.items():
        results.add(
            backend, count, f"coded_run_articles_per_s_{name}", rate, "articles/s", f"articles {a}-{b}"
        )
        if cpu:
            results.add(backend, count, f"coded_run_cpu_ms_per_article_{name}", 1000 * cpu_per, "ms",
                        f"articles {a}-{b}; CPU of the writer, the workers" + (" and the server" if
                        backend == "postgresql" else ""))  # fmt: skip
    if cpu:
        for k in range(1, 9):  # the tenths between the first and the last, to see where a run slows
            a, b, rate, cpu_per = window(marks, k * tenth, (k + 1) * tenth)
            results.add(backend, count, f"coded_run_tenth{k + 1}_articles_per_s", rate, "articles/s",
                        f"articles {a}-{b}; CPU {1000 * cpu_per:.1f} ms per article")  # fmt: skip
    results.add(backend, count, "coded_run_wall_s", coded_at - start, "s",
                f"{summary.coded} coded, {len(summary.failed)} failed, workers 2")  # fmt: skip
    results.add(backend, count, "coded_run_clustering_s", clustered_at - coded_at, "s",
                f"{run.stories} stories; counting the run's events included")  # fmt: skip
    if cpu:
        results.add(backend, count, "coded_run_clustering_cpu_s", clustered_cpu - coded_cpu, "s",
                    "CPU of every process of the run, as above")  # fmt: skip


# -- 2. filling a store with bundles, not coded -------------------------------------------------------------


def fill(stores: dict[str, Any], pool: Pool, coded: dict, start: int, stop: int, results: Results) -> None:
    from detente.analytics.stories import update_stories

    spent = dict.fromkeys(stores, 0.0)
    assembled = 0.0
    wanted = plans(pool, start, stop)
    for at in range(0, len(wanted), FILL_BATCH):
        t = time.perf_counter()
        bundles = [assemble(pool, p, coded) for p in wanted[at : at + FILL_BATCH]]
        assembled += time.perf_counter() - t
        for backend, store in stores.items():
            t = time.perf_counter()
            store.write_bundles(bundles)
            spent[backend] += time.perf_counter() - t
    for backend, store in stores.items():
        results.add(backend, stop, "fill_write_s", spent[backend], "s",
                    f"articles {start}-{stop} written as bundles ({assembled:.0f} s assembling them)")  # fmt: skip
        t = time.perf_counter()
        run = update_stories(store)
        results.add(backend, stop, "fill_clustering_s", time.perf_counter() - t, "s",
                    f"{run.clustered} articles in {run.steps} steps")  # fmt: skip
        stats = store.stats()
        multi = store._rows(  # type: ignore[attr-defined]
            "SELECT COUNT(*) FROM (SELECT dup_root FROM story_articles GROUP BY dup_root HAVING COUNT(*) > 1) g"
        )[0][0]
        copies = store._rows(  # type: ignore[attr-defined]
            "SELECT COUNT(*) FROM story_articles WHERE dup_root <> article_id"
        )[0][0]
        results.add(backend, stop, "stories", run.stories, "stories",
                    f"{stats.articles} articles, {stats.mentions} mentions, {stats.claims} claims")  # fmt: skip
        results.add(backend, stop, "near_duplicate_copies_found", int(copies), "articles",
                    f"in {int(multi)} groups; the stream makes {COPY_RATE:.0%} copies, {REWRITE_RATE:.0%} rewrites")  # fmt: skip


# -- 3. adding articles ------------------------------------------------------------------------------------


class Additions:
    """Batches of new articles (a stream of their own), coded once by the real pipeline."""

    def __init__(self, pool: Pool, size: int) -> None:
        self.pool = pool
        self.size = size
        self.taken = 0

    def next(self, after: dt.date) -> tuple[list[Any], dict[str, Any], float]:
        from detente.batch.local import batched, code_batches
        from detente.config import Settings
        from detente.ingest import IngestOptions, make_article

        found = plans(self.pool, self.taken, self.taken + self.size, offset=1)
        self.taken += self.size
        shift = (after - START).days + 1
        articles = []
        for plan in found:
            plan = dataclasses.replace(plan, published=plan.published + dt.timedelta(days=shift))
            row = article_row(self.pool, plan, "added")
            articles.append(make_article(row, f"added:{plan.index}", IngestOptions()))
        settings = Settings(batch_size=32)
        t = time.perf_counter()
        bundles = {}
        for outcomes in code_batches(batched(articles, 32), settings=settings, workers=0):
            for outcome in outcomes:
                bundles[outcome.article.id] = outcome
        return articles, bundles, time.perf_counter() - t


def store_add(store: Any, articles: list[Any], bundles: dict[str, Any]) -> float:
    """What ``detente code`` does beyond coding: skip stored ids, write the batches, cluster."""
    from detente.batch.local import code_into_store
    from detente.config import Settings

    def replay(batches: Iterator[list[Any]]) -> Iterator[list[Any]]:
        for batch in batches:
            yield [bundles[a.id] for a in batch]

    t = time.perf_counter()
    summary = code_into_store(articles, store, settings=Settings(batch_size=32), coder=replay)
    assert summary.coded == len(articles), summary
    return time.perf_counter() - t


def measure_adds(
    size: int, stores: dict[str, Any], folder: Path, server: Any, additions: Additions, repeats: int,
    results: Results,
) -> None:  # fmt: skip
    """Each batch is coded once and added to every backend's store, and to an empty store of each."""
    from detente.store import open_store

    code_s: list[float] = []
    empty_s: dict[str, list[float]] = {b: [] for b in stores}
    full_s: dict[str, list[float]] = {b: [] for b in stores}
    latest = START + dt.timedelta(days=size // PER_DAY)
    Additions(additions.pool, 8).next(latest)  # the pipeline loaded before coding is timed
    for r in range(repeats):
        articles, bundles, coding = additions.next(latest)
        code_s.append(coding)
        for backend, store in stores.items():
            url = new_database(backend, folder, f"empty_{backend}_{size}_{r}", server)
            empty = open_store(url)
            empty_s[backend].append(store_add(empty, articles, bundles))
            empty.close()
            full_s[backend].append(store_add(store, articles, bundles))
    n = additions.size
    coding = statistics.median(code_s)
    for backend in stores:
        empty, full = statistics.median(empty_s[backend]), statistics.median(full_s[backend])
        results.add(
            backend, size, f"add{n}_coding_s", coding, "s", f"median of {repeats}; in-process pipeline"
        )
        results.add(backend, size, f"add{n}_store_empty_s", empty, "s", "skip stored ids, write, cluster")
        results.add(backend, size, f"add{n}_store_s", full, "s", f"into the store of {size:,}")
        results.add(backend, size, f"add{n}_ratio", (coding + full) / (coding + empty), "x",
                    "whole add (coding + store) into this store / into an empty store")  # fmt: skip
        results.add(backend, size, f"add{n}_store_ratio", full / empty, "x", "store part alone")
        results.add(backend, size, f"add{n}_articles_per_s", n / (coding + full), "articles/s",
                    f"coding throughput into this store; {n / (coding + empty):.1f} into an empty one")  # fmt: skip


# -- 4. API latency ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def top_dyad(store: Any) -> tuple[str, str]:
    rows = store._rows(
        "SELECT s.country, t.country, COUNT(*) FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id"
        " WHERE s.role = 'source' AND t.role = 'target' AND s.country <> t.country"
        " AND s.country NOT IN ('UNK', 'IGO', '') AND t.country NOT IN ('UNK', 'IGO', '')"
        " GROUP BY s.country, t.country ORDER BY COUNT(*) DESC, s.country, t.country LIMIT 1"
    )
    return (rows[0][0], rows[0][1]) if rows else ("USA", "RUS")


def measure_api(
    backend: str, size: int, url: str, store: Any, requests: int, clients: int, concurrent: int, results: Results,
    folder: Path,
) -> None:  # fmt: skip
    import httpx

    a, b = top_dyad(store)
    endpoints = {
        "overview": "/",
        "dyad_page": f"/dyads/{a}/{b}",
        "events_list": "/api/events?limit=100",
        "search": f"/search?q={SEARCH}",
    }
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_API_TOKEN"}  # read-only: no coding worker
    log = (folder / f"serve-{backend}-{size}.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "detente", "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit(f"detente serve did not answer (see {log.name})")
            time.sleep(0.5)
        with httpx.Client(base_url=base, timeout=120) as http:
            for name, path in endpoints.items():
                t = time.perf_counter()
                http.get(
                    path
                )  # the first request since the store changed: computed, then kept (detente.api.cache)
                results.add(backend, size, f"api_{name}_cold_ms", 1000 * (time.perf_counter() - t), "ms",
                            "first request after the store changed")  # fmt: skip
                http.get(path)
                seconds = []
                for _ in range(requests):
                    t = time.perf_counter()
                    answer = http.get(path)
                    seconds.append(time.perf_counter() - t)
                    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                note = path if name != "dyad_page" else f"{path} (the most active pair)"
                results.add(backend, size, f"api_{name}_p50_ms", 1000 * percentile(seconds, 0.5), "ms", note)
                results.add(backend, size, f"api_{name}_p95_ms", 1000 * percentile(seconds, 0.95), "ms",
                            f"{requests} sequential requests")  # fmt: skip
        for name, path in endpoints.items():
            rate, p95, errors = concurrent_load(base, path, clients, concurrent)
            results.add(backend, size, f"api_{name}_concurrent_rps", rate, "requests/s", f"{clients} clients")
            results.add(backend, size, f"api_{name}_concurrent_p95_ms", 1000 * p95, "ms", f"{errors} errors")
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def concurrent_load(
    base: str, path: str, clients: int, total: int, max_seconds: float = 60
) -> tuple[float, float, int]:
    import httpx

    seconds: list[float] = []
    errors = 0
    lock = threading.Lock()
    sent = 0
    start = time.perf_counter()

    def client() -> None:
        nonlocal sent, errors
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                with lock:
                    if sent >= total or time.perf_counter() - start > max_seconds:
                        return
                    sent += 1
                t = time.perf_counter()
                try:
                    ok = http.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    seconds.append(time.perf_counter() - t)
                    errors += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return len(seconds) / elapsed, percentile(seconds, 0.95), errors


# -- 5. incremental equals rebuild --------------------------------------------------------------------------


def check_rebuild(backend: str, size: int, store: Any, results: Results) -> None:
    from detente.analytics.stories import update_stories

    def snapshot() -> tuple[dict[str, Any], dict[str, Any]]:
        articles = dict(store._rows("SELECT id, story_id FROM articles WHERE skip_reason IS NULL"))
        events = dict(store._rows("SELECT id, corroboration FROM events"))
        return articles, events

    before = snapshot()
    t = time.perf_counter()
    run = update_stories(store, rebuild=True)
    seconds = time.perf_counter() - t
    after = snapshot()
    same_ids = before[0] == after[0]
    same_counts = before[1] == after[1]
    differ = sum(before[0][k] != after[0].get(k) for k in before[0]) + sum(
        before[1][k] != after[1].get(k) for k in before[1]
    )
    results.add(backend, size, "rebuild_equals_incremental", float(same_ids and same_counts), "bool",
                f"story ids {'same' if same_ids else 'differ'}, corroboration {'same' if same_counts else 'differ'}"
                f" ({differ} differences; {len(after[0]):,} articles, {len(after[1]):,} events)")  # fmt: skip
    results.add(backend, size, "rebuild_s", seconds, "s", f"{run.clustered} articles in {run.steps} steps")


# -- the plot ---------------------------------------------------------------------------------------------


def plot(results: Results, out: Path, add: int) -> None:
    from svgplot import figure, line_chart, to_png

    def series(measure: str, label: str = "") -> dict[str, list[tuple[float, float]]]:
        found: dict[str, list[tuple[float, float]]] = {}
        for row in results.rows:
            if row["measure"] == measure:
                found.setdefault(f"{row['backend']}{label}", []).append((row["size"], row["value"]))
        return found

    def per_article() -> dict[str, list[tuple[float, float]]]:
        """Clustering time of each fill over the articles it added (from the previous size)."""
        found: dict[str, list[tuple[float, float]]] = {}
        for backend, values in series("fill_clustering_s").items():
            previous = 0.0
            for size, seconds in sorted(values):
                found.setdefault(backend, []).append((size, 1000 * seconds / (size - previous)))
                previous = size
        return found

    def api(kind: str) -> dict[str, list[tuple[float, float]]]:
        found = {}
        for name in ("overview", "dyad_page", "events_list", "search"):
            for key, values in series(f"api_{name}_{kind}").items():
                found[f"{name} ({key})"] = values
        return found

    panels = [
        line_chart(
            f"Adding {add} articles: cost over an empty store", "× the cost into an empty store",
            {**series(f"add{add}_ratio", " whole add"), **series(f"add{add}_store_ratio", " store part")},
            reference=1.2, reference_label="1.2× (issue 15)",
        ),
        line_chart(
            f"Adding {add} articles: seconds", "seconds",
            {**series(f"add{add}_store_s", " store part"), **series(f"add{add}_coding_s", " coding")},
        ),
        line_chart("API p95, loopback, repeated (kept answers)", "milliseconds", api("p95_ms"), reference=300,
                   reference_label="300 ms (issue 15)"),
        line_chart("API, first request after a write (computed)", "milliseconds", api("cold_ms"), reference=300,
                   reference_label="300 ms (issue 15)"),
        line_chart("Clustering stories: ms per new article (incremental)", "milliseconds", per_article()),
        line_chart("API under load: requests/s (20 clients)", "requests/s", api("concurrent_rps"), reference=50,
                   reference_label="50/s (issue 15)"),
    ]  # fmt: skip
    svg = out / "scale.svg"
    svg.write_text(figure(panels, caption=f"detente scale benchmark, {dt.date.today()}; see scale.csv"),
                   encoding="utf-8")  # fmt: skip
    problem = to_png(svg, out / "scale.png")
    print(f"wrote {svg}" + (f" (no PNG: {problem})" if problem else f" and {out / 'scale.png'}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="store sizes, comma-separated ('none': only --code)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--code", type=int, default=1000, help="articles of the coded run (0: none)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="also CPU seconds per article of the coded run (all its processes, from /proc)",
    )
    parser.add_argument("--add", type=int, default=100, help="articles per incremental add")
    parser.add_argument("--repeats", type=int, default=3, help="add batches per store size")
    parser.add_argument("--requests", type=int, default=40, help="sequential requests per endpoint")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--concurrent", type=int, default=200, help="requests per endpoint under load")
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--replot", action="store_true", help="only draw --out/scale.csv again")
    args = parser.parse_args(argv)
    if args.replot:
        with (args.out / "scale.csv").open(encoding="utf-8") as handle:
            rows = [{**r, "size": int(r["size"]), "value": float(r["value"])} for r in csv.DictReader(handle)]
        plot(Results(rows), args.out, args.add)
        return 0
    if not VOA.exists():
        print(f"skipped: {VOA} is absent (the VOA corpus lives in ../shared)")
        return 0
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip() not in ("", "none"))
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    results = Results()
    pool = Pool()
    if sizes:  # only the stores and adds need the sentences' bundles and the pipeline in this process
        print(f"coding the {sum(len(s) for _, s in pool.stories):,} sentences of {len(pool.stories)} VOA"
              " stories (cached after the first run) ...", flush=True)  # fmt: skip
        coded = sentence_bundles(pool, args.out)
        from detente.pipeline import load_nlp

        load_nlp()  # the in-process pipeline the adds use, loaded once
        additions = Additions(pool, args.add)
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="detente-scale-")))
        server = stack.enter_context(postgres_server()) if "postgresql" in backends else None
        from detente.store import open_store

        if args.code:
            print(f"1. coding {args.code:,} articles with the real pipeline", flush=True)
            for backend in backends:
                cpu = None
                if args.cpu:
                    from cpuclock import cpu_clock, postmaster_pid

                    cpu = cpu_clock(
                        [postmaster_pid(server.data)] if backend == "postgresql" and server else []
                    )
                coded_run(
                    backend,
                    new_database(backend, folder, f"coded_{backend}", server),
                    pool,
                    args.code,
                    results,
                    cpu,
                )
                results.write(args.out / "scale.csv")  # a long run's figures kept as soon as they exist
        urls = {b: new_database(b, folder, f"scale_{b}", server) for b in backends}
        stores = {b: stack.enter_context(contextlib.closing(open_store(u))) for b, u in urls.items()}
        filled = 0
        for size in sizes:
            print(f"2. filling the stores to {size:,} articles", flush=True)
            fill(stores, pool, coded, filled, size, results)
            filled = size
            print(f"3. adding {args.add} articles, {args.repeats} times ({size:,})", flush=True)
            measure_adds(size, stores, folder, server, additions, args.repeats, results)
            for backend, store in stores.items():
                if not args.no_api:
                    print(f"4. API latency ({backend}, {size:,})", flush=True)
                    measure_api(backend, size, urls[backend], store, args.requests, args.clients, args.concurrent,
                                results, folder)  # fmt: skip
                if not args.no_rebuild:
                    print(f"5. rebuild against incremental ({backend}, {size:,})", flush=True)
                    check_rebuild(backend, size, store, results)
            results.write(args.out / "scale.csv")
    results.write(args.out / "scale.csv")
    print(f"wrote {args.out / 'scale.csv'}")
    plot(results, args.out, args.add)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
