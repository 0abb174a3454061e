"""``detente eval events``: scoring rules on a gold file written here, and the accuracy gate on dev gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.errors import RecordError
from detente.events.evaluation import choose_event, evaluate, fold_of, fold_scores, read_gold
from detente.events.news_evaluation import (
    NewsEvent,
    NewsScores,
    NewsSentence,
    SentenceResult,
    evaluate_news,
    is_news_gold,
    match,
    read_news_gold,
)
from detente.records import Event, Span
from tests.conftest import shared_path

# Regression floors, not evidence of accuracy: the shipped model was trained on the dev gold and on the
# VOA stories of tests/data/news_events.jsonl, so these are training-set figures (measured with the model of
# this release: dev type 0.899, macro-F1 0.916, source 0.873, target 0.856; the release before 0.918, 0.919,
# 0.905, 0.871 — of the source drop, 0.905 -> 0.885 came with the actors' fourth pass under the old model,
# and the model with sentence embeddings fits these sentences less tightly). The honest figures are
# cross-validated: `detente eval news` (dev gold by CV 0.816 / 0.808, the release before 0.810 / 0.815).
FLOORS = {"type_accuracy": 0.88, "macro_f1": 0.90, "source_country": 0.86, "target_country": 0.84}
# Regression floors a little under the shipped coder's figures on these files (dev P 0.79 F1 0.69, heldout
# P 0.72 F1 0.65). The coder's policy puts coded non-events first since issue 10's second pass, which
# raised precision and cost recall here (heldout F1 was 0.72 with the recall-first policy).
NEWS_FLOORS = {"dev": {"precision": 0.70, "f1": 0.65}, "heldout": {"precision": 0.65, "f1": 0.62}}
NEWS_GOLD = Path(__file__).parent / "data" / "news_events.jsonl"

GOLD = [
    {"id": "g1", "text": "Egypt attacked Libya on Monday.", "event": "FIGHT", "eventText": "attacked",
     "source": [{"actorText": "Egypt", "code": "EGY"}], "target": [{"actorText": "Libya", "code": "LBY"}]},
    {"id": "g2", "text": "Kenya demanded that Somalia release the hostages.", "event": "DEMAND",
     "eventText": "demanded release", "source": [{"actorText": "Kenya", "code": "KEN"}],
     "target": [{"actorText": "Somalia", "code": "SOM"}]},
    {"id": "g3", "text": "The weather was mild.", "event": "CONSULT", "eventText": "met", "source": [], "target": []},
]  # fmt: skip


def write_gold(tmp_path, rows):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_scores_on_a_small_gold_file(nlp, tmp_path):
    scores = evaluate(nlp, read_gold(write_gold(tmp_path, GOLD)))
    assert [r.gold.event_type for r in scores.results] == [
        "ASSAULT",
        "REQUEST",
        "CONSULT",
    ]  # legacy labels mapped
    assert [r.predicted_type for r in scores.results] == [
        "ASSAULT",
        "REQUEST",
        "NONE",
    ]  # no event counts as wrong
    assert scores.type_accuracy == pytest.approx(2 / 3, abs=1e-3)
    assert scores.country("source")["total"] == 2  # empty gold sets are reported apart
    assert scores.confusion()["CONSULT"] == {"NONE": 1}
    assert scores.per_type()["ASSAULT"]["precision"] == 1.0


def test_choose_event_prefers_the_trigger_in_event_text():
    def event(trigger: str, confidence: float) -> Event:
        span = Span(trigger, 0, len(trigger))
        return Event("i", "a", "ASSAULT", None, (), "material_conflict", -9.0, "asserted", (), (), span, span,
                     confidence=confidence)  # fmt: skip

    low, high = event("shelled", 0.5), event("said", 0.9)
    assert choose_event([low, high], "tanks shelled") is low
    assert choose_event([low, high], "nothing here") is high
    assert choose_event([], "x") is None


def test_folds_split_by_id_number_and_partition_the_results(nlp, tmp_path):
    assert [fold_of(f"X-{n:04d}", 2) for n in (1, 2, 3, 10)] == [1, 0, 1, 0]
    assert fold_of("no-number", 3) == fold_of("no-number", 3) in {0, 1, 2}  # stable without a number
    scores = evaluate(nlp, read_gold(write_gold(tmp_path, GOLD)))
    parts = fold_scores(scores, 2)
    assert sorted(r.gold.case_id for p in parts for r in p.results) == ["g1", "g2", "g3"]
    assert [p.total for p in parts] == [1, 2]  # g2 | g1, g3


def test_bad_gold_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "event": "HUG"}\n', encoding="utf-8")
    with pytest.raises(RecordError, match="line 1"):
        read_gold(path)


def test_cli_prints_scores(tmp_path, nlp):
    from detente.cli import cli

    result = CliRunner().invoke(cli, ["eval", "events", str(write_gold(tmp_path, GOLD[:2])), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["type_accuracy"] == 1.0 and data["source_country"]["total"] == 2
    folds = CliRunner().invoke(cli, ["eval", "events", str(write_gold(tmp_path, GOLD)), "--folds", "2"])
    assert folds.exit_code == 0 and "fold 2/2 (2 sentences)" in folds.output
    missing = CliRunner().invoke(cli, ["eval", "events", str(tmp_path / "absent.jsonl")])
    assert missing.exit_code == 1 and "error:" in missing.output


def test_dev_gold_accuracy_gate(nlp):
    scores = evaluate(nlp, read_gold(shared_path("eval", "plover_gsr_dev.jsonl")))
    got = {
        "type_accuracy": scores.type_accuracy,
        "macro_f1": scores.macro_f1,
        "source_country": scores.country("source")["accuracy"],
        "target_country": scores.country("target")["accuracy"],
    }
    below = {k: (v, FLOORS[k]) for k, v in got.items() if v < FLOORS[k]}
    assert not below, f"dev scores fell below their floors: {below}"


def _event(
    event_type: str, trigger: str, confidence: float = 0.5, source: str = "", target: str = ""
) -> Event:
    from detente.records import ActorRef

    def refs(code: str) -> tuple[ActorRef, ...]:
        return (ActorRef(code, 0, 0, code.lower(), code, code),) if code else ()

    span = Span(trigger, 0, len(trigger))
    return Event("i", "a", event_type, None, (), "material_conflict", -9.0, "asserted", refs(source), refs(target),
                 span, span, confidence=confidence)  # fmt: skip


def test_news_matching_is_one_to_one_on_type_and_a_trigger_word():
    gold = [NewsEvent("ASSAULT", frozenset({"EGY"}), frozenset({"LBY"}), "attacked"),
            NewsEvent("ACCUSE", frozenset(), frozenset(), "the accusation")]  # fmt: skip
    got = [_event("ASSAULT", "attacked", 0.9, "EGY", "SDN"), _event("ASSAULT", "attacked", 0.5),
           _event("ACCUSE", "accusation", 0.6), _event("REQUEST", "attacked", 0.7)]  # fmt: skip
    assert match(gold, got) == ((0, 0), (1, 2))  # stopwords do not match; a type must agree; once each
    sentence = NewsSentence("s", "dev", "x", tuple(gold))
    empty = NewsSentence("t", "heldout", "y", ())
    scores = NewsScores(
        (SentenceResult(sentence, tuple(got), match(gold, got)), SentenceResult(empty, (), ()))
    )
    figures = scores.figures()
    assert (figures["precision"], figures["recall"]) == (0.5, 1.0)
    assert (
        figures["type_actors"]["matched"] == 1
    )  # the target SDN disagrees with gold LBY; ACCUSE has no gold actors
    assert figures["no_event_clean"] == 1.0
    assert scores.split("heldout").figures()["sentences"] == 1


def test_news_gold_is_detected_and_scored_through_the_cli(tmp_path, nlp):
    from detente.cli import cli

    path = tmp_path / "news.jsonl"
    rows = [{"story_id": "1", "split": "dev", "text": "Egypt attacked Libya on Monday.",
             "events": [{"event_type": "ASSAULT", "source": ["EGY"], "target": ["LBY"], "trigger": "attacked"}]},
            {"story_id": "2", "split": "heldout", "text": "The weather was mild in Cairo.", "events": []}]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert is_news_gold(path) and not is_news_gold(tmp_path / "absent.jsonl")
    result = CliRunner().invoke(cli, ["eval", "events", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["precision"] == 1.0 and data["type_actors"]["recall"] == 1.0
    assert data["splits"]["heldout"]["no_event_clean"] == 1.0


def test_news_gold_precision_gate(nlp):
    cases = read_news_gold(NEWS_GOLD)
    assert len(cases) >= 80 and sum(not c.events for c in cases) >= 25
    scores = evaluate_news(nlp, cases)
    below = {}
    for split, floors in NEWS_FLOORS.items():
        figures = scores.split(split).figures()
        below.update({f"{split} {k}": (figures[k], v) for k, v in floors.items() if figures[k] < v})
    assert not below, f"news event scores fell below their floors: {below}"
