"""Split the annotation sources into numbered sentences, one batch file per annotator assignment.

The annotated corpus (data/annotations/) is made by reading these sentences against
docs/annotation.md. This script only prepares the reading material: it never runs detente's coder.

    python scripts/annotation_batches.py OUT_DIR

writes OUT_DIR/sentences.jsonl (every sentence with its id), OUT_DIR/batch-N.txt (whole stories, balanced
by sentence count, one file per annotator) and OUT_DIR/overlap.txt (whole VOA stories for the second
annotator, taken in turn from every batch). With --second-round it appends 14 more synthetic stories per
label (none from the first round) to data/annotations/sentences.jsonl and writes batch-8 .. batch-10.

VOA stories reserved for outside evaluation (docs/annotation.md) are skipped here, so they can never
reach an annotator.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

from detente.config import Settings
from detente.events.corpus import RESERVED_VOA_IDS
from detente.pipeline import load_model

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
VOA = SHARED / "corpora" / "voa" / "voa_stories.jsonl"
SYNTHETIC = SHARED / "corpora" / "ngec-synthetic" / "synthetic_events.csv"
SYNTHETIC_PER_LABEL = 16  # 16 labels x 16 stories = 256 stories, ~2,100 sentences
ANNOTATORS = 7
OVERLAP_MIN_SENTENCES = 320  # whole VOA stories coded a second time, independently
SEED = 20261204


def sentences(nlp, text: str) -> list[str]:
    doc = nlp(" ".join(text.split()))
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def main(out: Path) -> None:
    nlp = load_model(Settings().model)
    out.mkdir(parents=True, exist_ok=True)
    voa = [json.loads(line) for line in VOA.open(encoding="utf-8")]
    stories = []
    for record in voa:
        if record["id"] in RESERVED_VOA_IDS:
            continue
        stories.append(("voa", record["id"], record["published"][:10], record["title"], record["text"]))
    with SYNTHETIC.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(SEED)
    by_label: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        by_label.setdefault(row["label"], []).append(index)
    for label in sorted(by_label):
        for index in sorted(rng.sample(by_label[label], SYNTHETIC_PER_LABEL)):
            stories.append(("syn", str(index), "", rows[index]["title"], rows[index]["text"]))
    records: list[list[dict[str, str]]] = []
    with (out / "sentences.jsonl").open("w", encoding="utf-8") as sink:
        for corpus, story, published, title, text in stories:
            story_records = []
            for number, sentence in enumerate(sentences(nlp, text)):
                record = {
                    "id": f"{corpus}-{story}-{number:03d}", "story": f"{corpus}-{story}",
                    "published": published, "title": title, "text": sentence,
                }  # fmt: skip
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                story_records.append(record)
            records.append(story_records)
    write_batches(out, records)


def render(story: list[dict[str, str]]) -> str:
    head = story[0]
    lines = [f"=== story {head['story']}  published: {head['published'] or 'n/a'}", f"title: {head['title']}"]
    lines += [f"[{r['id']}] {r['text']}" for r in story]
    return "\n".join(lines) + "\n\n"


def write_batches(out: Path, stories: list[list[dict[str, str]]]) -> None:
    """Whole stories to each annotator, largest first onto the lightest batch; VOA and synthetic mixed."""
    batches: list[list[list[dict[str, str]]]] = [[] for _ in range(ANNOTATORS)]
    sizes = [0] * ANNOTATORS
    for story in sorted(stories, key=lambda s: (-len(s), s[0]["story"])):
        lightest = sizes.index(min(sizes))
        batches[lightest].append(story)
        sizes[lightest] += len(story)
    overlap: list[list[dict[str, str]]] = []
    turn = 0
    while sum(map(len, overlap)) < OVERLAP_MIN_SENTENCES:
        voa = [s for s in batches[turn % ANNOTATORS] if s[0]["story"].startswith("voa") and s not in overlap]
        if voa:
            overlap.append(voa[len(voa) // 2])
        turn += 1
    for number, batch in enumerate(batches, 1):
        (out / f"batch-{number}.txt").write_text("".join(render(s) for s in batch), encoding="utf-8")
    (out / "overlap.txt").write_text("".join(render(s) for s in overlap), encoding="utf-8")


def second_round(out: Path, per_label: int = 14, annotators: int = 3) -> None:
    """The second round: 14 more synthetic stories per label, none from the first round, appended to
    data/annotations/sentences.jsonl and split into batch-8 .. batch-10 (annotators 8-10)."""
    nlp = load_model(Settings().model)
    sentences_file = Path(__file__).resolve().parents[1] / "data" / "annotations" / "sentences.jsonl"
    have = {json.loads(line)["story"] for line in sentences_file.open(encoding="utf-8")}
    with SYNTHETIC.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(SEED + 1)
    by_label: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if f"syn-{index}" not in have:
            by_label.setdefault(row["label"], []).append(index)
    stories = []
    for label in sorted(by_label):
        for index in sorted(rng.sample(by_label[label], per_label)):
            stories.append([
                {"id": f"syn-{index}-{n:03d}", "story": f"syn-{index}", "published": "",
                 "title": rows[index]["title"], "text": sentence}
                for n, sentence in enumerate(sentences(nlp, rows[index]["text"]))
            ])  # fmt: skip
    with sentences_file.open("a", encoding="utf-8") as sink:
        for story in stories:
            for record in story:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    batches: list[list[list[dict[str, str]]]] = [[] for _ in range(annotators)]
    sizes = [0] * annotators
    for story in sorted(stories, key=lambda s: (-len(s), s[0]["story"])):
        lightest = sizes.index(min(sizes))
        batches[lightest].append(story)
        sizes[lightest] += len(story)
    for number, batch in enumerate(batches, ANNOTATORS + 1):
        (out / f"batch-{number}.txt").write_text("".join(render(s) for s in batch), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "--second-round":
        second_round(Path(sys.argv[1]))
    else:
        main(Path(sys.argv[1]))
