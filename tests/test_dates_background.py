"""Dates of background events: agreement rules, the case filter and the evaluation on a small corpus of
our own sentences (the real annotated news is read by ``detente eval dates --background``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.evaluation.dates import agrees, background_cases, evaluate_background_dates, gold_period
from detente.events.corpus import load_corpus
from detente.records import ResolvedDate
from detente.timex import is_length, resolve_date

PUB = dt.date(2025, 3, 12)


def _event(trigger: str, *, background: bool = True, date: str | None = None) -> dict:
    return {"type": "ASSAULT", "mode": None, "modality": "asserted", "trigger": trigger, "source": [],
            "target": [], "reciprocal": False, "background": background, "date": date}  # fmt: skip


# story id, publication date, [(sentence, [events])]
STORIES = [
    ("voa-1", "2025-03-12", [
        ("Rebels shelled the market on Tuesday, officials said.", [_event("shelled", background=False)]),
        ("The same group seized the airport in 2019.", [_event("seized", date="2019")]),
        ("Late last year, militants ambushed a convoy near the border.", [_event("ambushed", date="2024")]),
        ("The minister, 58, said troops were sentenced to six years in 2011.",
         [_event("sentenced", date="2011")]),
        ("Two days later, the army retook the town.", [_event("retook", date="2019-05")]),
        ("The relatives refused.", [_event("refused", date="2018")]),
        ("Police fired on the crowd before the war.", [_event("fired", date="before")]),
    ]),
    ("syn-2", "2025-03-12", [("Troops attacked the base in 2020.", [_event("attacked", date="2020")])]),
]  # fmt: skip


def _write_corpus(root: Path) -> Path:
    (root / "raw").mkdir(parents=True)
    sentences, records = [], []
    for story, published, lines in STORIES:
        for number, (text, events) in enumerate(lines):
            sid = f"{story}-{number:03d}"
            sentences.append(
                {"id": sid, "story": story, "published": published, "title": story, "text": text}
            )
            records.append({"id": sid, "events": events})
    (root / "sentences.jsonl").write_text("".join(json.dumps(s) + "\n" for s in sentences), encoding="utf-8")
    (root / "raw" / "annotator-1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return root


def test_gold_period():
    assert gold_period("2022") == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert gold_period("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert gold_period("2022-02-24") == (dt.date(2022, 2, 24), dt.date(2022, 2, 24))
    with pytest.raises(ValueError):
        gold_period("before")


@pytest.mark.parametrize(
    ("gold", "text", "right"),
    [
        ("2022-02-24", "in 2022", True),  # the text is coarser than the annotator's date
        ("2018", "late last year", True),  # finer: September to December 2018 (published 2019)
        ("2011", "since 2011", True),  # an open range dates the event by its start
        ("2019", "since 2011", False),  # ... and not by every year it covers
        ("2019", "in 2016", False),
        ("2019", "two days later", False),  # unresolved
    ],
)
def test_agreement_with_the_gold_date(gold, text, right):
    published = dt.date(2019, 6, 1)
    assert agrees(gold_period(gold), resolve_date(text, published), published) is right


def test_an_open_range_does_not_agree_through_its_end():
    got = ResolvedDate(dt.date(2011, 1, 1), PUB, "year", "range", "since 2011", "")
    assert not agrees(gold_period("2025"), got, PUB)
    closed = ResolvedDate(dt.date(2011, 1, 1), dt.date(2013, 12, 31), "year", "range", "2011-2013", "")
    assert agrees(gold_period("2013"), closed, PUB)


def test_lengths_and_counts_are_not_dates():
    assert is_length("six years") and is_length("40") and is_length("weeks") and is_length("annually")
    assert not is_length("2015") and not is_length("days later") and not is_length("three days ago")


def test_background_cases_are_dated_background_events_of_news_stories(tmp_path):
    cases = background_cases(load_corpus(_write_corpus(tmp_path)))
    assert [c.trigger for c in cases] == ["seized", "ambushed", "sentenced", "retook", "refused"]
    assert {c.story for c in cases} == {"voa-1"} and cases[0].published == PUB


@pytest.mark.model
def test_evaluation_on_a_small_corpus(parser, tmp_path):
    scores = evaluate_background_dates(parser, load_corpus(_write_corpus(tmp_path)))
    by_trigger = {r.case.trigger: r for r in scores.results}
    assert by_trigger["seized"].correct and by_trigger["ambushed"].correct
    # the length ("six years") and the age ("58") are passed over for "in 2011"
    assert by_trigger["sentenced"].correct and by_trigger["sentenced"].nearest.text == "2011"
    assert not by_trigger["retook"].correct and by_trigger["retook"].nearest.type == "unresolved"
    assert not by_trigger["refused"].stated  # no date in the sentence: counted apart
    assert (scores.correct, scores.total, scores.unstated) == (3, 4, 1)


@pytest.mark.model
def test_eval_dates_background_cli(tmp_path):
    root = _write_corpus(tmp_path / "annotations")
    result = CliRunner().invoke(cli, ["eval", "dates", "--background", "--annotations", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "background dates: 3/4 correct (75.0%)\n"
        "  not scored: 1 dated background events whose sentence states no date\n"
        "  FAIL voa-1-004 'retook' (gold 2019-05): 'Two days later' -> unresolved\n"
    )
    gated = CliRunner().invoke(cli, ["eval", "dates", "--background", "--annotations", str(root),
                                     "--min-accuracy", "0.85", "--json"])  # fmt: skip
    assert gated.exit_code == 1 and json.loads(gated.output)["unstated"] == 1


def test_eval_dates_background_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["eval", "dates"]).exit_code == 2
    both = runner.invoke(cli, ["eval", "dates", "cases.jsonl", "--background"])
    assert both.exit_code == 2 and "not both" in both.output
    missing = runner.invoke(cli, ["eval", "dates", "--background", "--annotations", str(tmp_path)])
    assert missing.exit_code == 1 and "sentences.jsonl" in missing.output


@pytest.mark.model
@pytest.mark.slow
def test_background_dates_of_the_annotated_news_stay_above_the_floor(parser):
    """The gate of issue 12 on the annotated VOA news, read as it stands (annotators are still adding)."""
    stories = load_corpus()
    if not background_cases(stories):
        pytest.skip("no annotated news story with a dated background event yet")
    scores = evaluate_background_dates(parser, stories)
    failures = [(r.case.sentence_id, r.case.trigger, r.case.gold) for r in scores.failures()]
    assert scores.accuracy >= 0.85, failures


@pytest.mark.model
@pytest.mark.slow
def test_the_dates_stage_on_the_annotated_news_stays_above_the_floor(parser):
    """Issue 12's target for what background events end up with (the stage on gold events, every step),
    read as the corpus stands: at least 85% of those with a gold date agree with it, and those marked
    "before" stay undated or before the article. Tuning figures (docs/dates-and-places.md)."""
    from detente.evaluation.dates import evaluate_background_stage

    summary = evaluate_background_stage(parser, load_corpus()).as_dict()
    if not summary["dated"]["total"]:
        pytest.skip("no annotated news story with a dated background event yet")
    failures = [(f["sentence_id"], f["trigger"], f["gold"]) for f in summary["failures"]]
    assert summary["dated"]["accuracy"] >= 0.85, failures
    assert summary["before"]["accuracy"] >= 0.95, failures


@pytest.mark.model
def test_the_coded_evaluation_scores_or_counts_every_gold_background_event(nlp, tmp_path):
    from detente.evaluation.dates import evaluate_background_coded

    scores = evaluate_background_coded(load_corpus(_write_corpus(tmp_path / "annotations")), nlp)
    # voa-1 holds six background events with a gold date or "before"; syn-2 is not VOA news
    assert len(scores.results) + sum(scores.missed.values()) == 6
    assert all(r.story == "voa-1" for r in scores.results)
    assert set(scores.missed) <= {"dated: not coded", "dated: coded as news", "before: not coded",
                                  "before: coded as news"}  # fmt: skip
    assert scores.as_dict()["missed"] == dict(scores.missed)


def test_coded_needs_the_stage(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "dates", "--background", "--coded"])
    assert result.exit_code == 2 and "--background --stage" in result.output
