"""Dashboard pages in-process: content, links, escaping of untrusted text, offline assets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from jinja2 import Environment
from markupsafe import Markup

from detente.analytics.counting import count_events
from detente.analytics.dyads import DyadPoint, DyadSeries, build_series
from detente.api import create_app
from detente.records import QUADS, ActorRef, Claim, Span
from detente.store import open_store
from detente.store.base import ArticleFacts
from detente.web.charts import claim_graph, dyad_chart
from detente.web.highlight import Mark, bundle_marks, highlight
from detente.web.pages import ENV, safe_url
from tests.dashboard_sample import XSS, XSS_URL, example_bundle, sample_bundles, xss_bundle

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("web") / "web.db")
    store.write_bundles(sample_bundles())
    yield TestClient(create_app(store), raise_server_exceptions=False)
    store.close()


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text outside tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def injected(html: str) -> list[str]:
    """Markup a payload could have smuggled in: script tags, event handlers, javascript: links."""
    found = []
    for tag, attrs in Elements(html).tags:
        if tag == "script" and attrs.get("src") != "/static/app.js":
            found.append("script tag")
        found += [f"{tag}[{name}]" for name in attrs if name.startswith("on")]
        found += [
            f"{tag}[{k}]" for k, v in attrs.items() if v and v.strip().lower().startswith("javascript:")
        ]
    return found


def test_every_page_renders(client):
    bundle = example_bundle()
    pages = {
        "/": ["Most active dyads", "RUS – CHN", "Latest events"],
        f"/articles/{bundle.article.id}": ["Coded events", "Claim chain", "Federal Security Service"],
        f"/events/{bundle.events[0].id}": ["ACCUSE", "Reported through", "The New York Times", "Moscow"],
        f"/events/{bundle.events[3].id}": ["leaked document", "relayed by", "Federal Security Service"],
        "/dyads/RUS/CHN": [
            "Cooperation and conflict per month",
            "2025-06",
            "2022-02",
            "Public vs internal",
            "RUS toward CHN",
            "CHN toward RUS",
            "Says in public",
            "Internal documents",
        ],
        "/actors/Q7747": ["Vladimir Putin", "Counterparts", "unshakable"],
        "/actors/RUS": ["RUS", "Events"],
        "/search?q=putin": ["Vladimir Putin", "Actors"],
        "/docs": ["/api/events", "dyad", "Authorization: Bearer"],
    }
    for path, words in pages.items():
        response = client.get(path, headers=HTML)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        for word in words:
            assert word in response.text, (path, word)


def test_pages_are_offline_and_locked_down(client):
    pages = ("/", "/docs", "/dyads/RUS/CHN", f"/articles/{example_bundle().article.id}", "/map", "/events",
             "/search?q=russia", "/actors/RUS", "/counting")  # fmt: skip
    for path in pages:
        response = client.get(path)
        assert 'rel="icon" href="data:,"' in response.text
        for tag, attrs in Elements(response.text).tags:
            for name in ("src", "href"):
                value = attrs.get(name) or ""
                if tag in ("script", "link", "img", "image", "use", "iframe", "source"):
                    assert not re.match(r"(https?:)?//", value), (path, tag, value)  # nothing from a CDN
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]


def test_article_page_highlights_and_links(client):
    bundle = example_bundle()
    html = client.get(f"/articles/{bundle.article.id}").text
    event = bundle.events[0]
    # The trigger is a link to its event, inside the highlighted text.
    assert f'<a href="/events/{event.id}" class="hl hl-claim hl-trigger"' in html
    assert 'class="hl hl-actor"' in html and 'class="hl hl-cue"' in html
    # The claim chain graph: the leaked document → NYT relay edge, ending at the article.
    assert 'class="edge relay"' in html and "leaked document" in html and "Example Daily" in html
    for claim in bundle.claims:
        assert f'id="claim-{claim.id}"' in html
    # The dyad link next to the events.
    assert 'href="/dyads/RUS/CHN"' in html


def test_untrusted_text_is_inert_on_every_page(client):
    bundle = xss_bundle()
    event = bundle.events[0]
    for path in ("/", f"/articles/{bundle.article.id}", f"/events/{event.id}", "/dyads/RUS/CHN", "/actors/RUS",
                 "/search?q=agreed", f"/search?q={XSS}", "/nope-" + XSS):  # fmt: skip
        html = client.get(path, headers=HTML).text
        assert injected(html) == [], path
        assert XSS not in html, path
    article = client.get(f"/articles/{bundle.article.id}").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in article  # shown as text, not dropped
    assert f'href="{XSS_URL}"' not in article and XSS_URL in article  # the url is text, not a link
    texts = "".join(Elements(article).text)
    assert f"Title {XSS}" in texts and f"Outlet {XSS}" in texts


def test_the_injection_check_can_fail():
    """Rendered raw, the same payloads are caught: the check above is not vacuous."""
    raw = Environment(autoescape=False).from_string('<h1>{{ t }}</h1><a href="{{ u }}">x</a>')
    found = injected(raw.render(t=f"Title {XSS}", u=XSS_URL))
    assert "script tag" in found and "img[onerror]" in found and "a[href]" in found
    safe = ENV.from_string('<h1>{{ t }}</h1><a href="{{ u | safe_url }}">x</a>')
    assert injected(safe.render(t=f"Title {XSS}", u=XSS_URL)) == []


def test_error_pages(client):
    page = client.get("/articles/nope", headers=HTML)
    assert (
        page.status_code == 404 and "text/html" in page.headers["content-type"] and "no article" in page.text
    )
    api = client.get("/api/articles/nope", headers=HTML)  # the API answers JSON even to a browser
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert client.get("/actors/NOBODY").json()["error"]["status"] == 404


def test_highlight_escapes_and_nests_overlaps():
    text = "<b>Putin</b> said Russia & China agree."
    marks = [
        Mark(0, len(text), "claim", 'claim "x"'),
        Mark(3, 8, "actor", "Putin", "/actors/Q7747"),
        Mark(18, 24, "actor", "Russia", "/actors/RUS"),
        Mark(33, 38, "trigger", "AGREE", "/events/e1", "e1"),
        Mark(30, 99, "place", "out of range"),  # past the end: ignored
    ]
    html = highlight(text, marks)
    assert isinstance(html, Markup)
    assert html.startswith('<span class="hl hl-claim" title="claim &#34;x&#34;">&lt;b&gt;</span>')
    assert '<a href="/actors/Q7747" class="hl hl-claim hl-actor"' in html
    assert (
        '<a href="/events/e1" class="hl hl-claim hl-trigger" title="claim &#34;x&#34; · AGREE" data-events="e1">agree</a>'
        in html
    )
    assert "&amp;" in html and "out of range" not in html
    # Removing the tags gives back exactly the escaped text.
    assert re.sub(r"<[^>]+>", "", str(html)) == str(Markup.escape(text))


def test_highlight_with_offset_and_all_bundle_marks():
    bundle = example_bundle()
    event = bundle.events[0]
    sentence: Span = event.sentence
    html = highlight(
        bundle.article.text[sentence.start : sentence.end], bundle_marks(bundle), offset=sentence.start
    )
    assert f'href="/events/{event.id}"' in html and ">considers</a>" in html
    kinds = {m.kind for m in bundle_marks(bundle)}
    assert {"actor", "trigger", "date", "place", "claim", "cue"} - {"date"} <= kinds


def test_safe_url():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url(None) is None


def test_dyad_chart_draws_every_month_and_the_intensity_line():
    bundle = example_bundle()
    facts = {bundle.article.id: ArticleFacts(bundle.article.id, bundle.article.published_date, None, None)}
    series = build_series("RUS", "CHN", count_events(bundle.events, facts))
    svg = dyad_chart(series)
    # 2022-02 .. 2025-06 filled continuously: 41 months, each one a clickable bar.
    assert svg.count('class="bar"') == 41
    assert 'href="#m-2025-06"' in svg and 'href="#m-2023-01"' in svg
    assert svg.count('class="q-verbal_conflict"') == 1 and svg.count('class="q-material_cooperation"') == 1
    # Two months with events, 39 empty months between: two dots and no trend line across the gap.
    assert svg.count('class="intensity-dot"') == 2 and 'class="intensity"' not in svg
    counts = dict.fromkeys(QUADS, 1)
    runs = [DyadPoint(m, counts, i - 2.0, ("e",)) for i, m in enumerate(["2025-01", "2025-02", "2025-03"])]
    gap = DyadPoint("2025-05", counts, 0.0, ("e",))
    svg = dyad_chart(DyadSeries("A", "B", (*runs, gap)))
    assert svg.count('<polyline class="intensity" points="') == 1  # Jan-Mar joined, May alone
    assert svg.count('class="intensity-dot"') == 4
    assert "No dated events" in dyad_chart(DyadSeries("A", "B", ()))


def test_claim_graph_layout_follows_relays():
    claims = example_bundle().claims  # root (the article) <- NYT <- leaked FSB document; root <- Putin
    svg = claim_graph(claims, article_label="Outlet <x>")
    assert (
        svg.count('class="node ch-') == 3 and svg.count('class="node article"') == 1
    )  # the root is the article
    assert svg.count('class="edge relay"') == 1  # FSB document -> NYT
    assert svg.count('class="edge report"') == 2  # NYT and Putin -> the article
    xs = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r'class="node (?:ch-)?(\w+)"[^>]*>.*?<rect x="([\d.]+)"', svg, re.S)
    }
    assert (
        xs["leaked_document"] < xs["media_report"] < xs["article"]
    )  # origin on the left, article on the right
    # Without the root claim the relays of the article are joined to an added article node, escaped.
    svg = claim_graph([c for c in claims if c.parent_id], article_label="Outlet <x>")
    assert "Outlet &lt;x&gt;" in svg and "<x>" not in svg and svg.count('class="edge report"') == 2


def _nodes(svg: str) -> dict[str, tuple[int, str, float]]:
    """Each node of a claim graph by its title: (claims it holds, its meta line, its x)."""
    return {
        m.group("title"): (int(m.group("n")), m.group("meta"), float(m.group("x")))
        for m in re.finditer(
            r'data-claims="(?P<n>\d+)">.*?<rect x="(?P<x>[\d.]+)".*?class="node-title">(?P<title>[^<]*)</text>'
            r'.*?class="node-meta">(?P<meta>[^<]*)</text>', svg, re.S,
        )
    }  # fmt: skip


def test_claim_graph_draws_one_node_per_source():
    """Three NYT claims, two of them relaying the same leaked document (two claims): one node each."""
    text = "x" * 400
    nyt = ActorRef("NYT", 0, 3, "org:nyt", "The New York Times", "USA", "JRN", "outlet")
    fsb = ActorRef("FSB", 5, 8, "org:fsb", "FSB", "RUS", "SPY", "organization")
    ares = ActorRef("Ares Leaks", 9, 19, "group:ares", "Ares Leaks", "UNK", None, "group")

    def claim(cid, parent, speaker, channel, start, **more):
        return Claim(cid, "a", speaker, None, Span(text[start : start + 20], start, start + 20), "indirect", channel,
                     parent_id=parent, **more)  # fmt: skip

    claims = [
        claim("root", None, (), "media_report", 0),
        *(claim(f"nyt{i}", "root", (nyt,), "media_report", 40 * i) for i in range(1, 4)),
        claim("doc1", "nyt1", (fsb,), "leaked_document", 45, obtained_by=(ares,)),
        claim("doc2", "nyt2", (fsb,), "leaked_document", 85, obtained_by=(ares,)),
        claim("fsb-said", "nyt3", (fsb,), "public_statement", 125),
    ]
    svg = str(claim_graph(claims, article_label="Daily"))
    nodes = _nodes(svg)
    assert svg.count(">The New York Times</text>") == 1
    assert {title: n for title, (n, _, _) in nodes.items() if title != "FSB"} == {
        "unattributed": 1, "The New York Times": 3,
    }  # fmt: skip
    # The agency's leaked document and its public statement are two sources.
    assert svg.count(">FSB</text>") == 2 and svg.count('data-claims="2"') == 1
    assert "leaked document · 2 claims" in svg and "public statement · asserts" in svg
    assert svg.count('class="node-obtained">obtained by Ares Leaks</text>') == 1
    # Arrows: two claims FSB document -> NYT (labelled 2), one FSB statement -> NYT, NYT -> article (3).
    assert svg.count('class="edge relay"') == 2 and svg.count('class="edge report"') == 1
    assert re.findall(r'class="edge-count">(\d+)<', svg) == ["3", "2"]
    assert nodes["FSB"][2] < nodes["The New York Times"][2] < nodes["unattributed"][2]
    # Every claim of a source is listed in its node's tooltip.
    assert svg.count("asserts: xxxxxxxxxxxxxxxxxxxx") == len(claims)


def test_claim_graph_survives_sources_relaying_each_other():
    """A relays B relays A (two interviews quoting each other): both drawn once, arrows still point right."""
    a = ActorRef("A", 0, 1, "person:a", "Anna", "UKR", None, "person")
    b = ActorRef("B", 2, 3, "person:b", "Boris", "RUS", None, "person")
    span = Span("text", 0, 4)
    claims = [
        Claim("root", "x", (), None, span, "document", "media_report"),
        Claim("a1", "x", (a,), None, span, "indirect", "public_statement", parent_id="root"),
        Claim("b1", "x", (b,), None, span, "indirect", "public_statement", parent_id="a1"),
        Claim("a2", "x", (a,), None, span, "indirect", "public_statement", parent_id="b1"),
    ]
    nodes = _nodes(str(claim_graph(claims)))
    assert {t: n for t, (n, _, _) in nodes.items()} == {"unattributed": 1, "Anna": 2, "Boris": 1}
    assert nodes["Boris"][2] < nodes["Anna"][2] < nodes["unattributed"][2]


@pytest.mark.model
def test_claim_graph_of_the_motivating_example(example_bundle):
    """The NYT relays many claims of the article: one node, one FSB leaked-document node obtained by Ares Leaks."""
    claims = example_bundle.claims
    svg = str(claim_graph(claims, article_label="Example Daily"))
    nodes = _nodes(svg)
    titles = re.findall(r'class="node-title">([^<]*)</text>', svg)
    assert len(titles) == len(set(titles)), titles  # no source drawn twice
    nyt = [
        c
        for c in claims
        if c.channel == "media_report" and any("New York Times" in a.name for a in c.speaker)
    ]
    assert len(nyt) > 1 and nodes["The New York Times"][0] == len(nyt)
    leaked = [c for c in claims if c.channel == "leaked_document"]
    fsb = next(t for t, (_, meta, _) in nodes.items() if meta.startswith("leaked document"))
    assert "FSB" in fsb and nodes[fsb][0] == len(leaked) > 1
    assert svg.count('class="node-obtained">obtained by Ares Leaks</text>') == 1
    assert nodes[fsb][2] < nodes["The New York Times"][2] < nodes["Example Daily"][2]


def test_claim_cards_show_polarity_and_who_obtained_the_document(client):
    """The leaked document's card: doubt and confirmation each marked as such, the sum, who obtained it."""
    bundle = example_bundle()
    html = client.get(f"/articles/{bundle.article.id}").text
    doc = next(c for c in bundle.claims if c.channel == "leaked_document")
    card = html[html.index(f'id="claim-{doc.id}"') :]
    card = card[: card.index('<div id="claim-')] if '<div id="claim-' in card else card
    assert re.findall(r'class="verification v-(\w+)" data-polarity="\w+"><span class="v-mark" aria-hidden="true">'
                      r'(.)</span> <span class="v-label">([^<]*)</span> ([^<]*)</div>', card) == [
        ("doubts", "⚠", "casts doubt:", "This prevents the definitive verification of the authenticity of the material"),
        ("confirms", "✔", "confirms:", "they all evaluated it as authentic"),
    ]  # fmt: skip
    assert '<span class="badge verify-mixed"' in card and ">verification mixed</span>" in card
    assert "obtained by <strong>Ares Leaks</strong>" in card
    # Claims without verification language carry no verdict.
    assert html.count('class="badge verify-') == 1
    # The graph: the document's node says who obtained it.
    assert 'class="node-obtained">obtained by Ares Leaks</text>' in html


def test_dates_and_places_no_event_took_are_highlighted_too():
    import dataclasses

    from detente.records import Place, ResolvedDate

    bundle = example_bundle()
    text = bundle.article.text
    start = text.index("Central Asia")
    place = Place(
        "Central Asia", None, 45.0, 65.0, "region:central-asia", "region", "Central Asia", start, start + 12
    )
    when = text.index("2024")
    date = ResolvedDate(None, None, "year", "exact", "2024", "year", when, when + 4)
    marks = bundle_marks(dataclasses.replace(bundle, places=(place,), dates=(date,)))
    assert any(m.kind == "place" and (m.start, m.end) == (start, start + 12) for m in marks)
    assert any(m.kind == "date" and (m.start, m.end) == (when, when + 4) for m in marks)
    assert not any(m.kind == "place" and m.start == start for m in bundle_marks(bundle))


def test_an_article_restating_one_event_counts_it_once():
    import dataclasses
    import datetime as dt

    from detente.records import ActorRef, Event

    rus = ActorRef("Russia", 0, 6, "country:RUS", "Russia", "RUS")
    ukr = ActorRef("Ukraine", 20, 27, "country:UKR", "Ukraine", "UKR")
    first = Event("e1", "a1", "ASSAULT", None, (), "material_conflict", -10.0, "asserted", (rus,), (ukr,),
                  Span("invasion", 10, 18), Span("x", 0, 30))  # fmt: skip
    again = dataclasses.replace(first, id="e2", trigger=Span("invasion", 40, 48))
    other_article = dataclasses.replace(first, id="e3", article_id="a2")
    facts = {
        "a1": ArticleFacts("a1", dt.date(2022, 3, 1), "Post", None),
        "a2": ArticleFacts("a2", dt.date(2022, 3, 2), "Wire", None),  # another story: another event
    }
    series = build_series("RUS", "UKR", count_events([first, again, other_article], facts))
    [point] = series.points
    assert point.counts["material_conflict"] == 2 and series.directions == {"a>b": 2}
    assert point.event_ids == ("e3", "e1") and point.mention_ids == ("e3", "e1", "e2")  # newest first
    assert str(series.tally) == "3 mentions, 2 events"


def test_an_event_page_says_what_lowers_its_confidence(tmp_path):
    import dataclasses

    from detente.events.calibration import DOUBTS

    bundle = example_bundle()
    full = bundle.events[0]
    lonely = dataclasses.replace(full, id="lonely", target=())  # the same accusation, its recipient unnamed
    store = open_store(tmp_path / "doubts.db")
    store.write_bundles([dataclasses.replace(bundle, events=(full, lonely))])
    with TestClient(create_app(store)) as client:
        html = client.get("/events/lonely").text
        assert "the chance that the type and both sides" in html
        assert 'id="doubts"' in html and DOUBTS["no_target_country"] in html
        assert DOUBTS["no_target_country"] not in client.get(f"/events/{full.id}").text
    store.close()


def test_without_a_shipped_calibration_the_event_page_claims_no_meaning_for_the_confidence(
    client, monkeypatch
):
    from detente.events import calibration

    monkeypatch.setattr(calibration, "shipped", lambda: calibration.Calibration())
    html = client.get(f"/events/{example_bundle().events[0].id}").text
    assert "Confidence" in html and "the chance that the type" not in html and 'id="doubts"' not in html
