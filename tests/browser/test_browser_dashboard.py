"""The dashboard in headless Chromium: every page loads cleanly, navigation works, payloads stay inert."""

from __future__ import annotations

import pytest

from tests.dashboard_sample import example_bundle, xss_bundle

pytestmark = pytest.mark.browser


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_every_page_loads_and_is_screenshotted(page, live_server, screenshots, console_errors):
    bundle = example_bundle()
    pages = {
        "overview": ("/", "Overview"),
        "article": (f"/articles/{bundle.article.id}", bundle.article.title),
        "event": (f"/events/{bundle.events[0].id}", "ACCUSE"),
        "dyad": ("/dyads/RUS/CHN", "RUS – CHN"),
        "actor": ("/actors/Q7747", "Vladimir Putin"),
        "search": ("/search?q=russia", "Results for"),
        "docs": ("/docs", "API reference"),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        assert heading in page.locator("h1").first.inner_text(), path
        # Styles applied (the stylesheet loaded): the header bar is dark.
        assert (
            page.locator("header.top").evaluate("e => getComputedStyle(e).backgroundColor")
            == "rgb(31, 42, 68)"
        )
        # Nothing wider than the laptop screen except inside scrollable chart boxes.
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    assert console_errors == []


def test_click_article_to_event_to_dyad(page, live_server, screenshots):
    bundle = example_bundle()
    event = bundle.events[0]
    page.goto(f"{live_server}/articles/{bundle.article.id}")
    # Hovering an event in the list marks its trigger in the text (app.js).
    page.locator(f'li[data-event~="{event.id}"]').hover()  # an event lists the ids of all its mentions
    assert page.locator(f'.article-text a[href="/events/{event.id}"].active').count() == 1
    page.locator(f'.article-text a[href="/events/{event.id}"]').click()
    page.wait_for_url(f"**/events/{event.id}")
    assert "ACCUSE" in page.locator("h1").inner_text()
    assert "considers" in page.locator("blockquote.sentence").inner_text()
    page.locator("a.dyad-link", has_text="RUS – CHN").click()
    page.wait_for_url("**/dyads/RUS/CHN")
    # Clicking a month's bar jumps to the events behind it.
    page.locator('svg.chart a[href="#m-2025-06"]').click()
    assert page.evaluate("location.hash") == "#m-2025-06"
    month = page.locator("#m-2025-06")
    # Three sentences, two events: the two ACCUSE sentences of one article report one event.
    assert month.is_visible() and month.locator("li").count() == 2
    assert (month.get_attribute("data-events"), month.get_attribute("data-mentions")) == ("2", "3")
    page.screenshot(path=str(screenshots / "dyad-month.png"))


def test_xss_payloads_stay_inert(page, live_server, screenshots):
    bundle = xss_bundle()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/", f"/articles/{bundle.article.id}", f"/events/{bundle.events[0].id}", "/search?q=agreed"):
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img[src=x]").count() == 0
    page.goto(f"{live_server}/articles/{bundle.article.id}")
    assert "<script>window.__xss=1</script>" in page.locator(".article-text").inner_text()
    assert "Title <script>" in page.locator("h1").inner_text()
    assert page.locator('a[href^="javascript:"]').count() == 0
    page.screenshot(path=str(screenshots / "xss-article.png"))
    assert dialogs == []


def test_the_inertness_check_can_fail(page):
    """The same payload rendered raw does run in this browser: the test above would catch it."""
    page.set_content(f"<html><body>{xss_bundle().article.text}</body></html>")
    page.wait_for_function("window.__xss === 1", timeout=5000)


@pytest.mark.model
def test_the_coded_example_article(
    page, live_server, live_store, example_bundle, screenshots, console_errors
):
    """The motivating article as the pipeline codes it: its page and its RUS–CHN dyad render cleanly."""
    live_store.write_bundles([example_bundle])
    response = page.goto(f"{live_server}/articles/{example_bundle.article.id}")
    assert response is not None and response.status == 200
    assert page.locator(".article-text .hl").count() >= len(example_bundle.actors)
    # One link per mention; one list item per event (repeat mentions of one event share an item).
    assert page.locator("ol.event-list a.event-link").count() == len(example_bundle.events)
    assert 0 < page.locator("ol.event-list > li[data-event]").count() <= len(example_bundle.events)
    page.screenshot(path=str(screenshots / "article-coded.png"), full_page=True)
    response = page.goto(f"{live_server}/dyads/RUS/CHN")
    assert response is not None and response.status == 200
    page.screenshot(path=str(screenshots / "dyad-coded.png"), full_page=True)
    assert console_errors == []


def test_pages_give_the_hand_count(page, known_server, screenshots, console_errors):
    """The store with known answers: overview, dyad, actor and events pages agree with the hand count."""
    from tests import counting_sample as known

    def tally(selector: str) -> tuple[int, int]:
        element = page.locator(selector).first
        return int(element.get_attribute("data-mentions")), int(element.get_attribute("data-events"))

    page.goto(f"{known_server}/")
    assert tally("#tally a.tally") == (known.STORE_MENTIONS, known.STORE_EVENTS)
    assert "14 mentions, 8 events" in page.locator("#tally").inner_text()
    # RUS->CHN and CHN->RUS are as frequent: the pair is named alphabetically.
    assert page.locator("table.dyads tr", has_text="CHN – RUS").locator("td.num").inner_text() == "7 events"
    page.screenshot(path=str(screenshots / "counting-overview.png"), full_page=True)

    page.goto(f"{known_server}/dyads/RUS/CHN")
    assert tally("#dyad-tally a.tally") == (known.DYAD_MENTIONS, known.DYAD_EVENTS)
    directions = page.locator("#directions").inner_text()
    assert "2 RUS → CHN" in directions and "2 CHN → RUS" in directions and "3 reciprocal" in directions
    for month, (events, mentions) in known.DYAD_MONTHS.items():
        block = page.locator(f"#m-{month}")
        assert (block.get_attribute("data-events"), block.get_attribute("data-mentions")) == (
            str(events),
            str(mentions),
        )
        assert block.locator("li").count() == events  # a month headed "3 events" lists 3 rows
    assert page.locator("#before-article li").count() == known.DYAD_BEFORE_ARTICLE
    assert "2025-05-01" not in page.locator("#m-2025-05").inner_text()  # a month is shown as a month
    page.screenshot(path=str(screenshots / "counting-dyad.png"), full_page=True)
    # The count links to the rows behind it: the events page lists exactly those events.
    page.locator("#dyad-tally a.tally").click()
    page.wait_for_url("**/events?dyad=RUS%2CCHN")
    assert tally("#events-tally") == (known.DYAD_MENTIONS, known.DYAD_EVENTS)
    assert page.locator("table.events tbody tr[data-event]").count() == known.DYAD_EVENTS
    # Hiding uncertain events: here every event but the ban is single-source or low-confidence.
    page.goto(f"{known_server}/dyads/RUS/CHN")
    page.locator("#uncertain-toggle a").first.click()
    page.wait_for_url("**/dyads/RUS/CHN?hide=uncertain")
    assert tally("#dyad-tally a.tally") == (5, 1)

    for actor, (events, mentions) in known.ACTOR_COUNTS.items():
        page.goto(f"{known_server}/actors/{actor}")
        assert tally("#actor-tally a.tally") == (mentions, events)
    # Every page links to the definitions.
    for path in ("/", "/dyads/RUS/CHN", "/actors/RUS", "/events", "/search?q=russia"):
        page.goto(known_server + path)
        assert page.locator('footer a[href="/counting"]').count() == 1
    page.locator('footer a[href="/counting"]').click()
    assert page.locator("#definitions dt").all_inner_texts()[:4] == [
        "mention",
        "event",
        "story",
        "corroboration",
    ]
    assert console_errors == []
