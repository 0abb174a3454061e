"""Pydantic models at the HTTP edge only: what a client may send, and the error envelope's shape.

Responses are the article-bundle records as plain JSON (``detente.records.to_dict``), the same shape
as ``detente code --jsonl``, so they are documented in DESIGN §2 rather than duplicated here.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class ArticleIn(BaseModel):
    """A new article to code and store (``POST /api/articles``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article text, plain (not HTML).")
    title: str | None = Field(default=None, max_length=1000)
    url: HttpUrl | None = Field(default=None, description="Where the article was published (http or https).")
    outlet: str | None = Field(default=None, max_length=300)
    published: dt.date | dt.datetime | None = Field(default=None, description="ISO date or datetime.")
    language: str | None = Field(default=None, max_length=8, description="ISO 639-1 code, e.g. 'en'.")


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ErrorEnvelope(BaseModel):
    """Every error response has this shape."""

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (404, "Unknown id"),
        (422, "Invalid parameters"),
        (500, "Server error"),
    )
}
