"""Claims as a reader sees them in Chromium: the chain graph with one node per source, and claim cards
whose verification language says which way it points."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serving


@pytest.fixture(scope="module")
def coded_server(tmp_path_factory, example_bundle):
    """The motivating article as the pipeline codes it, in a store of its own (the shared sample store
    holds a hand-made bundle with the same article id)."""
    from detente.store import open_store

    store = open_store(tmp_path_factory.mktemp("claims") / "claims.db")
    store.write_bundles([example_bundle])
    with serving(store) as url:
        yield url
    store.close()


@pytest.mark.model
def test_claim_chain_of_the_coded_example(page, coded_server, example_bundle, screenshots):
    """The motivating article: NYT is one node, the leaked FSB document one node obtained by Ares Leaks,
    and the document's card shows doubt and confirmation apart (not two green ticks)."""
    response = page.goto(f"{coded_server}/articles/{example_bundle.article.id}")
    assert response is not None and response.status == 200
    graph = page.locator("svg.claim-graph")
    texts = "els => els.map(el => el.textContent)"  # SVG text has no innerText
    titles = graph.locator(".node-title").evaluate_all(texts)
    assert titles.count("The New York Times") == 1 and len(titles) == len(set(titles))
    assert graph.locator(".node-obtained").evaluate_all(texts) == ["obtained by Ares Leaks"]
    graph.scroll_into_view_if_needed()
    page.locator("section.card:has(svg.claim-graph)").screenshot(path=str(screenshots / "claim-chain.png"))

    leaked = next(c for c in example_bundle.claims if c.verification)
    card = page.locator(f"#claim-{leaked.id}")
    doubt, confirm = card.locator(".verification.v-doubts"), card.locator(".verification.v-confirms")
    assert doubt.count() == 1 and confirm.count() == 2
    assert doubt.inner_text().startswith("⚠ casts doubt: This prevents the definitive verification")
    assert confirm.nth(1).inner_text() == "✔ confirms: they all evaluated it as authentic"
    # Doubt and confirmation are told apart by colour too, not only by their words.
    colour = "el => getComputedStyle(el).color"
    assert doubt.evaluate(colour) != confirm.first.evaluate(colour)
    assert card.locator(".badge.verify-mixed").inner_text() == "verification mixed"
    assert card.locator(".obtained").inner_text() == "obtained by Ares Leaks"
    card.screenshot(path=str(screenshots / "claim-card-verification.png"))


@pytest.fixture(scope="module")
def written_server(tmp_path_factory, nlp):
    """Two articles written for the tests (tests/test_web_claims_written.py), coded by the pipeline."""
    import datetime as dt

    from detente.pipeline import code_articles
    from detente.records import Article, article_id
    from detente.store import open_store
    from tests.test_web_claims_written import GEORGIA, HORMUZ

    articles = [
        Article(article_id(t), t, title=t.splitlines()[0], outlet="Harbour Herald",
                published=dt.date(2025, 3, 14), language="en")
        for t in (GEORGIA, HORMUZ)
    ]  # fmt: skip
    bundles = list(code_articles(articles, nlp=nlp))
    store = open_store(tmp_path_factory.mktemp("written") / "written.db")
    store.write_bundles(bundles)
    with serving(store) as url:
        yield url, {"georgia": bundles[0], "hormuz": bundles[1]}
    store.close()


@pytest.mark.model
def test_claims_of_articles_written_for_the_test(page, written_server, screenshots):
    """A memo Reuters could not verify and officials judged authentic: doubt and confirmation apart on its
    card; Reuters and the unnamed leaked document each one node of the chain graph."""
    url, bundles = written_server
    georgia = bundles["georgia"]
    page.goto(f"{url}/articles/{georgia.article.id}")
    memo = next(c for c in georgia.claims if c.verification)
    card = page.locator(f"#claim-{memo.id}")
    assert card.locator(".verification.v-doubts").inner_text() == (
        "⚠ casts doubt: Reuters could not independently verify the memo"
    )
    assert card.locator(".verification.v-confirms").inner_text() == (
        "✔ confirms: three former officials who read it judged it authentic"
    )
    assert card.locator(".badge.verify-mixed").inner_text() == "verification mixed"
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(screenshots / "claim-card-written.png"))

    hormuz = bundles["hormuz"]
    page.goto(f"{url}/articles/{hormuz.article.id}")
    graph = page.locator("svg.claim-graph")
    texts = "els => els.map(el => el.textContent)"
    titles = graph.locator(".node-title").evaluate_all(texts)
    metas = graph.locator(".node-meta").evaluate_all(texts)
    assert titles.count("Reuters") == 1 and len(titles) == len(set(titles)) == 3
    assert sum(m.startswith("leaked document") for m in metas) == 1
    assert len(graph.locator(".node-obtained").evaluate_all(texts)) == 1
    graph.scroll_into_view_if_needed()
    page.locator("section.card:has(svg.claim-graph)").screenshot(
        path=str(screenshots / "claim-chain-written.png")
    )
