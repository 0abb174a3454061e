"""detente: sourced, structured event data (PLOVER) from news reporting.

>>> import detente
>>> results = detente.code_texts(["Russia invaded Ukraine in February 2022.", ""], published="2022-03-01")
>>> [e.event_type for e in results[0].events]
['ASSAULT']
>>> print(results[1])
text 2: has no text to code
>>> store = detente.open_store("detente.db")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from detente.analytics.divergence import divergence
from detente.config import Settings
from detente.errors import CodingError, DetenteError, InputError
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
    Verification,
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
) -> list[Bundle | DetenteError]:
    """Code texts (or dicts with text/title/url/outlet/published): one result per text, in order.

    Each result is the text's article ``Bundle``, or in its place the error that stopped it, so one bad
    text never costs the others: an ``InputError`` for input that cannot be read (empty, too large, not
    a string) and a ``CodingError`` for a text whose coding failed or ran past the time and memory budget
    of ``settings`` (``article_seconds``, ``article_memory_mb``). Nothing is raised for one text; a
    missing model still raises ``ModelError``. Non-English texts come back uncoded with ``skip_reason``.
    The model loads once per process.
    """
    from detente.batch.budget import Budget, code_article
    from detente.ingest import IngestOptions, make_article
    from detente.ingest.files import unexpected_error
    from detente.pipeline import load_nlp

    settings = settings or Settings()
    defaults = {k: v for k, v in (("published", published), ("outlet", outlet)) if v}
    options = IngestOptions(max_chars=settings.max_chars, languages=settings.languages, defaults=defaults)
    budget = Budget.of(settings)
    results: list[Bundle | DetenteError] = []
    for number, item in enumerate(texts, start=1):
        where = f"text {number}"
        try:
            article = make_article(item if isinstance(item, dict) else {"text": item}, where, options)
        except DetenteError as exc:
            results.append(exc)
            continue
        except Exception as exc:  # one text never costs the others: an unforeseen error is its result
            results.append(unexpected_error(where, exc))
            continue
        outcome = code_article(load_nlp(settings), article, budget)
        results.append(outcome if isinstance(outcome, Bundle) else CodingError(where, outcome))
    return results


__all__ = [
    "Actor",
    "ActorRef",
    "Article",
    "Bundle",
    "Claim",
    "CodingError",
    "DetenteError",
    "Event",
    "EventQuery",
    "InputError",
    "Place",
    "ResolvedDate",
    "Settings",
    "Span",
    "Store",
    "Verification",
    "__version__",
    "bundle_from_dict",
    "bundle_to_dict",
    "code_texts",
    "divergence",
    "open_store",
]
