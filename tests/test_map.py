"""The map of event places: the outline, the drawing, /map and /api/places, and the click-through.

The store is coded by the real pipeline from articles written here (``PLACE_ARTICLES``); every place the
map draws must list exactly its events at ``/events?place=KEY`` under the same filters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import struct
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from detente.analytics.counting import count_events
from detente.analytics.places import count_places, event_place, place_key
from detente.errors import KnowledgeBaseError
from detente.records import ActorRef, Article, Event, Place, Span, article_id
from detente.store.base import ArticleFacts
from detente.web import map as world

REPO = Path(__file__).resolve().parents[1]

# Four short reports, written for these tests. What the map must show follows from the text: talks in
# Central Asia and shelling in the Russian Far East (regions), Astana and Tokyo (cities), Kharkiv in two
# articles of two outlets (one city, two events), Mali and Kazakhstan (countries), Belgorod Oblast (a
# first-level division), the Sahel (a region spanning several countries).
PLACE_ARTICLES = (
    ("Moscow Ledger", dt.date(2025, 3, 4), "Talks in Central Asia",
     "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Astana on Monday. "
     "Lavrov and Wang signed an agreement on energy cooperation in Central Asia on Monday. "
     "Ukraine shelled a power station in the Russian Far East on Sunday, Russia said."),
    ("Harbour Post", dt.date(2025, 3, 6), "Strikes on Kharkiv",
     "Russian forces attacked Kharkiv on Wednesday, Ukrainian officials said. "
     "Ukraine condemned Russia after the attack on Kharkiv. "
     "China and Japan held talks in Tokyo on Thursday about the East China Sea."),
    ("Sahel Wire", dt.date(2025, 4, 2), "Mali",
     "France withdrew its troops from Mali in 2022. "
     "Mali's junta expelled the French ambassador from Bamako on Tuesday. "
     "Jihadist fighters attacked an army base in the Sahel on Friday, killing 20 soldiers."),
    ("Kyiv Courier", dt.date(2025, 3, 8), "Belgorod",
     "Ukrainian drones attacked an oil depot in Belgorod Oblast on Saturday. "
     "Police arrested two men in Kharkiv on Friday. "
     "Protesters rallied against the government in Kazakhstan on Saturday."),
)  # fmt: skip


def place_articles() -> list[Article]:
    return [
        Article(id=article_id(text), text=text, outlet=outlet, published=day, language="en", title=title)
        for outlet, day, title, text in PLACE_ARTICLES
    ]


def coded_place_store(nlp, path: Path):
    """A SQLite store holding ``PLACE_ARTICLES`` as the pipeline codes them."""
    from detente.pipeline import code_articles
    from detente.store import open_store

    store = open_store(path)
    store.write_bundles(list(code_articles(place_articles(), nlp=nlp)))
    return store


@pytest.fixture(scope="module")
def client(nlp, tmp_path_factory):
    from detente.api import create_app

    store = coded_place_store(nlp, tmp_path_factory.mktemp("map") / "map.db")
    yield TestClient(create_app(store), raise_server_exceptions=False)
    store.close()


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def drawn_places(html: str) -> dict[str, dict[str, str | None]]:
    """Each place link of the map's SVG (``a.place``) by its place key."""
    found = {}
    for tag, attrs in Tags(html).tags:
        if tag == "a" and "place" in (attrs.get("class") or "").split() and attrs.get("data-place"):
            found[attrs["data-place"]] = attrs
    return found


def shapes_of(html: str) -> dict[str, str]:
    """The shape drawn inside each place link: path (a country), ellipse (an area) or circle (a point)."""
    svg = html[html.index('<svg class="world-map"') : html.index("</svg>", html.index("world-map"))]
    return dict(
        re.findall(
            r'<a class="place [^"]*" href="[^"]*" data-place="([^"]+)"[^>]*><title>[^<]*</title><(path|ellipse|circle) ',
            svg,
        )
    )


def listed_events(client: TestClient, href: str) -> int:
    """The events the events list shows for a link (its tally line)."""
    page = client.get(href)
    assert page.status_code == 200, href
    found = re.search(r'id="events-tally" data-mentions="\d+" data-events="(\d+)"', page.text)
    assert found, href
    return int(found.group(1))


# ------------------------------------------------------------------ the store coded from our articles


@pytest.mark.model
def test_every_place_on_the_map_lists_exactly_its_events(client):
    api = client.get("/api/places").json()
    page = client.get("/map")
    assert page.status_code == 200
    drawn = drawn_places(page.text)
    assert api["items"], "the articles name places where events happened"
    assert api["placed"] == sum(i["events"] for i in api["items"]) <= api["events"]
    for item in api["items"]:
        # The map's link and the API's are one link, to the events list filtered to that place.
        assert parse_qs(urlsplit(item["events_url"]).query) == {"place": [item["key"]]}
        assert listed_events(client, item["events_url"]) == item["events"], item["name"]
        # The API's mention records under the same filter: the mentions of those events.
        records = client.get("/api/events", params={"place": item["key"], "limit": 1000}).json()
        assert records["total"] == item["mentions"] == len(records["items"]), item["name"]
        if item["lat"] is not None:
            link = drawn[item["key"]]
            assert link["href"] == item["events_url"] and link["data-events"] == str(item["events"])
    # The table under the map has the same counts.
    rows = dict(re.findall(r'<tr data-place="([^"]+)" data-events="(\d+)">', page.text))
    assert rows == {i["key"]: str(i["events"]) for i in api["items"]}


@pytest.mark.model
def test_places_are_drawn_by_kind_regions_as_areas(client):
    items = {i["name"]: i for i in client.get("/api/places").json()["items"]}
    shapes = shapes_of(client.get("/map").text)
    kinds = {i["kind"] for i in items.values()}
    assert kinds == {"country", "admin", "city", "region"}
    for item in items.values():
        expected = {"country": "path", "admin": "path", "region": "ellipse", "city": "circle"}[item["kind"]]
        assert shapes[item["key"]] == expected, item["name"]
    # Belgorod Oblast is shaded as its own outline (Natural Earth's), a link of its own over Russia.
    links = drawn_places(client.get("/map").text)
    assert links[items["Belgorod"]["key"]]["class"] == "place admin outline"
    # Named in the text: regions stay regions, a city reported by two outlets is one place with two events.
    assert items["Central Asia"]["kind"] == "region" and items["Russian Far East"]["kind"] == "region"
    assert items["Kharkiv"]["events"] == 2 and items["Kharkiv"]["kind"] == "city"
    assert items["Mali"]["country"] == "MLI" and items["Belgorod"]["kind"] == "admin"


@pytest.mark.model
def test_the_map_takes_the_pages_filters_into_its_links(client):
    everything = {i["key"]: i["events"] for i in client.get("/api/places").json()["items"]}
    api = client.get("/api/places?type=ASSAULT").json()
    assert api["filters"] == {"type": "ASSAULT"}
    assert api["items"] and all(everything[i["key"]] >= i["events"] for i in api["items"])
    assert api["placed"] < sum(everything.values())  # other types happened elsewhere
    page = client.get("/map?type=ASSAULT")
    for item in api["items"]:
        assert parse_qs(urlsplit(item["events_url"]).query) == {"type": ["ASSAULT"], "place": [item["key"]]}
        assert listed_events(client, item["events_url"]) == item["events"]
        assert drawn_places(page.text)[item["key"]]["href"] == item["events_url"]
    # A date range: nothing before the articles' events.
    assert client.get("/api/places?until=2020-01-01").json()["items"] == []
    assert "No event under these filters has a place" in client.get("/map?until=2020-01-01").text


@pytest.mark.model
def test_bad_filters_are_a_clear_422(client):
    for query, says in (("type=NOPE", "unknown event type"), ("since=yesterday", "since must be a date"),
                        ("since=2025-05-01&until=2025-01-01", "is after until")):  # fmt: skip
        answer = client.get(f"/api/places?{query}")
        assert answer.status_code == 422 and says in json.dumps(answer.json()), query
        page = client.get(f"/map?{query}", headers={"accept": "text/html"})
        assert page.status_code == 422 and says in page.text, query


@pytest.mark.model
def test_the_map_is_in_the_nav_and_the_api_reference(client):
    assert '<a href="/map">Map</a>' in client.get("/").text
    assert "/api/places" in client.get("/openapi.json").json()["paths"]


# ------------------------------------------------------------------ counting places (no model)


def _event(eid: str, article: str, place: Place | None, start: int = 0) -> Event:
    rus = ActorRef("Russia", 0, 6, "country:RUS", "Russia", "RUS")
    ukr = ActorRef("Ukraine", 20, 27, "country:UKR", "Ukraine", "UKR")
    return Event(eid, article, "ASSAULT", None, (), "material_conflict", -10.0, "asserted", (rus,), (ukr,),
                 Span("attacked", 7 + start, 15 + start), Span("Russia attacked Ukraine", start, start + 40),
                 place=place)  # fmt: skip


KHARKIV = Place("Kharkiv", "UKR", 50.0, 36.25, "geonames:706483", "city", "Kharkiv", 30, 37)
UKRAINE = Place("Ukraine", "UKR", 49.0, 32.0, "geonames:690791", "country", "Ukraine", 30, 37)


def test_an_events_place_is_its_lead_mentions_or_else_the_next_named():
    facts = {"a1": ArticleFacts("a1", dt.date(2025, 3, 1), "Post", None)}
    # Two mentions of one event in one article: the lead names no place, the restatement names Kharkiv.
    [event] = count_events([_event("e1", "a1", None), _event("e2", "a1", KHARKIV, 100)], facts)
    assert len(event.mentions) == 2 and event_place(event) == KHARKIV
    [lead_wins] = count_events([_event("e1", "a1", UKRAINE), _event("e2", "a1", KHARKIV, 100)], facts)
    assert event_place(lead_wins) == UKRAINE


def test_places_count_events_not_mentions():
    facts = {
        a: ArticleFacts(a, dt.date(2025, 3, d), o, None)
        for a, d, o in (("a1", 1, "Post"), ("a2", 20, "Wire"))
    }
    events = count_events(
        [_event("e1", "a1", KHARKIV), _event("e2", "a1", KHARKIV, 100), _event("e3", "a2", KHARKIV),
         _event("e4", "a2", None, 200)],
        facts,
    )  # fmt: skip
    # Two articles of two outlets: two events. The mention naming no place restates a2's event, so it is
    # counted with it, at Kharkiv.
    [kharkiv] = count_places(events)
    assert (kharkiv.key, kharkiv.events, kharkiv.mentions) == ("geonames:706483", 2, 4)
    nameless = dataclasses.replace(KHARKIV, gazetteer_id=None)
    assert place_key(nameless) == "city:UKR:Kharkiv"


# ------------------------------------------------------------------ the drawing (no model)


def test_the_outline_is_natures_earths_countries_inside_the_map():
    countries = world.world_outline()
    codes = {c.code for c in countries}
    assert len(countries) > 150 and {"RUS", "UKR", "CHN", "USA", "MLI", "KAZ", "XKX"} <= codes
    assert all(c.code is None or re.fullmatch(r"[A-Z]{3}", c.code) for c in countries)
    for country in countries:
        numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", country.path)]
        assert min(numbers) >= 0 and max(numbers[0::2]) <= world.WIDTH and max(numbers[1::2]) <= world.HEIGHT
    assert (REPO / "detente" / "data" / "world" / "NOTICE").read_text().count("public domain") >= 1
    # Shipped with the package (package-data covers data/**), a few hundred kB at most.
    assert world.OUTLINE.stat().st_size < 300_000


def test_a_broken_outline_is_one_clear_error(tmp_path, monkeypatch):
    broken = tmp_path / "countries.geojson"
    broken.write_text('{"features": [{"geometry": {}}]}')
    monkeypatch.setattr(world, "OUTLINE", broken)
    world.world_outline.cache_clear()
    try:
        with pytest.raises(KnowledgeBaseError, match="cannot read the world outline") as caught:
            world.world_outline()
        assert "scripts/build_world_outline.py" in str(caught.value.hint)
    finally:
        world.world_outline.cache_clear()


def test_shades_cover_every_count_darker_for_more():
    for most in (1, 2, 3, 7, 50, 1000):
        classes = world.shade_classes(most)
        assert classes[0][0] == 1 and classes[-1][1] == most
        assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(classes))
        shades = [world.shade_of(n, classes) for n in range(1, most + 1)]
        assert [world.SHADES.index(s) for s in shades] == sorted(world.SHADES.index(s) for s in shades)
        assert shades[-1] == world.SHADES[-1]  # the most events: the darkest shade, even alone
    assert world.city_radius(1, 10) < world.city_radius(5, 10) < world.city_radius(10, 10) == world.CITY_MAX_R


def test_a_region_over_several_countries_is_wider_than_one_inside_a_country():
    countries = world.countries_by_code()
    central_asia = Place("Central Asia", None, 42.0, 64.0, "detente:region/central-asia", "region", "", 0, 0)
    donbas = Place("Donbas", "UKR", 48.0, 38.5, "detente:region/donbas", "region", "", 0, 0)
    belgorod = Place("Belgorod", "RUS", 50.7, 37.0, "geonames-admin1:RU.09", "admin", "", 0, 0)
    wide = world.area_axes(central_asia, countries, ("KAZ", "KGZ", "TJK", "TKM", "UZB"))
    inside = world.area_axes(donbas, countries)
    division = world.area_axes(belgorod, countries)
    assert wide[0] > 2 * inside[0] and wide[0] <= world.REGION_MAX[0]
    assert division[0] <= world.ADMIN_MAX[0] and division[1] <= world.ADMIN_MAX[1]


def test_names_in_the_svg_are_escaped():
    evil = Place('<script>alert(1)</script>"', "UKR", 49.0, 32.0, 'x"><script>', "region", "", 0, 0)
    count = world.PlaceCount('k<>"', evil, 2, 3)
    svg = str(world.world_map([count], {count.key: '/events?place=k"><script>'}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


# ------------------------------------------------------------------ the build script (no model)


def _shapefile(rings: list[list[tuple[float, float]]]) -> bytes:
    points = [p for ring in rings for p in ring]
    starts, at = [], 0
    for ring in rings:
        starts.append(at)
        at += len(ring)
    content = struct.pack("<i4d2i", 5, 0, 0, 0, 0, len(rings), len(points))
    content += struct.pack(f"<{len(rings)}i", *starts) + b"".join(struct.pack("<2d", *p) for p in points)
    return b"\0" * 100 + struct.pack(">ii", 1, len(content) // 2) + content


def _dbf(rows: list[dict[str, str]]) -> bytes:
    fields = [("NAME", 20), ("ISO_A3", 3)]
    header = struct.pack("<BBBBIHH20x", 3, 124, 1, 1, len(rows), 32 + 32 * len(fields) + 1, 1 + 23)
    for name, size in fields:
        header += name.encode().ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([size]) + b"\0" * 15
    header += b"\r"
    body = b"".join(b" " + r["name"].ljust(20).encode() + r["iso_a3"].ljust(3).encode() for r in rows)
    return header + body


def test_the_build_script_reads_the_shapefile_in_the_wheel(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_world_outline", REPO / "scripts" / "build_world_outline.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    outer = [(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0), (0.0, 0.0)]  # clockwise: an outer ring
    hole = [(2.0, 2.0), (4.0, 2.0), (4.0, 4.0), (2.0, 4.0), (2.0, 2.0)]  # counter-clockwise: a hole
    with zipfile.ZipFile(tmp_path / "geopandas-0.14.4-py3-none-any.whl", "w") as wheel:
        wheel.writestr(script.MEMBER + ".shp", _shapefile([outer, hole]))
        wheel.writestr(script.MEMBER + ".dbf", _dbf([{"name": "Squareland", "iso_a3": "SQL"}]))
    [feature] = script.build(tmp_path, 0.01, 2)["features"]
    assert feature["properties"] == {"iso_a3": "SQL", "name": "Squareland"}
    [[shell, inner]] = feature["geometry"]["coordinates"]
    # RFC 7946: outer rings counter-clockwise, holes clockwise.
    assert script.signed_area([tuple(p) for p in shell]) > 0 > script.signed_area([tuple(p) for p in inner])
    with pytest.raises(SystemExit, match=r"pip download --no-deps geopandas==0\.14\.4"):
        script.build(tmp_path / "empty", 0.01, 2)


# ------------------------------------------------------------------ division outlines


def _outline_script():
    import importlib.util
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    spec = importlib.util.spec_from_file_location(
        "build_admin1_outlines", REPO / "scripts" / "build_admin1_outlines.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_each_division_outline_is_its_gazetteer_division():
    """The shipped outlines: every one tied to a division of the gazetteer in the same country, and mostly
    around the gazetteer's own point for it (its centre or capital); Belgorod Oblast's holds Belgorod and
    not Kharkiv across the border."""
    from detente.gazetteer import default_gazetteer

    script = _outline_script()
    divisions = {gid: (name, country, lat, lon) for country, rows in script.gazetteer_divisions().items()
                 for gid, name, lat, lon, _ in rows}  # fmt: skip
    outlines = world.division_outlines()
    assert len(outlines) > 0.8 * len(divisions)  # 3,171 of 3,713 when built
    points: dict[str, list[tuple[float, float]]] = {}  # GeoNames gives some codes two names (FR.27)
    for rows in script.gazetteer_divisions().values():
        for gid, _, lat, lon, _ in rows:
            points.setdefault(gid, []).append((lon, lat))
    data = json.loads(world.DIVISIONS.read_text(encoding="utf-8"))
    around = 0
    for feature in data["features"]:
        gid, country, shape = (
            feature["properties"]["gazetteer_id"], feature["properties"]["country"], feature["geometry"]["coordinates"],
        )  # fmt: skip
        assert divisions[gid][1] == country, gid
        assert any(script.near(lon, lat, shape) for lon, lat in points[gid]), gid
        around += any(script.inside(lon, lat, shape) for lon, lat in points[gid])
    assert around > 0.9 * len(data["features"])
    belgorod = outlines["geonames-admin1:RU.09"]
    assert script.inside(36.59, 50.60, belgorod) and not script.inside(36.23, 49.99, belgorod)
    assert default_gazetteer().lookup("Belgorod Oblast")  # the gazetteer's division the articles name


def test_a_division_without_an_outline_is_an_area_and_one_with_an_outline_is_shaded():
    with_outline = Place("Belgorod", "RUS", 50.7, 37.0, "geonames-admin1:RU.09", "admin", "", 0, 0)
    without = Place("Nowhere Oblast", "RUS", 55.0, 60.0, "geonames-admin1:RU.XX", "admin", "", 0, 0)
    counts = [world.PlaceCount("a", with_outline, 3, 3), world.PlaceCount("b", without, 1, 1)]
    svg = str(world.world_map(counts, {"a": "/events?place=a", "b": "/events?place=b"}))
    shapes = dict(re.findall(r'data-place="(\w)"[^>]*><title>[^<]*</title><(path|ellipse) ', svg))
    assert shapes == {"a": "path", "b": "ellipse"}
    assert f'stroke="{world.DIVISION_EDGE}"' in svg and "Belgorod (3)" in svg
    legend = world.legend(counts)
    assert legend["divisions"] and legend["areas"] and legend["shades"]


def test_the_division_script_decodes_topojson_and_ties_names_that_differ():
    script = _outline_script()
    # Two squares sharing an edge, as TopoJSON draws them: quantised, delta-encoded arcs, one shared.
    topo = {
        "type": "Topology",
        "transform": {"scale": [1.0, 1.0], "translate": [10.0, 40.0]},
        "arcs": [[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1], [1, 0]], [[1, 0], [1, 0], [0, 1], [-1, 0]]],
        "objects": {"x": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "XX.BY", "properties": {"name": "Bayern"}, "arcs": [[0, 1]]},
            {"type": "Polygon", "id": "XX.SN", "properties": {"name": "Sachsen"}, "arcs": [[2, -1]]},
        ]}},
    }  # fmt: skip
    [(west, [[ring_w]]), (east, [[ring_e]])] = script.decode(topo)
    assert (west, east) == ("Bayern", "Sachsen")
    assert ring_w[0] == ring_w[-1] == (11.0, 40.0) and (10.0, 41.0) in ring_w
    assert (12.0, 41.0) in ring_e and ring_e[0] == ring_e[-1]
    divisions = [
        ("g:1", "Bavaria", 40.5, 10.5, {"bavaria"}),  # no name in common: its point ties it
        ("g:2", "Saxony", 40.5, 11.5, {"saxony", "sachsen"}),  # an alias equal to the outline's name
    ]
    assert script.tie_country(script.decode(topo), divisions) == {0: "g:1", 1: "g:2"}
    # A point in neither outline and an unlike name: left to the ellipse.
    assert script.tie_country(script.decode(topo), [("g:3", "Elsewhere", 0.0, 0.0, {"elsewhere"})]) == {}
