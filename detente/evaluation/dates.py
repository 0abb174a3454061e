"""Score the date resolver on a JSONL of ``{text, pub_date, expected}`` cases.

``expected`` holds any of ``start``, ``end`` (ISO dates), ``granularity`` and ``type``; only the keys
given are compared, so a case can pin just what it cares about. ``tolerance_days`` (optional, on the
case) widens the start/end comparison. An unresolved case is ``{"type": "unresolved"}``. ``future``
(optional, default false) says the case's sentence speaks of what will happen, as the dates stage
would find; ``sentence`` (optional) is that sentence, for the reader.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import InputError, RecordError
from detente.records import ResolvedDate, parse_published, to_dict
from detente.timex import resolve_date


@dataclass(frozen=True, slots=True)
class DateCase:
    text: str
    pub_date: dt.date | None
    expected: Mapping[str, Any]
    tolerance_days: int = 0
    note: str = ""
    future: bool = False


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: DateCase
    got: ResolvedDate
    correct: bool
    mismatches: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DateScores:
    total: int
    correct: int
    by_type: Mapping[str, tuple[int, int]]  # expected type -> (correct, total)
    results: tuple[CaseResult, ...] = field(repr=False)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.correct]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "correct": self.correct, "accuracy": round(self.accuracy, 4),
            "by_type": {k: {"correct": c, "total": t} for k, (c, t) in sorted(self.by_type.items())},
            "failures": [
                {"text": r.case.text, "pub_date": r.case.pub_date, "expected": dict(r.case.expected),
                 "got": to_dict(r.got), "mismatches": list(r.mismatches)}
                for r in self.failures()
            ],
        }  # fmt: skip


def _as_date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise ValueError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return parsed.date() if isinstance(parsed, dt.datetime) else parsed


def load_cases(path: str | Path) -> list[DateCase]:
    """Read a JSONL case file; a bad line raises RecordError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read the case file: {exc.strerror}", hint="check the path") from exc
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            expected = data["expected"]
            if not isinstance(expected, Mapping):
                raise ValueError("'expected' must be an object")
            cases.append(DateCase(
                text=str(data["text"]), pub_date=_as_date(data.get("pub_date"), "pub_date"),
                expected=expected, tolerance_days=int(data.get("tolerance_days", 0)), note=data.get("note", ""),
                future=bool(data.get("future", False)),
            ))  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordError(
                path, f"line {number}: {exc}", hint='each line is {"text", "pub_date", "expected": {...}}'
            ) from exc
    return cases


def score_case(case: DateCase, got: ResolvedDate) -> CaseResult:
    mismatches = []
    for key in ("start", "end"):
        if key not in case.expected:
            continue
        want, have = _as_date(case.expected[key], key), getattr(got, key)
        # both absent, or both present and within the tolerance
        ok = want is have if want is None or have is None else abs((want - have).days) <= case.tolerance_days
        if not ok:
            mismatches.append(f"{key}: expected {want}, got {have}")
    for key in ("granularity", "type"):
        if key in case.expected and case.expected[key] != getattr(got, key):
            mismatches.append(f"{key}: expected {case.expected[key]}, got {getattr(got, key)}")
    return CaseResult(case, got, not mismatches, tuple(mismatches))


def evaluate_dates(cases: Iterable[DateCase]) -> DateScores:
    results = tuple(score_case(c, resolve_date(c.text, c.pub_date, future=c.future)) for c in cases)
    totals: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for r in results:
        kind = str(r.case.expected.get("type", "any"))
        totals[kind] += 1
        hits[kind] += r.correct
    by_type = {k: (hits[k], totals[k]) for k in totals}
    return DateScores(len(results), sum(r.correct for r in results), by_type, results)
