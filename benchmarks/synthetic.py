"""A synthetic news stream for the scale benchmark, made of the VOA stories' sentences (reserved stories left
out), where near-duplicates and stories occur at a known rate; and bundles for it without the pipeline.

The stream is one fixed sequence (a seed), so a store of 1,000 articles holds the first 1,000 of the store
of 10,000. About 70 articles a day, from 2024-01-01. Each article is, by a seeded draw:

- an **original** (``1 - COPY_RATE - REWRITE_RATE``): 3 to 7 sentences of one VOA story, in their order;
- a **syndicated copy** (``COPY_RATE``) of a recent original: the same sentences, with a dateline added or
  the last sentence dropped, from another outlet, the same day or the next: a near-duplicate (5-shingle
  Jaccard well above 0.7 for all but the shortest);
- a **rewrite** (``REWRITE_RATE``) of a recent original: two of its sentences and two or three others of the
  same VOA story, from another outlet, up to two days later: the same story told in other words.

**Bundles without the pipeline** (the documented shortcut for store-size and API figures): every pool
sentence is coded once, alone, by the real pipeline (cached in ``benchmarks/results/``); an article's bundle
is its sentences' bundles put end to end: offsets shifted, ids derived anew for the article, dates moved by
the days between the article's publication and the VOA story's, one outlet claim at the root. What coding
the whole article would add (coreference and claims across sentences) is missing; counts per article are
close to coding it whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voa import REPO, voa_sentences

COPY_RATE = 0.20
REWRITE_RATE = 0.10
PER_DAY = 70
START = dt.date(2024, 1, 1)
RECENT = 300  # copies and rewrites draw from the last RECENT originals
OUTLETS = (
    "Voice of America", "AP", "Reuters", "AFP", "BBC", "Al Jazeera", "DW", "France 24", "The Guardian",
    "The New York Times", "The Washington Post", "Kyiv Independent", "Nikkei Asia", "South China Morning Post",
    "The Hindu", "Daily Nation", "Premium Times", "Times of Israel", "Anadolu", "Yonhap",
)  # fmt: skip
DATELINES = ("WASHINGTON —", "LONDON —", "From our correspondent.", "Wire report.", "UPDATED.")


@dataclass(frozen=True, slots=True)
class Plan:
    """One article of the stream: which sentences, when, by whom, and what it is (the generation truth)."""

    index: int
    kind: str  # original, copy, rewrite
    story: int  # VOA story (index into the pool)
    sentences: tuple[int, ...]  # indexes into that story's sentences
    published: dt.date
    outlet: str
    prefix: str = ""  # a copy's dateline
    of: int | None = None  # the original a copy or rewrite was made from


class Pool:
    """The VOA stories' sentences (reserved stories left out)."""

    def __init__(self) -> None:
        self.stories = [(story, sentences) for story, sentences in voa_sentences() if len(sentences) >= 8]

    def text(self, plan: Plan) -> str:
        _, sentences = self.stories[plan.story]
        body = " ".join(sentences[i] for i in plan.sentences)
        return f"{plan.prefix} {body}" if plan.prefix else body

    def fingerprint(self) -> str:
        digest = hashlib.sha1()
        for story, sentences in self.stories:
            digest.update(story["id"].encode())
            for sentence in sentences:
                digest.update(sentence.encode())
        return digest.hexdigest()[:12]


def stream(pool: Pool, seed: int = 15, offset: int = 0) -> Iterator[Plan]:
    """The endless article stream; ``offset`` > 0 gives a second, disjoint stream (articles to add)."""
    rng = random.Random(seed * 1_000_003 + offset)
    originals: list[Plan] = []
    index = 0
    while True:
        published = START + dt.timedelta(days=index // PER_DAY)
        draw = rng.random()
        if originals and draw < COPY_RATE:
            source = rng.choice(originals[-RECENT:])
            keep = (
                source.sentences[:-1]
                if len(source.sentences) > 3 and rng.random() < 0.5
                else source.sentences
            )
            prefix = "" if keep != source.sentences else rng.choice(DATELINES)
            outlet = rng.choice([o for o in OUTLETS if o != source.outlet])
            when = max(source.published, published) + dt.timedelta(days=rng.randint(0, 1))
            yield Plan(index, "copy", source.story, keep, when, outlet, prefix, source.index)
        elif originals and draw < COPY_RATE + REWRITE_RATE:
            source = rng.choice(originals[-RECENT:])
            count = len(pool.stories[source.story][1])
            kept = rng.sample(source.sentences, 2)
            others = rng.sample([i for i in range(count) if i not in source.sentences], rng.randint(2, 3))
            outlet = rng.choice([o for o in OUTLETS if o != source.outlet])
            when = max(source.published, published) + dt.timedelta(days=rng.randint(0, 2))
            yield Plan(
                index, "rewrite", source.story, tuple(sorted(kept + others)), when, outlet, "", source.index
            )
        else:
            story = rng.randrange(len(pool.stories))
            count = len(pool.stories[story][1])
            chosen = tuple(sorted(rng.sample(range(count), rng.randint(3, 7))))
            plan = Plan(index, "original", story, chosen, published, rng.choice(OUTLETS))
            originals.append(plan)
            yield plan
        index += 1


def article_row(pool: Pool, plan: Plan, namespace: str = "scale") -> dict[str, str]:
    story, _ = pool.stories[plan.story]
    return {
        "id": f"{namespace}-{plan.index}", "text": pool.text(plan), "title": story["title"],
        "url": f"https://example.org/{namespace}/{plan.index}", "outlet": plan.outlet,
        "published": plan.published.isoformat(),
    }  # fmt: skip


# -- bundles without the pipeline -----------------------------------------------------------------------


def sentence_bundles(pool: Pool, cache_dir: Path, workers: int = 2) -> dict[tuple[int, int], dict[str, Any]]:
    """Every pool sentence coded alone by the real pipeline (bundle dicts), cached by pool and version."""
    from detente.version import __version__

    cache = cache_dir / f"voa-sentence-bundles-{pool.fingerprint()}-{__version__}.jsonl"
    if cache.exists():
        found = {}
        for line in cache.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found[(row["story"], row["sentence"])] = row["bundle"]
        return found
    import tempfile

    from detente.batch.local import code_into_store
    from detente.config import Settings
    from detente.ingest import IngestOptions, make_article
    from detente.records import bundle_to_dict
    from detente.store import open_store

    rows, keys = [], {}
    for s, (story, sentences) in enumerate(pool.stories):
        for i, sentence in enumerate(sentences):
            row = {"id": f"sentence-{s}-{i}", "text": sentence, "outlet": "Voice of America",
                   "published": story["published"][:10]}  # fmt: skip
            article = make_article(row, f"pool:{s}:{i}", IngestOptions())
            keys[article.id] = (s, i)
            rows.append(article)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="detente-pool-") as tmp:
        store = open_store(Path(tmp) / "pool.db")
        code_into_store(rows, store, settings=Settings(batch_size=16), workers=workers, update_stories=False)
        found = {keys[b.article.id]: bundle_to_dict(b) for b in store.iter_bundles() if b.article.id in keys}
        store.close()
    with cache.open("w", encoding="utf-8") as handle:
        for (s, i), bundle in sorted(found.items()):
            handle.write(json.dumps({"story": s, "sentence": i, "bundle": bundle}, ensure_ascii=False) + "\n")
    return found


def _shift(value: Any, offset: int, days: int, key: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if (
                k in ("start", "end", "char_start", "char_end")
                and isinstance(v, int)
                and not isinstance(v, bool)
            ):
                out[k] = v + offset
            elif k in ("start", "end") and isinstance(v, str) and len(v) == 10:
                out[k] = (dt.date.fromisoformat(v) + dt.timedelta(days=days)).isoformat()
            else:
                out[k] = _shift(v, offset, days, k)
        return out
    if isinstance(value, list):
        return [_shift(v, offset, days, key) for v in value]
    return value


def _new_id(article_id: str, old: str) -> str:
    return hashlib.sha1(f"{article_id}\x1f{old}".encode()).hexdigest()[:16]


def assemble(
    pool: Pool, plan: Plan, coded: dict[tuple[int, int], dict[str, Any]], namespace: str = "scale"
) -> Any:
    """The bundle of ``plan`` put together from its sentences' bundles (see the module's docstring)."""
    from detente.ingest import IngestOptions, make_article
    from detente.records import bundle_from_dict, to_dict

    story, sentences = pool.stories[plan.story]
    article = make_article(article_row(pool, plan, namespace), f"{namespace}:{plan.index}", IngestOptions())
    aid = article.id
    story_day = dt.date.fromisoformat(story["published"][:10])
    days = (plan.published - story_day).days
    offset = len(plan.prefix) + 1 if plan.prefix else 0
    actors, claims, events, dates, places = [], [], [], [], []
    root: str | None = None
    ids: dict[str, str] = {}
    for n, i in enumerate(plan.sentences):
        bundle = coded.get((plan.story, i))
        if bundle is not None:
            shifted = _shift({k: v for k, v in bundle.items() if k != "article"}, offset, days)
            ids |= {c["id"]: _new_id(aid, c["id"]) for c in shifted["claims"]}
            for claim in shifted["claims"]:
                is_root = claim["parent_id"] is None and claim["channel"] == "media_report"
                if is_root and root is not None:
                    ids[claim["id"]] = root  # one outlet claim at the root, for the whole article
                    continue
                claim["id"] = ids[claim["id"]]
                claim["article_id"] = aid
                claim["parent_id"] = ids.get(claim["parent_id"]) if claim["parent_id"] else None
                if is_root:
                    root = claim["id"]
                    claim["content"] = {"text": article.text, "start": 0, "end": len(article.text)}
                    for speaker in claim["speaker"]:
                        speaker.update(text=plan.outlet, name=plan.outlet, start=0, end=0,
                                       actor_id="outlet:" + plan.outlet.lower().replace(" ", "-"))  # fmt: skip
                claims.append(claim)
            for event in shifted["events"]:
                event["id"] = _new_id(aid, event["id"])
                event["article_id"] = aid
                event["claim_id"] = ids.get(event["claim_id"]) if event.get("claim_id") else None
                event["corroboration"] = None
                events.append(event)
            actors += shifted["actors"]
            dates += shifted["dates"]
            places += shifted["places"]
        offset += len(sentences[i]) + (1 if n < len(plan.sentences) - 1 else 0)
    return bundle_from_dict({
        "article": to_dict(article), "actors": actors, "claims": claims, "events": events, "dates": dates,
        "places": places,
    })  # fmt: skip


def plans(pool: Pool, start: int, stop: int, *, seed: int = 15, offset: int = 0) -> list[Plan]:
    found = []
    for plan in stream(pool, seed, offset):
        if plan.index >= stop:
            return found
        if plan.index >= start:
            found.append(plan)
    return found


if __name__ == "__main__":  # a quick look at the stream: python benchmarks/synthetic.py
    sys.path.insert(0, str(REPO))
    pool = Pool()
    sample = plans(pool, 0, 2000)
    kinds = {k: sum(p.kind == k for p in sample) for k in ("original", "copy", "rewrite")}
    print(f"{len(pool.stories)} VOA stories; first 2,000 articles: {kinds}")
