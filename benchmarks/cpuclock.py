"""CPU seconds of a whole run, read from /proc: this process, its child processes and, optionally, a
PostgreSQL server's processes (psutil is not a dependency).

Wall-clock rates move with whatever else the shared machine runs; the CPU a run spends per article moves
much less. A coding run's CPU is spread over processes: the writer (this process), the coding workers
(its children) and, on PostgreSQL, the server's backends and autovacuum. Each process of a tree counts its
own time and its reaped children's (``cutime``/``cstime``), so a worker that died and was reaped is still
counted, in its parent's figure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

Stat = tuple[int, int]  # (parent pid, CPU ticks: utime + stime + cutime + cstime)


def parse_stat(text: str) -> Stat:
    """The parent pid and CPU ticks of one ``/proc/PID/stat`` line (the command name, in parentheses, may
    hold spaces and parentheses: the fields are read after its last ')')."""
    fields = text.rsplit(")", 1)[1].split()
    # fields[0] is the state; ppid is field 4 of the line, utime..cstime fields 14-17.
    return int(fields[1]), sum(int(f) for f in fields[11:15])


def tree_ticks(stats: dict[int, Stat], roots: Iterable[int]) -> int:
    """CPU ticks of the roots and every live descendant of them, each process counted once."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    seen: set[int] = set()
    stack = [r for r in roots if r in stats]
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        stack.extend(children.get(pid, []))
    return sum(stats[pid][1] for pid in seen)


def read_stats(proc: Path = Path("/proc")) -> dict[int, Stat]:
    stats = {}
    for path in proc.glob("[0-9]*/stat"):
        try:
            stats[int(path.parent.name)] = parse_stat(path.read_text())
        except (OSError, ValueError, IndexError):
            continue  # the process ended while the folder was read
    return stats


def cpu_clock(extra_roots: Iterable[int] = ()) -> Callable[[], float]:
    """A clock of the CPU seconds spent so far by this process, its descendants and ``extra_roots`` (a
    PostgreSQL postmaster) with theirs."""
    roots = [os.getpid(), *extra_roots]
    tick = os.sysconf("SC_CLK_TCK")
    return lambda: tree_ticks(read_stats(), roots) / tick


def postmaster_pid(data_directory: str | Path) -> int:
    """The pid of the PostgreSQL server whose data directory this is (first line of postmaster.pid)."""
    return int(Path(data_directory, "postmaster.pid").read_text().split()[0])
