"""The map of event places in headless Chromium: click a country, a region, a province and a city through to
their events; hovering links the map and the table; the page's filters go along. Screenshots in
test-artifacts/screenshots/map*.png.

The store is coded by the real pipeline from the articles of tests/test_map.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import serving
from tests.test_map import coded_place_store

pytestmark = [pytest.mark.browser, pytest.mark.model]


@pytest.fixture(scope="module")
def map_server(nlp, tmp_path_factory):
    store = coded_place_store(nlp, tmp_path_factory.mktemp("browser-map") / "map.db")
    with serving(store) as url:
        yield url
    store.close()


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def place_link(page, name: str):
    """The map's link of the place named ``name`` (found through the table under the map)."""
    key = page.locator("table.places tr", has_text=name).first.get_attribute("data-place")
    assert key, name
    return page.locator(f'svg.world-map a.place[data-place="{key}"]'), key


def follow(page, link, key: str, screenshots, shot: str | None = None) -> None:
    """Click a map feature and check the events list it opens: that place's events, as many as the map said."""
    expected = int(link.get_attribute("data-events"))
    name = page.locator(f'table.places tr[data-place="{key}"] td a').first.inner_text()
    link.click()
    page.wait_for_url("**/events?**")
    assert parse_qs(urlsplit(page.url).query)["place"] == [key]
    assert page.locator("h1").inner_text() == "Events"
    # Named, not by its key: "place Kharkiv: 2 mentions, 2 events".
    assert page.locator("#events-tally").inner_text().startswith(f"place {name}: ")
    assert int(page.locator("#events-tally").get_attribute("data-events")) == expected
    assert page.locator("table.events tbody tr[data-event]").count() == expected
    if shot:
        page.screenshot(path=str(screenshots / shot), full_page=True)
    page.go_back()
    page.wait_for_selector("svg.world-map")


def test_map_click_through_to_the_events(page, map_server, screenshots, console_errors):
    response = page.goto(map_server + "/map")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Map of event places"
    # Styled by map.css: regions are dashed areas, not points.
    area = page.locator("svg.world-map a.area.region ellipse.shape").first
    assert area.evaluate("e => getComputedStyle(e).strokeDasharray") not in ("", "none")
    assert page.locator("svg.world-map a.region circle").count() == 0
    assert page.locator("#map-legend").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(screenshots / "map.png"), full_page=True)

    kharkiv, key = place_link(page, "Kharkiv")  # a city: a point, two events from two outlets
    assert (
        kharkiv.get_attribute("class") == "place point city" and kharkiv.get_attribute("data-events") == "2"
    )
    follow(page, kharkiv, key, screenshots, "map-kharkiv-events.png")

    mali, key = place_link(page, "Mali")  # a country: its shaded outline
    assert mali.locator("path").count() == 1
    follow(page, mali, key, screenshots)

    belgorod, key = place_link(page, "Belgorod")  # a province: its own outline, shaded
    assert belgorod.get_attribute("class") == "place admin outline" and belgorod.locator("path").count() == 1
    box = belgorod.locator("path").bounding_box()
    assert box is not None and 0 < box["width"] < 40  # an oblast, not a country-sized ellipse
    # Its label, drawn above every point, is a way in where Kharkiv's point covers most of so small an
    # oblast at this zoom; hovering it marks the outline (map.js), clicking it lists the oblast's events.
    label = page.locator(f'svg.world-map a.label[data-place="{key}"]')
    assert label.locator("text").text_content() == f"Belgorod ({belgorod.get_attribute('data-events')})"
    label.hover()
    assert "active" in (belgorod.get_attribute("class") or "")
    box = belgorod.locator("path").bounding_box()
    assert box is not None
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.screenshot(
        path=str(screenshots / "map-belgorod-outline.png"),
        clip={"x": centre[0] - 160, "y": centre[1] - 90, "width": 320, "height": 180},
    )
    follow(page, label, key, screenshots)

    _, key = place_link(page, "Central Asia")  # a region: clicked on its label
    label = page.locator(f'svg.world-map a.label[data-place="{key}"]')
    assert label.locator("text").text_content() == f"Central Asia ({label.get_attribute('data-events')})"
    follow(page, label, key, screenshots, "map-central-asia-events.png")
    assert console_errors == []


def test_hovering_a_row_marks_the_place_on_the_map(page, map_server, screenshots):
    page.goto(map_server + "/map")
    row = page.locator("table.places tr", has_text="Tokyo").first
    key = row.get_attribute("data-place")
    point = page.locator(f'svg.world-map a.place[data-place="{key}"]')
    assert "active" not in (point.get_attribute("class") or "")
    row.hover()
    assert "active" in point.get_attribute("class")
    page.screenshot(path=str(screenshots / "map-hover.png"), full_page=True)
    page.mouse.move(0, 0)
    assert "active" not in point.get_attribute("class")


def test_the_filters_go_along_to_the_events(page, map_server, screenshots):
    page.goto(map_server + "/map")
    everything = int(page.locator("#map-tally").get_attribute("data-placed"))
    page.locator("#filters select[name=type]").select_option("ASSAULT")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url("**/map?**type=ASSAULT**")
    assault = int(page.locator("#map-tally").get_attribute("data-placed"))
    assert 0 < assault < everything
    page.screenshot(path=str(screenshots / "map-assault.png"), full_page=True)
    link = page.locator("svg.world-map a.place.point").first  # a city struck (Kharkiv)
    key = link.get_attribute("data-place")
    expected = int(link.get_attribute("data-events"))
    link.click()
    page.wait_for_url("**/events?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["type"] == ["ASSAULT"] and query["place"] == [key]
    assert page.locator("#filters select[name=type]").input_value() == "ASSAULT"
    # The place stays when the form changes another filter.
    assert page.locator('#filters input[type=hidden][name="place"]').get_attribute("value") == key
    assert int(page.locator("#events-tally").get_attribute("data-events")) == expected
    rows = page.locator("table.events tbody tr[data-event]")
    assert rows.count() == expected
    assert {
        rows.nth(i).locator("td").nth(1).locator(".badge").first.inner_text() for i in range(expected)
    } == {"ASSAULT"}
