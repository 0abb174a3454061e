"""The scale benchmark's measuring helpers (issue 15): the CPU clock over a run's processes and the windows
of a coded run. The figures themselves are measured by ``benchmarks/scale.py``, never asserted here."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))  # benchmarks/ is a folder of scripts, not a package
try:
    cpuclock = importlib.import_module("cpuclock")
    scale = importlib.import_module("scale")
finally:
    sys.path.remove(str(REPO / "benchmarks"))


def stat_line(pid: int, comm: str, ppid: int, utime: int, stime: int, cutime: int, cstime: int) -> str:
    rest = ["S", str(ppid), *["0"] * 9, str(utime), str(stime), str(cutime), str(cstime), "20", "0"]
    return f"{pid} ({comm}) " + " ".join(rest)


def test_parse_stat_reads_ppid_and_all_four_times_after_a_tricky_name() -> None:
    line = stat_line(42, "py (worker) x", 7, 100, 20, 3, 4)
    assert cpuclock.parse_stat(line) == (7, 127)


def test_parse_stat_reads_a_real_proc_line() -> None:
    text = Path(f"/proc/{os.getpid()}/stat").read_text()
    ppid, ticks = cpuclock.parse_stat(text)
    assert ppid == os.getppid()
    assert ticks >= 0


def test_tree_ticks_counts_roots_and_their_descendants_once() -> None:
    stats = {
        10: (1, 5),  # the run's process
        11: (10, 7),  # a worker
        12: (11, 2),  # the worker's child
        20: (1, 100),  # someone else's process
        30: (1, 11),  # a second root (a PostgreSQL server)
        31: (30, 13),  # its backend
    }
    tree_ticks = cpuclock.tree_ticks
    assert tree_ticks(stats, [10]) == 5 + 7 + 2
    assert tree_ticks(stats, [10, 30]) == 5 + 7 + 2 + 11 + 13
    assert tree_ticks(stats, [10, 11]) == 5 + 7 + 2  # a root inside another's tree is not counted twice
    assert tree_ticks(stats, [99]) == 0  # a root that ended


def test_cpu_clock_counts_a_live_child() -> None:
    """A busy child's CPU is in the clock while it runs (the coding workers are such children)."""
    burn = "import sys, time\nwhile time.process_time() < 0.2: pass\nprint('ready', flush=True)\nsys.stdin.read()"
    child = subprocess.Popen(
        [sys.executable, "-c", burn], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        stats = cpuclock.read_stats()
        assert stats[child.pid][0] == os.getpid()
        assert stats[child.pid][1] > 0
        counted = cpuclock.cpu_clock()() * os.sysconf("SC_CLK_TCK")
        assert counted >= stats[os.getpid()][1] + stats[child.pid][1] - 0.5  # CPU time only grows
    finally:
        child.communicate("")


def test_window_spans_the_marks_around_its_bounds() -> None:
    # (wall s, articles stored so far, CPU s so far), one per batch of 32
    marks = [(10.0, 32, 1.0), (11.0, 64, 2.0), (12.0, 96, 3.0), (14.0, 128, 5.0), (15.0, 150, 6.1)]
    window = scale.window
    assert window(marks, 32, 47) == (32, 64, 32.0, 1 / 32)
    a, b, rate, cpu = window(marks, 100, 150)  # from the last mark at or before 100 to the end
    assert (a, b) == (96, 150)
    assert rate == pytest.approx(54 / 3)
    assert cpu == pytest.approx(3.1 / 54)
    assert window(marks, 0, 1000)[:2] == (32, 150)  # bounds outside the run: its first and last marks
