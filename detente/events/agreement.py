"""Agreement between two annotators of the news corpus on the sentences both coded, and how their
disagreements were settled.

    python -m detente.events.agreement [SECOND.jsonl]        the report (JSON)
    python -m detente.events.agreement --list [SECOND.jsonl] the disagreements, sentence by sentence
    ... --root data/annotations/wire                         the wire articles' annotators instead

Reports Cohen's kappa for event / no event per sentence and for the type of events both annotators
found (matched one-to-one by overlapping trigger, else by type), event F1 between annotators with the
type required (the same measure the model is scored with), and agreement on source and target countries
of matched events. With ``adjudicated.jsonl`` present it also scores each annotator against the settled
annotation of the overlap sentences and counts how each disagreement was settled: the primary kept, the
second taken, or both revised.

The listing compares the two annotation files only: disagreements are settled by reading the sentence in
its story against docs/annotation.md, never by looking at what detente codes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.events.corpus import ANNOTATIONS, read_jsonl

Events = list[dict[str, Any]]

# What two annotations of one sentence can disagree on. "event": an event one side has and the other has
# not (or events on one side and none on the other); the rest compare events matched across the sides.
CLASSES = ("event", "type", "trigger", "roles", "flags")
FLAGS = ("modality", "reciprocal", "background", "date")


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


# -- disagreements -------------------------------------------------------------------------------------------


def _roles(event: dict[str, Any]) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """Who takes part, as (country, sector) per role; a reciprocal event's parties all count as sources
    (the guideline puts them there), so a misplaced party shows as a role difference."""

    def parties(role: str) -> frozenset[tuple[str, str]]:
        return frozenset((a.get("country") or "UNK", a.get("sector") or "UNK") for a in event.get(role, []))

    return parties("source"), parties("target")


@dataclass(frozen=True)
class Difference:
    """One way two annotations of a sentence differ. ``first``/``second`` are the events concerned (None
    for the side that has no such event)."""

    sentence_id: str
    kind: str  # one of CLASSES
    first: dict[str, Any] | None
    second: dict[str, Any] | None
    fields: tuple[str, ...] = ()


def differences(sentence_id: str, text: str, first: Events, second: Events) -> list[Difference]:
    """How two annotations of one sentence differ (empty when they agree on everything compared)."""
    pairs = match(text, first, second)
    out: list[Difference] = []
    matched_first = {id(a) for a, _ in pairs}
    matched_second = {id(b) for _, b in pairs}
    for a in first:
        if id(a) not in matched_first:
            out.append(Difference(sentence_id, "event", a, None))
    for b in second:
        if id(b) not in matched_second:
            out.append(Difference(sentence_id, "event", None, b))
    for a, b in pairs:
        if a["type"] != b["type"]:
            out.append(Difference(sentence_id, "type", a, b, ("type",)))
        if _span(text, a.get("trigger", "")) != _span(text, b.get("trigger", "")):
            out.append(Difference(sentence_id, "trigger", a, b, ("trigger",)))
        ra, rb = _roles(a), _roles(b)
        roles = tuple(role for role, x, y in zip(("source", "target"), ra, rb, strict=True) if x != y)
        if roles:
            out.append(Difference(sentence_id, "roles", a, b, roles))
        flags = tuple(f for f in FLAGS if bool(a.get(f)) != bool(b.get(f)) or
                      (f in ("modality", "date") and a.get(f) != b.get(f)))  # fmt: skip
        if flags:
            out.append(Difference(sentence_id, "flags", a, b, flags))
    return out


def _primary(root: Path) -> dict[str, tuple[str, Events]]:
    """Each sentence's primary annotation with the file it comes from."""
    out: dict[str, tuple[str, Events]] = {}
    for path in sorted((root / "raw").glob("annotator-*.jsonl")):
        for record in read_jsonl(path):
            out[record["id"]] = (path.stem, record["events"])
    return out


def disagreements(second_path: Path, root: Path = ANNOTATIONS) -> Iterator[tuple[str, list[Difference]]]:
    """The overlap sentences where the primary and the second annotation differ, in the second file's
    order, with how they differ."""
    texts = {r["id"]: r["text"] for r in read_jsonl(root / "sentences.jsonl")}
    primary = _primary(root)
    for record in read_jsonl(second_path):
        sid = record["id"]
        if sid in primary:
            found = differences(sid, texts[sid], primary[sid][1], record["events"])
            if found:
                yield sid, found


# -- the report ----------------------------------------------------------------------------------------------


def compare(
    texts: Mapping[str, str], first: Mapping[str, Events], second: Mapping[str, Events]
) -> dict[str, Any]:
    """Agreement figures of two annotations over the sentences both coded. ``first`` is the reference
    (recall is counted on it): the primary annotation against the second, or the settled annotation
    against either annotator."""
    both = [i for i in second if i in first]
    has_event = [("event" if first[i] else "none", "event" if second[i] else "none") for i in both]
    type_pairs, source_agree, target_agree, typed_hits = [], 0, 0, 0
    n_first = n_second = 0
    for i in both:
        pairs = match(texts[i], first[i], second[i])
        n_first += len(first[i])
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
        "sentences": len(both), "events_reference": n_first, "events_compared": n_second,
        "kappa_event_sentence": cohen_kappa(has_event),
        "kappa_type_matched": cohen_kappa(type_pairs), "matched_events": len(type_pairs),
        "event_f1_type_required": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "source_country_agreement": round(source_agree / typed_hits, 3) if typed_hits else 0.0,
        "target_country_agreement": round(target_agree / typed_hits, 3) if typed_hits else 0.0,
    }  # fmt: skip


def settlement(
    texts: Mapping[str, str], first: Mapping[str, Events], second: Mapping[str, Events],
    settled: Mapping[str, Events],
) -> dict[str, Counter[str]]:  # fmt: skip
    """How each disagreement was settled, by class: for every sentence and class on which the two sides
    differ, "primary kept" when the settled record agrees with the primary on that class, "second taken"
    when it agrees with the second, else "both revised". A disagreement without a settled record counts
    as "unsettled"."""
    out: dict[str, Counter[str]] = {kind: Counter() for kind in CLASSES}
    for sid in second:
        if sid not in first:
            continue
        kinds = {d.kind for d in differences(sid, texts[sid], first[sid], second[sid])}
        for kind in kinds:
            if sid not in settled:
                out[kind]["unsettled"] += 1
                continue
            to_first = {d.kind for d in differences(sid, texts[sid], first[sid], settled[sid])}
            to_second = {d.kind for d in differences(sid, texts[sid], second[sid], settled[sid])}
            if kind not in to_first:
                out[kind]["primary kept"] += 1
            elif kind not in to_second:
                out[kind]["second taken"] += 1
            else:
                out[kind]["both revised"] += 1
    return out


def agreement(second_path: Path, root: Path = ANNOTATIONS) -> dict[str, Any]:
    texts = {r["id"]: r["text"] for r in read_jsonl(root / "sentences.jsonl")}
    primary_files = _primary(root)
    primary = {sid: events for sid, (_, events) in primary_files.items()}
    second = {r["id"]: r["events"] for r in read_jsonl(second_path)}
    report = compare(texts, primary, second)
    report["events_primary"] = report.pop("events_reference")
    report["events_second"] = report.pop("events_compared")
    overlap = [sid for sid in second if sid in primary]
    disagreeing = [sid for sid in overlap if differences(sid, texts[sid], primary[sid], second[sid])]
    report["sentences_disagreeing"] = len(disagreeing)
    adjudicated_path = root / "adjudicated.jsonl"
    if not adjudicated_path.exists():
        return report
    adjudicated = {r["id"]: r["events"] for r in read_jsonl(adjudicated_path)}
    # The settled annotation of the overlap: the adjudicated record where there is one, else the primary
    # (where the two sides agreed, or where only the travel-ban revision touched another sentence).
    settled = {sid: adjudicated.get(sid, primary[sid]) for sid in overlap}
    against_settled: dict[str, Any] = {"second annotator": compare(texts, settled, second),
                                       "primary (all files)": compare(texts, settled, primary)}  # fmt: skip
    for name in sorted({primary_files[sid][0] for sid in overlap}):
        mine = {sid: primary[sid] for sid in overlap if primary_files[sid][0] == name}
        against_settled[name] = compare(texts, settled, mine)
    report["against_adjudicated"] = against_settled
    settled_by_class = settlement(
        texts, primary, second, {s: adjudicated[s] for s in overlap if s in adjudicated}
    )
    report["disagreements_by_class"] = {kind: sum(c.values()) for kind, c in settled_by_class.items()}
    report["settled_by_class"] = {kind: dict(sorted(c.items())) for kind, c in settled_by_class.items()}
    report["adjudicated_records"] = len(adjudicated)
    return report


def _describe(event: dict[str, Any] | None) -> str:
    if event is None:
        return "-"
    roles = _roles(event)
    source = ",".join(sorted(f"{c}/{s}" for c, s in roles[0]))
    target = ",".join(sorted(f"{c}/{s}" for c, s in roles[1]))
    flags = "".join(("R" if event.get("reciprocal") else "", "B" if event.get("background") else ""))
    return (f"{event['type']} '{event.get('trigger')}' {source or '?'} -> {target or '?'} "
            f"{event.get('modality')} {flags} {event.get('date')}")  # fmt: skip


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    listing = "--list" in args
    args = [a for a in args if a != "--list"]
    root = ANNOTATIONS
    if "--root" in args:  # another corpus laid out the same way (data/annotations/wire)
        at = args.index("--root")
        root = Path(args[at + 1])
        del args[at : at + 2]
    path = Path(args[0]) if args else root / "raw" / "second-annotator.jsonl"
    if not path.exists():
        print(f"{path}: no such annotation file; give the second annotator's JSONL file", file=sys.stderr)
        return 2
    try:
        if listing:
            for sid, found in disagreements(path, root):
                print(sid)
                for d in found:
                    print(f"  {d.kind} {','.join(d.fields)}: primary {_describe(d.first)} | "
                          f"second {_describe(d.second)}")  # fmt: skip
        else:
            print(json.dumps(agreement(path, root), indent=1))
    except (json.JSONDecodeError, KeyError) as err:
        print(
            f"{path}: not an annotation file in docs/annotation.md's format ({err}); fix the file",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
