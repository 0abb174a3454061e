"""detente: sourced, structured event data (PLOVER) from news reporting.

>>> import detente
>>> bundles = detente.code_texts(["Russia invaded Ukraine in February 2022."], published="2022-03-01")
>>> [e.event_type for e in bundles[0].events]
['ASSAULT']
>>> store = detente.open_store("detente.db")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from detente.analytics.divergence import divergence
from detente.config import Settings
from detente.errors import DetenteError
from detente.records import (
    Actor,
    ActorRef,
    Article,
    Bundle,
    Claim,
    Event,
    Place,
    ResolvedDate,
    Span,
    bundle_from_dict,
    bundle_to_dict,
)
from detente.store import EventQuery, Store, open_store
from detente.version import __version__


def code_texts(
    texts: Iterable[str | dict[str, Any]],
    *,
    published: str | None = None,
    outlet: str | None = None,
    settings: Settings | None = None,
) -> list[Bundle]:
    """Code texts (or dicts with text/title/url/outlet/published) into article bundles.

    The model loads once per process. Non-English texts come back uncoded with ``skip_reason``.
    """
    from detente.ingest import IngestOptions, make_article
    from detente.pipeline import code_articles

    settings = settings or Settings()
    defaults = {k: v for k, v in (("published", published), ("outlet", outlet)) if v}
    options = IngestOptions(max_chars=settings.max_chars, languages=settings.languages, defaults=defaults)
    articles = [
        make_article(item if isinstance(item, dict) else {"text": item}, f"text {i + 1}", options)
        for i, item in enumerate(texts)
    ]
    return list(code_articles(articles, settings=settings))


__all__ = [
    "Actor",
    "ActorRef",
    "Article",
    "Bundle",
    "Claim",
    "DetenteError",
    "Event",
    "EventQuery",
    "Place",
    "ResolvedDate",
    "Settings",
    "Span",
    "Store",
    "__version__",
    "bundle_from_dict",
    "bundle_to_dict",
    "code_texts",
    "divergence",
    "open_store",
]
