"""The CAMEO verb dictionary as a prior of the type model (detente.events.cameo)."""

from __future__ import annotations

import importlib.util

import pytest

from detente.events.cameo import CAMEO_VERBS, cameo_features, cameo_verbs
from tests.conftest import REPO, SHARED, shared_path


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_cameo_verbs", REPO / "scripts" / "build_cameo_verbs.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_shipped_table_is_what_the_build_script_makes_from_shared():
    shared_path("reference", "petrarch2", "CAMEO.2.0.txt")
    build = _build_module()
    rows = build.build(SHARED)
    shipped = [
        tuple(line.split("\t"))
        for line in CAMEO_VERBS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert shipped == [tuple(r) for r in rows]
    assert rows == build.build(SHARED)  # same input, same rows


def test_codes_map_to_plover_by_longest_prefix_and_statements_are_none():
    shared_path("reference", "CAMEO2PLOVER-2021.txt")
    build = _build_module()
    table = build.plover_table(SHARED / "reference" / "CAMEO2PLOVER-2021.txt")
    assert build.plover_of("112", table) == "ACCUSE"
    assert build.plover_of("173", table) == "COERCE"
    assert build.plover_of("042:043", table) == "CONSULT"  # a source:target pair takes the first code
    assert build.plover_of("010", table) == "NONE"  # "make a statement": speech, not an event
    assert build.plover_of("---", table) is None


def test_table_knows_the_verbs_of_the_field():
    verbs = cameo_verbs()
    assert verbs["condemn"].default == "ACCUSE"
    assert verbs["arrest"].default == "COERCE"
    assert verbs["deny"].major == "REJECT"
    # "deny the charges" is CAMEO 016, denying responsibility: a statement code, which PLOVER does not map
    assert verbs["deny"].patterns["charge"] == {"NONE"}
    assert "SANCTION" in verbs["call"].patterns["off"]


@pytest.mark.model
def test_features_read_the_verb_its_particle_and_its_object(parser):
    doc = parser("Moscow denied the charges and called off the talks. The minister glimpsed a bird.")
    by_text = {t.text: t for t in doc}
    denied = cameo_features(by_text["denied"])
    assert "cameo_pattern=NONE" in denied and "cameo_major=REJECT" in denied
    assert "cameo_pattern=SANCTION" in cameo_features(by_text["called"])
    assert cameo_features(by_text["charges"]) == []  # nouns: the dictionary is of verbs
    assert cameo_features(by_text["glimpsed"]) == ["cameo_unknown"]  # a verb the dictionary lacks
