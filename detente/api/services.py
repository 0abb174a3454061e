"""What the API and the dashboard compute from the store beyond one query: stories and divergence.

Divergence (``detente.analytics.divergence``) is an optional capability: when the module is absent
or cannot answer, the callers show that it is unavailable instead of failing the whole page.
"""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict
from typing import Any

from detente.records import Article, to_dict
from detente.store.base import EventQuery, Store

log = logging.getLogger("detente.api")

# A dashboard answer, not a batch job: beyond this many articles story listings are cut.
MAX_STORY_SCAN = 5_000
MAX_DIVERGENCE_ARTICLES = 2_000
_PAGE = 500


def relevant_articles(store: Store, a: str, b: str, *, limit: int = MAX_DIVERGENCE_ARTICLES) -> list[str]:
    """Articles that can hold divergence evidence for a and b: those with an event between them, and
    those with a claim spoken by either (the evidence is claims by one side and events toward the other).
    """
    finder = getattr(store, "divergence_articles", None)
    if finder is not None:  # by index: only articles where a claim by one side names the other
        from detente.analytics.divergence import INTERNAL_CHANNELS, PUBLIC_CHANNELS
        from detente.records import QUADS

        material = [q for q in QUADS if q.startswith("material")]  # the only events divergence weighs alone
        return list(finder(a, b, sorted(PUBLIC_CHANNELS | INTERNAL_CHANNELS), material=material, limit=limit))
    ids: dict[str, None] = {}
    for event in store.events(EventQuery(dyad=(a, b), limit=limit)):
        ids[event.article_id] = None
    for speaker in (a, b):
        for claim in store.claims(speaker=speaker, limit=limit):
            ids[claim.article_id] = None
    return list(ids)[:limit]


def divergence_for(store: Store, a: str, b: str, *, both: bool = False) -> dict[str, Any] | None:
    """Public-versus-internal divergence of a toward b as JSON data (with ``both``: also b toward a, as
    ``{"a_to_b", "b_to_a"}``), or None when ``detente.analytics.divergence`` is not installed.

    Only the bundles that can hold evidence are read, not the whole store.
    """
    try:
        module = importlib.import_module("detente.analytics.divergence")
    except ImportError:
        return None
    func = getattr(module, "divergence", None)
    if not callable(func):
        return None
    kept = getattr(store, "divergence", None)
    if callable(kept):  # from the evidence the store keeps per article: no bundle read (issue 15)
        forward = to_dict(kept(a, b))
        return forward if not both else {"a_to_b": forward, "b_to_a": to_dict(kept(b, a))}  # type: ignore[no-any-return]
    bundles = store.get_bundles(relevant_articles(store, a, b))  # one query per table, not per article
    bundles.sort(key=lambda bundle: (str(bundle.article.published or ""), bundle.article.id))  # oldest first
    forward = to_dict(func(bundles, a, b))
    if not both:
        return forward  # type: ignore[no-any-return]
    return {"a_to_b": forward, "b_to_a": to_dict(func(bundles, b, a))}


def _story_row(story_id: str, articles: list[Article]) -> dict[str, Any]:
    articles = sorted(articles, key=lambda a: (str(a.published or ""), a.id))
    return {
        "story_id": story_id,
        "size": len(articles),
        "outlets": sorted({a.outlet for a in articles if a.outlet}),
        "first": to_dict(articles[0].published),
        "last": to_dict(articles[-1].published),
        "articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "published": to_dict(a.published)}
            for a in articles
        ],
    }


def list_stories(store: Store, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stories (articles sharing a story id), largest first."""
    members: dict[str, list[Article]] = defaultdict(list)
    scanned = 0
    while scanned < MAX_STORY_SCAN:
        batch = store.articles(limit=_PAGE, offset=scanned)
        for article in batch:
            if article.story_id:
                members[article.story_id].append(article)
        scanned += len(batch)
        if len(batch) < _PAGE:
            break
    ordered = sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [_story_row(sid, arts) for sid, arts in ordered[offset : offset + limit]]
