"""Pages that hide nothing (issue 13 item 5), on the dashboard sample (the motivating example coded by
hand, an XSS article, an older report): actors linked by their names, never by their ids; an unknown actor
or dyad a 404 that says what was wrong and what to try, not an empty chart; a known pair that never met a
page that says so."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.store import open_store
from tests.dashboard_sample import example_bundle, sample_bundles

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("hide") / "hide.db")
    store.write_bundles(sample_bundles())
    yield TestClient(create_app(store), raise_server_exceptions=False)
    store.close()


def pages() -> list[str]:
    bundle = example_bundle()
    return [
        "/", "/events", f"/events/{bundle.events[0].id}", f"/articles/{bundle.article.id}", "/actors/Q7747",
        "/actors/RUS", "/dyads/RUS/CHN", "/search?q=russia",
    ]  # fmt: skip


@pytest.mark.parametrize("path", pages())
def test_actors_are_linked_by_name_not_by_id(client, path):
    html = client.get(path, headers=HTML).text
    links = re.findall(r'<a [^>]*href="/actors/([^"?#]+)"[^>]*>(.*?)</a>', html, re.S)
    assert links, path
    for actor_id, inner in links:
        text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        assert text and text != actor_id and ":" not in text.split()[0], (path, actor_id, text)


def test_an_actor_id_with_a_prefix_reads_as_a_name(client):
    """Wikidata ids (Q5441, Q7747, Q9684): the example's FSB, Putin and the NYT are named where linked."""
    html = client.get(f"/articles/{example_bundle().article.id}", headers=HTML).text
    named = dict(re.findall(r'<a [^>]*href="/actors/([^"?#]+)"[^>]*>([^<]+)</a>', html))
    refs = [ref for ref in example_bundle().actors if ref.actor_id in named]
    assert {"Q5441", "Q7747", "Q9684"} <= {ref.actor_id for ref in refs}  # FSB, Putin, the NYT
    for ref in refs:  # the words of the text or the actor's name, never its id
        assert named[ref.actor_id] in {a.text for a in refs if a.actor_id == ref.actor_id} | {ref.name}, ref
        assert named[ref.actor_id] != ref.actor_id


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/dyads/RUS/XYZ", "no stored event has 'XYZ' as an actor"),
        ("/dyads/QQQ/CHN", "no stored event has 'QQQ' as an actor"),
        ("/actors/NOBODY", "no actor or country 'NOBODY' is stored; try the search box"),
        ("/actors/group:nobody", "no actor or country 'group:nobody' is stored"),
    ],
)
def test_an_unknown_dyad_or_actor_is_a_404_with_a_hint(client, path, says):
    page = client.get(path, headers=HTML)
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).replace("&#39;", "'").split())
    assert says in text
    assert 'class="chart"' not in page.text and "No dated events" not in page.text  # not an empty chart
    api = client.get("/api" + path)
    if path.startswith("/dyads"):
        assert api.status_code == 404 and says in api.json()["error"]["message"]
        assert "search box" in api.json()["error"]["message"] or "actor ids" in api.json()["error"]["message"]


def test_a_known_pair_that_never_met_is_a_page_that_says_so(client):
    """Putin (Q7747) and the FSB (Q5441) both act in stored events, never in one together: an answer
    (nothing between them), not an error."""
    page = client.get("/dyads/Q7747/Q5441", headers=HTML)
    assert page.status_code == 200, page.text[:300]
    assert client.get("/api/dyads/Q7747/Q5441").json()["events"] == 0
