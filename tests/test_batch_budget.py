"""No article can end or stall a run (issue 14): the per-article budget, failed articles, --retry-failed.

In this process the budget is checked between pipeline steps (a fake clock makes a step "take" ten
seconds without waiting). In worker processes it is enforced from outside: those tests use the stand-in
coder of ``tests/faults.py`` (no model to load), whose articles hang, bloat, crash or raise on demand.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.language import Language

from detente.batch.budget import Budget, code_article
from detente.batch.local import code_into_store
from detente.batch.pool import CodingPool
from detente.config import Settings
from detente.errors import DetenteError
from detente.records import Article, Bundle, Failure, article_id
from detente.store import open_store

REPO = Path(__file__).resolve().parents[1]
FAULTS = "tests.faults:coder"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


CLOCK = FakeClock()


@Language.component("tests_trouble")
def trouble(doc):  # type: ignore[no-untyped-def]
    """A stage that misbehaves on request: 'slow' takes ten (fake) seconds, 'boom' raises, 'hoard' runs
    out of memory."""
    text = doc.text
    if "slow" in text:
        CLOCK.now += 10.0
    if "boom" in text:
        raise RuntimeError("boom in the middle of a stage")
    if "hoard" in text:
        raise MemoryError
    return doc


@pytest.fixture(scope="module")
def small_nlp() -> Language:
    from detente.pipeline import register_extensions

    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("tests_trouble")
    return nlp


def art(text: str, **fields: object) -> Article:
    return Article(id=article_id(text), text=text, language="en", **fields)  # type: ignore[arg-type]


# -- in this process: checks between steps -----------------------------------------------------------


def test_a_step_over_the_budget_or_raising_fails_its_article_with_stage_and_time(small_nlp):
    budget = Budget(seconds=5, memory_mb=4096)

    def code(text: str) -> Bundle | Failure:
        return code_article(small_nlp, art(text, meta={"source": "news.jsonl:7"}), budget, clock=CLOCK)

    assert isinstance(code("Russia and China met."), Bundle)
    slow = code("a slow one")
    assert isinstance(slow, Failure)
    assert (slow.kind, slow.stage, slow.elapsed, slow.source) == (
        "time",
        "tests_trouble",
        10.0,
        "news.jsonl:7",
    )
    assert slow.message == "over the 5 s time budget in tests_trouble after 10.0 s"
    boom = code("boom")
    assert (boom.kind, boom.stage) == ("error", "tests_trouble")
    assert boom.message == "RuntimeError: boom in the middle of a stage in tests_trouble after 0.0 s"
    assert code("hoard").kind == "memory"
    skipped = art("Nicht auf Englisch.", skip_reason="language de")
    assert code_article(small_nlp, skipped, budget) == Bundle(article=skipped)


def in_process(nlp: Language, settings: Settings):  # type: ignore[no-untyped-def]
    budget = Budget.of(settings)

    def coder(batches):  # type: ignore[no-untyped-def]
        for batch in batches:
            yield [code_article(nlp, a, budget, clock=CLOCK) for a in batch]

    return coder


def test_the_run_goes_on_failed_articles_are_stored_named_and_retried(tmp_path, small_nlp):
    store = open_store(tmp_path / "d.db")
    items = [
        art("first, fine"),
        art("a slow one", meta={"source": "in.jsonl:2"}),
        art("boom"),
        art("last, fine"),
    ]
    seen: list[Failure] = []
    settings = Settings(batch_size=2, article_seconds=5)
    summary = code_into_store(items, store, settings=settings, coder=in_process(small_nlp, settings),
                              on_failure=seen.append)  # fmt: skip
    assert (summary.coded, len(summary.failed)) == (2, 2)
    assert (
        [f.article_id for f in summary.failed] == [items[1].id, items[2].id] == [f.article_id for f in seen]
    )
    assert store.stats().articles == 4 and store.stats().failed == 2
    assert {f.article_id for f in store.failures()} == {items[1].id, items[2].id}
    assert store.get_article(items[1].id).skip_reason.startswith("coding failed: over the 5 s time budget")
    # The same input again: nothing is coded twice; failed articles stay failed until asked.
    again = code_into_store(items, store, settings=settings, coder=in_process(small_nlp, settings))
    assert (again.coded, again.already_stored, again.failed) == (0, 4, [])
    # --retry-failed with a bigger budget, and no input at all: the store holds the articles.
    bigger = Settings(batch_size=2, article_seconds=60)
    retried = code_into_store(
        [], store, settings=bigger, retry_failed=True, coder=in_process(small_nlp, bigger)
    )
    assert (retried.retried, retried.coded, [f.article_id for f in retried.failed]) == (2, 1, [items[2].id])
    assert [f.article_id for f in store.failures()] == [items[2].id]  # the slow one is coded now
    assert store.get_article(items[1].id).skip_reason is None
    assert store.get_article(items[1].id).meta["source"] == "in.jsonl:2"
    store.close()


# -- worker processes: enforced from outside ------------------------------------------------------------


def test_hangs_memory_hogs_crashes_and_errors_each_fail_one_article_and_workers_are_replaced():
    # The time budget leaves the memory hog room to reach its 200 MB first even on a loaded machine.
    settings = Settings(article_seconds=2, article_memory_mb=200)
    articles = [art(t) for t in ("one", "HANG", "two", "CRASH", "BLOAT", "BOOM", "three")]
    with CodingPool(settings, workers=2, coder=FAULTS) as pool:
        results = [r for batch in pool.code_batches([articles[:3], articles[3:]]) for r in batch]
        assert pool.started == 5  # two, and a new one for each worker killed or lost
    assert [r.article.id if isinstance(r, Bundle) else r.kind for r in results] == [
        articles[0].id, "time", articles[2].id, "worker_lost", "memory", "error", articles[6].id,
    ]  # fmt: skip
    assert all(r.stage == "faults.step" for r in results if isinstance(r, Failure))
    assert results[1].message.startswith("over the 2 s time budget in faults.step after ")
    assert "killed by SIGKILL" in results[3].message
    assert results[4].message.startswith("over the 200 MB memory budget in faults.step (+")


def test_a_worker_killed_from_outside_mid_article_fails_that_article_and_the_run_ends(tmp_path):
    """What the OOM killer does; before, the run waited for the dead worker forever."""
    pid_file = tmp_path / "worker.pid"
    articles = [art("one"), art(f"HANG {pid_file}"), art("two"), art("three")]

    def kill_the_hung_worker() -> None:
        while not pid_file.exists():
            time.sleep(0.02)
        time.sleep(0.1)  # let it get into its endless step
        os.kill(int(pid_file.read_text()), signal.SIGKILL)

    killer = threading.Thread(target=kill_the_hung_worker, daemon=True)
    killer.start()
    store = open_store(tmp_path / "d.db")
    with CodingPool(Settings(article_seconds=600), workers=2, coder=FAULTS) as pool:
        summary = code_into_store(articles, store, coder=pool.code_batches, update_stories=False)
    killer.join(timeout=5)
    assert summary.coded == 3
    [lost] = summary.failed
    assert (lost.article_id, lost.kind, lost.stage) == (articles[1].id, "worker_lost", "faults.step")
    assert store.stats().articles == 4 and [f.kind for f in store.failures()] == ["worker_lost"]
    store.close()


def test_a_worker_that_cannot_start_is_one_clear_error_for_the_run():
    pool = CodingPool(Settings(), workers=2, coder="tests.faults:broken_coder")
    with pytest.raises(
        DetenteError, match=r"a coding worker could not start: unknown stage 'no\.such\.stage\.v1'"
    ):
        list(pool.code_batches([[art("one")]]))
    assert pool.pids == []


def test_workers_of_a_parent_killed_with_minus_9_exit_by_themselves(tmp_path):
    parent = """
import sys, threading
from detente.batch.pool import CodingPool
from detente.config import Settings
from detente.records import Article
pool = CodingPool(Settings(article_seconds=600), workers=2, coder="tests.faults:coder")
def report():
    import time
    while len(pool.pids) < 2:
        time.sleep(0.05)
    print(" ".join(map(str, pool.pids)), flush=True)
threading.Thread(target=report, daemon=True).start()
list(pool.code_batches([[Article(id="h", text="HANG"), Article(id="o", text="fine")]]))
"""
    proc = subprocess.Popen([sys.executable, "-c", parent], cwd=REPO, stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]  # type: ignore[union-attr]
    assert len(pids) == 2
    proc.kill()
    proc.wait()
    alive = list(pids)
    for _ in range(100):  # they look for their parent every second
        alive = [p for p in alive if _alive(p)]
        if not alive:
            break
        time.sleep(0.1)
    assert alive == [], "orphaned workers kept running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for init to reap it is gone for our purpose
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


# -- the command line, with the real pipeline in a worker process ---------------------------------------


@pytest.mark.model
def test_cli_names_failed_articles_exits_1_and_retry_failed_codes_them(tmp_path, nlp):
    corpus = tmp_path / "news.jsonl"
    texts = ["Russia and China signed an energy agreement in Beijing on Tuesday.",
             "India accused Pakistan of violating the ceasefire in Kashmir."]  # fmt: skip
    corpus.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    db = str(tmp_path / "d.db")
    from detente.cli import cli

    runner = CliRunner()
    # Every article is over a budget of a microsecond (the default: one supervised worker process).
    result = runner.invoke(cli, ["code", str(corpus), "--db", db, "--article-timeout", "0.000001"])
    assert result.exit_code == 1, result.output
    ids = [article_id(t) for t in texts]
    for number, aid in enumerate(ids, start=1):
        assert (
            f"  failed: {aid} ({corpus}:{number}): over the 1e-06 s time budget in tokenizer after"
            in result.stderr
        )
    assert f"code them again with: detente code --retry-failed --db {db}" in result.stderr
    stats = json.loads(runner.invoke(cli, ["stats", "--db", db, "--format", "json"]).output)
    assert (stats["articles"], stats["failed"]) == (2, 2)
    # Retried in this process (--workers 0), with the default budget: both coded, nothing failed.
    retry = runner.invoke(cli, ["code", "--retry-failed", "--db", db, "--workers", "0"])
    assert retry.exit_code == 0, retry.output
    assert retry.stderr.startswith("coded 2 article(s); 2 failed earlier and tried again;")
    stats = json.loads(runner.invoke(cli, ["stats", "--db", db, "--format", "json"]).output)
    assert (stats["articles"], stats["failed"]) == (2, 0)
    assert runner.invoke(cli, ["code", "--db", db]).exit_code == 2  # no PATHS and nothing to retry: usage
