"""The motivating article through the CLI and the Python API, as a user runs them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import detente
from detente.cli import cli
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def bundle(nlp) -> dict:
    result = CliRunner().invoke(cli, ["code", str(EXAMPLE), "--db", ":memory:", "--jsonl", "-", "-q"])
    assert result.exit_code == 0, result.stderr
    [line] = result.stdout.splitlines()
    return json.loads(line)


def test_sidecar_metadata_dates_the_article(bundle):
    assert bundle["article"]["published"] == "2025-06-09"
    assert bundle["article"]["title"].startswith("The Russian Secret Service FSB")


def test_actors_include_russia_china_and_ukraine_with_codes(bundle):
    countries = {(a["text"], a["country"]) for a in bundle["actors"]}
    assert ("Russia", "RUS") in countries
    assert ("China", "CHN") in countries
    assert ("Ukraine", "UKR") in countries
    text = bundle["article"]["text"]
    for actor in bundle["actors"]:
        assert text[actor["start"] : actor["end"]] == actor["text"]


def test_events_include_russias_invasion_of_ukraine(bundle):
    invasions = [
        e for e in bundle["events"]
        if e["event_type"] == "ASSAULT"
        and "RUS" in {a["country"] for a in e["source"]} and "UKR" in {a["country"] for a in e["target"]}
    ]  # fmt: skip
    assert invasions
    assert any(e["date"] and e["date"]["start"].startswith("2022-02") for e in invasions)


def test_every_event_has_evidence_and_a_claim(bundle):
    text = bundle["article"]["text"]
    claim_ids = {c["id"] for c in bundle["claims"]}
    for event in bundle["events"]:
        trigger = event["trigger"]
        assert text[trigger["start"] : trigger["end"]] == trigger["text"]
        assert 0 < event["confidence"] <= 1
        assert event["claim_id"] in claim_ids


def test_python_api_codes_texts_and_skips_other_languages():
    bundles = detente.code_texts(
        [
            "Russian troops attacked the Ukrainian city of Kharkiv on Monday.",
            {
                "text": "Der russische Geheimdienst FSB betrachtet China als Feind und warnt vor Spionage.",
                "outlet": "X",
            },
        ],
        published="2024-03-06",
    )
    first, second = bundles
    assert first.article.published.isoformat() == "2024-03-06"
    assert [(e.event_type, e.source[0].country, e.target[0].country) for e in first.events][:1] == [
        ("ASSAULT", "RUS", "UKR")
    ]
    assert second.article.skip_reason and not second.events and second.article.outlet == "X"


def _boom_stage(nlp, name, min_confidence: float = 0.35):
    def stage(doc):
        if "BOOM" in doc.text:
            raise ValueError("a third-party stage tripped")
        return doc

    return stage


def test_code_texts_gives_one_result_per_text_and_a_bad_text_costs_no_other():
    from detente.stages.factory import register_stage

    register_stage("tests.boom.v1", _boom_stage, default_config={"min_confidence": 0.35})
    settings = detente.Settings(stages=(*detente.Settings().stages, "tests.boom.v1"), max_chars=1000)
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    results = detente.code_texts(
        [
            "Russian troops attacked the Ukrainian city of Kharkiv on Monday.",
            "",
            None,
            "Russia and China met. " * 100,
            "BOOM: Russia and China signed an energy deal in Beijing on Tuesday.",
            {"text": "China and Russia signed an energy agreement in Beijing on Tuesday.", "tags": deep},
            "China and Russia signed an energy agreement in Beijing on Tuesday.",
        ],
        published="2024-03-06",
        settings=settings,
    )
    assert [type(r).__name__ for r in results] == [
        "Bundle", "EmptyInputError", "EmptyInputError", "TooLargeError", "CodingError", "RecordError", "Bundle",
    ]  # fmt: skip
    assert results[0].events[0].event_type == "ASSAULT" and results[6].events
    assert str(results[1]) == "text 2: has no text to code"
    coding = results[4]
    assert isinstance(coding, detente.CodingError) and coding.failure.stage == "tests.boom.v1"
    assert str(coding).startswith(
        "text 5: coding failed: ValueError: a third-party stage tripped in tests.boom.v1"
    )
    assert str(results[5]) == "text 6: nests deeper than 32 levels (flatten its extra fields)"


def test_the_west_is_the_wst_pseudo_country(bundle):
    sanctions = [
        e for e in bundle["events"] if e["event_type"] == "SANCTION" and e["trigger"]["text"] == "sanctions"
    ]
    assert [([a["country"] for a in e["source"]], [a["country"] for a in e["target"]]) for e in sanctions][
        :1
    ] == [(["WST"], ["RUS"])]
    services = [a for a in bundle["actors"] if a["text"].startswith("Western news services")]
    assert [(a["country"], a["sector"]) for a in services] == [("WST", "JRN")]
