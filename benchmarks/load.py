"""Load on loopback: concurrent clients read the API and the dashboard while a coding run writes.

    python benchmarks/load.py [--clients 20] [--requests 3000] [--max-seconds 180] [--articles 400]

Everything stays on 127.0.0.1 and in a temporary folder, and the run stops by itself:

1. a corpus of short articles is built from the VOA stories' sentences (the stories reserved for outside
   evaluation are left out), and the first ``--seed`` of them are coded into a fresh SQLite database;
2. ``detente serve`` starts on a free loopback port with a write token;
3. ``detente code`` starts coding the rest into the same database (the writer the API must live with);
4. ``--clients`` threads send requests (every read endpoint, the dashboard's overview and an article
   page, and now and then a POST of a new article) until ``--requests`` have been sent or
   ``--max-seconds`` have passed, whichever comes first (one POST before, not counted, lets the
   server's coding worker load its model);
5. the coding run and the server are stopped, and the figures printed: per endpoint, requests, errors,
   p50, p95 and max in milliseconds, and how often "database is locked" was seen anywhere.

An error is a transport failure or an unexpected status (5xx; for a POST, anything but 201, or 503 with
Retry-After, which is counted apart: the API's designed answer to a writer kept waiting). Exit code 1
when there was any error. It prints figures and never asserts timings (DESIGN §4).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voa import VOA, voa_sentence_articles

TOKEN = "load-test-token"
LOCKED = "database is locked"

READS = (
    "/api/stats",
    "/api/articles?limit=20",
    "/api/events?limit=50",
    "/api/events?dyad=RUS,CHN",
    "/api/claims?limit=50",
    "/api/actors?limit=50",
    "/api/stories?limit=20",
    "/api/dyads/RUS/CHN",
    "/",
    "/articles/{article}",
)
POST_EVERY = 25  # one request in this many is a POST of a new article
POSTED_FIELDS = ("text", "title", "url", "outlet", "published")  # what POST /api/articles takes


@dataclass
class Report:
    """What the clients saw, per endpoint."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    busy: int = 0  # 503 + Retry-After answers to a POST
    locked: int = 0  # responses mentioning "database is locked"
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())

    def record(
        self, endpoint: str, seconds: float, error: str | None, *, busy: bool = False, locked: bool = False
    ) -> None:
        with self.lock:
            self.latencies[endpoint].append(seconds)
            if error:
                self.errors[endpoint].append(error)
            self.busy += busy
            self.locked += locked

    def rows(self) -> list[dict[str, object]]:
        out = []
        for endpoint in sorted(self.latencies):
            times = sorted(self.latencies[endpoint])
            out.append({
                "endpoint": endpoint, "requests": len(times), "errors": len(self.errors.get(endpoint, [])),
                "p50_ms": round(1000 * statistics.median(times), 1),
                "p95_ms": round(1000 * times[max(0, int(0.95 * len(times)) - 1)] if len(times) < 20
                                else 1000 * statistics.quantiles(times, n=20)[-1], 1),
                "max_ms": round(1000 * times[-1], 1),
            })  # fmt: skip
        return out

    def render(self) -> str:
        lines = [f"{'endpoint':<28} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
        for row in self.rows():
            lines.append(
                f"{row['endpoint']:<28} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>8} "
                f"{row['p95_ms']:>8} {row['max_ms']:>8}"
            )
        lines.append(
            f"{self.requests} requests in {self.seconds:.1f} s, {self.error_count} errors, "
            f"{self.busy} busy (503 + Retry-After), '{LOCKED}' seen {self.locked} times"
        )
        for endpoint, errors in sorted(self.errors.items()):
            lines.append(
                f"  {endpoint}: {errors[0]}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
            )
        return "\n".join(lines)


def run_clients(
    base_url: str, *, clients: int, requests: int, max_seconds: float, article_id: Callable[[], str | None],
    new_article: Callable[[int], dict[str, object]] | None = None, token: str = TOKEN,
) -> Report:  # fmt: skip
    """``clients`` threads share a budget of ``requests`` and ``max_seconds``; every read endpoint in turn,
    and a POST (``new_article(n)``) every POST_EVERY requests when given."""
    import httpx

    report = Report()
    sent = 0
    budget = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def take() -> int | None:
        nonlocal sent
        with budget:
            if sent >= requests or time.monotonic() > deadline:
                return None
            sent += 1
            return sent

    def client(index: int) -> None:
        with httpx.Client(base_url=base_url, timeout=120.0) as http:
            while (n := take()) is not None:
                if new_article is not None and n % POST_EVERY == 0:
                    post(http, n)
                    continue
                path = READS[(n + index) % len(READS)]
                if "{article}" in path:
                    aid = article_id()
                    if aid is None:
                        continue
                    path = path.replace("{article}", aid)
                endpoint = "GET " + re.sub(r"/articles/[0-9a-f]+$", "/articles/{id}", path.split("?")[0])
                get(http, endpoint, path)

    def get(http: httpx.Client, endpoint: str, path: str) -> None:
        start = time.perf_counter()
        try:
            response = http.get(path)
        except httpx.HTTPError as exc:
            report.record(endpoint, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
            return
        error = None if response.status_code == 200 else f"HTTP {response.status_code}: {response.text[:200]}"
        report.record(endpoint, time.perf_counter() - start, error, locked=LOCKED in response.text)

    def post(http: httpx.Client, n: int) -> None:
        start = time.perf_counter()
        assert new_article is not None
        try:
            response = http.post(
                "/api/articles", json=new_article(n), headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            report.record("POST /api/articles", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
            return
        busy = response.status_code == 503 and "retry-after" in response.headers
        error = (
            None
            if response.status_code == 201 or busy
            else f"HTTP {response.status_code}: {response.text[:200]}"
        )
        report.record("POST /api/articles", time.perf_counter() - start, error, busy=busy,
                      locked=LOCKED in response.text)  # fmt: skip

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max_seconds + 150)  # a request in flight may still finish (timeout 120 s)
    report.seconds = time.monotonic() - started
    return report


# -- the full run: corpus, server, coding run ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url} within {seconds:g} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000, help="requests in all, across the clients")
    parser.add_argument("--max-seconds", type=float, default=180.0, help="stop sending after this long")
    parser.add_argument("--articles", type=int, default=400, help="articles the coding run writes")
    parser.add_argument("--seed", type=int, default=60, help="articles coded before the load starts")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not VOA.exists():
        print(f"skipped: {VOA} is absent (the VOA corpus lives in ../shared)")
        return 0
    corpus = voa_sentence_articles(args.seed + args.articles + args.requests // POST_EVERY + args.clients)
    seed, to_code = corpus[: args.seed], corpus[args.seed : args.seed + args.articles]
    to_post = corpus[args.seed + args.articles :]
    detente = [sys.executable, "-m", "detente"]
    env = {**os.environ, "DETENTE_API_TOKEN": TOKEN}
    with tempfile.TemporaryDirectory(prefix="detente-load-") as tmp:
        folder = Path(tmp)
        db = folder / "load.db"
        for name, rows in (("seed.jsonl", seed), ("run.jsonl", to_code)):
            (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"seeding {len(seed)} articles ...", file=sys.stderr)
        subprocess.run([*detente, "code", str(folder / "seed.jsonl"), "--db", str(db), "-q"], check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = (folder / "server.log").open("w+")
        server = subprocess.Popen([*detente, "serve", "--db", str(db), "--port", str(port)], env=env,
                                  stdout=server_log, stderr=server_log)  # fmt: skip
        coder = None
        try:
            wait_for(f"{base}/api/stats", 60)
            import httpx

            ids = [a["id"] for a in httpx.get(f"{base}/api/articles?limit=50").json()["items"]]
            # One POST first, not counted: it waits for the server's coding worker to load the model.
            warm = {k: to_post[-1][k] for k in POSTED_FIELDS}
            httpx.post(
                f"{base}/api/articles", json=warm, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300
            )
            coder = subprocess.Popen([*detente, "code", str(folder / "run.jsonl"), "--db", str(db), "-q",
                                      "--batch-size", "8"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            time.sleep(2.0)  # let the coding run load its model and start writing
            print(f"{args.clients} clients, up to {args.requests} requests or {args.max_seconds:g} s, "
                  f"while 'detente code' writes {len(to_code)} articles ...", file=sys.stderr)  # fmt: skip
            report = run_clients(
                base, clients=args.clients, requests=args.requests, max_seconds=args.max_seconds,
                article_id=lambda: ids[int(time.monotonic() * 1000) % len(ids)] if ids else None,
                new_article=lambda n: {k: to_post[n // POST_EVERY % len(to_post)][k] for k in POSTED_FIELDS},
            )  # fmt: skip
            still_coding = coder.poll() is None
        finally:
            if coder is not None and coder.poll() is None:
                coder.terminate()
            coder_err = coder.communicate(timeout=60)[1].decode(errors="replace") if coder is not None else ""
            server.terminate()
            server.wait(timeout=60)
        server_log.seek(0)
        logs = server_log.read() + coder_err
        report.locked += logs.count(LOCKED)
        stored = subprocess.run([*detente, "stats", "--db", str(db), "--format", "json"], capture_output=True,
                                text=True, check=True).stdout  # fmt: skip
    print(report.render())
    if report.error_count and logs.strip():
        print("the server's and the coding run's log (last lines):\n" + logs[-4000:])
    print(f"the coding run was {'still writing' if still_coding else 'done'} when the clients stopped; "
          f"the database holds {json.loads(stored)['articles']} articles")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps({"rows": report.rows(), "errors": report.error_count, "busy": report.busy,
                                         "locked": report.locked, "seconds": report.seconds}, indent=1))  # fmt: skip
    return 1 if report.error_count or report.locked else 0


if __name__ == "__main__":
    sys.exit(main())
