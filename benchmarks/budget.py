"""Per-article times of a supervised run, and what a killed worker costs: the issue 14 acceptance run.

    python benchmarks/budget.py [--articles 2000] [--workers 2] [--kill-one]

Codes a corpus of ``--articles`` articles built from the VOA stories' sentences (one starting at each
sentence, 1 to 5 sentences long; reserved stories left out) into a fresh SQLite database in a temporary
folder, through the same worker pool as ``detente code --workers N``, and prints the time each article
took in its worker (p50, p99, max), the run's wall time, and how many articles were coded, skipped or
failed. With ``--kill-one`` one busy worker is killed with SIGKILL a third of the way through, as the OOM
killer would: the run must still end with every article stored or marked failed. Prints figures; never
asserts timings.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voa import VOA, voa_window_articles


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--kill-one", action="store_true", help="kill a busy worker a third of the way in")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not VOA.exists():
        print(f"skipped: {VOA} is absent (the VOA corpus lives in ../shared)")
        return 0

    from detente.batch.local import code_into_store
    from detente.batch.pool import CodingPool
    from detente.config import Settings
    from detente.ingest import IngestOptions, make_article
    from detente.store import open_store

    rows = voa_window_articles(args.articles)
    articles = [make_article(row, f"voa:{row['id']}", IngestOptions()) for row in rows]
    seconds: dict[str, float] = {}
    killed: list[int] = []
    settings = Settings(batch_size=args.batch_size)

    def on_article(article, elapsed: float) -> None:  # type: ignore[no-untyped-def]
        seconds[article.id] = elapsed

    with tempfile.TemporaryDirectory(prefix="detente-budget-") as tmp:
        store = open_store(Path(tmp) / "budget.db")
        pool = CodingPool(settings, workers=args.workers, on_article=on_article)

        def kill_one() -> None:
            while len(seconds) < len(articles) // 3:
                time.sleep(0.05)
            victim = pool.pids[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        if args.kill_one:
            threading.Thread(target=kill_one, daemon=True).start()
        start = time.perf_counter()
        with pool:
            summary = code_into_store(articles, store, settings=settings, coder=pool.code_batches)
            started = pool.started
        wall = time.perf_counter() - start
        stats = store.stats()
        store.close()

    times = list(seconds.values())
    figures = {
        "articles": len(articles), "workers": args.workers, "wall_seconds": round(wall, 1),
        "coded": summary.coded, "skipped": summary.skipped, "failed": len(summary.failed),
        "stored": stats.articles, "failures": [f"{f.article_id}: {f.message}" for f in summary.failed],
        "p50_s": round(statistics.median(times), 3), "p99_s": round(percentile(times, 0.99), 3),
        "max_s": round(max(times), 3), "mean_s": round(statistics.fmean(times), 3),
        "worker_processes_started": started, "killed": killed, "stories": summary.stories,
    }  # fmt: skip
    print(f"{len(articles)} articles, {args.workers} workers: {wall:.1f} s wall, "
          f"{len(articles) / wall:.1f} articles/s")  # fmt: skip
    print(
        f"per article in its worker: p50 {figures['p50_s']} s, p99 {figures['p99_s']} s, max {figures['max_s']} s"
    )
    print(f"coded {summary.coded}, skipped {summary.skipped}, failed {len(summary.failed)}; "
          f"stored {stats.articles} of {len(articles)}; worker processes started: {started}")  # fmt: skip
    for line in figures["failures"]:  # type: ignore[attr-defined]
        print(f"  failed: {line}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0 if stats.articles == len(articles) else 1


if __name__ == "__main__":
    sys.exit(main())
