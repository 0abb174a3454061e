"""Agreement between annotators and the adjudication of their disagreements (detente.events.agreement).
Sentences are our own; the last tests check the adjudicated records shipped in data/annotations/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from detente.events.agreement import agreement, differences, disagreements, main, settlement
from detente.events.corpus import ANNOTATIONS, RESERVED_VOA_IDS, annotation_problems, read_jsonl

TEXT = "Putin met Xi in Kazan and Russia accused Ukraine of shelling."


def _actor(text: str, country: str, sector: str = "GOV") -> dict[str, str]:
    return {"text": text, "country": country, "sector": sector}


def _event(event_type: str, trigger: str, source: list, target: list, **flags: Any) -> dict[str, Any]:
    return {"type": event_type, "mode": None, "modality": flags.pop("modality", "asserted"), "trigger": trigger,
            "source": source, "target": target, "reciprocal": flags.pop("reciprocal", False),
            "background": flags.pop("background", False), "date": flags.pop("date", None)}  # fmt: skip


MEETING = _event("CONSULT", "met", [_actor("Putin", "RUS"), _actor("Xi", "CHN")], [], reciprocal=True)
ACCUSATION = _event("ACCUSE", "accused", [_actor("Russia", "RUS")], [_actor("Ukraine", "UKR")])


def _kinds(first: list, second: list) -> list[str]:
    return sorted(d.kind for d in differences("s", TEXT, first, second))


def test_identical_annotations_do_not_disagree():
    assert _kinds([MEETING, ACCUSATION], [MEETING, ACCUSATION]) == []


def test_each_class_of_disagreement_is_found():
    assert _kinds([MEETING, ACCUSATION], [MEETING]) == ["event"]  # an event only one side has
    assert _kinds([], [MEETING]) == ["event"]
    assert _kinds([ACCUSATION], [ACCUSATION | {"type": "THREATEN"}]) == ["type"]
    assert _kinds([ACCUSATION], [ACCUSATION | {"trigger": "accused Ukraine"}]) == ["trigger"]
    wrong_target = ACCUSATION | {"target": [_actor("Ukraine", "UKR", "MIL")]}  # the sector counts too
    found = differences("s", TEXT, [ACCUSATION], [wrong_target])
    assert [(d.kind, d.fields) for d in found] == [("roles", ("target",))]
    assert _kinds([ACCUSATION], [ACCUSATION | {"background": True, "date": "before"}]) == ["flags"]
    assert _kinds([ACCUSATION], [ACCUSATION | {"modality": "possible"}]) == ["flags"]


def test_a_meeting_coded_as_one_sided_differs_in_roles_and_flags():
    one_sided = MEETING | {
        "source": [_actor("Putin", "RUS")],
        "target": [_actor("Xi", "CHN")],
        "reciprocal": False,
    }
    assert _kinds([MEETING], [one_sided]) == ["flags", "roles"]


def _corpus(tmp_path: Path, primary: dict, second: dict, adjudicated: dict | None = None) -> Path:
    texts = {"x-1": TEXT, "x-2": "The talks were useful, officials said.", "x-3": "Russia accused Ukraine."}
    (tmp_path / "raw").mkdir()
    with (tmp_path / "sentences.jsonl").open("w") as out:
        for sid, text in texts.items():
            out.write(
                json.dumps({"id": sid, "story": "x", "title": "", "published": None, "text": text}) + "\n"
            )
    for name, records in (("raw/annotator-1.jsonl", primary), ("raw/second.jsonl", second),
                          ("adjudicated.jsonl", adjudicated)):  # fmt: skip
        if records is not None:
            with (tmp_path / name).open("w") as out:
                out.writelines(json.dumps({"id": k, "events": v}) + "\n" for k, v in records.items())
    return tmp_path


def test_disagreements_are_listed_sentence_by_sentence(tmp_path: Path):
    root = _corpus(tmp_path, {"x-1": [MEETING, ACCUSATION], "x-2": [], "x-3": [ACCUSATION]},
                   {"x-1": [MEETING], "x-2": [], "x-3": [ACCUSATION]})  # fmt: skip
    listed = list(disagreements(root / "raw" / "second.jsonl", root))
    assert [(sid, [d.kind for d in found]) for sid, found in listed] == [("x-1", ["event"])]
    assert listed[0][1][0].first is ACCUSATION or listed[0][1][0].first == ACCUSATION
    assert listed[0][1][0].second is None


def test_settlement_says_which_side_was_taken_per_class():
    texts = {"a": TEXT, "b": TEXT, "c": TEXT, "d": TEXT}
    primary = {"a": [MEETING, ACCUSATION], "b": [ACCUSATION], "c": [ACCUSATION], "d": [MEETING]}
    second = {"a": [MEETING], "b": [ACCUSATION | {"type": "THREATEN"}], "c": [ACCUSATION | {"date": "2024"}],
              "d": []}  # fmt: skip
    settled = {
        "a": [MEETING, ACCUSATION],  # the primary's extra event kept
        "b": [ACCUSATION | {"type": "THREATEN"}],  # the second's type taken
        "c": [ACCUSATION | {"date": "2023"}],  # neither date
    }  # "d" left unsettled
    result = settlement(texts, primary, second, settled)
    assert dict(result["event"]) == {"primary kept": 1, "unsettled": 1}
    assert dict(result["type"]) == {"second taken": 1}
    assert dict(result["flags"]) == {"both revised": 1}
    assert sum(result["roles"].values()) == sum(result["trigger"].values()) == 0


def test_the_report_scores_each_annotator_against_the_adjudicated_records(tmp_path: Path):
    primary = {"x-1": [MEETING, ACCUSATION], "x-2": [], "x-3": [ACCUSATION]}
    second = {"x-1": [MEETING], "x-2": [], "x-3": [ACCUSATION]}
    root = _corpus(tmp_path, primary, second, {"x-1": [MEETING]})  # the second annotator was right
    report = agreement(root / "raw" / "second.jsonl", root)
    assert report["sentences_disagreeing"] == 1
    assert report["disagreements_by_class"]["event"] == 1
    assert report["settled_by_class"]["event"] == {"second taken": 1}
    scores = report["against_adjudicated"]
    assert scores["second annotator"]["event_f1_type_required"] == 1.0
    assert scores["primary (all files)"]["event_f1_type_required"] < 1.0
    assert scores["annotator-1"] == scores["primary (all files)"]  # one primary file here


def test_without_adjudication_the_report_is_agreement_only(tmp_path: Path):
    root = _corpus(
        tmp_path, {"x-1": [MEETING], "x-2": [], "x-3": []}, {"x-1": [MEETING], "x-2": [], "x-3": []}
    )
    report = agreement(root / "raw" / "second.jsonl", root)
    assert report["kappa_event_sentence"] == 1.0 and report["sentences_disagreeing"] == 0
    assert "against_adjudicated" not in report


def test_a_missing_or_broken_file_gets_one_line(tmp_path: Path, capsys):
    assert main([str(tmp_path / "none.jsonl")]) == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    assert main([str(broken)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(str(tmp_path) in line for line in lines)


# -- the shipped adjudication ---------------------------------------------------------------------------------

ADJUDICATED = ANNOTATIONS / "adjudicated.jsonl"


@pytest.mark.skipif(not ADJUDICATED.exists(), reason="no adjudicated records")
def test_every_overlap_disagreement_has_a_settled_record_with_notes():
    settled = {r["id"]: r for r in read_jsonl(ADJUDICATED)}
    listed = [sid for sid, _ in disagreements(ANNOTATIONS / "raw" / "second-annotator.jsonl")]
    assert listed and all(sid in settled for sid in listed)
    for sid in listed:
        record = settled[sid]
        # each settled event says which side was taken; an emptied record says it once for the sentence
        assert all(e.get("note") for e in record["events"]) if record["events"] else record.get("note")


@pytest.mark.skipif(not ADJUDICATED.exists(), reason="no adjudicated records")
def test_the_adjudicated_records_are_valid_and_use_no_reserved_story():
    texts = {r["id"]: r["text"] for r in read_jsonl(ANNOTATIONS / "sentences.jsonl")}
    for record in read_jsonl(ADJUDICATED):
        assert record["id"] in texts
        assert record["id"].removeprefix("voa-").split("-")[0] not in RESERVED_VOA_IDS
        assert list(annotation_problems(record, texts[record["id"]])) == []


@pytest.mark.skipif(not ADJUDICATED.exists(), reason="no adjudicated records")
def test_no_travel_or_entry_ban_is_left_as_a_sanction():
    """The guideline's rule (docs/annotation.md, 'Barring entry'): barring people from entering is REJECT.
    (Cutting travel links, "restrictions on travel to Beijing", stays SANCTION: the words below name a bar.)"""
    settled = {r["id"]: r["events"] for r in read_jsonl(ADJUDICATED)}
    for path in sorted((ANNOTATIONS / "raw").glob("annotator-*.jsonl")):
        for record in read_jsonl(path):
            for event in settled.get(record["id"], record["events"]):
                trigger = event["trigger"].lower()
                barring = any(word in trigger for word in ("visa", "barred", "entry", "from entering"))
                assert not (barring and event["type"] == "SANCTION"), (record["id"], event["trigger"])
