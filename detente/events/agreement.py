"""Agreement between two annotators of the news corpus on the sentences both coded.

    python -m detente.events.agreement [SECOND.jsonl]

Reports Cohen's kappa for event / no event per sentence and for the type of events both annotators
found (matched one-to-one by overlapping trigger, else by type), event F1 between annotators with the
type required (the same measure the model is scored with), and agreement on source and target countries
of matched events.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from detente.events.corpus import ANNOTATIONS, read_jsonl


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return round((observed - expected) / (1 - expected), 3) if expected < 1 else 1.0


def _span(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else (-1, -1)


def _countries(event: dict[str, Any], role: str) -> frozenset[str]:
    return frozenset(a.get("country") for a in event.get(role, [])) - {"UNK", None, ""}


def _participants(event: dict[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
    if event.get("reciprocal"):
        both = _countries(event, "source") | _countries(event, "target")
        return both, frozenset()
    return _countries(event, "source"), _countries(event, "target")


def match(text: str, first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[tuple[dict, dict]]:
    """Pairs of events, one-to-one: overlapping triggers first, then the same type."""
    pairs, used = [], set()
    for a in first:
        sa = _span(text, a.get("trigger", ""))
        best = None
        for j, b in enumerate(second):
            if j in used:
                continue
            sb = _span(text, b.get("trigger", ""))
            overlap = sa[0] < sb[1] and sb[0] < sa[1]
            key = (not overlap, a["type"] != b["type"])
            if (overlap or a["type"] == b["type"]) and (best is None or key < best[0]):
                best = (key, j)
        if best is not None:
            used.add(best[1])
            pairs.append((a, second[best[1]]))
    return pairs


def agreement(second_path: Path, root: Path = ANNOTATIONS) -> dict[str, Any]:
    texts = {r["id"]: r["text"] for r in read_jsonl(root / "sentences.jsonl")}
    primary: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((root / "raw").glob("annotator-*.jsonl")):
        for record in read_jsonl(path):
            primary[record["id"]] = record["events"]
    second = {r["id"]: r["events"] for r in read_jsonl(second_path)}
    both = [i for i in second if i in primary]
    has_event = [("event" if primary[i] else "none", "event" if second[i] else "none") for i in both]
    type_pairs, source_agree, target_agree, typed_hits = [], 0, 0, 0
    n_first = n_second = 0
    for i in both:
        pairs = match(texts[i], primary[i], second[i])
        n_first += len(primary[i])
        n_second += len(second[i])
        for a, b in pairs:
            type_pairs.append((a["type"], b["type"]))
            if a["type"] == b["type"]:
                typed_hits += 1
                sa, ta = _participants(a)
                sb, tb = _participants(b)
                source_agree += sa == sb
                target_agree += ta == tb
    p = typed_hits / n_second if n_second else 0.0
    r = typed_hits / n_first if n_first else 0.0
    return {
        "sentences": len(both), "events_primary": n_first, "events_second": n_second,
        "kappa_event_sentence": cohen_kappa(has_event),
        "kappa_type_matched": cohen_kappa(type_pairs), "matched_events": len(type_pairs),
        "event_f1_type_required": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "source_country_agreement": round(source_agree / typed_hits, 3) if typed_hits else 0.0,
        "target_country_agreement": round(target_agree / typed_hits, 3) if typed_hits else 0.0,
    }  # fmt: skip


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ANNOTATIONS / "raw" / "second-annotator.jsonl"
    print(json.dumps(agreement(path), indent=1))
