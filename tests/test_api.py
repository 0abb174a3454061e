"""The REST API in-process over a real SQLite store filled with hand-made bundles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.records import bundle_to_dict
from detente.store import open_store
from tests.dashboard_sample import XSS, example_bundle, sample_bundles


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("api") / "api.db")
    store.write_bundles(sample_bundles())
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, token=""), raise_server_exceptions=False)


def assert_envelope(response, status: int, code: str, words: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert words.lower() in body["error"]["message"].lower()


def test_article_list_and_bundle(client):
    bundle = example_bundle()
    listing = client.get("/api/articles", params={"limit": 2}).json()
    assert listing["limit"] == 2 and len(listing["items"]) == 2
    assert listing["items"][0]["published"] == "2025-06-09"  # newest first
    assert "text" not in listing["items"][0] and listing["items"][0]["chars"] == len(bundle.article.text)
    found = client.get("/api/articles", params={"q": "lunar base"}).json()["items"]
    assert [a["id"] for a in found] == [bundle.article.id]
    # The full bundle round-trips in the documented bundle format (the store may reorder records).
    got, want = client.get(f"/api/articles/{bundle.article.id}").json(), bundle_to_dict(bundle)
    assert got["article"] == want["article"]
    for key in ("claims", "events"):
        assert sorted(got[key], key=lambda r: r["id"]) == sorted(want[key], key=lambda r: r["id"])
    assert sorted(got["actors"], key=lambda r: r["start"]) == sorted(want["actors"], key=lambda r: r["start"])


def test_events_filters_and_pagination(client):
    all_events = client.get("/api/events").json()
    assert all_events["total"] == 6 and len(all_events["items"]) == 6
    rus_chn = client.get("/api/events", params={"dyad": "CHN,RUS"}).json()
    assert rus_chn["total"] == 6
    accuse = client.get("/api/events", params={"type": "accuse"}).json()
    assert {e["event_type"] for e in accuse["items"]} == {"ACCUSE"} and accuse["total"] == 2
    legacy = client.get("/api/events", params={"type": "DISAPPROVE"}).json()  # old label maps to ACCUSE
    assert legacy["total"] == 2
    coop = client.get("/api/events", params={"quad": "material_cooperation"}).json()["items"]
    assert [e["event_type"] for e in coop] == ["COOPERATE"]
    putin = client.get("/api/events", params={"actor": "Q7747"}).json()["items"]
    assert [e["event_type"] for e in putin] == ["SUPPORT"]
    window = client.get("/api/events", params={"since": "2024-01-01", "until": "2025-03-31"}).json()
    assert sorted(e["event_type"] for e in window["items"]) == ["AGREE", "MOBILIZE"]
    first = client.get("/api/events", params={"limit": 2, "offset": 0}).json()
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 6
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert client.get("/api/events", params={"modality": "negated"}).json()["total"] == 0


def test_single_records(client):
    bundle = example_bundle()
    event = bundle.events[0]
    got = client.get(f"/api/events/{event.id}").json()
    assert got["id"] == event.id and got["trigger"] == {"text": "considers", "start": event.trigger.start,
                                                          "end": event.trigger.end}  # fmt: skip
    claims = client.get("/api/claims", params={"article_id": bundle.article.id}).json()["items"]
    assert len(claims) == 4
    leaked = client.get("/api/claims", params={"channel": "leaked_document"}).json()["items"]
    assert [c["speaker"][0]["name"] for c in leaked] == ["Federal Security Service"]
    nyt = next(c for c in claims if c["kind"] == "indirect" and c["channel"] == "media_report")
    assert client.get(f"/api/claims/{leaked[0]['id']}").json()["parent_id"] == nyt["id"]  # relayed by NYT
    actors = client.get("/api/actors", params={"q": "putin"}).json()["items"]
    assert [a["actor_id"] for a in actors] == ["Q7747"]


def test_dyad_series(client):
    series = client.get("/api/dyads/RUS/CHN").json()
    # Two ACCUSE RUS -> CHN sentences of one article, with no dates of their own, report one event.
    assert (series["events"], series["mentions"]) == (5, 6) and series["total"] == 5
    assert series["counting"] == "/counting"
    months = {p["month"]: p for p in series["points"]}
    assert sorted(months) == ["2022-02", "2024-11", "2025-03", "2025-06"]
    june = months["2025-06"]
    assert june["counts"]["verbal_conflict"] == 1 and june["counts"]["verbal_cooperation"] == 1
    assert (june["events"], june["mentions"]) == (2, 3)
    assert june["mean_intensity"] == pytest.approx((-2.0 + 3.5) / 2, abs=0.01)
    assert len(june["event_ids"]) == 2 and len(june["mention_ids"]) == 3  # every mention listed as evidence
    assert (june["low_confidence"], june["single_source"]) == (0, 2) and june["single_source_share"] == 1.0
    # The MOBILIZE event has no resolved date: it is placed by its article's publication date.
    assert months["2024-11"]["counts"]["material_conflict"] == 1
    reverse = client.get("/api/dyads/CHN/RUS").json()
    assert reverse["directions"] == {"b>a": 5} and series["directions"] == {"a>b": 5}
    limited = client.get("/api/dyads/RUS/CHN", params={"since": "2025-01-01"}).json()
    assert [p["month"] for p in limited["points"]] == ["2025-03", "2025-06"]
    hidden = client.get("/api/dyads/RUS/CHN", params={"hide": "uncertain"}).json()  # all single-source here
    assert (hidden["events"], hidden["hidden"], hidden["points"]) == (0, 5, [])
    assert_envelope(
        client.get("/api/dyads/RUS/CHN", params={"hide": "x"}), 422, "invalid_request", "uncertain"
    )


def test_stats_name_what_they_count(client):
    stats = client.get("/api/stats").json()
    assert (stats["mentions"], stats["events"]) == (6, 5) and stats["articles"] == 3


def test_stories_group_articles(store, client):
    bundles = sample_bundles()
    assert client.get("/api/stories").json()["items"] == []
    store.set_story_ids({bundles[0].article.id: "s1", bundles[2].article.id: "s1"})
    stories = client.get("/api/stories").json()["items"]
    assert [(s["story_id"], s["size"]) for s in stories] == [("s1", 2)]
    assert stories[0]["outlets"] == ["Example Daily", "Wire"]
    store.set_story_ids({bundles[0].article.id: "", bundles[2].article.id: ""})


def test_json_stays_json_with_payloads(client):
    """The API returns untrusted text as JSON data, never as HTML."""
    response = client.get("/api/articles", params={"q": "agreed on a plan"})
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["items"][0]["title"] == f"Title {XSS}"


# -- error paths: one envelope each -----------------------------------------------------------------


def test_not_found_envelopes(client):
    assert_envelope(client.get("/api/articles/nope"), 404, "not_found", "no article")
    assert_envelope(client.get("/api/events/nope"), 404, "not_found", "no event")
    assert_envelope(client.get("/api/claims/nope"), 404, "not_found", "no claim")
    assert_envelope(client.get("/api/no-such-endpoint"), 404, "not_found", "/docs")


def test_invalid_parameter_envelopes(client):
    assert_envelope(
        client.get("/api/events", params={"quad": "war"}), 422, "invalid_request", "verbal_conflict"
    )
    assert_envelope(client.get("/api/events", params={"type": "HUG"}), 422, "invalid_request", "ACCUSE")
    assert_envelope(
        client.get("/api/events", params={"modality": "maybe"}), 422, "invalid_request", "negated"
    )
    assert_envelope(client.get("/api/events", params={"dyad": "RUS"}), 422, "invalid_request", "RUS,CHN")
    assert_envelope(client.get("/api/events", params={"since": "June"}), 422, "invalid_request", "since")
    assert_envelope(client.get("/api/events", params={"limit": 0}), 422, "invalid_request", "limit")
    assert_envelope(client.get("/api/events", params={"since": "2025-02-01", "until": "2025-01-01"}),
                    422, "invalid_request", "after")  # fmt: skip
    assert_envelope(client.get("/api/claims", params={"channel": "rumour"}), 422, "invalid_request", "leaked")
    assert_envelope(client.delete("/api/events"), 405, "method_not_allowed", "DELETE")


def test_server_error_envelope_hides_internals(store):
    class Broken:
        """A store whose reads fail as a real one does when its database vanishes."""

        def __getattr__(self, name):
            return getattr(store, name)

        def stats(self):
            raise RuntimeError("secret internal detail")

    client = TestClient(create_app(Broken()), raise_server_exceptions=False)  # type: ignore[arg-type]
    response = client.get("/api/stats")
    assert_envelope(response, 500, "internal_error", "internal error")
    assert "secret" not in response.text


def test_posting_is_off_without_token(client):
    response = client.post("/api/articles", json={"text": "Russia and China signed a deal."})
    assert_envelope(response, 403, "forbidden", "DETENTE_API_TOKEN")


def test_token_comes_from_environment(store, monkeypatch):
    monkeypatch.setenv("DETENTE_API_TOKEN", "s3cret")
    client = TestClient(create_app(store), raise_server_exceptions=False)
    response = client.post("/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer wrong"})
    assert_envelope(response, 401, "unauthorized", "Bearer")
    monkeypatch.delenv("DETENTE_API_TOKEN")
    client = TestClient(create_app(store), raise_server_exceptions=False)
    assert_envelope(client.post("/api/articles", json={"text": "x"}), 403, "forbidden")


def test_post_limits_and_validation(store):
    client = TestClient(create_app(store, token="t0k", max_body=2_000), raise_server_exceptions=False)
    auth = {"Authorization": "Bearer t0k"}
    assert_envelope(
        client.post("/api/articles", json={"text": "x" * 5_000}, headers=auth), 413, "too_large", "2000"
    )

    def chunked():  # no Content-Length: the limit must hold for streamed bodies too
        yield b'{"text": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}'

    assert_envelope(client.post("/api/articles", content=chunked(), headers=auth), 413, "too_large")
    assert_envelope(client.post("/api/articles", json={"title": "no text"}, headers=auth), 422, "invalid_request",
                    "text")  # fmt: skip
    assert_envelope(client.post("/api/articles", json={"text": "hi", "url": "javascript:alert(1)"}, headers=auth),
                    422, "invalid_request", "url")  # fmt: skip
    assert_envelope(client.post("/api/articles", content=b"{not json", headers={**auth, "content-type":
                    "application/json"}), 422, "invalid_request")  # fmt: skip
    assert_envelope(client.post("/api/articles", json={"text": "x"}), 401, "unauthorized")


@pytest.mark.model
def test_post_codes_and_stores_an_article(tmp_path, nlp):
    store = open_store(tmp_path / "post.db")
    client = TestClient(create_app(store, token="t0k", nlp=nlp), raise_server_exceptions=False)
    text = "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday."
    response = client.post(
        "/api/articles", headers={"Authorization": "Bearer t0k"},
        json={"text": text, "title": "Putin meets Xi", "outlet": "Wire", "published": "2025-05-08"},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["article"]["title"] == "Putin meets Xi" and body["article"]["published"] == "2025-05-08"
    assert response.headers["location"] == f"/api/articles/{body['article']['id']}"
    stored = client.get(response.headers["location"]).json()
    assert stored == body  # what was coded is what is stored
    assert store.stats().articles == 1
    store.close()


def test_divergence_reads_only_relevant_articles_and_matches_full_scan(store, client):
    from detente.analytics.divergence import divergence, evidence_in_bundle
    from detente.api.services import divergence_for, relevant_articles
    from detente.records import to_dict

    bundles = sample_bundles()
    # Every article holding evidence either way is read; articles that cannot hold any (a verbal event
    # between the two, a claim naming neither) are not.
    holding = {
        b.article.id
        for b in bundles
        if evidence_in_bundle(b, "RUS", "CHN") or evidence_in_bundle(b, "CHN", "RUS")
    }
    assert holding <= set(relevant_articles(store, "RUS", "CHN")) <= {b.article.id for b in bundles}
    assert holding
    assert relevant_articles(store, "IRN", "ISR") == []
    # NYT speaks for USA, but none of its claims names Iran: no evidence there, so it is not read.
    assert relevant_articles(store, "USA", "IRN") == []
    for a, b in (("RUS", "CHN"), ("CHN", "RUS"), ("Q7747", "CHN")):
        assert divergence_for(store, a, b) == to_dict(divergence(store, a, b))
    body = client.get("/api/dyads/RUS/CHN/divergence").json()
    # One public statement and one leaked document: below the stated minimum, so no score.
    assert body["a"] == "RUS" and body["b"] == "CHN" and body["score"] is None and body["min_items"] == 3
    assert "not enough evidence" in body["summary"] and "needs one a side and 3 in all" in body["summary"]
    assert {e["channel"] for e in body["internal"]["evidence"]} == {"leaked_document"}
    assert body["internal"]["evidence"][0]["speakers"] == ["Federal Security Service"]


def test_divergence_missing_module_is_a_clear_503(client, monkeypatch):
    import sys

    from detente.api.cache import ReadCache

    monkeypatch.setitem(sys.modules, "detente.analytics.divergence", None)  # import now fails
    # Answers kept from earlier tests (same store, same version) were computed with the module there.
    monkeypatch.setattr(client.app.state, "read_cache", ReadCache())
    assert_envelope(client.get("/api/dyads/RUS/CHN/divergence"), 503, "unavailable", "not available")
    page = client.get("/dyads/RUS/CHN")
    assert page.status_code == 200 and "Divergence analysis is not available" in page.text
