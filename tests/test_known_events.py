"""Background events take the date of the same event known elsewhere: a dated mention in the same
article, else the shipped known-events pack (detente/data/known_events.yaml). Sentences are our own;
events are built by hand on the parse, so these tests check dating, whatever the event coder does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.errors import RecordError
from detente.known_events import default_known_events, load_known_events
from detente.records import ActorRef, Event, Span
from detente.stages.dates import date_events, find_dates

PUB = dt.date(2025, 3, 12)


def _ref(text: str, country: str, at: int) -> ActorRef:
    return ActorRef(
        text=text, start=at, end=at + len(text), actor_id=f"test:{country}", name=text, country=country
    )


def _event(text: str, trigger: str, event_type: str = "ASSAULT", *, source: tuple[str, ...] = (),
           target: tuple[str, ...] = (), background: bool = True, occurrence: int = 0) -> Event:  # fmt: skip
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(trigger, at + 1)
    sentence_start = text.rfind(". ", 0, at) + 2 if text.rfind(". ", 0, at) >= 0 else 0
    sentence_end = text.find(". ", at) + 1 or len(text)
    return Event(
        id=f"e{at}", article_id="test", event_type=event_type, mode=None, context=(), quad="", intensity=0.0,
        modality="asserted", source=tuple(_ref(c, c, 0) for c in source), target=tuple(_ref(c, c, 0) for c in target),
        trigger=Span(trigger, at, at + len(trigger)),
        sentence=Span(text[sentence_start:sentence_end], sentence_start, sentence_end), background=background,
    )  # fmt: skip


def _dated(parser, text: str, events: list[Event], pub: dt.date = PUB, known=None) -> list[Event]:
    doc = parser(text)
    return date_events(doc, events, find_dates(doc, pub), pub, known)


# ------------------------------------------------------------------------------------ the pack


def test_the_shipped_pack_reads_and_names_the_landmarks():
    pack = default_known_events()
    assert 30 <= len(pack) <= 60
    ids = {k.id for k in pack.events}
    assert {"russia-full-scale-invasion-of-ukraine", "russia-annexation-of-crimea", "october-7-attack",
            "us-leaves-jcpoa"} <= ids  # fmt: skip
    invasion = next(k for k in pack.events if k.id == "russia-full-scale-invasion-of-ukraine")
    assert (invasion.start, invasion.granularity) == (dt.date(2022, 2, 24), "day")


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("events: {}\n", "no 'events' list"),
        ("events:\n  - {id: x, name: X, date: 2020-13, types: [ASSAULT], aliases: [x]}\n", "not YYYY-MM-DD"),
        ("events:\n  - {id: x, name: X, date: 2020-01-02, types: [FIGHT], aliases: [x]}\n", "PLOVER"),
        ("events:\n  - {id: x, name: X, types: [ASSAULT], aliases: [x]}\n", "missing 'date'"),
        ("events: [\n", "not valid YAML"),
    ],
)
def test_a_bad_pack_names_the_file_and_the_problem(tmp_path: Path, content: str, complaint: str):
    path = tmp_path / "known.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_known_events(path)
    assert str(path) in str(caught.value) and complaint in str(caught.value)


TEXT = "The ministers met in Geneva on Tuesday, their first talks since Russia's full-scale invasion."


def test_match_needs_type_countries_and_an_alias_holding_the_trigger():
    pack = default_known_events()
    hit = pack.match(_event(TEXT, "invasion", source=("RUS",)), TEXT, PUB)
    assert hit is not None and hit.event.id == "russia-full-scale-invasion-of-ukraine"
    assert hit.text == "full-scale invasion" and TEXT[hit.start : hit.end] == "full-scale invasion"
    assert pack.match(_event(TEXT, "invasion", "AGREE", source=("RUS",)), TEXT, PUB) is None  # wrong type
    assert pack.match(_event(TEXT, "invasion", source=("CHN",)), TEXT, PUB) is None  # a country not in it
    # the alias must hold the trigger: "talks" is not the invasion, though the sentence names it
    assert pack.match(_event(TEXT, "talks", "CONSULT", source=("RUS",)), TEXT, PUB) is None
    # an event dated after the article cannot be meant
    assert pack.match(_event(TEXT, "invasion", source=("RUS",)), TEXT, dt.date(2021, 1, 1)) is None


def test_without_countries_only_a_name_of_two_words_matches():
    pack = default_known_events()
    bare = "Prices have doubled since the invasion."
    assert pack.match(_event(bare, "invasion"), bare, PUB) is None
    named = "Prices have doubled since the full-scale invasion."
    assert pack.match(_event(named, "invasion"), named, PUB) is not None


def test_two_entries_as_good_with_different_dates_match_nothing():
    text = "Officials recalled the missile attack on Israel."
    assert (
        default_known_events().match(_event(text, "attack", source=("IRN",), target=("ISR",)), text, PUB)
        is None
    )


# ------------------------------------------------------------------------------- the dates stage


def test_a_nominal_event_told_since_takes_the_known_date_not_the_news_date(parser):
    [event] = _dated(parser, TEXT, [_event(TEXT, "invasion", source=("RUS",), target=("UKR",))])
    assert (event.date.start, event.date.end, event.date.granularity) == (dt.date(2022, 2, 24),) * 2 + (
        "day",
    )
    assert event.date.reason.startswith("known event: Russia's full-scale invasion of Ukraine")
    assert "known_events.yaml" in event.date.reason and event.date.text == "full-scale invasion"


def test_the_anniversary_of_an_event_is_not_its_date(parser):
    text = "The EU adopted new sanctions on Friday, on the eve of the second anniversary of the annexation of Crimea."
    [event] = _dated(
        parser, text, [_event(text, "annexation", "COERCE", source=("RUS",))], dt.date(2016, 3, 20)
    )
    assert event.date.start == dt.date(2014, 3, 18)


def test_a_date_written_for_the_event_wins_over_the_pack(parser):
    text = "Kyiv has asked for help since the invasion of Ukraine in March 2014, officials said on Tuesday."
    [event] = _dated(parser, text, [_event(text, "invasion", source=("RUS",), target=("UKR",))])
    assert (event.date.start, event.date.end) == (dt.date(2014, 3, 1), dt.date(2014, 3, 31))
    assert "known event" not in event.date.reason


def test_a_date_inside_the_known_event_name_gives_way(parser):
    text = "Israel has fought in Gaza since the October 7 attack by Hamas, the army said."
    [event] = _dated(parser, text, [_event(text, "attack", source=("PSE",), target=("ISR",))])
    # read alone, "October 7" in an article of March 2025 is October 7, 2024: the name says 2023
    assert event.date.start == dt.date(2023, 10, 7) and event.date.reason.startswith("known event")


def test_the_same_event_dated_earlier_in_the_article(parser):
    text = ("The army seized the airport of Goma in January 2013. Trade across the border has fallen since "
            "the army seized the airport, traders said on Monday.")  # fmt: skip
    first = _event(text, "seized", "COERCE", source=("COD",))
    second = _event(text, "seized", "COERCE", source=("COD",), occurrence=1)
    dated = _dated(parser, text, [first, second])
    assert (dated[0].date.start, dated[0].date.end) == (dt.date(2013, 1, 1), dt.date(2013, 1, 31))
    assert (dated[1].date.start, dated[1].date.end) == (dt.date(2013, 1, 1), dt.date(2013, 1, 31))
    assert dated[1].date.reason.endswith("the same event, dated earlier in the article ('seized')")


def test_the_article_beats_the_pack_and_other_events_are_not_the_same(parser):
    text = ("Russia invaded Ukraine in February 2014, the minister claimed. Since the invasion, prices rose. "
            "Since the shelling, schools have stayed closed.")  # fmt: skip
    claimed = _event(text, "invaded", source=("RUS",), target=("UKR",))
    since = _event(text, "invasion", source=("RUS",))
    shelling = _event(text, "shelling", source=("RUS",))
    dated = _dated(parser, text, [claimed, since, shelling])
    # the article's own dated mention first (whatever the pack says), by type, word and countries
    assert dated[1].date.start == dt.date(2014, 2, 1) and "the same event" in dated[1].date.reason
    # another word is another event
    assert dated[2].date is None
    # a news event is never a background event's source
    news = _event(text, "invaded", source=("RUS",), target=("UKR",), background=False)
    lone = _dated(parser, text, [news, _event(text, "invasion", source=("CHN",))])
    assert lone[1].date is None


def test_an_undated_background_event_nothing_names_stays_before_the_article(parser):
    text = "Relations have been frosty since the two countries expelled each other's diplomats."
    [event] = _dated(parser, text, [_event(text, "expelled", "SANCTION", source=("FRA", "MLI"))])
    assert event.date is None


def test_news_events_are_left_as_they_were(parser):
    text = "The ministers met in Geneva on Tuesday, their first talks since Russia's full-scale invasion."
    [talks] = _dated(parser, text, [_event(text, "met", "CONSULT", source=("RUS", "USA"), background=False)])
    assert talks.date.start == dt.date(2025, 3, 11) and talks.date.reason.endswith(
        "governs the event's clause"
    )


def test_a_pack_of_your_own(parser, tmp_path: Path):
    path = tmp_path / "known.yaml"
    path.write_text(
        "events:\n  - {id: dam, name: The dam strike, date: 2019-07, types: [ASSAULT], source: [ETH],"
        " target: [EGY], aliases: [strike on the dam]}\n",
        encoding="utf-8",
    )
    text = "Talks stalled after the strike on the dam."
    [event] = _dated(parser, text, [_event(text, "strike", source=("ETH",))], known=load_known_events(path))
    assert (event.date.start, event.date.end, event.date.granularity) == (
        dt.date(2019, 7, 1), dt.date(2019, 7, 31), "month")  # fmt: skip


@pytest.mark.model
def test_demo_corpus_invasion_is_dated_february_2022_in_later_articles(nlp):
    """The issue's motivating example: articles after the invasion that recall it date it 2022-02-24."""
    from detente.ingest import IngestOptions, read_paths
    from detente.pipeline import code_articles
    from tests.conftest import REPO

    articles = [a for a in read_paths([REPO / "examples" / "demo-corpus.jsonl"], IngestOptions())]
    invasions = [
        (bundle.article, event)
        for bundle in code_articles(articles, nlp=nlp)
        for event in bundle.events
        if "invasion" in event.trigger.text and event.background
    ]
    assert len(invasions) >= 2
    for article, event in invasions:
        assert article.published_date > dt.date(2022, 2, 24)
        assert event.date is not None and (event.date.start, event.date.end) == (dt.date(2022, 2, 24),) * 2, (
            article.id, event.sentence.text)  # fmt: skip


def test_the_stage_evaluation_scores_dated_and_before_events(parser, tmp_path: Path):
    from detente.evaluation.dates import evaluate_background_stage
    from detente.events.corpus import load_corpus
    from tests.test_dates_background import _write_corpus

    scores = evaluate_background_stage(parser, load_corpus(_write_corpus(tmp_path / "annotations")))
    by_trigger = {r.trigger: r for r in scores.results}
    assert "shelled" not in by_trigger  # news, not background
    assert all(r.story == "voa-1" for r in scores.results)  # VOA news only
    assert by_trigger["seized"].correct and by_trigger["seized"].got.start == dt.date(2019, 1, 1)
    # "before": right when undated or dated before the article (here the story told before it: 2011)
    fired = by_trigger["fired"]
    assert (
        fired.gold == "before"
        and fired.correct
        and (fired.got is None or fired.got.end < dt.date(2025, 3, 12))
    )
    assert not by_trigger["refused"].correct  # the gold story dates it 2018, which the text does not say
    summary = scores.as_dict()
    assert summary["before"] == {"total": 1, "correct": 1, "accuracy": 1.0}
    assert summary["dated"]["total"] == 5
    assert summary["undated_when_gold_dated"] == sum(
        r.gold != "before" and r.got is None for r in scores.results
    )


def test_an_undated_event_takes_the_time_of_the_story_told_just_before(parser):
    text = (
        "Militants stormed a base in Lamu in January 2020. Three Americans were killed. Two days later, the "
        "army retook the camp. Rebels fled. Prices have risen since the shelling."
    )
    stormed, killed, retook = _event(text, "stormed"), _event(text, "killed"), _event(text, "retook")
    fled, shelling = _event(text, "fled", "RETREAT"), _event(text, "shelling")
    dated = _dated(parser, text, [stormed, killed, retook, fled, shelling])
    assert (dated[1].date.start, dated[1].date.end) == (dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert dated[1].date.reason.endswith("the time of the story told before it ('stormed')")
    # a story told over several sentences: the time passes on from one to the next (tests/test_dates_story.py)
    # "Two days later" moves a story of January 2020 no further than its month (tests/test_dates_story.py)
    assert (dated[2].date.start, dated[2].date.end, dated[2].date.text) == (
        dt.date(2020, 1, 1), dt.date(2020, 1, 31), "Two days later")  # fmt: skip
    assert dated[2].date.reason.endswith("('killed')")
    assert dated[3].date.start == dt.date(2020, 1, 1) and dated[3].date.reason.endswith("('retook')")
    # an event told "since" is a landmark pointed at, not part of the story
    assert dated[4].date is None


@pytest.mark.parametrize(
    ("text", "trigger", "event_type", "source"),
    [
        ("Kyiv has resisted since Russia annexed four Ukrainian regions.", "annexed", "COERCE", ("RUS",)),
        ("Attacks rose after the U.S. withdrawal from Syria.", "withdrawal", "RETREAT", ("USA",)),
        ("Fighting spread after the incursion into Belgorod.", "incursion", "ASSAULT", ("UKR",)),
    ],
)
def test_a_word_that_names_several_events_needs_the_name(text, trigger, event_type, source):
    assert default_known_events().match(_event(text, trigger, event_type, source=source), text, PUB) is None
