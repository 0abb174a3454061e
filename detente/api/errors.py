"""One error envelope for every failure: ``{"error": {"status", "code", "message"}}``.

API paths (``/api/...``) and clients that do not ask for HTML get the JSON envelope; a browser on a
dashboard page gets the same status with a readable HTML page (rendered by ``detente.web``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from detente.errors import DetenteError, InputError, NotFoundError, StoreBusyError, StoreError

log = logging.getLogger("detente.api")

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 500: "internal_error",
    503: "unavailable",
}  # fmt: skip


class APIError(Exception):
    """An error raised by a route with its HTTP status and a message saying what to do."""

    def __init__(
        self, status: int, message: str, *, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = headers


def envelope(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code or CODES.get(status, "error"), "message": message}}


def json_error(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(envelope(status, message, code), status_code=status, headers=headers)


def hide_paths(message: str, paths: tuple[str, ...]) -> str:
    """The message without any of this machine's paths in it (a client learns nothing of the layout)."""
    for path in paths:
        message = message.replace(path, "…")
    return message


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith(("/api/", "/openapi.json")) or request.url.path == "/api":
        return False
    return "text/html" in request.headers.get("accept", "")


HtmlRenderer = Callable[[Request, int, str], HTMLResponse]


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install_error_handlers(app: FastAPI, render_html: HtmlRenderer | None = None) -> None:
    """Route every error through the envelope (or an HTML page for browsers on dashboard routes)."""

    def respond(
        request: Request, status: int, message: str, code: str | None = None, headers: Any = None
    ) -> Response:
        if render_html is not None and _wants_html(request):
            return render_html(request, status, message)
        return json_error(status, message, code, headers)

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, APIError)
        return respond(request, exc.status, exc.message, exc.code, exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = str(exc.detail) if exc.detail else CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no page or endpoint at {request.url.path}; the API is listed at /docs"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return respond(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return respond(request, 422, _validation_message(exc))

    async def detente_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DetenteError)
        if isinstance(exc, StoreBusyError):
            wait = max(1, math.ceil(exc.retry_after))
            return respond(
                request, 503, f"the database is busy with another writer; nothing was stored: try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )  # fmt: skip
        if isinstance(exc, StoreError):
            # Its message names the database file or server: for the log, not for the client.
            log.error("database error on %s %s: %s", request.method, request.url.path, exc)
            return respond(request, 500, "the database could not answer this request; see the server log")
        status = 404 if isinstance(exc, NotFoundError) else 422 if isinstance(exc, InputError) else 500
        return respond(request, status, hide_paths(str(exc), getattr(request.app.state, "server_paths", ())))

    async def server_error(request: Request, exc: Exception) -> Response:
        # The cause goes to the log; the client gets no traceback or internals.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal error: the server could not answer this request; see its log")

    app.add_exception_handler(APIError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DetenteError, detente_error)
    app.add_exception_handler(Exception, server_error)
