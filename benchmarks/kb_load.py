"""What loading the actor knowledge base costs: CPU seconds and resident memory, with and without the
shipped packs (the budget: at most 1 s and 150 MB for the full knowledge base). Each variant runs in a
fresh process so nothing is cached; best of N rounds. Prints a report; never asserts.

    python benchmarks/kb_load.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

PROBE = """
import json, resource, time
from detente.actors.knowledge_base import build_kb
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cpu, wall = time.process_time(), time.perf_counter()
kb = build_kb(packs={packs!r})
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"cpu": cpu, "wall": wall, "mb": after - before, "entries": len(kb.entries), "keys": len(kb.index)}}))
"""


def measure(packs: tuple[str, ...], rounds: int) -> dict[str, float]:
    runs = []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, "-c", PROBE.format(packs=packs)], capture_output=True, text=True,
                             check=True)  # fmt: skip
        runs.append(json.loads(out.stdout))
    return {key: min(r[key] for r in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    for label, packs in (("curated only", ()), ("curated + phoenix", ("phoenix",))):
        r = measure(packs, args.rounds)
        print(f"{label:<18} {r['cpu']:.2f} s CPU ({r['wall']:.2f} s wall)  +{r['mb']:.0f} MB  "
              f"{int(r['entries']):,} entries, {int(r['keys']):,} keys  (budget: 1 s, 150 MB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
