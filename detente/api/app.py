"""The FastAPI application: the JSON API under ``/api/``, the dashboard pages and a local API reference.

``create_app(store_or_url, token=...)`` is all a caller needs (``detente serve`` uses it). Nothing is
fetched from outside: FastAPI's default ``/docs`` loads Swagger UI from a CDN, so it is turned off and
``/docs`` is a reference page rendered here from the same OpenAPI schema (``/openapi.json``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from detente.api.errors import envelope, install_error_handlers
from detente.store.base import Store
from detente.version import __version__

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MAX_BODY = 1_000_000  # bytes; a long news article is well under 200 kB
TOKEN_ENV = "DETENTE_API_TOKEN"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Defence in depth behind autoescaping: no inline script or style runs even if markup slipped through.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with a 413 envelope, before any handler reads them."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(send)
            return
        # Read the body here (bounded), then replay it: chunked uploads are limited too.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        import json

        payload = json.dumps(
            envelope(413, f"request body is over the limit of {self.max_body} bytes; send a shorter article")
        ).encode()
        await send({
            "type": "http.response.start", "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": payload})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    store_or_url: Store | str | Path,
    *,
    token: str | None = None,
    nlp: Language | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The API and dashboard over a store (or a path/URL that ``open_store`` opens and later closes).

    ``token`` enables ``POST /api/articles``; when None, ``DETENTE_API_TOKEN`` from the environment is
    used, and without either, adding articles answers 403. ``nlp`` is the pipeline for new articles
    (loaded on first use when None).
    """
    from detente.api.routes import router
    from detente.web.pages import STATIC_DIR, install_pages, render_error_page

    if isinstance(store_or_url, (str, Path)):
        from detente.store import open_store

        store, owned = open_store(store_or_url), True
    else:
        store, owned = store_or_url, False

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            store.close()

    app = FastAPI(
        title="detente",
        version=__version__,
        description="Sourced, structured PLOVER event data: articles, events, claims, actors, dyads.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    app.state.nlp = nlp
    app.state.max_body = max_body

    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    install_pages(app)
    install_error_handlers(app, render_error_page)
    app.add_middleware(BodyLimit, max_body=max_body)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    return app
