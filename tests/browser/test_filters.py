"""Filters, the CSV download and paging in headless Chromium (issue 13), over tests/filters_sample.py.

Each filter is set in the form as a reader would, applied, and checked three ways: the address holds it
(and nothing else), the page counts what the sample's spec says it should, and the address opened fresh in
a new page (a shared link) shows the same view with the form filled in. Screenshots go to
test-artifacts/screenshots/filters-*.png.
"""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import serving
from tests.filters_sample import COUNT, SPEC, fill

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def filters_server(tmp_path_factory):
    from detente.store import open_store

    store = open_store(tmp_path_factory.mktemp("filters") / "filters.db")
    fill(store)
    with serving(store) as url:
        yield url
    store.close()


def _set(page, how):
    kind, selector, value = how
    field = page.locator(f"form#filters {selector}")
    if kind == "fill":
        field.fill(value)
    elif kind == "select":
        field.select_option(value)
    else:
        field.check()


# name: (how to set it in the form, the address it gives, which events it keeps)
FORM_FILTERS = {
    "since": (("fill", "input[name=since]", "2024-06-01"), {"since": "2024-06-01"},
              lambda r: r.day.isoformat() >= "2024-06-01"),
    "until": (("fill", "input[name=until]", "2024-06-30"), {"until": "2024-06-30"},
              lambda r: r.day.isoformat() <= "2024-06-30"),
    "type": (("select", "select[name=type]", "SANCTION"), {"type": "SANCTION"}, lambda r: r.event_type == "SANCTION"),
    "quad": (("select", "select[name=quad]", "verbal_cooperation"), {"quad": "verbal_cooperation"},
             lambda r: r.quad == "verbal_cooperation"),
    "actor": (("fill", "input[name=actor]", "USA"), {"actor": "USA"}, lambda r: "USA" in (r.source, r.target)),
    "dyad": (("fill", "input[name=dyad]", "CHN,RUS"), {"dyad": "CHN,RUS"},
             lambda r: {r.source, r.target} == {"RUS", "CHN"}),
    "modality": (("select", "select[name=modality]", "negated"), {"modality": "negated"},
                 lambda r: r.modality == "negated"),
    "asserted-only": (("select", "select[name=modality]", "asserted"), {"modality": "asserted"},
                      lambda r: r.modality == "asserted"),
    "min-confidence": (("fill", "input[name=min_confidence]", "0.7"), {"min_confidence": "0.7"},
                       lambda r: r.confidence >= 0.7),
    "outlet": (("fill", "input[name=outlet]", "Eastern Wire"), {"outlet": "Eastern Wire"},
               lambda r: r.outlet == "Eastern Wire"),
    "hide-background": (("check", "input[name=hide][value=background]", ""), {"hide": "background"},
                        lambda r: not r.background),
    "hide-uncertain": (("check", "input[name=hide][value=uncertain]", ""), {"hide": "uncertain"},
                       lambda r: not r.uncertain),
}  # fmt: skip


def tally(page) -> int:
    return int(page.locator("#events-tally").get_attribute("data-events"))


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("name", sorted(FORM_FILTERS))
def test_each_filter_set_in_the_form_is_in_the_address(page, browser, filters_server, screenshots, name):
    how, params, keep = FORM_FILTERS[name]
    want = sum(1 for r in SPEC if keep(r))
    assert 0 < want < COUNT
    page.goto(f"{filters_server}/events")
    assert tally(page) == COUNT
    _set(page, how)
    page.locator("form#filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/events\?"))
    # Only the filter in use is in the address: empty fields are left out.
    assert query_of(page.url) == params
    assert tally(page) == want
    assert page.locator("#pager").get_attribute("data-total") == str(want)
    page.screenshot(path=str(screenshots / f"filters-{name}.png"), full_page=True)
    # The address opened by someone else shows the same view, the form filled in.
    other = browser.new_context().new_page()
    try:
        other.goto(page.url)
        assert tally(other) == want
        kind, selector, value = how
        field = other.locator(f"form#filters {selector}")
        if kind == "check":
            assert field.is_checked()
        else:
            assert field.input_value() == value
    finally:
        other.context.close()


@pytest.mark.parametrize(
    "path, check",
    [
        ("/", "#count-events b"),
        ("/actors/RUS", "#pager"),
        ("/dyads/RUS/CHN", "#dyad-tally .tally"),
        ("/search?q=report", "#article-pager"),
    ],
)
def test_the_form_on_every_list_page(page, filters_server, screenshots, path, check):
    page.goto(filters_server + path)
    before = page.locator(check).first.inner_text()
    page.locator("form#filters select[name=type]").select_option("SANCTION")
    page.locator("form#filters input[name=hide][value=background]").check()
    page.locator("form#filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"type=SANCTION"))
    found = query_of(page.url)
    assert found["type"] == "SANCTION" and found["hide"] == "background"
    if "q=" in path:
        assert found["q"] == "report"  # the search words stay
    assert page.locator(check).first.inner_text() != before
    assert page.locator("form#filters select[name=type]").input_value() == "SANCTION"
    name = path.strip("/").split("?")[0].replace("/", "-") or "overview"
    page.screenshot(path=str(screenshots / f"filters-page-{name}.png"), full_page=True)
    # "clear" drops every filter.
    page.locator("form#filters a.clear-filters").click()
    page.wait_for_load_state("load")
    assert "type=" not in page.url
    assert page.locator(check).first.inner_text() == before


def test_download_csv_holds_the_rows_of_the_page(page, filters_server, screenshots, tmp_path):
    page.goto(f"{filters_server}/events?type=ACCUSE&min_confidence=0.6&limit=500")
    listed = page.locator("table.events tbody tr[data-event]").evaluate_all(
        "rows => rows.map(r => r.dataset.event)"
    )
    want = [r for r in SPEC if r.event_type == "ACCUSE" and r.confidence >= 0.6]
    assert len(listed) == len(want) > 0
    page.locator("a.download-csv").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "filters-download.png"))
    with page.expect_download() as download_info:
        page.locator("a.download-csv").first.click()
    download = download_info.value
    assert download.suggested_filename == "detente-events-type-ACCUSE-min_confidence-0.6.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["event_id"] for r in rows] == listed
    assert {r["event_id"] for r in rows} == {r.event_id for r in want}
    assert all(r["event_type"] == "ACCUSE" and float(r["confidence"]) >= 0.6 for r in rows)


def test_paging_forward_and_back(page, filters_server, screenshots):
    page.goto(f"{filters_server}/events")
    assert page.locator("#pager").inner_text().startswith(f"Showing 50 of {COUNT} events (1–50)")
    first = page.locator("table.events tbody tr[data-event]").count()
    page.locator("#pager a.next").click()
    page.wait_for_url(re.compile(r"offset=50"))
    assert page.locator("#pager").inner_text().startswith(f"Showing 40 of {COUNT} events (51–90)")
    assert first + page.locator("table.events tbody tr[data-event]").count() == COUNT
    assert page.locator("#pager a.next").count() == 0
    page.screenshot(path=str(screenshots / "filters-paging.png"), full_page=True)
    page.locator("#pager-bottom a.prev").click()
    page.wait_for_load_state("load")
    assert page.locator("#pager").inner_text().startswith(f"Showing 50 of {COUNT} events (1–50)")
    # Paging keeps the filter.
    page.goto(f"{filters_server}/events?modality=asserted&limit=30")
    page.locator("#pager a.next").click()
    page.wait_for_url(re.compile(r"offset=30"))
    assert query_of(page.url) == {"modality": "asserted", "offset": "30", "limit": "30"}
    # The actor's events and the search results page the same way.
    page.goto(f"{filters_server}/actors/RUS")
    rus = sum(1 for r in SPEC if "RUS" in (r.source, r.target))
    assert page.locator("#pager").inner_text().startswith(f"Showing 50 of {rus} events")
    page.locator("#pager a.next").click()
    page.wait_for_url(re.compile(r"offset=50"))
    assert page.locator("table.events tbody tr[data-event]").count() == rus - 50
    page.goto(f"{filters_server}/search?q=report")
    page.locator("#article-pager a.next").click()
    page.wait_for_url(re.compile(r"offset=50"))
    assert page.locator("#article-results li").count() == COUNT - 50
    page.screenshot(path=str(screenshots / "filters-search-paging.png"), full_page=True)


def test_a_bad_value_is_a_readable_page(page, filters_server, screenshots):
    response = page.goto(f"{filters_server}/events?since=2024-13-01")
    assert response is not None and response.status == 422
    assert "since must be a date written YYYY-MM-DD" in page.locator("section.error").inner_text()
    page.screenshot(path=str(screenshots / "filters-bad-value.png"))


def test_nothing_is_clipped_in_a_scroll_box(page, filters_server):
    from detente.store import open_store  # noqa: F401  (the store is the server's; pages read through HTTP)

    for path in ("/", "/events", "/actors/RUS", "/dyads/RUS/CHN", "/search?q=report",
                 f"/articles/{SPEC[0].article_id}"):  # fmt: skip
        page.goto(filters_server + path)
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(e => {
                 const s = getComputedStyle(e);
                 return ['auto', 'scroll', 'hidden'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
               }).map(e => e.className || e.tagName)"""
        )
        assert clipped == [], (path, clipped)


@pytest.mark.parametrize(
    "path, keep",
    [
        ("/", lambda r: True),
        ("/actors/RUS", lambda r: "RUS" in (r.source, r.target)),
        ("/dyads/RUS/CHN", lambda r: {r.source, r.target} == {"RUS", "CHN"}),
        ("/search?q=report", lambda r: True),  # the download is the filter's events, whatever the words
        ("/map", lambda r: True),
    ],
)
def test_download_csv_on_every_list_page_is_that_pages_selection(page, filters_server, tmp_path, path, keep):
    """Every list page's "Download CSV" holds the events its filter (and its actor or dyad) selects."""
    sep = "&" if "?" in path else "?"
    page.goto(f"{filters_server}{path}{sep}type=SANCTION")
    with page.expect_download() as download_info:
        page.locator("a.download-csv").first.click()
    saved = tmp_path / "download.csv"
    download_info.value.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    want = {r.event_id for r in SPEC if r.event_type == "SANCTION" and keep(r)}
    assert len(want) > 0 and {r["event_id"] for r in rows} == want and len(rows) == len(want), path
