"""Dates of background events from what is around them: a clause the event's own governs, the story told
over several sentences, the same act told in other words, and a news-day frame that is not the event's
time. Sentences are our own, written for these tests; events are built by hand on the parse (so these
check dating, whatever the event coder does)."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.stages.dates import date_step, resolve_from
from detente.timex import resolve_date
from tests.test_known_events import PUB, _dated, _event


def _span(event):
    return (event.date.start, event.date.end) if event.date is not None else None


# ------------------------------------------------------------------ a clause the event's own governs


def test_a_date_in_a_clause_the_event_governs_dates_it(parser):
    text = "The army launched a campaign to drive the rebels out of the hills in 2016."
    [event] = _dated(parser, text, [_event(text, "launched a campaign", source=("NGA",))])
    assert _span(event) == (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    assert event.date.reason.endswith("governs the event's subordinate clause")


def test_a_date_on_the_subject_clause_dates_the_act(parser):
    text = "An earlier complaint filed in May accused the police of torture."
    [event] = _dated(parser, text, [_event(text, "accused", "ACCUSE", source=("KEN",))])
    assert _span(event) == (dt.date(2024, 5, 1), dt.date(2024, 5, 31))


def test_the_subordinate_date_beats_the_reporting_clause(parser):
    text = "The senator, who resigned after losing the vote in 2019, spoke to reporters on Tuesday."
    [event] = _dated(parser, text, [_event(text, "resigned", "RETREAT", source=("BRA",))])
    assert _span(event) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))


def test_a_news_event_still_takes_its_own_clause_date(parser):
    text = "The senator, who resigned after losing the vote in 2019, spoke to reporters on Tuesday."
    [event] = _dated(parser, text, [_event(text, "spoke", "CONSULT", source=("BRA",), background=False)])
    assert _span(event) == (dt.date(2025, 3, 11), dt.date(2025, 3, 11))


# ------------------------------------------------------------------ a story told over several sentences


STORY = (
    "Rebels seized the town of Ashar in March 2019. Soldiers abandoned their posts. Later the rebels "
    "burned the market. Hundreds of families fled south. On Tuesday, the army retook the town. "
    "Several officers were arrested."
)


def test_the_story_time_passes_from_sentence_to_sentence(parser):
    events = [
        _event(STORY, "seized", "COERCE"), _event(STORY, "abandoned", "RETREAT"), _event(STORY, "burned"),
        _event(STORY, "fled", "RETREAT"), _event(STORY, "retook", background=False),
        _event(STORY, "arrested", "COERCE"),
    ]  # fmt: skip
    dated = _dated(parser, STORY, events)
    march = (dt.date(2019, 3, 1), dt.date(2019, 3, 31))
    assert [_span(e) for e in dated[:4]] == [march] * 4
    assert dated[3].date.reason.endswith("the time of the story told before it ('burned')")
    # the news sentence ends the story: what follows it is not told at the story's time
    assert dated[5].date is None


def test_events_are_dated_in_the_order_of_the_text_whatever_their_order(parser):
    events = [_event(STORY, "fled", "RETREAT"), _event(STORY, "burned"), _event(STORY, "seized", "COERCE")]
    dated = _dated(parser, STORY, events)
    assert [e.trigger.text for e in dated] == ["fled", "burned", "seized"]  # the order given is kept
    assert all(_span(e) == (dt.date(2019, 3, 1), dt.date(2019, 3, 31)) for e in dated)


def test_the_story_reaches_back_a_paragraph_at_most(parser):
    quiet = " ".join(f"Witness number {n} spoke about it." for n in range(5))
    text = f"Rebels seized the town in March 2019. {quiet} The rebels burned the market."
    dated = _dated(parser, text, [_event(text, "seized", "COERCE"), _event(text, "burned")])
    assert dated[1].date is None


def test_a_state_told_in_the_present_takes_no_story_time(parser):
    text = (
        "The group seized the port in 2019. It has attacked ships ever since. It opposes the deal. "
        "It never returned the cargo."
    )
    events = [
        _event(text, "seized", "COERCE", source=("YEM",)), _event(text, "attacked", source=("YEM",)),
        _event(text, "opposes", "REJECT", source=("YEM",)), _event(text, "returned", "CONCEDE", source=("YEM",)),
    ]  # fmt: skip
    dated = _dated(parser, text, events)
    assert dated[1].date is None and dated[2].date is None
    assert _span(dated[3]) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))


# ------------------------------------------------------------------ the same act in other words


def test_the_same_act_told_in_other_words_takes_its_date(parser):
    text = (
        "The two presidents clashed in the Oval Office on Feb. 28. Lawmakers met on Tuesday. The "
        "leaders also publicly disagreed about who started the war."
    )
    clash = _event(text, "clashed", "ACCUSE", source=("USA",), target=("UKR",))
    met = _event(text, "met", "CONSULT", source=("USA",), background=False)
    disagreed = _event(text, "publicly disagreed", "ACCUSE", source=("USA",), target=("UKR",))
    dated = _dated(parser, text, [clash, met, disagreed])
    assert _span(dated[2]) == (dt.date(2025, 2, 28),) * 2
    assert dated[2].date.reason.endswith(
        "the same act in other words, dated earlier in the article ('clashed')"
    )


def test_other_words_with_two_dates_date_nothing(parser):
    text = (
        "The two presidents clashed in the Oval Office on Feb. 28. They quarrelled again in 2019. "
        "Lawmakers met on Tuesday. The leaders also publicly disagreed about who started the war."
    )
    events = [
        _event(text, "clashed", "ACCUSE", source=("USA",), target=("UKR",)),
        _event(text, "quarrelled", "ACCUSE", source=("USA",), target=("UKR",)),
        _event(text, "met", "CONSULT", source=("USA",), background=False),
        _event(text, "publicly disagreed", "ACCUSE", source=("USA",), target=("UKR",)),
    ]
    assert _dated(parser, text, events)[3].date is None


def test_other_words_need_exactly_the_same_countries(parser):
    text = "Troops shelled the border post in 2021. Lawmakers met on Tuesday. Gunmen attacked a convoy."
    events = [
        _event(text, "shelled", source=("ETH",), target=("ERI",)),
        _event(text, "met", "CONSULT", source=("ETH",), background=False),
        _event(text, "attacked", source=("ETH",), target=("SOM",)),
    ]
    assert _dated(parser, text, events)[2].date is None


# ------------------------------------------------------------------ a frame of the news' days


def test_a_news_day_frame_gives_way_to_the_same_act_dated_elsewhere(parser):
    text = (
        "Agents foiled a plot to kill the editor in 2022. Prosecutors said on Tuesday that Tehran paid "
        "the men to plan the murder."
    )
    plot = _event(text, "plot", source=("IRN",), target=("USA",))
    plan = _event(text, "plan the murder", source=("IRN",), target=("USA",))
    dated = _dated(parser, text, [plot, plan])
    assert _span(dated[1]) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_a_past_frame_stays_the_event_time(parser):
    text = (
        "Relations broke down in 2018 over the crackdown on protesters. Ties soured again in 2010 after "
        "commandos stormed the ship."
    )
    crackdown = _event(text, "crackdown", "COERCE", source=("ISR",), target=("PSE",))
    stormed = _event(text, "stormed", "COERCE", source=("ISR",), target=("PSE",))
    dated = _dated(parser, text, [crackdown, stormed])
    assert _span(dated[1]) == (dt.date(2010, 1, 1), dt.date(2010, 12, 31))


# ------------------------------------------------------------------ times named by the story's


def test_an_expression_that_names_a_time_by_the_story_moves_the_story_time(parser):
    text = (
        "Rebels seized the town on March 3, 2019. Two days later, the army retook it. The following "
        "year, the rebels attacked again. At the time, officials blamed the drought."
    )
    events = [
        _event(text, "seized", "COERCE"), _event(text, "retook", "COERCE"), _event(text, "attacked"),
        _event(text, "blamed", "ACCUSE"),
    ]  # fmt: skip
    dated = _dated(parser, text, events)
    assert _span(dated[1]) == (dt.date(2019, 3, 5),) * 2
    assert dated[1].date.text == "Two days later"
    assert _span(dated[2]) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert _span(dated[3]) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))  # "at the time": the story's


def test_a_news_event_told_the_next_day_follows_the_news_before_it(parser):
    text = "Protesters gathered outside parliament on Monday. The next day, police dispersed them."
    events = [
        _event(text, "gathered", "PROTEST", background=False),
        _event(text, "dispersed", "COERCE", background=False),
    ]
    dated = _dated(parser, text, events)
    assert _span(dated[1]) == (dt.date(2025, 3, 11),) * 2
    alone = _dated(parser, text, [events[1]])[0]  # nothing before it: the publication date, with why
    assert alone.date.reason.startswith("publication")


@pytest.mark.parametrize(
    ("reference", "text", "expected"),
    [
        ("in 2018", "later that year", ("2018-01-01", "2018-12-31", "year")),
        ("in 2018", "the following year", ("2019-01-01", "2019-12-31", "year")),
        ("in 2018", "two years earlier", ("2016-01-01", "2016-12-31", "year")),
        ("in 2018", "two days later", ("2018-01-01", "2018-12-31", "year")),  # finer than the story's year
        ("on March 3, 2019", "the next day", ("2019-03-04", "2019-03-04", "day")),
        ("on March 3, 2019", "that month", ("2019-03-01", "2019-03-31", "month")),
        ("on March 3, 2019", "three months later", ("2019-06-01", "2019-06-30", "month")),
        ("on March 3, 2019", "at the time", ("2019-03-03", "2019-03-03", "day")),
        ("in March 2019", "the previous month", ("2019-02-01", "2019-02-28", "month")),
    ],
)
def test_resolve_from_the_story_time(reference, text, expected):
    got = resolve_from(text, resolve_date(reference, PUB))
    assert (got.start.isoformat(), got.end.isoformat(), got.granularity) == expected


@pytest.mark.parametrize("text", ["last week", "in 2019", "two days", "the talks"])
def test_resolve_from_leaves_other_expressions(text):
    assert resolve_from(text, resolve_date("in 2018", PUB)) is None


def test_a_present_reported_by_a_past_verb_is_told_in_the_past(parser):
    text = (
        "The tribunal ruled against the government in 2019. The judges added that the state is under a "
        "duty to return the land. Officials say the ministry opposes the ruling."
    )
    events = [
        _event(text, "ruled", "ACCUSE", source=("IGO",)),
        _event(text, "is under a duty", "REQUEST", source=("IGO",)),
        _event(text, "opposes", "REJECT", source=("GBR",)),
    ]
    dated = _dated(parser, text, events)
    assert _span(dated[1]) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert dated[2].date is None  # said now, about a state that lasts: no story time


def test_date_step_names_the_step_that_gave_the_date(parser):
    text = (
        "Rebels seized the town in March 2019. The rebels burned the market. Since the full-scale invasion, "
        "trade has fallen."
    )
    events = [
        _event(text, "seized", "COERCE"), _event(text, "burned"),
        _event(text, "full-scale invasion", source=("RUS",), target=("UKR",)),
    ]  # fmt: skip
    dated = _dated(parser, text, events)
    assert [date_step(e.date) for e in dated] == ["own", "story's time", "pack"]
    assert date_step(None) == "none"


def test_the_stage_evaluation_counts_dates_by_step(parser, tmp_path):
    from detente.evaluation.dates import evaluate_background_stage
    from detente.events.corpus import load_corpus
    from tests.test_dates_background import _write_corpus

    summary = evaluate_background_stage(
        parser, load_corpus(_write_corpus(tmp_path / "annotations"))
    ).as_dict()
    for part in ("dated", "before"):
        assert sum(s[part]["total"] for s in summary["by_step"].values()) == summary[part]["total"]
        assert sum(s[part]["correct"] for s in summary["by_step"].values()) == summary[part]["correct"]
