"""Whole-store answers are kept until the store changes (issue 15): a repeated page is served from the read
cache, and a write committed by any process (another connection here) is seen by the very next request."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from fastapi.testclient import TestClient

from detente.api import create_app
from detente.api.cache import ReadCache
from detente.records import ActorRef, Article, Bundle, Event, ResolvedDate, Span, event_id
from detente.store import open_store
from tests.dashboard_sample import sample_bundles

CHN = ActorRef("China", 0, 5, "country:CHN", "China", "CHN", "GOV", "country")
RUS = ActorRef("Russia", 15, 21, "country:RUS", "Russia", "RUS", "GOV", "country")


def newcomer() -> Bundle:
    text = "China accused Russia of breaking the zinc accord, officials said on Tuesday."
    article = Article(id="zinc-accord", text=text, outlet="Zinc Times", published=dt.date(2025, 7, 1))
    trigger = Span("accused", 6, 13)
    date = ResolvedDate(dt.date(2025, 7, 1), dt.date(2025, 7, 1), "day", "exact", "Tuesday", "test")
    event = Event(
        id=event_id(article.id, trigger, "ACCUSE", (CHN,), (RUS,)), article_id=article.id, event_type="ACCUSE",
        mode=None, context=(), quad="verbal_conflict", intensity=-2.0, modality="asserted", source=(CHN,),
        target=(RUS,), trigger=trigger, sentence=Span(text, 0, len(text)), date=date, confidence=0.9,
    )  # fmt: skip
    return Bundle(article=article, actors=(CHN, dataclasses.replace(RUS, start=14, end=20)), events=(event,))


@pytest.fixture
def app_and_writer(tmp_path):
    path = tmp_path / "cache.db"
    store = open_store(path)
    store.write_bundles(sample_bundles())
    writer = open_store(path)  # another connection, as another process would hold
    app = create_app(store, token="")
    yield TestClient(app), app.state, writer
    writer.close()
    store.close()


@pytest.mark.parametrize(
    ("path", "sign"),
    [
        ("/", "Zinc Times"),
        ("/api/stats", '"articles":'),
        ("/api/events?limit=100", "zinc-accord"),
        ("/events", "EVENT"),
        ("/dyads/CHN/RUS", "EVENT"),
        ("/api/dyads/CHN/RUS", "EVENT"),
        ("/actors/CHN", "EVENT"),
        ("/search?q=zinc", "zinc-accord"),
    ],
)
def test_a_kept_answer_is_never_served_after_a_write(app_and_writer, path, sign):
    client, state, writer = app_and_writer
    sign = newcomer().events[0].id if sign == "EVENT" else sign
    before = client.get(path)
    assert before.status_code == 200
    again = client.get(path)
    hits = state.read_cache.hits + state.page_cache.hits
    assert again.text == before.text and hits >= 1  # served from a cache
    writer.write_bundles([newcomer()])  # committed by another connection
    after = client.get(path)
    assert after.status_code == 200 and after.text != before.text
    if path == "/api/stats":
        assert after.json()["articles"] == before.json()["articles"] + 1
    else:
        assert sign not in before.text and sign in after.text


def test_one_answer_is_computed_once_for_many_waiting_requests():
    class Store:
        def version(self) -> int:
            return 7

    cache = ReadCache(size=2)
    calls: list[int] = []
    started = threading.Event()

    def slow() -> str:
        calls.append(1)
        started.wait(2)
        return "counted"

    threads = [threading.Thread(target=lambda: cache.get(Store(), "k", slow)) for _ in range(8)]  # type: ignore[arg-type]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join()
    assert calls == [1] and cache.misses == 1 and cache.hits == 7
    cache.get(Store(), "a", lambda: 1), cache.get(Store(), "b", lambda: 2)  # type: ignore[arg-type]
    assert list(cache._answers) == ["a", "b"]  # the least recently used dropped beyond the size
