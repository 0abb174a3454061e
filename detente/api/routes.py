"""The JSON API under ``/api/``: read endpoints with filters and pagination, and ``POST /api/articles``.

Handlers never touch the database on the event loop: read handlers are plain ``def`` (FastAPI runs
them in its thread pool; the store gives each thread its own SQLite reader), and the POST handler sends
its checks, its coding and its write to the pool. One slow call (a POST waiting for a coding run's write
lock, a large dyad) then holds up only its own request, never the loop that serves all the others.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from detente.analytics import counting
from detente.analytics import dyads as dyad_analytics
from detente.analytics.counting import count_in_store
from detente.api.app import coding_pool, token_refusal
from detente.api.cache import cached
from detente.api.errors import APIError
from detente.api.filters import EventFilter, Filters, choice, filtered_events, require_known_actors
from detente.api.models import ERROR_RESPONSES, ArticleIn
from detente.api.services import divergence_for, list_stories
from detente.config import Settings
from detente.export import COLUMNS, KINDS, csv_lines, export_rows
from detente.records import (
    CHANNELS,
    Article,
    Bundle,
    Failure,
    bundle_to_dict,
    to_dict,
)  # fmt: skip
from detente.store.base import Store

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)  # type: ignore[arg-type]

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size (1-1000).")]
# Bounded: an offset past a 64-bit integer overflows the database driver (a 500 before this bound).
MAX_OFFSET = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
LATEST_SKIPPED = 10  # skipped inputs listed by /api/stats unless asked for more, as many as the overview


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


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


@router.get(
    "/stats",
    summary="Counts of what is stored: mentions and events as /counting defines them; with filters, of what they select",
)
def stats(
    request: Request,
    selected: Filters,
    skipped_limit: Annotated[
        int, Query(ge=0, le=1000, description="How many of the latest skipped inputs to list (0-1000).")
    ] = LATEST_SKIPPED,
) -> dict[str, Any]:
    store = store_of(request)

    def whole_store() -> dict[str, Any]:
        return {**counting.store_counts(store), **skipped_inputs(store, skipped_limit)}

    if selected.empty:
        return cached(request, ("stats", skipped_limit), whole_store)

    def compute() -> dict[str, Any]:
        counted = filtered_events(store, selected, counted_query(request, selected))
        events = counted.events
        return {
            "filters": selected.params(), "mentions": counted.tally.mentions, "events": len(events),
            "articles": len({a for e in events for a in e.article_ids}),
            "outlets": len({o for e in events for o in e.outlets}),
            "stories": len({e.story_id for e in events if e.story_id}),
            "background": sum(e.background for e in events), "before_article": sum(e.before_article for e in events),
            "reciprocal": sum(e.reciprocal for e in events), "truncated": counted.truncated,
            "stored": cached(request, ("stats", skipped_limit), whole_store),
        }  # fmt: skip

    return cached(request, ("stats", selected, skipped_limit), compute)


def skipped_inputs(store: Store, limit: int) -> dict[str, Any]:
    """Inputs left uncoded, with why: the fields of ``detente stats --format json`` (files that never became
    articles and articles stored uncoded; ``skipped`` counts only the latter, stored as articles)."""
    summary = store.skipped(limit=limit)
    return {
        "skipped_inputs": summary.total,
        "skipped_by_reason": [{"count": n, "reason": reason} for reason, n in summary.by_reason],
        "skipped_latest": [
            {"at": s.at.isoformat(timespec="seconds") if s.at else None, "source": s.source,
             "reason": s.reason, "article_id": s.article_id}
            for s in summary.latest
        ],
    }  # fmt: skip


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


@router.get("/events", summary="Event mentions, newest first, with the dashboard's filters")
def list_events(
    request: Request, selected: Filters, article_id: str | None = None, claim_id: str | None = None,
    limit: Limit = 100, offset: Offset = 0,
) -> dict[str, Any]:  # fmt: skip
    store = store_of(request)
    query = dataclasses.replace(
        selected.query(limit=limit, offset=offset), article_id=article_id or None, claim_id=claim_id or None
    )
    if not selected.counted_only:  # the store pages the mentions itself
        return cached(
            request, ("events", query),
            lambda: page(to_dict(store.events(query)), limit, offset, store.count_events(query)),
        )  # fmt: skip

    unpaged = dataclasses.replace(query, limit=counting.MAX_MENTIONS, offset=0)

    def compute() -> list[Any]:
        # Filters on counted events keep or drop an event with all its mentions: the mentions of the kept
        # events, in the store's order (read once, counted here, kept for every page of the answer).
        mentions = store.events(unpaged)
        events = counting.count_events(mentions, store.article_facts({m.article_id for m in mentions}))
        kept = {m.id for e in events if selected.keeps(e) for m in e.mentions}
        return [m for m in mentions if m.id in kept]

    mentions = cached(request, ("events", unpaged, selected), compute)
    return page(to_dict(mentions[offset : offset + limit]), limit, offset, len(mentions))


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
        speaker=speaker or None, channel=choice("channel", channel, CHANNELS), article_id=article_id or None,
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
def dyad(request: Request, a: str, b: str, selected: Filters) -> dict[str, Any]:
    # The path names the dyad; hide=uncertain is reported as the series' hidden count, not dropped unseen.
    chosen = dataclasses.replace(selected, dyad=(a, b), hide_uncertain=False)
    cached(request, ("known", a, b), lambda: require_known_actors(store_of(request), a, b))

    def compute() -> dict[str, Any]:
        counted = filtered_events(store_of(request), chosen, counted_query(request, chosen))
        series = dyad_analytics.build_series(
            a, b, counted.events, truncated=counted.truncated, hide_uncertain=selected.hide_uncertain
        )
        return dyad_analytics.series_to_dict(series)

    return cached(request, ("dyad", a, b, selected), compute)


def counted_query(request: Request, selected: EventFilter) -> counting.Counted:
    """The counted events of a filter's store query, kept until the store changes (shared by every
    filter that differs only in what it keeps of them)."""
    query = selected.query()
    return cached(request, ("count", query), lambda: count_in_store(store_of(request), query))


def _chunks(lines: Iterable[str], size: int = 64_000) -> Iterator[str]:
    """Lines joined into pieces of about ``size`` characters: a streamed body goes to the client one piece
    per thread-pool hop, and one hop per line made a 5,000-event download take 10 s instead of 2."""
    piece: list[str] = []
    length = 0
    for line in lines:
        piece.append(line)
        length += len(line)
        if length >= size:
            yield "".join(piece)
            piece, length = [], 0
    if piece:
        yield "".join(piece)


@router.get(
    "/export/{kind}.csv",
    summary="Download events, mentions, claims or actors as CSV: the rows of 'detente export --format csv'",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV with a header row (docs/export.md)"}},
)
def export_csv(
    request: Request,
    kind: Annotated[str, Path(description=f"One of {', '.join(KINDS)}: what one row is (docs/export.md).")],
    selected: Filters,
) -> StreamingResponse:
    if kind not in KINDS:
        raise APIError(
            404, f"no export {kind!r}; use one of: {', '.join(f'/api/export/{k}.csv' for k in KINDS)}"
        )
    store = store_of(request)
    keep = selected.keeps if selected.counted_only else None
    rows = export_rows(store, kind, selected.query(), keep)
    name = "-".join(["detente", kind, *(f"{k}-{v}" for k, v in selected.params().items())])
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150] + ".csv"
    return StreamingResponse(
        _chunks(csv_lines(rows, COLUMNS[kind])), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


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
