"""The JSON API under ``/api/``: read endpoints with filters and pagination, and ``POST /api/articles``.

Handlers never touch the database on the event loop: read handlers are plain ``def`` (FastAPI runs
them in its thread pool; the store gives each thread its own SQLite reader), and the POST handler sends
its checks, its coding and its write to the pool. One slow call (a POST waiting for a coding run's write
lock, a large dyad) then holds up only its own request, never the loop that serves all the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from detente.analytics import counting
from detente.analytics import dyads as dyad_analytics
from detente.api.app import coding_pool, token_refusal
from detente.api.cache import cached
from detente.api.errors import APIError
from detente.api.models import ERROR_RESPONSES, ArticleIn
from detente.api.services import divergence_for, list_stories
from detente.config import Settings
from detente.records import (
    CHANNELS,
    EVENT_TYPES,
    LEGACY_TYPES,
    MODALITIES,
    QUADS,
    Article,
    Bundle,
    Failure,
    bundle_to_dict,
    to_dict,
)  # fmt: skip
from detente.store.base import EventQuery, Store

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)  # type: ignore[arg-type]

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000).")]
# Bounded: an offset past a 64-bit integer overflows the database driver (a 500 before this bound).
MAX_OFFSET = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value in allowed:
        return value
    raise APIError(422, f"unknown {name} {value!r}; use one of: {', '.join(allowed)}")


def event_type_param(value: str | None) -> str | None:
    if value:
        value = LEGACY_TYPES.get(value.upper(), value.upper())
    return _choice("event type", value, EVENT_TYPES)


def dyad_param(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise APIError(422, f"dyad must be two actors separated by a comma, e.g. RUS,CHN (got {value!r})")
    return parts[0], parts[1]


def article_summary(article: Article) -> dict[str, Any]:
    data = to_dict(article)
    data.pop("text", None)
    data["chars"] = len(article.text)
    return data  # type: ignore[no-any-return]


def page(items: list[Any], limit: int, offset: int, total: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"items": items, "limit": limit, "offset": offset}
    if total is not None:
        result["total"] = total
    return result


@router.get("/stats", summary="Counts of what is stored: mentions and events as /counting defines them")
def stats(request: Request) -> dict[str, Any]:
    return cached(request, ("stats",), lambda: counting.store_counts(store_of(request)))


@router.get("/articles", summary="Articles, newest first (without their text)")
def list_articles(
    request: Request,
    q: Annotated[str | None, Query(description="Words in the title or text.")] = None,
    outlet: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    articles = store_of(request).articles(q=q or None, outlet=outlet or None, limit=limit, offset=offset)
    return page([article_summary(a) for a in articles], limit, offset)


@router.get("/articles/{article_id}", summary="One article's bundle: article, actors, claims and events")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    return bundle_to_dict(store_of(request).get_bundle(article_id))


@router.get("/events", summary="Events, newest first, with filters")
def list_events(
    request: Request,
    actor: Annotated[str | None, Query(description="Actor id or country code, e.g. RUS.")] = None,
    dyad: Annotated[str | None, Query(description="Two actors, either direction: RUS,CHN.")] = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. ACCUSE.")] = None,
    quad: Annotated[str | None, Query(description=f"One of {', '.join(QUADS)}.")] = None,
    modality: Annotated[str | None, Query(description=f"One of {', '.join(MODALITIES)}.")] = None,
    since: Annotated[dt.date | None, Query(description="On or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="On or before this date (YYYY-MM-DD).")] = None,
    article_id: str | None = None,
    claim_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    if since and until and since > until:
        raise APIError(422, f"since ({since}) is after until ({until})")
    query = EventQuery(
        actor=actor or None, dyad=dyad_param(dyad), event_type=event_type_param(type),
        quad=_choice("quad", quad, QUADS), modality=_choice("modality", modality, MODALITIES),
        since=since, until=until, article_id=article_id or None, claim_id=claim_id or None,
        limit=limit, offset=offset,
    )  # fmt: skip
    store = store_of(request)
    return cached(
        request,
        ("events", query),
        lambda: page(to_dict(store.events(query)), limit, offset, store.count_events(query)),
    )


@router.get("/events/{event_id}", summary="One event")
def get_event(request: Request, event_id: str) -> dict[str, Any]:
    return to_dict(store_of(request).get_event(event_id))  # type: ignore[no-any-return]


@router.get("/claims", summary="Claims (who said what, through which channel)")
def list_claims(
    request: Request,
    speaker: Annotated[str | None, Query(description="Actor id or country code of the speaker.")] = None,
    channel: Annotated[str | None, Query(description=f"One of {', '.join(CHANNELS)}.")] = None,
    article_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    claims = store_of(request).claims(
        speaker=speaker or None, channel=_choice("channel", channel, CHANNELS), article_id=article_id or None,
        limit=limit, offset=offset,
    )  # fmt: skip
    return page(to_dict(claims), limit, offset)


@router.get("/claims/{claim_id}", summary="One claim")
def get_claim(request: Request, claim_id: str) -> dict[str, Any]:
    return to_dict(store_of(request).get_claim(claim_id))  # type: ignore[no-any-return]


@router.get("/actors", summary="Actors, most mentioned first")
def list_actors(
    request: Request,
    q: Annotated[str | None, Query(description="Part of an id or name, or a country code.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    return page(to_dict(store_of(request).actors(q=q or None, limit=limit, offset=offset)), limit, offset)


@router.get("/stories", summary="Stories: articles grouped as reports of one story")
def stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(list_stories(store_of(request), limit=limit, offset=offset), limit, offset)


@router.get(
    "/dyads/{a}/{b}",
    summary="A dyad's monthly series: events (one per occurrence) and mentions per month, per quad class",
)
def dyad(
    request: Request, a: str, b: str, since: dt.date | None = None, until: dt.date | None = None,
    hide: Annotated[str | None, Query(description="'uncertain' leaves out low-confidence and single-source events.")] = None,
) -> dict[str, Any]:  # fmt: skip
    if hide not in (None, "", "none", "uncertain"):
        raise APIError(422, f"hide must be 'uncertain' or 'none' (got {hide!r})")

    def compute() -> dict[str, Any]:
        series = dyad_analytics.dyad_series(
            store_of(request), a, b, since=since, until=until, hide_uncertain=hide == "uncertain"
        )
        return dyad_analytics.series_to_dict(series)

    return cached(request, ("dyad", a, b, since, until, hide == "uncertain"), compute)


@router.get("/dyads/{a}/{b}/divergence", summary="Public statements versus internal documents for a dyad")
def divergence(request: Request, a: str, b: str) -> dict[str, Any]:
    result = cached(request, ("divergence", a, b), lambda: divergence_for(store_of(request), a, b))
    if result is None:
        raise APIError(
            503, "divergence analysis is not available in this installation (detente.analytics.divergence)"
        )
    return result


def _check_token(request: Request) -> None:
    # The WriteToken middleware already refused a request without the token, before its body was read;
    # checked again here so the route stays closed wherever it is mounted.
    refusal = token_refusal(request.app.state.token, request.headers.get("authorization", ""))
    if refusal:
        raise APIError(*refusal)


def _article_from(request: Request, body: ArticleIn) -> Article:
    """The article as the CLI would read it: normalised text, stable id, the same language check."""
    from detente.ingest import IngestOptions, make_article
    from detente.ingest.http import without_credentials

    settings: Settings = request.app.state.settings
    if body.language and body.language.lower() not in settings.languages:
        raise APIError(
            422, f"language {body.language!r} is not coded; detente codes {'/'.join(settings.languages)}"
        )
    fields = {
        "text": body.text, "title": body.title, "url": without_credentials(str(body.url)) if body.url else None,
        "outlet": body.outlet, "published": body.published.isoformat() if body.published else None,
    }  # fmt: skip
    article = make_article(fields, "the posted article", IngestOptions(max_chars=settings.max_chars,
                                                                        languages=settings.languages))  # fmt: skip
    if article.skip_reason is not None:
        raise APIError(422, f"not coded, so not stored: {article.skip_reason}")
    return article


def _code(request: Request, article: Article) -> Bundle | Failure:
    """Code under the budget: in the app's worker process, or in this process with the app's own pipeline."""
    from detente.batch.budget import Budget, code_article

    state = request.app.state
    if state.nlp is not None:
        return code_article(state.nlp, article, Budget.of(state.settings))
    return coding_pool(request.app).code(article)  # type: ignore[no-any-return]


@router.post(
    "/articles", status_code=201, summary="Code a new article and store it (needs DETENTE_API_TOKEN)",
    responses={401: {"description": "Missing or wrong token"}, 403: {"description": "Disabled: no token set"},
               413: {"description": "Request body too large"},
               422: {"description": "Not codable: empty, not English, or over the per-article budget"},
               503: {"description": "The database is busy with another writer: retry after Retry-After"}},
)  # fmt: skip
async def post_article(request: Request, body: ArticleIn) -> JSONResponse:
    _check_token(request)
    article = await run_in_threadpool(_article_from, request, body)
    outcome = await run_in_threadpool(_code, request, article)
    store = store_of(request)
    location = {"Location": f"/api/articles/{article.id}"}
    if isinstance(outcome, Failure):
        from detente.batch.budget import failed_bundle

        await run_in_threadpool(
            lambda: store.write_bundles([failed_bundle(article, outcome)], failures=[outcome])
        )
        over = outcome.kind in ("time", "memory")
        raise APIError(
            422 if over else 500, f"the article could not be coded: {outcome.message}; it is stored as failed",
            code="over_budget" if over else "coding_failed", headers=location,
        )  # fmt: skip
    await run_in_threadpool(store.write_bundles, [outcome])
    return JSONResponse(bundle_to_dict(outcome), status_code=201, headers=location)
