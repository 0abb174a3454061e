"""The dashboard pages, served by the API app. Routes are a public interface:

    /                   overview: counts, most active dyads, latest events and articles
    /articles/{id}      the text with evidence highlighted, its events and its claim chain
    /events/{id}        one event with its sentence, actors, date, place and claim chain
    /events?...         the events behind a count (filters: actor, dyad, month, when), each with its mentions
    /dyads/{a}/{b}      a dyad over time, the events behind each month, public-vs-internal divergence
    /actors/{id}        an actor (or a country code) with its events and counterparts
    /search?q=          articles and actors
    /counting           what a count counts: event, mention, story, corroboration
    /docs               the API reference, rendered here from the OpenAPI schema (works offline)

Templates are Jinja2 with autoescaping on. Handlers are plain ``def``: FastAPI runs them in its thread
pool, so a slow page or a waiting database call never blocks the event loop (detente.api.routes).
Every number of events on a page is counted by ``detente.analytics.counting``, names what it counts
("21 mentions, 17 events") and links to the events behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from detente.analytics import counting
from detente.analytics.counting import (
    COUNTING_PAGE,
    DEFINITIONS,
    Counted,
    Occurrence,
    count_events,
    count_in_store,
    events_url,
    occurrence_of,
    tally,
)
from detente.analytics.dyads import build_series, event_day
from detente.api.cache import cached
from detente.api.errors import APIError
from detente.api.services import divergence_for
from detente.errors import DetenteError, NotFoundError
from detente.records import QUADS, Claim, Event
from detente.store.base import EventQuery, Store
from detente.version import __version__
from detente.web.charts import claim_graph, dyad_chart
from detente.web.highlight import Mark, bundle_marks, event_marks, highlight

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

# Events listed under each month of a dyad page; the rest are one link away (the page stays light).
PER_MONTH = 25
# Events per page of the /events list.
PER_PAGE = 100

QUAD_LABELS = {
    "verbal_cooperation": "verbal cooperation", "material_cooperation": "material cooperation",
    "verbal_conflict": "verbal conflict", "material_conflict": "material conflict",
}  # fmt: skip


# Verification language on claim cards: a mark and a word for each polarity, and the claim's sum.
POLARITY = {"confirms": ("✔", "confirms"), "doubts": ("⚠", "casts doubt"), "unclear": ("?", "leaves it open")}
VERIFICATION_STATUS = {
    "confirmed": "verified", "doubted": "verification doubted", "mixed": "verification mixed",
    "unclear": "verification open",
}  # fmt: skip


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are ever rendered: a ``javascript:`` url stays plain text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _clip(text: str | None, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters["safe_url"] = safe_url
    env.filters["clip"] = _clip
    env.filters["quad_label"] = lambda q: QUAD_LABELS.get(q, q)
    env.filters["names"] = lambda refs: ", ".join(r.name for r in refs) or "—"
    env.filters["plural"] = counting.plural
    env.filters["percent"] = lambda share: f"{share:.0%}"
    env.globals["version"] = __version__
    env.globals["QUADS"] = QUADS
    env.globals["COUNTING"] = COUNTING_PAGE
    env.globals["events_url"] = events_url
    env.globals["POLARITY"] = POLARITY
    env.globals["VERIFICATION_STATUS"] = VERIFICATION_STATUS
    return env


ENV = _environment()


def render(name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(name).render(**context), status_code=http_status)


def render_error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render("error.html", http_status=status, title=f"Error {status}", status=status, message=message)


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def cached_page(request: Request, key: tuple[Any, ...], build: Callable[[], HTMLResponse]) -> HTMLResponse:
    """A page rendered once per store version (``detente.api.cache``); a page that fails is not kept."""
    body = cached(request, key, lambda: bytes(build().body), cache="page_cache")
    return HTMLResponse(body)


def counted_in(request: Request, query: EventQuery) -> Counted:
    """The events behind a query's mentions, kept until the store changes (detente.api.cache)."""
    return cached(request, ("count", query), lambda: count_in_store(store_of(request), query))


# -- view helpers ---------------------------------------------------------------------------------


def dyad_pair(event: Event | Occurrence) -> tuple[str, str] | None:
    """The country-level dyad of an event: its first country pair (source × target, or two participants
    of a reciprocal event)."""
    if event.reciprocal:
        pairs = counting.country_pairs(event)
        return min(pairs) if pairs else None
    for s in event.source:
        for t in event.target:
            if s.country and t.country and s.country != t.country and "UNK" not in (s.country, t.country):
                return s.country, t.country
    return None


def event_rows(events: list[Occurrence]) -> list[dict[str, Any]]:
    """What a list of events shows: the event (with its mentions) and its dyad link."""
    return [{"event": e, "dyad": dyad_pair(e)} for e in events]


def _hide(value: str | None) -> bool:
    if value in (None, "", "none"):
        return False
    if value == "uncertain":
        return True
    raise APIError(422, f"hide must be 'uncertain' or 'none' (got {value!r})")


def claim_chain(store: Store, claim_id: str | None, limit: int = 8) -> list[Claim]:
    """A claim and the claims relaying it up to the article (``parent_id`` is the relaying claim), origin first."""
    chain: list[Claim] = []
    seen: set[str] = set()
    while claim_id and claim_id not in seen and len(chain) < limit:
        seen.add(claim_id)
        try:
            claim = store.get_claim(claim_id)
        except NotFoundError:
            break
        chain.append(claim)
        claim_id = claim.parent_id
    return chain


def _divergence(store: Store, a: str, b: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return divergence_for(store, a, b, both=True), None
    except DetenteError as exc:
        return None, str(exc)


# -- pages ----------------------------------------------------------------------------------------


def install_pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        store = store_of(request)

        def build() -> HTMLResponse:
            counted = counted_in(request, EventQuery())
            return render(
                "index.html", title="Overview", stats=store.stats(), counted=counted,
                dyads=counting.top_pairs(counted.events, limit=10), events=event_rows(list(counted.events[:15])),
                articles=store.articles(limit=8), actors=store.actors(limit=10),
            )  # fmt: skip

        return cached_page(request, ("overview",), build)

    @app.get("/counting", response_class=HTMLResponse, include_in_schema=False)
    def counting_page(request: Request) -> HTMLResponse:
        return render(
            "counting.html", title="How events are counted", definitions=DEFINITIONS,
            window_days=counting.WINDOW_DAYS, low_confidence=counting.LOW_CONFIDENCE,
            max_mentions=counting.MAX_MENTIONS,
        )  # fmt: skip

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(
        request: Request, actor: str = "", dyad: str = "", month: str = "", when: str = "", hide: str = "",
        offset: int = 0,
    ) -> HTMLResponse:  # fmt: skip
        key = ("events", actor, dyad, month, when, hide, offset)
        return cached_page(
            request, key, lambda: _events_page(request, actor, dyad, month, when, hide, offset)
        )

    def _events_page(
        request: Request, actor: str, dyad: str, month: str, when: str, hide: str, offset: int
    ) -> HTMLResponse:  # fmt: skip
        pair = None
        if dyad:
            parts = [p.strip() for p in dyad.split(",")]
            if len(parts) != 2 or not all(parts):
                raise APIError(
                    422, f"dyad must be two actors separated by a comma, e.g. RUS,CHN (got {dyad!r})"
                )
            pair = (parts[0], parts[1])
        if when not in ("", "before", "undated", "coarse"):
            raise APIError(422, f"when must be before, undated or coarse (got {when!r})")
        query = EventQuery(actor=actor or None, dyad=pair)
        counted = counted_in(request, query)
        events = list(counted.events)
        if pair:
            series = build_series(*pair, events, hide_uncertain=_hide(hide))
            events = list(series.events)
        elif _hide(hide):
            events = [e for e in events if not (e.low_confidence or e.single_source)]
        if month:
            events = [e for e in events if e.month == month]
        if when == "before":
            events = [e for e in events if e.before_article]
        elif when == "undated":
            events = [e for e in events if e.day is None and not e.before_article]
        elif when == "coarse":
            events = [e for e in events if e.month is None and e.day is not None]
        offset = max(0, offset)
        filters = {"actor": actor, "dyad": dyad, "month": month, "when": when, "hide": hide}
        described = ", ".join(f"{k} {v}" for k, v in filters.items() if v) or "everything stored"
        return render(
            "events.html", title="Events", filters=filters, described=described, tally=tally(events),
            events=event_rows(events[offset : offset + PER_PAGE]), offset=offset, per_page=PER_PAGE,
            more=len(events) > offset + PER_PAGE, truncated=counted.truncated,
        )  # fmt: skip

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        store = store_of(request)
        bundle = store.get_bundle(article_id)
        # Within one article: its mentions grouped into events (other articles are not read here).
        events = count_events(bundle.events, store.article_facts([article_id]))
        events.sort(key=lambda e: e.lead.trigger.start)
        outside = {c.parent_id for c in bundle.claims} - {c.id for c in bundle.claims} - {None}
        label = bundle.article.outlet or "this article"
        return render(
            "article.html", title=bundle.article.title or "Article", bundle=bundle, article=bundle.article,
            text=highlight(bundle.article.text, bundle_marks(bundle)), events=event_rows(events),
            tally=tally(events), graph=claim_graph(bundle.claims, article_label=label),
            claims=sorted(bundle.claims, key=lambda c: c.content.start), outside_parents=sorted(outside),  # type: ignore[arg-type]
        )  # fmt: skip

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        store = store_of(request)
        event = store.get_event(event_id)
        article = store.get_article(event.article_id)
        sentence = event.sentence
        marks: list[Mark] = list(event_marks(event))
        for ref in (*event.source, *event.target):
            marks.append(Mark(ref.start, ref.end, "actor", ref.name, f"/actors/{ref.actor_id}"))
        text = highlight(article.text[sentence.start : sentence.end], marks, offset=sentence.start)
        if event.reciprocal:
            pairs = sorted(counting.country_pairs(event))
        else:
            pairs = sorted({(s.country, t.country) for s in event.source for t in event.target
                            if s.country and t.country and s.country != t.country})  # fmt: skip
            pairs += [
                (s.actor_id, t.actor_id)
                for s in event.source
                for t in event.target
                if s.actor_id != t.actor_id
            ]
        found = occurrence_of(store, event)
        return render(
            "event.html", title=f"{event.event_type} event", event=event, article=article, sentence=text,
            day=event_day(event, {article.id: article.published_date}), dyads=list(dict.fromkeys(pairs)),
            chain=claim_chain(store, event.claim_id), occurrence=found, date_label=counting.date_label,
        )  # fmt: skip

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(request: Request, a: str, b: str, hide: str = "") -> HTMLResponse:
        return cached_page(request, ("dyad", a, b, hide), lambda: _dyad_page(request, a, b, hide))

    def _dyad_page(request: Request, a: str, b: str, hide: str) -> HTMLResponse:
        store = store_of(request)
        counted = counted_in(request, EventQuery(dyad=(a, b)))
        series = build_series(a, b, counted.events, truncated=counted.truncated, hide_uncertain=_hide(hide))
        events = {e.id: e for e in series.events}
        months = []
        for point in reversed(series.points):
            rows = [events[i] for i in point.event_ids[:PER_MONTH]]
            months.append({"point": point, "rows": rows, "more": max(0, point.total - PER_MONTH)})

        def listed(ids: tuple[str, ...]) -> list[Occurrence]:
            return [events[i] for i in ids[:PER_MONTH]]

        divergence, divergence_error = _divergence(store, a, b)
        return render(
            "dyad.html", title=f"{a} – {b}", a=a, b=b, series=series, chart=dyad_chart(series), months=months,
            before=listed(series.before_article_ids), coarse=listed(series.coarse_event_ids),
            undated=listed(series.undated_event_ids), hide=hide, divergence=divergence,
            divergence_error=divergence_error,
        )  # fmt: skip

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str) -> HTMLResponse:
        return cached_page(request, ("actor", actor_id), lambda: _actor_page(request, actor_id))

    def _actor_page(request: Request, actor_id: str) -> HTMLResponse:
        store = store_of(request)
        found = store.actors(q=actor_id, limit=50)
        summary = next((s for s in found if s.actor_id == actor_id), None)
        counted = counted_in(request, EventQuery(actor=actor_id))
        if summary is None and not counted.events:
            raise APIError(404, f"no actor or country {actor_id!r} is stored; try the search box")
        return render(
            "actor.html", title=summary.name if summary else actor_id, actor_id=actor_id, summary=summary,
            tally=counted.tally, truncated=counted.truncated, events=event_rows(list(counted.events[:50])),
            counterparts=counting.counterparts(counted.events, actor_id).most_common(12),
            claims=store.claims(speaker=actor_id, limit=20),
        )  # fmt: skip

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "") -> HTMLResponse:
        q = q.strip()[:200]
        return cached_page(request, ("search", q), lambda: _search_page(request, q))

    def _search_page(request: Request, q: str) -> HTMLResponse:
        store = store_of(request)
        articles = store.articles(q=q, limit=50) if q else []
        actors = store.actors(q=q, limit=30) if q else []
        return render(
            "search.html", title=f"Search: {q}" if q else "Search", q=q, articles=articles, actors=actors
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        schema = request.app.openapi()
        endpoints = []
        for path, methods in schema.get("paths", {}).items():
            for method, op in methods.items():
                endpoints.append({"path": path, "method": method.upper(), "op": op})
        return render("docs.html", title="API reference", endpoints=endpoints, info=schema.get("info", {}))

    app.state.started = dt.datetime.now(dt.UTC)
