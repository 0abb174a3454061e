"""Dask scale-out on a remote cluster, killed and resumed, against a local run (issue 15 item 3).

A real run, not a test: ``python benchmarks/dask_remote.py --count 10000``

1. writes the first ``--count`` articles of the scale benchmark's stream (``benchmarks/synthetic.py``) to a
   JSONL file in a temporary folder;
2. starts a throwaway PostgreSQL server (``tests/pg_server.py``: fsync off, a free port) and, as separate
   processes on this host, ``dask scheduler`` and ``--dask-workers`` ``dask worker`` processes (one thread
   each), everything at ``nice -n 10``;
3. runs ``detente code FILE --scheduler tcp://... --db postgresql://.../dask_run`` (PostgreSQL: the workers
   write their partitions themselves), SIGKILLs the client's process group once ``--kill-at`` of the articles
   are stored, and runs the same command again to the end;
4. runs ``detente code FILE --workers 2`` (no Dask) into a second database;
5. checks: rows = distinct ids = ``--count``; bundles, stories, corroboration, events, counted rows and
   divergence rows of the two databases equal (``tests.test_scale_resume.snapshot``); nothing waiting;
   the kept counts equal a recount (``tests.test_event_counts``); and writes the figures to ``--out``.

Everything it starts is stopped and its temporary folder removed at the end, whatever happens.
Timings on a shared machine move with others' load: compare the two runs made side by side, not across days.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

# Every process it starts runs at niceness 10 (a shared machine), also when this script is itself niced.
NICE = ["nice", "-n", str(max(0, 10 - os.nice(0)))]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def write_stream(path: Path, count: int) -> dict[str, int]:
    from synthetic import Pool, article_row, plans

    pool = Pool()
    kinds: dict[str, int] = {}
    with path.open("w", encoding="utf-8") as out:
        for plan in plans(pool, 0, count):
            kinds[plan.kind] = kinds.get(plan.kind, 0) + 1
            out.write(json.dumps(article_row(pool, plan, "scale"), ensure_ascii=False) + "\n")
    return kinds


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_workers(address: str, count: int, within: float = 300) -> None:
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(count, timeout=within)


def stored(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone()  # type: ignore[misc]
    return int(rows), int(distinct)


def detente_code(jsonl: Path, url: str, extra: list[str], logfile: Path) -> subprocess.Popen[bytes]:
    command = [*NICE, sys.executable, "-m", "detente", "code", str(jsonl), "--db", url, *extra]
    with logfile.open("ab") as err:
        return subprocess.Popen(command, cwd=REPO, stdout=err, stderr=err, start_new_session=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--kill-at", type=float, default=1 / 3, help="fraction stored when the client is killed"
    )
    parser.add_argument("--dask-workers", type=int, default=2)
    parser.add_argument("--local-workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "scale" / "dask-remote.csv")
    args = parser.parse_args(argv)
    # SIGTERM/SIGINT end the run through the finally below, which stops the servers and removes the folder.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))

    from tests.pg_server import PostgresServer, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        log("no PostgreSQL server binaries (initdb, pg_ctl)")
        return 2
    root = Path(tempfile.mkdtemp(prefix="detente-dask-remote-"))
    server = PostgresServer(bin_dir)
    started: list[subprocess.Popen[bytes]] = []
    rows: list[tuple[str, float, str, str]] = []
    try:
        jsonl = root / "stream.jsonl"
        kinds = write_stream(jsonl, args.count)
        log(f"wrote {args.count} articles to {jsonl}: {kinds}")
        base = server.start().rsplit("/", 1)[0]
        pid = int((server.data / "postmaster.pid").read_text().split()[0])
        subprocess.run(["renice", "-n", "10", "-p", str(pid)], check=False, capture_output=True)
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE dask_run")
            conn.execute("CREATE DATABASE local_run")
        dask_url, local_url = f"{base}/dask_run", f"{base}/local_run"

        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        dask = str(Path(sys.executable).parent / "dask")
        with (root / "scheduler.log").open("ab") as err:
            started.append(subprocess.Popen(
                [*NICE, dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                cwd=REPO, stdout=err, stderr=err, env=env, start_new_session=True,
            ))  # fmt: skip
        for n in range(args.dask_workers):
            with (root / f"worker{n}.log").open("ab") as err:
                started.append(subprocess.Popen(
                    [*NICE, dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                     "--local-directory", str(root / f"worker{n}")],
                    cwd=REPO, stdout=err, stderr=err, env=env, start_new_session=True,
                ))  # fmt: skip
        wait_for_workers(address, args.dask_workers)
        log(f"scheduler {address} with {args.dask_workers} workers")

        dask_args = ["--scheduler", address, "--workers", str(args.dask_workers), "--batch-size",
                     str(args.batch_size)]  # fmt: skip
        kill_at = int(args.count * args.kill_at)
        t0 = time.monotonic()
        first = detente_code(jsonl, dask_url, dask_args, root / "dask-1.log")
        while first.poll() is None:
            try:
                written = stored(dask_url)[0]
            except Exception:  # migrations still running
                written = 0
            if written >= kill_at:
                break
            time.sleep(0.2)
        if first.poll() is not None:
            raise RuntimeError(
                f"the first Dask run ended before the kill: {(root / 'dask-1.log').read_text()}"
            )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        first_s = time.monotonic() - t0
        at_kill = stored(dask_url)[0]
        time.sleep(5)  # a partition the workers were writing when the client died may still land
        before_rerun = stored(dask_url)[0]
        log(f"killed the client after {first_s:.1f} s: {at_kill} stored, {before_rerun} five seconds later")

        t1 = time.monotonic()
        second = detente_code(jsonl, dask_url, dask_args, root / "dask-2.log")
        if second.wait() != 0:
            raise RuntimeError(f"the rerun failed: {(root / 'dask-2.log').read_text()[-3000:]}")
        second_s = time.monotonic() - t1
        summary_2 = (root / "dask-2.log").read_text().strip().splitlines()[-3:]
        log(f"rerun {second_s:.1f} s: {summary_2}")

        t2 = time.monotonic()
        local = detente_code(jsonl, local_url, ["--workers", str(args.local_workers), "--batch-size",
                                                str(args.batch_size)], root / "local.log")  # fmt: skip
        if local.wait() != 0:
            raise RuntimeError(f"the local run failed: {(root / 'local.log').read_text()[-3000:]}")
        local_s = time.monotonic() - t2
        log(f"local {local_s:.1f} s: {(root / 'local.log').read_text().strip().splitlines()[-3:]}")

        from detente.store import open_store
        from tests.test_event_counts import assert_counts_match, assert_rows_as_rebuilt
        from tests.test_scale_resume import snapshot

        rows_n, distinct = stored(dask_url)
        after, expected = snapshot(dask_url), snapshot(local_url)
        differing = [part for part in expected if after[part] != expected[part]]
        recount = "equal"
        try:
            store = open_store(dask_url)
            try:
                assert_counts_match(store)
                assert_rows_as_rebuilt(store)
            finally:
                store.close()
        except AssertionError as exc:
            recount = f"differ: {exc}"
        events = len(expected["events"])  # type: ignore[arg-type]
        stories = len({s for _, s in expected["stories"]})  # type: ignore[attr-defined]
        corroborated = sum(1 for _, c in expected["corroboration"] if c and c > 1)  # type: ignore[attr-defined,misc]
        log(f"rows {rows_n}, distinct {distinct}; differing parts: {differing or 'none'}; recount {recount}")

        total = args.count
        coded_first = before_rerun
        workers = f"{args.dask_workers} remote dask workers x 1 thread, batch {args.batch_size}"
        rows += [
            ("articles_stored", rows_n, "articles", f"distinct ids {distinct}"),
            ("events", events, "events", "local run; the dask run equal" if not differing else "local run"),
            ("stories", stories, "stories", "local run"),
            ("corroborated_events", corroborated, "events", "corroboration > 1, local run"),
            (
                "parts_differing",
                len(differing),
                "parts",
                ";".join(differing)
                or "none of bundles, stories, corroboration, events, counted, divergence, waiting",
            ),
            ("recount", 1.0 if recount == "equal" else 0.0, "bool", recount[:200]),
            ("dask_first_run_s", first_s, "s", f"client SIGKILLed at {at_kill} stored; {workers}"),
            ("dask_stored_before_rerun", coded_first, "articles", "5 s after the kill"),
            ("dask_rerun_s", second_s, "s", f"{total - coded_first} coded, counting and clustering all"),
            ("dask_articles_per_s", total / (first_s + second_s), "articles/s", "both runs, wall"),
            ("local_run_s", local_s, "s", f"detente code --workers {args.local_workers}, no dask"),
            ("local_articles_per_s", total / local_s, "articles/s", "wall"),
        ]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["backend", "size", "measure", "value", "unit", "note"])
            for measure, value, unit, note in rows:
                writer.writerow(["postgresql", total, measure, round(float(value), 4), unit, note])
        log(f"wrote {args.out}")
        return 0 if not differing and recount == "equal" and rows_n == distinct == total else 1
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        server.stop()
        for name in ("dask-1.log", "dask-2.log", "local.log", "scheduler.log", "worker0.log", "worker1.log"):
            if (root / name).exists():
                shutil.copy(root / name, Path(tempfile.gettempdir()) / f"dask-remote-{name}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
