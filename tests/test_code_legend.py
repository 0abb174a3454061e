"""The legend of actor codes that are not countries (WST, IGO, UNK, ...) on every page that shows actor
codes, and countries styled as actors (issue 13)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from detente.actors.knowledge_base import SPECIAL_COUNTRIES
from detente.api import create_app
from detente.store import open_store
from detente.web.pages import CODE_LEGEND
from tests.filters_sample import SPEC, fill

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("legend") / "legend.db")
    fill(store)
    yield TestClient(create_app(store), raise_server_exceptions=False)
    store.close()


def legend(html: str) -> dict[str, str]:
    """The legend's entries (code -> meaning); fails unless the page has exactly one legend."""
    assert html.count('id="code-legend"') == 1
    block = html[html.index('id="code-legend"') :]
    block = block[: block.index("</aside>")]
    found = re.findall(r'<abbr class="actor country" title="([^"]+)">([A-Z]{3})</abbr>', block)
    return {code: meaning for meaning, code in found}


def test_every_special_code_has_a_meaning() -> None:
    # A code the knowledge base accepts as a country without a meaning here would go unexplained.
    assert {code for code, _ in CODE_LEGEND} == set(SPECIAL_COUNTRIES)
    assert all(meaning.strip() for _, meaning in CODE_LEGEND)


@pytest.mark.parametrize("page", ["/", "/events", "/dyads/RUS/CHN", "/actors/RUS", "event"])
def test_pages_that_show_actor_codes_explain_wst_igo_unk(client, page) -> None:
    if page == "event":
        page = f"/events/{SPEC[0].event_id}"
    response = client.get(page, headers=HTML)
    assert response.status_code == 200
    entries = legend(response.text)
    assert entries == dict(CODE_LEGEND)
    assert entries["WST"].startswith("the West") and "international organisation" in entries["IGO"]
    assert entries["UNK"].startswith("unknown")


def test_countries_in_the_events_list_are_styled_as_actors(client) -> None:
    html = client.get("/events", headers=HTML).text
    # The dyad column names both countries as actors (the same class as people and organisations).
    assert re.search(
        r'<a href="/dyads/RUS/CHN"><span class="actor country">RUS</span>–<span class="actor country">CHN</span></a>',
        html,
    )
    assert 'class="actor" href="/actors/' in html  # the source and target links themselves
