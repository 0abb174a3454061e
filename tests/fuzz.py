"""The long fuzz run (``make fuzz``): the properties of ``tests/strategies.py`` on tens of thousands of inputs.

Each target gets its number of generated inputs (hypothesis, a fresh seed each run unless --seed). An
input that raises, or breaks a property, is a crash; one that runs past --hang seconds (SIGALRM) is a hang;
both are listed with the input, and the run goes on. At the end: inputs, crashes and hangs per target, the
slowest input of each and of the run (by CPU time, steady on a shared machine), and the peak memory of the
process. Exit code 1 when anything crashed
or hung. Never asserts timings: the slowest input is reported, not judged.

    python -m tests.fuzz [--scale 0.1] [--seed N] [--hang 60] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests import strategies as S


class Hang(Exception):
    pass


@dataclass
class Tally:
    name: str
    inputs: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: str = ""
    seconds: float = 0.0


def _describe(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def _kb() -> Any:
    from detente.actors.knowledge_base import load_kb

    return load_kb()


def _code(texts: list[str]) -> None:
    import detente

    results = detente.code_texts(texts, published="2025-06-09")
    assert len(results) == len(texts)
    for result in results:
        S.check_bundle(result)


def _normalize(text: str) -> None:
    from detente.ingest.text import neutralize, normalize

    once = normalize(text)
    assert normalize(once) == once and len(neutralize(text)) == len(text)


# target name -> (strategy, check, inputs at scale 1)
TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], Any], int]] = {
    "ingest (jsonl csv txt md xml rss html)": (S.ingest_input, lambda case: S.check_ingest(*case), 3000),
    "normalise and neutralise": (S.texts, _normalize, 1000),
    "quotes (find_quotes)": (S.texts, S.check_quotes, 3000),
    "dates (resolve_date)": (
        st.tuples(S.date_text, S.dates, st.booleans()),
        lambda c: S.check_date(*c),
        2500,
    ),
    "actors (knowledge base)": (st.tuples(S.mention, S.dates), lambda c: S.check_actor(_kb(), *c), 2000),
    "attribution and coding (code_texts)": (st.lists(S.news_text, min_size=1, max_size=3), _code, 300),
}


def run_target(name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], Any], count: int,
               hang: int, run_seed: int | None) -> Tally:  # fmt: skip
    tally = Tally(name)

    def on_alarm(*_: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, on_alarm)

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def one(value: Any) -> None:
        tally.inputs += 1
        start, cpu = time.perf_counter(), time.process_time()
        signal.alarm(hang)
        try:
            check(value)
        except Hang:
            tally.hangs.append(_describe(value, 20_000))
        except Exception as exc:  # a crash is recorded with its input, and the run goes on
            # the whole input goes to the --json report, so the crash can be replayed
            tally.crashes.append(f"{type(exc).__name__}: {str(exc)[:200]} <- {_describe(value, 20_000)}")
        finally:
            signal.alarm(0)
        # CPU time of this process: on a shared machine, wall time would name whichever input the
        # scheduler paused, not the slowest one (the hang watchdog above still counts wall seconds).
        elapsed = time.process_time() - cpu
        tally.seconds += time.perf_counter() - start
        if elapsed > tally.slowest:
            tally.slowest, tally.slowest_input = elapsed, _describe(value)

    try:
        (seed(run_seed)(one) if run_seed is not None else one)()
    finally:
        signal.signal(signal.SIGALRM, previous)
    return tally


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's number of inputs")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: a fresh one)")
    parser.add_argument("--hang", type=int, default=60, help="seconds after which one input counts as a hang")
    parser.add_argument("--json", help="also write the report to this file")
    args = parser.parse_args(argv)

    from detente.errors import DetenteWarning
    from detente.pipeline import load_nlp

    warnings.simplefilter("ignore", DetenteWarning)  # files read in a legacy encoding: expected here
    warnings.filterwarnings("ignore", "Surrogate character", RuntimeWarning)  # unidecode, on raw mentions
    load_nlp(), _kb()  # loaded before the clock starts: the slowest input is an input, not a model load
    tallies = []
    for name, (strategy, check, count) in TARGETS.items():
        tally = run_target(name, strategy, check, max(1, round(count * args.scale)), args.hang, args.seed)
        tallies.append(tally)
        print(f"{name:<40} {tally.inputs:>6} inputs  {len(tally.crashes)} crashes  {len(tally.hangs)} hangs"
              f"  {tally.seconds:7.1f} s  slowest {tally.slowest:.2f} cpu s", flush=True)  # fmt: skip
        for problem in tally.crashes[:5] + tally.hangs[:5]:
            print(f"    {problem[:400]}", flush=True)
    slowest = max(tallies, key=lambda t: t.slowest)
    report = {
        "inputs": sum(t.inputs for t in tallies),
        "crashes": sum(len(t.crashes) for t in tallies),
        "hangs": sum(len(t.hangs) for t in tallies),
        "slowest": {"target": slowest.name, "seconds": round(slowest.slowest, 3), "input": slowest.slowest_input},
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "targets": [
            {"name": t.name, "inputs": t.inputs, "crashes": t.crashes, "hangs": t.hangs, "seconds": round(t.seconds, 1),
             "slowest_seconds": round(t.slowest, 3), "slowest_input": t.slowest_input}
            for t in tallies
        ],
    }  # fmt: skip
    print(f"\n{report['inputs']:,} inputs, {report['crashes']} crashes, {report['hangs']} hangs; peak memory "
          f"{report['peak_rss_mb']:,} MB")  # fmt: skip
    print(f"slowest input: {slowest.slowest:.2f} cpu s in {slowest.name}: {slowest.slowest_input}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1)
    return 1 if report["crashes"] or report["hangs"] else 0


if __name__ == "__main__":
    sys.exit(main())
