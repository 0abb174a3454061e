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
from detente.store.base import Store

log = logging.getLogger("detente.api")

# A dashboard answer, not a batch job: beyond this many articles story listings are cut.
MAX_STORY_SCAN = 5_000
_PAGE = 500


def divergence_for(store: Store, a: str, b: str) -> dict[str, Any] | None:
    """Public-versus-internal divergence for a dyad as JSON data, or None when it is not available."""
    try:
        module = importlib.import_module("detente.analytics.divergence")
    except ImportError:
        return None
    func = getattr(module, "dyad_divergence", None) or getattr(module, "divergence", None)
    if not callable(func):
        return None
    result = func(store, a, b)
    data = to_dict(result)
    return data if isinstance(data, dict) else {"result": data}


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
