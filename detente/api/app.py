"""The FastAPI application: the JSON API under ``/api/``, the dashboard pages and a local API reference.

``create_app(store_or_url, token=...)`` is all a caller needs (``detente serve`` uses it). Nothing is
fetched from outside: FastAPI's default ``/docs`` loads Swagger UI from a CDN, so it is turned off and
``/docs`` is a reference page rendered here from the same OpenAPI schema (``/openapi.json``).

Requests pass, outermost first: security headers; the Host allow-list (``allowed_hosts``: a page on
another site whose name resolves to this machine, DNS rebinding, gets a 400, not the data); the token of
a write, checked in constant time before its body is read (401 before any 413 or 422); the body limit.
Handlers run in the thread pool, never on the event loop, so one slow database call (a write waiting for
a coding run's lock, at most ``write_timeout`` seconds before a 503) holds up nobody else.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from detente.api.cache import PAGES, ReadCache
from detente.api.errors import envelope, install_error_handlers
from detente.config import Settings
from detente.store.base import Store
from detente.version import __version__

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MAX_BODY = 1_000_000  # bytes; a long news article is well under 200 kB
TOKEN_ENV = "DETENTE_API_TOKEN"
# A POST waits this long for a coding run's write lock, then answers 503 with Retry-After.
DEFAULT_WRITE_TIMEOUT = 5.0
# Requests that need the token: (method, path).
WRITES = frozenset({("POST", "/api/articles")})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

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
        await _send_envelope(
            send, 413, f"request body is over the limit of {self.max_body} bytes; send a shorter article"
        )


async def _send_envelope(
    send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    import json

    payload = json.dumps(envelope(status, message)).encode()
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                    *headers],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": payload})


def token_matches(given: str, token: str) -> bool:
    """Constant time: both sides are hashed to 32 bytes first, so neither the token's length nor how
    much of it a guess gets right shows in the time a refusal takes."""
    return hmac.compare_digest(
        hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest(),
        hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest(),
    )


def token_refusal(token: str | None, authorization: str) -> tuple[int, str] | None:
    """Why a write is refused (status, message), or None when its token is right."""
    if not token:
        return 403, "adding articles is disabled; start the server with DETENTE_API_TOKEN set to enable it"
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token_matches(value.strip(), token):
        return 401, "missing or wrong token: send the header 'Authorization: Bearer <DETENTE_API_TOKEN>'"
    return None


class WriteToken:
    """Check the token of a write before anything reads its body: a client without it learns nothing
    about the body (no 422) and cannot make the server read a megabyte (no 413)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["method"], _route_path(scope)) in WRITES:
            headers = dict(scope.get("headers") or [])
            refusal = token_refusal(self.token, headers.get(b"authorization", b"").decode("latin-1"))
            if refusal:
                extra = [(b"www-authenticate", b"Bearer")] if refusal[0] == 401 else []
                await _send_envelope(send, *refusal, extra)
                return
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def host_allowed(host_header: str, allowed: Sequence[str]) -> bool:
    """Whether a Host header names one of ``allowed`` ("*" allows any; "*.example.org" its subdomains)."""
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    for name in (a.strip().lower().strip("[]") for a in allowed):
        if name == "*" or host == name or (name.startswith("*.") and host.endswith(name[1:])):
            return True
    return False


class HostAllowList:
    """Answer only requests whose Host header is allowed. A page elsewhere can point a DNS name of its
    own at 127.0.0.1 (DNS rebinding) and read a local server's API; its requests carry that name."""

    def __init__(self, app: ASGIApp, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = tuple(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host", b"").decode("latin-1")
            if not host_allowed(host, self.allowed):
                shown = host[:100] or "(none)"
                await _send_envelope(
                    send,
                    400,
                    f"host {shown!r} is not served here; start the server with --allowed-host to allow it",
                )
                return
        await self.app(scope, receive, send)


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
    settings: Settings | None = None,
    allowed_hosts: Sequence[str] | None = None,
    write_timeout: float = DEFAULT_WRITE_TIMEOUT,
) -> FastAPI:
    """The API and dashboard over a store (or a path/URL that ``open_store`` opens and later closes).

    ``token`` enables ``POST /api/articles``; when None, ``DETENTE_API_TOKEN`` from the environment is
    used, and without either, adding articles answers 403. A posted article is coded in a worker process
    under the per-article budget of ``settings`` (started with the app when a token is set, stopped with
    it); with ``nlp`` it is coded in this process instead, where the budget is checked between steps.
    ``allowed_hosts`` lists the Host names served (None: any; ``detente serve`` passes its own list).
    ``write_timeout``: seconds a POST waits for another writer's lock before a 503 (for a store opened
    here from a path or URL; a store passed in keeps its own).
    """
    from detente.api.routes import router
    from detente.web.map import install_map
    from detente.web.pages import STATIC_DIR, install_pages, render_error_page

    if isinstance(store_or_url, (str, Path)):
        from detente.store import open_store

        store, owned = open_store(store_or_url, write_timeout=write_timeout), True
    else:
        store, owned = store_or_url, False

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.token and app.state.nlp is None:
            coding_pool(app).start()  # the model loads while the server already answers reads
        yield
        pool = app.state.pool
        if pool is not None:
            pool.close()  # a worker still coding a runaway article must not hold up the shutdown
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
    app.state.read_cache = ReadCache()  # whole-store answers, kept until the store changes
    app.state.page_cache = ReadCache(PAGES)  # rendered dashboard pages, the same way
    app.state.token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    app.state.nlp = nlp
    app.state.max_body = max_body
    app.state.settings = settings or Settings()
    app.state.pool = None  # detente.batch.pool.CodingPool, started at startup or by the first POST
    app.state.pool_lock = threading.Lock()
    app.state.server_paths = _server_paths(store)

    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    install_pages(app)
    install_map(app)
    install_error_handlers(app, render_error_page)
    # Added innermost first: SecurityHeaders ends up outermost, BodyLimit next to the routes.
    app.add_middleware(BodyLimit, max_body=max_body)  # type: ignore[arg-type]
    app.add_middleware(WriteToken, token=app.state.token)  # type: ignore[arg-type]
    if allowed_hosts is not None:
        app.add_middleware(HostAllowList, allowed=allowed_hosts)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    return app


def coding_pool(app: FastAPI) -> Any:
    """The app's worker process for posted articles (detente.batch.pool.CodingPool), made on first use."""
    with app.state.pool_lock:
        if app.state.pool is None:
            from detente.batch.pool import CodingPool

            app.state.pool = CodingPool(app.state.settings, workers=1)
        return app.state.pool


def _server_paths(store: Store) -> tuple[str, ...]:
    """Places on this machine that an error message must not show to a client."""
    import detente

    paths = {str(Path(detente.__file__).resolve().parent.parent), os.getcwd(), str(Path.home())}
    if not str(store.url).startswith(("postgresql://", "postgres://")):
        paths |= {str(store.url), str(Path(store.url).resolve().parent)}
    # Longest first, so a path is hidden whole rather than by its parent folder.
    return tuple(sorted((p for p in paths if len(p) > 1), key=len, reverse=True))
