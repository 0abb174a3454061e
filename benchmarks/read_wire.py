"""A hand read of coded wire copy: how many of the events detente codes a reader finds right.

The articles in ``benchmarks/read/articles/`` were written for the purpose in the style of 2024–2025 wire
copy (no gold, no training data in them). ``benchmarks/read/judged.jsonl`` holds one reader's judgement of
events coded from them: right when the type is right and the source and target countries are right or not
said (the criterion of the first read-through of unseen VOA stories). This prints, per article, how many of
today's coded events were judged right or wrong and how many no one has judged yet (``--unjudged`` lists
those, for a reader to judge and add). It never asserts: a read is one reader's judgement, not gold.

    python benchmarks/read_wire.py [--unjudged] [--by-confidence] [--articles DIR] [--judged FILE]

An event is matched to a judgement by its article, sentence, trigger, type, modality and countries, so a
change to any of them makes it unjudged again.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent / "read"


def event_key(article: str, sentence: str, event) -> tuple:  # type: ignore[no-untyped-def]
    """What a judgement is about: where, which word, what type and modality, between which countries."""
    return (
        article,
        " ".join(sentence.split())[:60],
        event.trigger.text,
        event.event_type,
        event.modality,
        tuple(sorted({r.country for r in event.source})),
        tuple(sorted({r.country for r in event.target})),
    )


def judged_key(row: dict) -> tuple:  # type: ignore[type-arg]
    return (row["article"], row["sentence"], row["trigger"], row["type"], row["modality"], tuple(row["source"]),
            tuple(row["target"]))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=Path, default=HERE / "articles")
    parser.add_argument("--judged", type=Path, default=HERE / "judged.jsonl")
    parser.add_argument("--unjudged", action="store_true", help="list the coded events no one has judged")
    parser.add_argument("--by-confidence", action="store_true",
                        help="also the share judged right by bins of confidence, and at or above each bin")  # fmt: skip
    args = parser.parse_args(argv)

    from detente.ingest import IngestOptions, read_paths
    from detente.pipeline import code_articles

    judged = {}
    if args.judged.exists():
        for line in args.judged.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                judged[judged_key(row)] = row
    files = sorted(args.articles.glob("*.txt"))
    articles = [a for a in read_paths(files, IngestOptions()) if not isinstance(a, Exception)]
    totals: Counter[str] = Counter()
    by_bin: Counter[tuple[int, bool]] = Counter()
    unjudged = []
    print(f"{'article':34} {'coded':>5} {'right':>5} {'wrong':>5} {'unjudged':>8}")
    for path, bundle in zip(files, code_articles(articles), strict=True):
        counts: Counter[str] = Counter()
        for event in bundle.events:
            key = event_key(path.name, event.sentence.text, event)
            row = judged.get(key)
            counts["coded"] += 1
            if row is None:
                counts["unjudged"] += 1
                unjudged.append(key)
            else:
                counts["right" if row["right"] else "wrong"] += 1
                by_bin[(min(int(event.confidence * 10), 9), bool(row["right"]))] += 1
        totals.update(counts)
        print(
            f"{path.name:34} {counts['coded']:>5} {counts['right']:>5} {counts['wrong']:>5} {counts['unjudged']:>8}"
        )
    share = totals["right"] / max(1, totals["right"] + totals["wrong"])
    print(f"{'all':34} {totals['coded']:>5} {totals['right']:>5} {totals['wrong']:>5} {totals['unjudged']:>8}"
          f"   right among judged: {share:.2f}")  # fmt: skip
    if args.by_confidence:
        print(
            f"\n{'confidence':10} {'right':>5} {'wrong':>5} {'share':>6}   {'at or above: kept':>17} {'share':>6}"
        )
        kept_right = kept = 0
        for b in range(9, -1, -1):
            right, wrong = by_bin[(b, True)], by_bin[(b, False)]
            if not right + wrong:
                continue
            kept_right, kept = kept_right + right, kept + right + wrong
            print(f"{b / 10:.1f}-{(b + 1) / 10:.1f}    {right:>5} {wrong:>5} {right / (right + wrong):>6.2f}   "
                  f"{kept:>17} {kept_right / kept:>6.2f}")  # fmt: skip
    if args.unjudged:
        for key in unjudged:
            article, sentence, trigger, event_type, modality, source, target = key
            print(json.dumps({"article": article, "sentence": sentence, "trigger": trigger, "type": event_type,
                              "modality": modality, "source": list(source), "target": list(target),
                              "right": None, "why": ""}, ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
