"""Corpora for the benchmarks, built from the VOA stories' sentences (../shared/corpora/voa).

The stories reserved for outside evaluation (``detente.events.corpus.RESERVED_VOA_IDS``) are always left
out. Sentences are split with a plain regular expression: these texts only need to be news-like input.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOA = REPO.parent / "shared" / "corpora" / "voa" / "voa_stories.jsonl"
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”]))\s+(?=[A-Z\"“])")


def voa_sentences() -> list[tuple[dict[str, str], list[str]]]:
    """Each VOA story, reserved ones left out, with its sentences."""
    sys.path.insert(0, str(REPO))
    from detente.events.corpus import RESERVED_VOA_IDS

    stories = []
    with VOA.open(encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            if story["id"] not in RESERVED_VOA_IDS:
                stories.append((story, [s for s in SENTENCE_END.split(story["text"]) if len(s) > 20]))
    return stories


def _article(story: dict[str, str], part: str, sentences: list[str]) -> dict[str, str]:
    return {
        "id": f"voa-{story['id']}-{part}", "text": " ".join(sentences), "title": story["title"],
        "url": f"{story['url']}#{part}", "outlet": "Voice of America", "published": story["published"][:10],
    }  # fmt: skip


def voa_sentence_articles(limit: int, per_article: int = 3) -> list[dict[str, str]]:
    """Articles of ``per_article`` consecutive sentences, no sentence used twice."""
    articles: list[dict[str, str]] = []
    for story, sentences in voa_sentences():
        for i in range(0, len(sentences) - per_article + 1, per_article):
            articles.append(_article(story, f"part-{i // per_article}", sentences[i : i + per_article]))
            if len(articles) >= limit:
                return articles
    return articles


def voa_window_articles(limit: int, longest: int = 5) -> list[dict[str, str]]:
    """One article starting at each sentence, of 1 to ``longest`` sentences (cycling): about 2,100 articles
    from the 67 stories, 3 sentences long on average."""
    articles: list[dict[str, str]] = []
    for story, sentences in voa_sentences():
        for i in range(len(sentences)):
            size = 1 + i % longest
            articles.append(_article(story, f"from-{i}-{size}", sentences[i : i + size]))
            if len(articles) >= limit:
                return articles
    return articles
