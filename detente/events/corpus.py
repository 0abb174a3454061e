"""The annotated news corpus (data/annotations/, guideline docs/annotation.md): reading it, and the
VOA stories that must never be annotated, tuned on or tested with."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.records import EVENT_TYPES, MODALITIES, SECTORS, Article

# Reserved by the project for outside evaluation (issue "Events you can count"). Never annotate, tune on
# or test with these stories. The list lives in docs/ (a source checkout; the corpus, the benchmarks and
# the annotation scripts that need it live there too); scripts/annotation_batches.py, the corpus reader,
# the benchmarks and the load test all leave these stories out.
REPOSITORY = Path(__file__).resolve().parents[2]
RESERVED_LIST = REPOSITORY / "docs" / "reserved-voa-stories.txt"


def _reserved(path: Path = RESERVED_LIST) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


RESERVED_VOA_IDS: frozenset[str] = _reserved()


SPECIAL_COUNTRIES = frozenset({"IGO", "WST", "UNK"})
EVENT_KEYS = frozenset(
    {"type", "mode", "modality", "trigger", "source", "target", "reciprocal", "background", "date",
     "repeat_of", "note", "name"}
)  # fmt: skip


def annotation_problems(record: dict[str, Any], sentence: str) -> Iterator[str]:
    """Why an annotation record breaks docs/annotation.md's record format (nothing when it is fine)."""
    events = record.get("events")
    if not isinstance(events, list):
        yield "'events' must be a list (empty for no event)"
        return
    for number, event in enumerate(events, 1):
        where = f"event {number}"
        if not isinstance(event, dict):
            yield f"{where}: not an object"
            continue
        unknown = set(event) - EVENT_KEYS
        if unknown:
            yield f"{where}: unknown keys {sorted(unknown)}"
        if event.get("type") not in EVENT_TYPES:
            yield f"{where}: type {event.get('type')!r} is not a PLOVER type"
        if event.get("modality") not in MODALITIES:
            yield f"{where}: modality {event.get('modality')!r} not in {MODALITIES}"
        trigger = event.get("trigger")
        if not isinstance(trigger, str) or not trigger or trigger not in sentence:
            yield f"{where}: trigger {trigger!r} is not an exact substring of the sentence"
        for role in ("source", "target"):
            actors = event.get(role, [])
            if not isinstance(actors, list):
                yield f"{where}: {role} must be a list"
                continue
            for actor in actors:
                if not isinstance(actor, dict):
                    yield f"{where}: {role} entries must be objects"
                    continue
                text = actor.get("text")
                if not isinstance(text, str) or not text or text not in sentence:
                    yield f"{where}: {role} text {text!r} is not an exact substring of the sentence"
                country = actor.get("country")
                if not (isinstance(country, str) and (country in SPECIAL_COUNTRIES or
                                                      (len(country) == 3 and country.isalpha() and country.isupper()))):  # fmt: skip
                    yield f"{where}: {role} country {country!r} is not ISO alpha-3, IGO, WST or UNK"
                if actor.get("sector") not in SECTORS:
                    yield f"{where}: {role} sector {actor.get('sector')!r} not in {SECTORS}"
        if not isinstance(event.get("reciprocal", False), bool) or not isinstance(
            event.get("background", False), bool
        ):
            yield f"{where}: reciprocal and background are true or false"
        if event.get("reciprocal") and event.get("target"):
            yield f"{where}: a reciprocal event has every participant in source and an empty target"


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def check(annotation_file: Path, sentences_file: Path) -> list[str]:
    """Problems of an annotator's file against the batch sentences (for the annotators' own checks)."""
    sentences = {r["id"]: r["text"] for r in read_jsonl(sentences_file)}
    problems, seen = [], set()
    for line_number, record in enumerate(read_jsonl(annotation_file), 1):
        sid = record.get("id")
        if sid not in sentences:
            problems.append(f"line {line_number}: unknown sentence id {sid!r}")
            continue
        if sid in seen:
            problems.append(f"line {line_number}: {sid} annotated twice")
        seen.add(sid)
        problems += [f"line {line_number} ({sid}): {p}" for p in annotation_problems(record, sentences[sid])]
    return problems


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    if len(args) != 2:
        print("usage: python -m detente.events.corpus ANNOTATIONS.jsonl SENTENCES.jsonl", file=sys.stderr)
        return 2
    problems = check(Path(args[0]), Path(args[1]))
    for problem in problems:
        print(problem)
    count = sum(1 for _ in read_jsonl(Path(args[0])))
    print(f"{count} records, {len(problems)} problems")
    return 1 if problems else 0


ANNOTATIONS = REPOSITORY / "data" / "annotations"


@dataclass(frozen=True)
class GoldSentence:
    id: str
    text: str
    events: tuple[dict[str, Any], ...]
    start: int  # offset of the sentence in its story's text (sentences joined by one space)


@dataclass(frozen=True)
class GoldStory:
    id: str  # "voa-<VOA id>", "syn-<row>", "wire-<file>" or, for a written sentence, "wri-<writer>-<TYPE>-<n>"
    published: str | None
    title: str
    sentences: tuple[GoldSentence, ...]
    # A wire article is read as coding ingests it (headline, dateline, paragraphs), so its sentences' offsets
    # index this article's text; the other stories are their sentences joined by one space.
    article: Article | None = None

    @property
    def text(self) -> str:
        return self.article.text if self.article is not None else " ".join(s.text for s in self.sentences)

    @property
    def is_news(self) -> bool:
        return self.id.startswith("voa-")

    @property
    def outlet(self) -> str | None:
        """The outlet that published the story (the article's ``outlet``): the news is VOA's; synthetic and
        written text has none."""
        return "Voice of America" if self.is_news else None

    @property
    def group(self) -> str:
        """The cross-validation unit: the story, or for written sentences the writer's block of one type
        (sentences one writer wrote for one type are variations on each other: they stay in one fold)."""
        return self.id.rsplit("-", 1)[0] if self.id.startswith(WRITTEN_PREFIX) else self.id


def _annotations(root: Path, annotators: str = "annotator-*.jsonl") -> dict[str, dict[str, Any]]:
    """Each sentence's annotation under ``root``: the annotators' files (``raw/``), with the adjudicated
    records (``adjudicated.jsonl``) in place of theirs."""
    coded: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "raw").glob(annotators)):
        for record in read_jsonl(path):
            coded[record["id"]] = record
    if (root / "adjudicated.jsonl").exists():
        for record in read_jsonl(root / "adjudicated.jsonl"):
            coded[record["id"]] = record
    return coded


def load_corpus(root: Path = ANNOTATIONS, *, annotators: str = "annotator-*.jsonl") -> list[GoldStory]:
    """The annotated stories: every sentence of ``sentences.jsonl`` that an annotator's file codes.

    A story is kept whole or not at all (a partly annotated story would count its missing sentences
    as no-event). Adjudicated records (``adjudicated.jsonl``) replace the primary annotator's.
    """
    coded = _annotations(root, annotators)
    stories: dict[str, list[dict[str, Any]]] = {}
    for record in read_jsonl(root / "sentences.jsonl"):
        if record["story"].removeprefix("voa-") in RESERVED_VOA_IDS:
            continue
        stories.setdefault(record["story"], []).append(record)
    out = []
    for story_id, records in stories.items():
        if not all(r["id"] in coded for r in records):
            continue
        sentences, offset = [], 0
        for r in records:
            sentences.append(GoldSentence(r["id"], r["text"], tuple(coded[r["id"]]["events"]), offset))
            offset += len(r["text"]) + 1
        head = records[0]
        out.append(GoldStory(story_id, head["published"] or None, head["title"], tuple(sentences)))
    return out


WRITTEN = ANNOTATIONS / "written"
WRITTEN_PREFIX = "wri-"
# The project's own wire-style articles, annotated whole (data/annotations/wire/README.md). They live in two
# places: the read's tuned articles, and articles written for training alone. The read's held-out articles are
# never annotated.
WIRE = ANNOTATIONS / "wire"
WIRE_ARTICLES = (REPOSITORY / "benchmarks" / "read" / "articles", WIRE / "articles")
WIRE_PREFIX = "wire-"


def load_written(root: Path = WRITTEN) -> list[GoldStory]:
    """Sentences the project wrote and annotated (``data/annotations/written/``, see its README): each one
    a story of its own, so nothing is read across them; their CV group is the writer's block of a type."""
    out = []
    for path in sorted(root.glob("*.jsonl")):
        for record in read_jsonl(path):
            sentence = GoldSentence(record["id"], record["text"], tuple(record["events"]), 0)
            out.append(GoldStory(record["id"], None, "", (sentence,)))
    return out


def load_wire(root: Path = WIRE, base: Path = REPOSITORY) -> list[GoldStory]:
    """The project's wire-style articles that an annotator coded whole (``data/annotations/wire/``, see its
    README), each read from its file (``file``: a path under ``base``) as ``detente code`` reads it. An
    article whose text no longer holds its annotated sentences at their offsets is an error: the annotation
    would teach the model the wrong words."""
    from detente.ingest import IngestOptions, read_paths

    sentences_file = root / "sentences.jsonl"
    if not sentences_file.exists():
        return []
    coded = _annotations(root)
    stories: dict[str, list[dict[str, Any]]] = {}
    for record in read_jsonl(sentences_file):
        stories.setdefault(record["story"], []).append(record)
    out = []
    for story_id, records in stories.items():
        if not all(r["id"] in coded for r in records):
            continue
        path = base / records[0]["file"]
        article = next(iter(read_paths([path], IngestOptions())))
        if isinstance(article, Exception):
            raise ValueError(f"{path}: {article}")
        sentences = []
        for r in records:
            if article.text[r["start"] : r["start"] + len(r["text"])] != r["text"]:
                raise ValueError(f"{path}: sentence {r['id']} is no longer at its offset; split it again "
                                 "(scripts/wire_batches.py) and re-read the changed sentences")  # fmt: skip
            sentences.append(GoldSentence(r["id"], r["text"], tuple(coded[r["id"]]["events"]), r["start"]))
        head = records[0]
        out.append(GoldStory(story_id, head["published"] or None, head["title"], tuple(sentences), article))
    return out


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
