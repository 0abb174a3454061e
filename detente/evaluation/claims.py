"""Scoring attributions against hand-annotated cases (cue, speaker and content F1, PARC style).

A gold file is JSONL: ``{"id", "text", "claims": [{"cue", "speaker", "content"}]}`` where each value is a
piece of ``text`` as written (a case with ``"claims": []`` tests that nothing is found). Gold speakers are
the nearest full mention (for "he said", the named person it refers to). A predicted claim's cue matches a
gold cue when their character spans overlap; its speaker is right when one of its actor refs overlaps the
gold speaker or carries its name; its content is right when the token overlap F1 with the gold content is
at least 0.5.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.errors import RecordError
from detente.records import Claim


@dataclass(frozen=True, slots=True)
class PRF:
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class ClaimScores:
    cue: PRF
    speaker: PRF
    content: PRF
    cases: int
    # Gold items no predicted claim matched, as (case id, cue) for error analysis.
    missed: tuple[tuple[str, str], ...] = ()
    spurious: tuple[tuple[str, str], ...] = ()

    def as_row(self) -> dict[str, Any]:
        return {
            "cases": self.cases, "gold": self.cue.gold, "predicted": self.cue.predicted,
            **{f"{name}_{m}": round(getattr(getattr(self, name), m), 3)
               for name in ("cue", "speaker", "content") for m in ("precision", "recall", "f1")},
        }  # fmt: skip


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read a gold file, checking that every annotated piece occurs in its text."""
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            text = case["text"]
            for claim in case["claims"]:
                for key in ("cue", "speaker", "content"):
                    if claim.get(key) and claim[key] not in text:
                        raise ValueError(f"{key} {claim[key]!r} is not in the text")
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordError(path, f"line {number}: {exc}", hint="fix the annotation") from exc
        cases.append(case)
    return cases


def _locate(text: str, piece: str, near: int) -> tuple[int, int]:
    """The occurrence of ``piece`` nearest ``near`` (annotations give text, not offsets)."""
    starts, i = [], text.find(piece)
    while i >= 0:
        starts.append(i)
        i = text.find(piece, i + 1)
    start = min(starts, key=lambda s: abs(s - near))
    return start, start + len(piece)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _token_f1(a: str, b: str) -> float:
    ta, tb = a.lower().split(), b.lower().split()
    common = sum(min(ta.count(w), tb.count(w)) for w in set(ta))
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _speaker_right(claim: Claim, gold: tuple[int, int], gold_text: str) -> bool:
    for ref in claim.speaker:
        if ref.end > ref.start and _overlap((ref.start, ref.end), gold):
            return True
        if ref.name and (ref.name in gold_text or any(w in gold_text.split() for w in ref.name.split()[-1:])):
            return True
    return False


def score_claims(
    cases: Iterable[Mapping[str, Any]], predict: Callable[[str], Sequence[Claim]]
) -> ClaimScores:
    """Score ``predict(text) -> claims`` (the article's root claim is ignored) on gold cases."""
    cue_tp = speaker_tp = content_tp = n_pred = n_gold = n_cases = 0
    missed: list[tuple[str, str]] = []
    spurious: list[tuple[str, str]] = []
    for case in cases:
        n_cases += 1
        text = case["text"]
        predicted = [c for c in predict(text) if c.cue is not None and c.parent_id is not None]
        n_pred += len(predicted)
        n_gold += len(case["claims"])
        used: set[int] = set()
        for gold in case["claims"]:
            content = _locate(text, gold["content"], 0)
            speaker = _locate(text, gold["speaker"], content[0]) if gold.get("speaker") else (0, 0)
            cue = _locate(text, gold["cue"], speaker[1])
            match = next(
                (i for i, c in enumerate(predicted) if i not in used and c.cue and _overlap((c.cue.start, c.cue.end), cue)),
                None,
            )  # fmt: skip
            if match is None:
                missed.append((case.get("id", ""), gold["cue"]))
                continue
            used.add(match)
            claim = predicted[match]
            cue_tp += 1
            speaker_tp += _speaker_right(claim, speaker, gold.get("speaker") or "")
            content_tp += _token_f1(claim.content.text, gold["content"]) >= 0.5
        spurious += [
            (case.get("id", ""), c.cue.text) for i, c in enumerate(predicted) if i not in used and c.cue
        ]
    return ClaimScores(
        cue=PRF(cue_tp, n_pred, n_gold), speaker=PRF(speaker_tp, n_pred, n_gold),
        content=PRF(content_tp, n_pred, n_gold), cases=n_cases, missed=tuple(missed), spurious=tuple(spurious),
    )  # fmt: skip
