"""The project's wire-style articles as annotated training material (``detente.events.corpus.load_wire``,
data/annotations/wire/README.md): read as coding reads them, whole, and refused when a file moved under its
annotation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.events.corpus import REPOSITORY, WIRE, annotation_problems, load_wire

ARTICLE = """Chad expels French envoy

N'DJAMENA, May 3, 2025 (AFP) — Chad ordered the French ambassador to leave within 72 hours, the government said.

The foreign ministry did not give a reason.
"""


def _corpus(tmp_path: Path, article: str = ARTICLE) -> tuple[Path, Path]:
    articles, root = tmp_path / "articles", tmp_path / "wire"  # (files are named relative to tmp_path)
    articles.mkdir()
    (root / "raw").mkdir(parents=True)
    (articles / "chad.txt").write_text(ARTICLE, encoding="utf-8")
    sentences = [
        ("Chad expels French envoy", ARTICLE.index("Chad expels")),
        ("The foreign ministry did not give a reason.", ARTICLE.index("The foreign")),
    ]
    with (root / "sentences.jsonl").open("w", encoding="utf-8") as sink:
        for number, (text, start) in enumerate(sentences):
            sink.write(json.dumps({"id": f"wire-chad-{number:03d}", "story": "wire-chad", "file": "articles/chad.txt",
                                   "published": "2025-05-03", "title": "Chad expels French envoy",
                                   "start": start, "text": text}) + "\n")  # fmt: skip
    expel = {"type": "SANCTION", "mode": "expel", "modality": "asserted", "trigger": "expels",
             "source": [{"text": "Chad", "country": "TCD", "sector": "GOV"}],
             "target": [{"text": "French envoy", "country": "FRA", "sector": "GOV"}],
             "reciprocal": False, "background": False, "date": None}  # fmt: skip
    with (root / "raw" / "annotator-1.jsonl").open("w", encoding="utf-8") as sink:
        sink.write(json.dumps({"id": "wire-chad-000", "events": [expel]}) + "\n")
        sink.write(json.dumps({"id": "wire-chad-001", "events": []}) + "\n")
    (articles / "chad.txt").write_text(article, encoding="utf-8")
    return root, tmp_path


def test_a_wire_article_is_read_whole_as_coding_reads_it(tmp_path: Path):
    root, articles = _corpus(tmp_path)
    [story] = load_wire(root, articles)
    assert story.id == story.group == "wire-chad" and not story.is_news and story.outlet is None
    # the text is the file as ingested (headline, dateline, paragraphs), not the sentences joined
    assert story.article is not None and story.article.title == "Chad expels French envoy"
    assert story.text == story.article.text and "N'DJAMENA" in story.text
    for sentence in story.sentences:
        assert story.text[sentence.start : sentence.start + len(sentence.text)] == sentence.text
    assert story.sentences[0].events[0]["type"] == "SANCTION" and story.sentences[1].events == ()


def test_a_settled_record_replaces_the_primary_annotators(tmp_path: Path):
    """``adjudicated.jsonl`` holds the records settled after two annotators disagreed; training reads them."""
    root, articles = _corpus(tmp_path)
    settled = {"id": "wire-chad-001", "note": "second annotator: no act", "events": [
        {"type": "REJECT", "mode": None, "modality": "negated", "trigger": "did not give",
         "source": [{"text": "The foreign ministry", "country": "TCD", "sector": "GOV"}], "target": [],
         "reciprocal": False, "background": False, "date": None, "note": "both revised: a refusal"}]}  # fmt: skip
    (root / "adjudicated.jsonl").write_text(json.dumps(settled) + "\n", encoding="utf-8")
    [story] = load_wire(root, articles)
    assert story.sentences[0].events[0]["type"] == "SANCTION"  # no settled record: the primary's
    assert [e["type"] for e in story.sentences[1].events] == ["REJECT"]


def test_an_article_not_wholly_annotated_is_left_out(tmp_path: Path):
    root, articles = _corpus(tmp_path)
    lines = (root / "raw" / "annotator-1.jsonl").read_text(encoding="utf-8").splitlines()
    (root / "raw" / "annotator-1.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    assert load_wire(root, articles) == []


def test_an_article_edited_after_it_was_split_is_refused(tmp_path: Path):
    root, articles = _corpus(tmp_path, ARTICLE.replace("The foreign ministry", "The ministry"))
    with pytest.raises(ValueError, match="no longer at its offset"):
        load_wire(root, articles)


@pytest.mark.skipif(not (WIRE / "sentences.jsonl").exists(), reason="no wire annotations in this checkout")
def test_the_shipped_wire_annotations_follow_the_guideline_and_never_hold_a_held_out_article():
    stories = load_wire()
    assert len(stories) >= 50
    problems = [(s.id, p) for story in stories for s in story.sentences
                for p in annotation_problems({"events": list(s.events)}, s.text)]  # fmt: skip
    assert problems == []
    files = {
        json.loads(line)["file"]
        for line in (WIRE / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    }
    held_out = REPOSITORY / "benchmarks" / "read" / "held-out"
    assert all((REPOSITORY / name).exists() and held_out not in (REPOSITORY / name).parents for name in files)
    names = {Path(name).name for name in files}
    assert not names & {p.name for p in (held_out / "articles").glob("*.txt")}
