import dataclasses
import datetime as dt
import json

from detente.records import (
    QUAD_OF_TYPE,
    ActorRef,
    Article,
    Bundle,
    Claim,
    Event,
    Place,
    ResolvedDate,
    Span,
    Verification,
    article_id,
    bundle_from_dict,
    bundle_to_dict,
    event_id,
    parse_published,
)

TEXT = "Russia attacked Ukraine on Monday, officials said."
RUS = ActorRef("Russia", 0, 6, "country:RUS", "Russia", "RUS", "GOV", "country", 0.98)
UKR = ActorRef("Ukraine", 16, 23, "country:UKR", "Ukraine", "UKR", "GOV", "country", 0.97)


def make_bundle() -> Bundle:
    article = Article(
        id=article_id(TEXT), text=TEXT, outlet="Wire", published=dt.date(2024, 3, 6), language="en"
    )
    claim = Claim(
        id="c1", article_id=article.id, speaker=(), cue=Span("said", 45, 49), content=Span(TEXT[:33], 0, 33),
        kind="indirect", channel="anonymous_source", verification=(Verification("officials", 35, 44, "doubts"),),
    )  # fmt: skip
    trigger = Span("attacked", 7, 15)
    event = Event(
        id=event_id(article.id, trigger, "ASSAULT", (RUS,), (UKR,)), article_id=article.id, event_type="ASSAULT",
        mode=None, context=("military",), quad=QUAD_OF_TYPE["ASSAULT"], intensity=-9.0, modality="asserted",
        source=(RUS,), target=(UKR,), trigger=trigger, sentence=Span(TEXT, 0, len(TEXT)),
        date=ResolvedDate(dt.date(2024, 3, 4), dt.date(2024, 3, 4), "day", "exact", "on Monday", "last Monday", 24, 33),
        place=Place("Ukraine", "UKR", 49.0, 32.0, "690791", "country", "Ukraine", 16, 23),
        claim_id="c1", confidence=0.8,
    )  # fmt: skip
    return Bundle(article=article, actors=(RUS, UKR), claims=(claim,), events=(event,))


def test_bundle_round_trips_through_json():
    bundle = make_bundle()
    data = json.loads(json.dumps(bundle_to_dict(bundle)))
    assert bundle_from_dict(data) == bundle


def test_bundles_before_verification_polarity_still_read():
    """Version 3 bundles stored verification language as bare spans: they read back as polarity unclear."""
    data = json.loads(json.dumps(bundle_to_dict(make_bundle())))
    assert data["claims"][0]["verification"] == [
        {"text": "officials", "start": 35, "end": 44, "polarity": "doubts"}
    ]
    del data["claims"][0]["verification"][0]["polarity"]
    [claim] = bundle_from_dict(data).claims
    assert claim.verification == (Verification("officials", 35, 44, "unclear"),)
    assert claim.verification_status == "unclear"


def test_verification_status_adds_up_the_polarities():
    def status(*polarities: str) -> str | None:
        entries = tuple(Verification("x", i, i + 1, p) for i, p in enumerate(polarities))
        return dataclasses.replace(make_bundle().claims[0], verification=entries).verification_status

    assert status() is None
    assert status("confirms", "confirms") == "confirmed"
    assert status("doubts") == "doubted"
    assert status("doubts", "unclear", "confirms") == "mixed"
    assert status("unclear") == "unclear"
    assert status("unclear", "confirms") == "confirmed"


def test_bundle_uses_the_design_field_names():
    data = bundle_to_dict(make_bundle())
    assert list(data) == ["article", "actors", "claims", "events", "dates", "places"]
    event = data["events"][0]
    for key in ("id", "event_type", "mode", "context", "quad", "intensity", "modality", "source", "target",
                "trigger", "sentence", "date", "place", "claim_id", "confidence"):  # fmt: skip
        assert key in event
    assert event["trigger"] == {"text": "attacked", "start": 7, "end": 15}
    assert set(event["date"]) >= {"start", "end", "granularity", "type", "text", "reason"}
    assert set(event["place"]) >= {
        "name",
        "country",
        "lat",
        "lon",
        "gazetteer_id",
        "kind",
        "text",
        "start",
        "end",
    }
    assert set(data["actors"][0]) >= {
        "text",
        "start",
        "end",
        "actor_id",
        "name",
        "country",
        "sector",
        "confidence",
    }
    assert set(data["claims"][0]) >= {
        "id",
        "speaker",
        "cue",
        "content",
        "kind",
        "channel",
        "stance",
        "parent_id",
    }
    assert data["article"]["published"] == "2024-03-06"


def test_ids_are_stable_and_depend_on_content():
    assert article_id("A  text\n") == article_id("A text")
    assert article_id("A text") != article_id("A text", "https://example.org/a")
    span = Span("attacked", 7, 15)
    assert event_id("a", span, "ASSAULT", (RUS,), (UKR,)) == event_id("a", span, "ASSAULT", (RUS,), (UKR,))
    assert event_id("a", span, "ASSAULT", (RUS,), (UKR,)) != event_id("a", span, "ASSAULT", (UKR,), (RUS,))


def test_offsets_point_into_the_article_text():
    bundle = make_bundle()
    for ref in bundle.actors:
        assert bundle.article.text[ref.start : ref.end] == ref.text
    event = bundle.events[0]
    assert bundle.article.text[event.trigger.start : event.trigger.end] == event.trigger.text


def test_parse_published_accepts_dates_datetimes_and_rejects_junk():
    assert parse_published("2024-03-06") == dt.date(2024, 3, 6)
    assert parse_published("2019-11-14 16:53:00Z") == dt.datetime(2019, 11, 14, 16, 53, tzinfo=dt.UTC)
    assert parse_published("last week") is None
    assert parse_published("") is None
