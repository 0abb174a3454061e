"""HTML pages to main text and metadata (title, date, outlet) through trafilatura."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detente.errors import EmptyInputError
from detente.ingest.text import normalize


def extract_html(html: str, path: str | Path) -> dict[str, Any]:
    """Main text, title, date and outlet of a page; EmptyInputError when no article text is found."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise EmptyInputError(
            path, f"HTML could not be parsed ({type(exc).__name__})", hint="save the page again"
        ) from exc
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = normalize(data.get("text") or "")
    if not text:
        raise EmptyInputError(
            path, "has no article text that could be extracted", hint="is this an article page?"
        )
    return {
        "text": text,
        "title": data.get("title"),
        "url": data.get("url"),
        "outlet": data.get("sitename") or data.get("hostname"),
        "published": data.get("date"),
    }
