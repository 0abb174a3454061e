"""The code legend and the skipped-inputs card in Chromium (issue 13): both visible, whole (nothing clipped
or wider than the screen), their words the ones the store and the knowledge base give, and the uncoded
article's link followed to its page. Screenshots ``code-legend.png``, ``skipped-inputs.png`` and
``overview-legend-skipped.png``."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.records import Article, Bundle, article_id
from detente.store.base import SkippedInput
from detente.web.pages import CODE_LEGEND
from tests.browser.conftest import serving

pytestmark = pytest.mark.browser

# Inputs that never became articles, with a path long enough to be clipped by a careless layout.
LONG = "/srv/feeds/2025/06/09/" + "very-long-folder-name-from-a-scraper/" * 4 + "report-0001.json:17"
SKIPPED = (
    SkippedInput("/srv/feeds/empty.txt", "is empty", dt.datetime(2025, 6, 9, 8, 0, tzinfo=dt.UTC)),
    SkippedInput("/srv/feeds/blob.bin", "is a binary file, not text", dt.datetime(2025, 6, 9, 8, 1, tzinfo=dt.UTC)),
    SkippedInput(LONG, "line 17 is not valid JSON: Expecting value", dt.datetime(2025, 6, 9, 8, 2, tzinfo=dt.UTC)),
)  # fmt: skip
GERMAN = "Die Regierung in Berlin hat am Dienstag neue Sanktionen gegen Russland beschlossen."


@pytest.fixture(scope="module")
def legend_server(tmp_path_factory):
    from detente.store import open_store
    from tests.filters_sample import fill

    store = open_store(tmp_path_factory.mktemp("legend") / "legend.db")
    fill(store)
    german = Article(
        article_id(GERMAN), GERMAN, title="Neue Sanktionen", outlet="Berliner Blatt",
        published=dt.date(2025, 6, 9), language="de", skip_reason="language is 'de', not English",
    )  # fmt: skip
    store.write_bundles([Bundle(german)])
    store.record_skipped_inputs(SKIPPED)
    with serving(store) as url:
        yield url, german
    store.close()


def whole(locator) -> bool:
    """Nothing inside cut off: no scroll box narrower or shorter than its content."""
    return bool(
        locator.evaluate(
            "e => [e, ...e.querySelectorAll('*')].every(x => {"
            " const s = getComputedStyle(x);"
            " const clips = ['hidden', 'auto', 'scroll', 'clip'].some(v => s.overflowX === v || s.overflowY === v);"
            " return !clips || (x.scrollWidth <= x.clientWidth + 1 && x.scrollHeight <= x.clientHeight + 1); })"
        )
    )


@pytest.mark.parametrize("path", ["/", "/events", "/dyads/RUS/CHN", "/actors/RUS"])
def test_the_code_legend_is_shown_whole(page, legend_server, screenshots, path):
    base, _ = legend_server
    page.goto(base + path)
    legend = page.locator("#code-legend")
    assert legend.count() == 1 and legend.is_visible()
    legend.scroll_into_view_if_needed()
    shown = dict(
        zip(
            legend.locator("abbr").all_inner_texts(),
            [a.get_attribute("title") for a in legend.locator("abbr").all()],
            strict=True,
        )
    )
    assert shown == dict(CODE_LEGEND)
    text = legend.inner_text()
    for code, meaning in CODE_LEGEND:
        assert f"{code} {meaning}" in text  # the meaning is written out, not only in a hover title
    assert whole(legend) and page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = legend.bounding_box()
    assert box is not None and box["width"] <= 1366
    if path == "/dyads/RUS/CHN":
        legend.screenshot(path=str(screenshots / "code-legend.png"))


def test_the_skipped_inputs_card_lists_each_with_why(page, legend_server, screenshots):
    base, german = legend_server
    page.goto(base + "/")
    card = page.locator("#skipped")
    assert card.is_visible()
    card.scroll_into_view_if_needed()
    text = card.inner_text()
    assert "4 latest of 4" in text
    for item in SKIPPED:
        assert item.source in text and item.reason in text
    assert german.skip_reason in text
    reasons = dict(
        (row.locator("td").nth(1).inner_text(), int(row.locator("td").nth(0).inner_text()))
        for row in card.locator("table.skipped-reasons tr").all()
    )
    assert reasons == {item.reason: 1 for item in SKIPPED} | {german.skip_reason: 1}
    # The long path is shown whole: wrapped, not cut off, and the page is no wider than the screen.
    assert whole(card) and page.evaluate("document.documentElement.scrollWidth") <= 1366
    long_item = card.locator("code", has_text="report-0001.json:17")
    assert long_item.inner_text() == LONG
    card.screenshot(path=str(screenshots / "skipped-inputs.png"))
    page.screenshot(path=str(screenshots / "overview-legend-skipped.png"), full_page=True)
    # The article stored uncoded links to its page, which says why it was not coded.
    card.locator(f'a[href="/articles/{german.id}"]').click()
    page.wait_for_url(f"**/articles/{german.id}")
    assert german.skip_reason in page.locator("main").inner_text()
