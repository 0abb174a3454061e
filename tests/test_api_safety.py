"""The API under hostile use (issue 14): the token before the body, the CLI's input checks on POST, bounded
paging, the Host allow-list, database work off the event loop, 503 for a writer kept waiting, no server
paths in messages, and the per-article budget. Real SQLite files; a blank spaCy pipeline codes posts
in this process unless a test needs the real one in a worker process.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import spacy
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.cli.serve import served_hosts
from detente.config import Settings
from detente.store import open_store
from tests.dashboard_sample import sample_bundles

AUTH = {"Authorization": "Bearer t0k"}
TEXT = "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday."


@pytest.fixture(scope="module")
def blank_nlp():
    from detente.pipeline import register_extensions

    register_extensions()
    return spacy.blank("en")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "api.db"
    store = open_store(path)
    store.write_bundles(sample_bundles())
    store.close()
    return path


def envelope(response, status: int, code: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["code"] == code
    return str(body["error"]["message"])


# -- the token comes first ------------------------------------------------------------------------------


def test_the_token_is_checked_before_the_body_is_read_or_validated(db, blank_nlp):
    client = TestClient(
        create_app(db, token="t0k", nlp=blank_nlp, max_body=2_000), raise_server_exceptions=False
    )
    bad_json = {"content-type": "application/json"}
    # Before: 422 (the body was validated first) and 413 (read first); now 401 whatever the body.
    assert "Bearer" in envelope(
        client.post("/api/articles", content=b"{not json", headers=bad_json), 401, "unauthorized"
    )
    envelope(client.post("/api/articles", json={"title": "no text"}), 401, "unauthorized")
    response = client.post(
        "/api/articles", json={"text": "x" * 5_000}, headers={"Authorization": "Bearer wrong"}
    )
    envelope(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    # With the token, the body is then checked as before.
    envelope(
        client.post("/api/articles", content=b"{not json", headers={**AUTH, **bad_json}),
        422,
        "invalid_request",
    )
    envelope(client.post("/api/articles", json={"text": "x" * 5_000}, headers=AUTH), 413, "too_large")
    off = TestClient(create_app(db, token="", nlp=blank_nlp), raise_server_exceptions=False)
    envelope(off.post("/api/articles", content=b"{not json", headers=bad_json), 403, "forbidden")


def test_the_token_is_compared_in_constant_time(db, blank_nlp, monkeypatch):
    import detente.api.app as app_module

    compared: list[tuple[int, int]] = []
    real = app_module.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(app_module.hmac, "compare_digest", spy)
    client = TestClient(create_app(db, token="t0k", nlp=blank_nlp), raise_server_exceptions=False)
    for guess in ("t", "t0", "t0x", "a-much-longer-guess-than-the-token", "t0k"):
        client.post("/api/articles", json={"text": "   "}, headers={"Authorization": f"Bearer {guess}"})
    # Every comparison sees two equal-length digests: neither the token's length nor a guess's prefix shows.
    assert len(compared) >= 5 and set(compared) == {(32, 32)}


# -- POST runs the CLI's input checks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"text": " \n\t  "}, "the posted article: has no text to code"),
        ({"text": "Der russische Geheimdienst betrachtet China als Feind und warnt vor Spionage im Land."},
         "not coded, so not stored: language is 'de'"),
        ({"text": TEXT, "language": "fr"}, "language 'fr' is not coded; detente codes en"),
    ],
)  # fmt: skip
def test_post_refuses_what_the_cli_would_not_code_and_stores_nothing(db, blank_nlp, body, words):
    client = TestClient(create_app(db, token="t0k", nlp=blank_nlp), raise_server_exceptions=False)
    before = client.get("/api/stats").json()["articles"]
    assert words in envelope(client.post("/api/articles", json=body, headers=AUTH), 422, "invalid_request")
    assert client.get("/api/stats").json()["articles"] == before


def test_post_strips_credentials_from_the_url(db, blank_nlp):
    client = TestClient(create_app(db, token="t0k", nlp=blank_nlp), raise_server_exceptions=False)
    response = client.post(
        "/api/articles", json={"text": TEXT, "url": "https://user:pw@news.example/a"}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    assert response.json()["article"]["url"] == "https://news.example/a"


# -- paging ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["/api/articles", "/api/events", "/api/claims", "/api/actors", "/api/stories"]
)
def test_paging_is_bounded(db, endpoint):
    client = TestClient(create_app(db), raise_server_exceptions=False)
    assert "offset" in envelope(client.get(endpoint, params={"offset": 2**63}), 422, "invalid_request")
    assert client.get(endpoint, params={"offset": 2**31 - 1}).json()["items"] == []


# -- the Host allow-list ---------------------------------------------------------------------------------


def test_only_allowed_host_names_are_answered(db):
    client = TestClient(
        create_app(db, allowed_hosts=served_hosts("127.0.0.1", ())), raise_server_exceptions=False
    )
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"):
        assert client.get("/api/stats", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
        message = envelope(client.get("/api/stats", headers={"Host": host}), 400, "bad_request")
        assert "is not served here" in message
    page = client.get("/", headers={"Host": "rebound.example"})  # the dashboard too, not only the API
    assert page.status_code == 400


def test_served_hosts():
    assert served_hosts("127.0.0.1", ()) == ["127.0.0.1", "localhost", "::1"]
    assert served_hosts("0.0.0.0", ("events.example",)) == ["events.example", "127.0.0.1", "localhost", "::1"]
    assert served_hosts("10.0.0.5", ()) == ["127.0.0.1", "localhost", "::1", "10.0.0.5"]
    assert served_hosts("0.0.0.0", ("*",)) == ["*"]


# -- the database off the event loop; a writer kept waiting ---------------------------------------------


@contextmanager
def write_lock_held(db: Path) -> Iterator[None]:
    """A coding run in the middle of writing a batch: another connection holds SQLite's write lock."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_a_post_waiting_for_the_write_lock_holds_up_no_reader_and_answers_503(db, blank_nlp):
    app = create_app(db, token="t0k", nlp=blank_nlp, write_timeout=4.0)
    posted: list[object] = []
    done = threading.Event()
    with TestClient(app, raise_server_exceptions=False) as client:  # one event loop for every request

        def post() -> None:
            posted.append(client.post("/api/articles", json={"text": TEXT}, headers=AUTH))
            done.set()

        with write_lock_held(db):
            writer = threading.Thread(target=post)
            writer.start()
            answered_while_waiting = 0
            while not done.is_set():
                assert client.get("/api/stats").status_code == 200
                assert client.get("/api/events", params={"limit": 5}).status_code == 200
                answered_while_waiting += 0 if done.is_set() else 1
            writer.join()
        [response] = posted
        message = envelope(response, 503, "unavailable")  # type: ignore[arg-type]
        assert response.headers["retry-after"] == "4"  # the write timeout  # type: ignore[attr-defined]
        assert "busy with another writer" in message and str(db.parent) not in message
        # Readers were answered all along (before, a GET waited for the write: 29.7 s). A few answers
        # during the wait prove it; how many depends on the machine's load, so the floor stays low.
        assert answered_while_waiting >= 3
        assert client.post("/api/articles", json={"text": TEXT}, headers=AUTH).status_code == 201


def test_error_messages_never_name_server_paths(db, blank_nlp, monkeypatch):
    from detente.errors import ModelError, StoreError

    app = create_app(db, token="t0k", nlp=blank_nlp)
    client = TestClient(app, raise_server_exceptions=False)
    store = app.state.store

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError(f"could not write to {db}: disk I/O error")

    monkeypatch.setattr(store, "write_bundles", broken)
    message = envelope(client.post("/api/articles", json={"text": TEXT}, headers=AUTH), 500, "internal_error")
    assert str(db) not in message and "see the server log" in message
    import detente.api.routes as routes

    def no_model(request, article):  # type: ignore[no-untyped-def]
        raise ModelError(f"the spaCy model failed to load from {Path(routes.__file__).parent}/x")

    monkeypatch.setattr(routes, "_code", no_model)
    message = envelope(client.post("/api/articles", json={"text": TEXT}, headers=AUTH), 500, "internal_error")
    assert str(Path(routes.__file__).parent) not in message and message.startswith("the spaCy model failed")


# -- the per-article budget ------------------------------------------------------------------------------


def test_a_post_over_the_budget_is_stored_as_failed_and_answered_422(db, blank_nlp):
    app = create_app(db, token="t0k", nlp=blank_nlp, settings=Settings(article_seconds=1e-9))
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/api/articles", json={"text": TEXT}, headers=AUTH)
    message = envelope(response, 422, "over_budget")
    assert message.startswith(
        "the article could not be coded: over the 1e-09 s time budget in tokenizer after"
    )
    stored = client.get(response.headers["location"]).json()["article"]
    assert stored["skip_reason"].startswith("coding failed: over the 1e-09 s time budget")
    assert [f.kind for f in app.state.store.failures()] == ["time"]


@pytest.mark.model
def test_posts_are_coded_in_a_worker_process_that_stops_with_the_app(db):
    import os

    app = create_app(db, token="t0k", settings=Settings(article_seconds=1e-9))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/articles", json={"text": TEXT}, headers=AUTH)
        envelope(response, 422, "over_budget")
        [pid] = app.state.pool.pids
    # The app's shutdown stopped its worker (a runaway article cannot hold a server's shutdown).
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
