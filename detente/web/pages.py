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

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from detente.analytics import counting
from detente.analytics.counting import (
    COUNTING_PAGE,
    DEFINITIONS,
    Counted,
    Occurrence,
    Tally,
    count_events,
    count_in_store,
    events_url,
    occurrence_of,
    tally,
)
from detente.analytics.dyads import build_series, event_day
from detente.analytics.places import event_place
from detente.api.cache import cached
from detente.api.errors import APIError
from detente.api.filters import HIDE_CHOICES, EventFilter, Filters, require_known_actors
from detente.api.services import divergence_for
from detente.errors import DetenteError, NotFoundError
from detente.events import calibration
from detente.records import EVENT_TYPES, MODALITIES, QUADS, Claim, Event
from detente.store.base import EventQuery, Store
from detente.version import __version__
from detente.web.charts import claim_graph, dyad_chart
from detente.web.highlight import Mark, bundle_marks, event_marks, highlight

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

# Events listed under each month of a dyad page; the rest are one link away (the page stays light).
PER_MONTH = 25
# Rows per page of every list (events, an actor's events, search results); ``limit`` in the URL changes it.
PER_PAGE = 50
MAX_PAGE = 500
# The overview's latest events and an actor's claims; the rest are one link away.
LATEST = 15
# What the actor "countries" that are not ISO 3166 states mean (knowledge_base.SPECIAL_COUNTRIES, the
# PLOVER/CAMEO codes): the legend of every page that shows actor codes (_macros.html code_legend).
CODE_LEGEND: tuple[tuple[str, str], ...] = (
    ("WST", "the West: Western governments acting or spoken of together"),
    ("IGO", "an international organisation of states (NATO, the EU, the OSCE)"),
    ("UNO", "the United Nations"),
    ("EUR", "Europe as a region (the EU itself is IGO)"),
    ("NGO", "a non-governmental organisation"),
    ("MNC", "a multinational company"),
    ("IMG", "an international armed group (fighting across borders)"),
    ("ISM", "a transnational movement, as older CAMEO-coded data has it"),
    ("XKX", "Kosovo (no official ISO 3166 code: the user-assigned one the EU, IMF and World Bank use)"),
    ("UNK", "unknown: the country could not be told"),
)
LATEST_SKIPPED = 10  # skipped inputs listed on the overview (detente stats --skipped lists all)
CLAIMS_SHOWN = 20
# Search counts its matches up to this many, in one query (with filters, this many are examined); past it a
# list says "more than 500" rather than reading every match of a common word in a large store.
SEARCH_COUNTED = 500
SEARCH_EXAMINED = 2_000

Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Rows to skip.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows per page.")]
# The fields of the filter form: every page but the actor and dyad pages, whose path names who.
ALL_FIELDS = (
    "since",
    "until",
    "type",
    "quad",
    "actor",
    "dyad",
    "modality",
    "min_confidence",
    "outlet",
    "hide",
)
OWN_FIELDS = tuple(f for f in ALL_FIELDS if f not in ("actor", "dyad"))

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
    env.globals["CODE_LEGEND"] = CODE_LEGEND
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


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a list sits: "Showing 51–90 of 90", with the links to the pages around it."""

    total: int
    offset: int
    shown: int
    previous: str | None
    next: str | None
    more: bool = False  # more rows than ``total`` exist; they were not counted

    @property
    def first(self) -> int:
        return self.offset + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.offset + self.shown


def paging(total: int, offset: int, limit: int, url_of: Callable[[int], str], *, more: bool = False) -> Pager:
    shown = max(0, min(limit, total - offset))
    previous = url_of(max(0, offset - limit)) if offset > 0 else None
    following = url_of(offset + limit) if offset + limit < total or (more and shown) else None
    return Pager(total, offset, shown, previous, following, more)


def page_params(offset: int, limit: int) -> dict[str, int]:
    """Paging in a link: the defaults left out, so a shared first page has a clean address."""
    return {
        k: v for k, v in (("offset", offset), ("limit", limit)) if v != {"offset": 0, "limit": PER_PAGE}[k]
    }


def read_matches(fetch: Callable[[int], list[Any]], reach: int, counted: int) -> tuple[list[Any], bool]:
    """The first rows of a store listing, at least ``reach`` of them and ``counted`` in all, read in one
    query; and whether more exist."""
    want = max(counted, reach)
    rows = fetch(want + 1)
    return rows[:want], len(rows) > want


def display_names(store: Store, keys: Iterable[str]) -> dict[str, str]:
    """The stored name of each actor id or country code (the key itself when none is stored)."""
    names = {}
    for key in keys:
        found = next((s for s in store.actors(q=key, limit=50) if s.actor_id == key), None)
        names[key] = found.name if found is not None else key
    return names


def place_name(events: Iterable[Occurrence]) -> str | None:
    """The name of the place events happened at (for a list filtered to one place: names, not ids)."""
    return next((place.name for e in events if (place := event_place(e)) is not None), None)


def selected_in(request: Request, selected: EventFilter) -> Counted:
    """The counted events a filter selects: the store's count of its query (kept until the store
    changes, shared by filters with the same query), then the filters on counted events."""
    return selected.select(counted_in(request, selected.query()))


def filter_context(
    selected: EventFilter, action: str, *, fields: tuple[str, ...] = ALL_FIELDS,
    csv_filter: EventFilter | None = None, extra: dict[str, str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """What the filter form and the download links of a page need (templates/_macros.html filter_form)."""
    exported = csv_filter or selected
    return {
        "filter": selected,
        "form": {
            "action": action,
            "fields": fields,
            "current": selected.params(),
            "extra": extra or {},
            "event_types": EVENT_TYPES,
            "quads": QUADS,
            "modalities": MODALITIES,
            "hide_choices": HIDE_CHOICES,
            "clear_url": action + (f"?{urlencode(extra)}" if extra else ""),
            # A filter the form does not show (month, when or place from a count's or the map's link, an
            # actor on a page whose path names one): kept as it is when the form changes the others.
            "kept": {k: v for k, v in selected.params().items() if k not in fields},
        },
        "csv_url": exported.url("/api/export/events.csv"),
        "mentions_csv_url": exported.url("/api/export/mentions.csv"),
        "json_url": exported.url("/api/events", limit=1000),
    }


# -- pages ----------------------------------------------------------------------------------------


def install_pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, selected: Filters) -> HTMLResponse:
        store = store_of(request)

        def build() -> HTMLResponse:
            if selected.empty:  # the whole store: counted events kept by every write, no mention read
                counted: Any = counting.summarize(store, latest=LATEST)
                dyads, latest = list(counted.top_pairs), list(counted.latest)
            else:
                counted = selected_in(request, selected)
                dyads, latest = counting.top_pairs(counted.events, limit=10), list(counted.events[:LATEST])
            return render(
                "index.html", title="Overview", stats=store.stats(), counted=counted, dyads=dyads,
                names=display_names(store, {code for pair, _ in dyads for code in pair}),
                events=event_rows(latest), latest=LATEST,
                articles=store.articles(outlet=selected.outlet, limit=8), actors=store.actors(limit=10),
                skipped=store.skipped(limit=LATEST_SKIPPED), **filter_context(selected, "/"),
            )  # fmt: skip

        return cached_page(request, ("overview", selected), build)

    @app.get("/counting", response_class=HTMLResponse, include_in_schema=False)
    def counting_page(request: Request) -> HTMLResponse:
        return render(
            "counting.html", title="How events are counted", definitions=DEFINITIONS,
            window_days=counting.WINDOW_DAYS, low_confidence=counting.LOW_CONFIDENCE,
            max_mentions=counting.MAX_MENTIONS,
        )  # fmt: skip

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(
        request: Request, selected: Filters, offset: Offset = 0, limit: PageSize = PER_PAGE
    ) -> HTMLResponse:
        key = ("events", selected, offset, limit)
        return cached_page(request, key, lambda: _events_page(request, selected, offset, limit))

    def _events_page(request: Request, selected: EventFilter, offset: int, limit: int) -> HTMLResponse:
        store = store_of(request)
        if selected.empty and hasattr(store, "event_totals"):
            # Everything stored: the events every write keeps counted, read a page at a time (no mention
            # read, nothing truncated), in the order counting lists them.
            totals = store.event_totals()
            total, shown = totals.events, store.latest_events(offset + limit)[offset:]
            found, truncated = Tally(totals.mentions, totals.events), False
        else:
            counted = selected_in(request, selected)
            events = list(counted.events)
            total, shown = len(events), events[offset : offset + limit]
            found, truncated = tally(events), counted.truncated
        described = selected.describe(place_name(shown) if selected.place else None)  # names, not ids
        return render(
            "events.html", title="Events", described=described or "everything stored",
            tally=found, events=event_rows(shown),
            pager=paging(total, offset, limit, lambda at: selected.url("/events", **page_params(at, limit))),
            truncated=truncated, **filter_context(selected, "/events", fields=ALL_FIELDS),
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
        # Dyads by name: an actor id ("group:rus-spy") by the name the article gives it, a country code by
        # its stored name.
        countries = {code for pair in pairs for code in pair} - {
            r.actor_id for r in (*event.source, *event.target)
        }
        names = {
            **display_names(store, countries),
            **{r.actor_id: r.name for r in (*event.source, *event.target)},
        }
        return render(
            "event.html", title=f"{event.event_type} event", event=event, article=article, sentence=text,
            day=event_day(event, {article.id: article.published_date}), dyads=list(dict.fromkeys(pairs)),
            chain=claim_chain(store, event.claim_id), occurrence=found, date_label=counting.date_label, names=names,
            calibrated=bool(calibration.shipped().weights), doubts=calibration.doubts(event, calibration.shipped()),
        )  # fmt: skip

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(request: Request, a: str, b: str, selected: Filters) -> HTMLResponse:
        return cached_page(request, ("dyad", a, b, selected), lambda: _dyad_page(request, a, b, selected))

    def _dyad_page(request: Request, a: str, b: str, selected: EventFilter) -> HTMLResponse:
        store = store_of(request)
        require_known_actors(store, a, b)
        # The path names the dyad; uncertain events are left out by the series, which counts them.
        chosen = dataclasses.replace(selected, dyad=(a, b), hide_uncertain=False)
        counted = selected_in(request, chosen)
        series = build_series(
            a, b, counted.events, truncated=counted.truncated, hide_uncertain=selected.hide_uncertain
        )
        events = {e.id: e for e in series.events}
        here = dataclasses.replace(selected, dyad=(a, b))

        def listed(ids: tuple[str, ...], **drill: str) -> dict[str, Any]:
            return {"rows": [events[i] for i in ids[:PER_MONTH]], "total": len(ids),
                    "url": here.url("/events", **drill)}  # fmt: skip

        months = []
        for point in reversed(series.points):
            months.append({"point": point, **listed(point.event_ids, month=point.month)})
        # The divergence panel takes no filters: computed once per dyad and store version, not once per
        # filtered view (it read the dyad's bundles again for each: 1.7 of 2.1 s CPU of a filtered page at 50k).
        divergence, divergence_error = cached(
            request, ("divergence", "both", a, b), lambda: _divergence(store, a, b)
        )
        return render(
            "dyad.html", title=f"{a} – {b}", a=a, b=b, names=display_names(store, {a, b}), series=series,
            chart=dyad_chart(series), months=months, before=listed(series.before_article_ids, when="before"),
            coarse=listed(series.coarse_event_ids, when="coarse"),
            undated=listed(series.undated_event_ids, when="undated"), divergence=divergence,
            divergence_error=divergence_error, here=here, per_month=PER_MONTH,
            **filter_context(selected, f"/dyads/{a}/{b}", fields=OWN_FIELDS, csv_filter=here),
        )  # fmt: skip

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(
        request: Request, actor_id: str, selected: Filters, offset: Offset = 0, limit: PageSize = PER_PAGE
    ) -> HTMLResponse:  # fmt: skip
        key = ("actor", actor_id, selected, offset, limit)
        return cached_page(request, key, lambda: _actor_page(request, actor_id, selected, offset, limit))

    def _actor_page(
        request: Request, actor_id: str, selected: EventFilter, offset: int, limit: int
    ) -> HTMLResponse:  # fmt: skip
        store = store_of(request)
        found = store.actors(q=actor_id, limit=50)
        summary = next((s for s in found if s.actor_id == actor_id), None)
        here = dataclasses.replace(selected, actor=actor_id)
        counted = selected_in(request, here)
        if (
            summary is None
            and not counted.events
            and not counted_in(request, EventQuery(actor=actor_id)).events
        ):
            raise APIError(404, f"no actor or country {actor_id!r} is stored; try the search box")
        events = list(counted.events)
        counterparts = counting.counterparts(events, actor_id).most_common()
        claims = store.claims(speaker=actor_id, limit=CLAIMS_SHOWN + 1)
        own = f"/actors/{actor_id}"
        return render(
            "actor.html", title=summary.name if summary else actor_id, actor_id=actor_id, summary=summary,
            tally=counted.tally, truncated=counted.truncated, events=event_rows(events[offset : offset + limit]),
            pager=paging(len(events), offset, limit, lambda at: selected.url(own, **page_params(at, limit))),
            counterparts=counterparts, names=display_names(store, {c for c, _ in counterparts} | {actor_id}),
            claims=claims[:CLAIMS_SHOWN], more_claims=len(claims) > CLAIMS_SHOWN, here=here,
            **filter_context(selected, own, fields=OWN_FIELDS, csv_filter=here),
        )  # fmt: skip

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, selected: Filters, q: str = "", offset: Offset = 0, actor_offset: Offset = 0,
        limit: PageSize = PER_PAGE,
    ) -> HTMLResponse:  # fmt: skip
        q = q.strip()[:200]
        key = ("search", q, selected, offset, actor_offset, limit)
        return cached_page(
            request, key, lambda: _search_page(request, q, selected, offset, actor_offset, limit)
        )

    def _search_page(
        request: Request, q: str, selected: EventFilter, offset: int, actor_offset: int, limit: int
    ) -> HTMLResponse:  # fmt: skip
        store = store_of(request)
        articles: list[Any] = []
        actors: list[Any] = []
        more_articles = more_actors = False
        if q:
            counted = SEARCH_COUNTED if selected.empty else SEARCH_EXAMINED
            articles, more_articles = read_matches(
                lambda size: store.articles(q=q, limit=size), offset + limit, counted
            )
            actors, more_actors = read_matches(
                lambda size: store.actors(q=q, limit=size), actor_offset + limit, counted
            )
            if not selected.empty:  # the filters select events: the articles and actors of those events
                events = selected_in(request, selected).events
                article_ids = {a for e in events for a in e.article_ids}
                actor_ids = {r.actor_id for e in events for m in e.mentions for r in (*m.source, *m.target)}
                articles = [a for a in articles if a.id in article_ids]
                actors = [s for s in actors if s.actor_id in actor_ids]

        def url(**at: int) -> str:
            spots = {"offset": offset, "actor_offset": actor_offset, **at}
            return selected.url("/search", q=q, **{k: v for k, v in spots.items() if v},
                                **({"limit": limit} if limit != PER_PAGE else {}))  # fmt: skip

        return render(
            "search.html", title=f"Search: {q}" if q else "Search", q=q,
            articles=articles[offset : offset + limit], actors=actors[actor_offset : actor_offset + limit],
            article_pager=paging(len(articles), offset, limit, lambda at: url(offset=at), more=more_articles),
            actor_pager=paging(len(actors), actor_offset, limit, lambda at: url(actor_offset=at), more=more_actors),
            **filter_context(selected, "/search", extra={"q": q}),
        )  # fmt: skip

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        schema = request.app.openapi()
        endpoints = []
        for path, methods in schema.get("paths", {}).items():
            for method, op in methods.items():
                endpoints.append({"path": path, "method": method.upper(), "op": op})
        return render("docs.html", title="API reference", endpoints=endpoints, info=schema.get("info", {}))

    app.state.started = dt.datetime.now(dt.UTC)
