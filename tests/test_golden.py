"""Golden article bundles: the motivating article and a demo report coded end to end.

Any change in what detente codes for these articles shows up here as a diff to review. When the
change is intended, regenerate with ``DETENTE_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
commit the new files with the change that caused them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from detente.cli.code import bundle_document
from detente.ingest import IngestOptions, read_paths
from detente.pipeline import code_articles
from tests.conftest import REPO

pytestmark = pytest.mark.model
GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "fsb-china-partnership": REPO / "examples" / "fsb-china-partnership.txt",
    "demo-corpus-first": REPO / "examples" / "demo-corpus.jsonl",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bundle_matches_golden(name: str, nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # relative paths in meta.source: the golden file is the same in any checkout
    [article] = [a for a in read_paths([CASES[name].relative_to(REPO)], IngestOptions())][:1]
    bundle = bundle_document(next(code_articles([article], nlp=nlp)))
    path = GOLDEN / f"{name}.json"
    rendered = json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("DETENTE_UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert bundle["article"] == expected["article"]
    for key in ("actors", "claims", "events", "dates", "places", "divergences"):
        assert bundle[key] == expected[key], (
            f"{key} differ from tests/golden/{name}.json (see module docstring)"
        )
