"""Split the project's own wire-style articles into numbered sentences for annotation by reading.

The tuned articles of the hand read (benchmarks/read/articles/, written for this project) and articles written
for training alone (data/annotations/wire/articles/) are short pieces in the style of 2024-2026 wire copy:
datelines, agencies, machine-translated English. Annotated against docs/annotation.md, they teach the event
model the copy users bring, which the VOA stories do not look like.
The held-out articles (benchmarks/read/held-out/) are never split here: they stay a measure.

    python scripts/wire_batches.py OUT_DIR [--annotators N] [--overlap K] [--only FOLDER]

writes data/annotations/wire/sentences.jsonl (every sentence with its id, its story and its offset in the
text as coding ingests it, so training reads the article as it is coded: headline, dateline and paragraphs)
and OUT_DIR/batch-N.txt (whole articles, one file per annotator) and OUT_DIR/overlap.txt (K whole articles, one
from each batch in turn, for a second annotator). It only prepares the reading material: it never runs
detente's coder, only its tokenizer and sentence splitter.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotation_batches import render  # (scripts/: the same story blocks the VOA annotators read)

from detente.events.corpus import REPOSITORY, WIRE, WIRE_ARTICLES
from detente.events.training import nlp_for_training
from detente.ingest import IngestOptions, read_paths
from detente.pipeline import make_doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--annotators", type=int, default=4)
    parser.add_argument("--overlap", type=int, default=6)
    parser.add_argument("--only", type=Path, action="append", default=[],
                        help="write batches of the articles in this folder only (all are split)")  # fmt: skip
    args = parser.parse_args(argv)
    nlp = nlp_for_training()  # the parse training reads, so its sentences are the ones annotated
    files = [path for folder in WIRE_ARTICLES for path in sorted(folder.glob("*.txt"))]
    stories: list[list[dict[str, object]]] = []
    for path, article in zip(files, read_paths(files, IngestOptions()), strict=True):
        if isinstance(article, Exception):
            raise SystemExit(f"{path}: {article}")
        doc = nlp(make_doc(nlp, article))
        story = f"wire-{path.stem}"
        if any(r[0]["story"] == story for r in stories):
            raise SystemExit(f"{path}: another article has this file name; rename one")
        records = []
        for sent in doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            records.append({"id": f"{story}-{len(records):03d}", "story": story,
                            "file": path.resolve().relative_to(REPOSITORY).as_posix(),
                            "published": article.published.isoformat() if article.published else "",
                            "title": article.title or "", "start": start, "text": text})  # fmt: skip
        stories.append(records)
    WIRE.mkdir(parents=True, exist_ok=True)
    with (WIRE / "sentences.jsonl").open("w", encoding="utf-8") as sink:
        for records in stories:
            for record in records:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.only:
        only = {folder.resolve() for folder in args.only}
        stories = [s for s in stories if (REPOSITORY / str(s[0]["file"])).parent.resolve() in only]
    args.out.mkdir(parents=True, exist_ok=True)
    batches: list[list[list[dict[str, object]]]] = [[] for _ in range(args.annotators)]
    for records in sorted(stories, key=len, reverse=True):  # balanced by sentences, largest first
        min(batches, key=lambda b: sum(len(s) for s in b)).append(records)
    for number, batch in enumerate(batches, 1):
        (args.out / f"batch-{number}.txt").write_text("".join(render(s) for s in batch), encoding="utf-8")
    overlap = [batches[i % args.annotators][i // args.annotators] for i in range(args.overlap)]
    (args.out / "overlap.txt").write_text("".join(render(s) for s in overlap), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
