"""Coreference recall and precision on hand-marked VOA passages (tests/data/coref_cases.jsonl).

Each line quotes the opening sentences of a VOA story and marks every pronoun or definite description
there that refers to an actor named in the passage, with the text of its antecedent (split antecedents,
expletive "it" and references to things are not marked). A mention counts as linked correctly when the
stage links it to a ref that contains the antecedent's text or has the same actor as such a ref.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from detente.actors.coreference import antecedents
from detente.records import Article

pytestmark = pytest.mark.model

CASES = Path(__file__).parent / "data" / "coref_cases.jsonl"  # the rules were tuned on these
# Eight other VOA stories, marked by hand before the rules were run on them (recall 0.15 then).
HELDOUT = Path(__file__).parent / "data" / "coref_heldout.jsonl"


def _offset(text: str, mention: str, occurrence: int) -> int:
    hits = [m.start() for m in re.finditer(r"(?<![\w’'-])" + re.escape(mention) + r"(?![\w-])", text)]
    return hits[occurrence]


def score_cases(nlp, path: Path = CASES) -> dict[str, int]:  # type: ignore[no-untyped-def]
    counts = {"marked": 0, "linked": 0, "correct": 0}
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        doc = nlp.make_doc(case["text"])
        doc._.article = Article(id="c", text=case["text"], published=dt.date.fromisoformat(case["published"]))
        doc = nlp(doc)
        links = {m.start: a for m, a in antecedents(doc)}
        for mark in case["mentions"]:
            counts["marked"] += 1
            ante = links.get(_offset(case["text"], mark["text"], mark["occurrence"]))
            if ante is None:
                continue
            counts["linked"] += 1
            named = {r.actor_id for r in doc._.actors if mark["antecedent"] in r.text}
            if mark["antecedent"] in ante.text or ante.actor_id in named:
                counts["correct"] += 1
    return counts


@pytest.mark.parametrize("path", [CASES, HELDOUT], ids=["tuning", "heldout"])
def test_cases_are_well_formed(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        for mark in case["mentions"]:
            start = _offset(case["text"], mark["text"], mark["occurrence"])
            assert mark["antecedent"] in case["text"][:start] or mark["text"] == "the leader", mark


@pytest.mark.parametrize(
    ("path", "marked", "recall_floor"),
    # After dropping the reserved VOA stories: measured 0.45 (10/22) and 0.46 (6/13); after the second
    # pass of issue 11, 0.50 (11/22) and 0.54 (7/13).
    [(CASES, 22, 0.48), (HELDOUT, 13, 0.5)],
    ids=["tuning", "heldout"],
)
def test_coreference_recall_and_precision_floors(path: Path, marked: int, recall_floor: float):
    from detente.actors.stage import actor_nlp

    counts = score_cases(actor_nlp(), path)
    assert counts["marked"] >= marked
    recall = counts["correct"] / counts["marked"]
    precision = counts["correct"] / max(1, counts["linked"])
    print(counts, round(recall, 3), round(precision, 3))
    assert recall >= recall_floor, counts
    assert precision >= 0.9, counts
