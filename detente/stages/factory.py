"""Registering a stage: the one way built-in and third-party stages become spaCy components.

spaCy 3.8's ``@Language.factory`` rejects dots in factory names, but detente's stage names are
versioned and dotted (``detente.events.v1``, ``myorg.sentiment.v2``). ``stage_factory`` registers
through spaCy's own registry with the same metadata the decorator records (default config, what the
stage reads and writes), so ``nlp.add_pipe("detente.events.v1")`` and ``nlp.analyze_pipes()`` work as
for any component. A third-party package uses it exactly like the built-ins::

    from detente.stages.factory import stage_factory

    @stage_factory("myorg.sentiment.v1", assigns=["doc._.events"], requires=["doc._.claims"])
    def make_sentiment(nlp, name, min_confidence: float = 0.35):
        return SentimentStage(min_confidence)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from spacy.errors import Errors
from spacy.language import FactoryMeta, Language
from spacy.util import SimpleFrozenDict, registry

F = TypeVar("F", bound=Callable[..., Any])


def register_stage(
    name: str, func: Callable[..., Any], *, default_config: Mapping[str, Any] | None = None,
    assigns: Iterable[str] = (), requires: Iterable[str] = (),
) -> None:  # fmt: skip
    """Register ``func(nlp, name, **config) -> component`` under ``name`` (idempotent).

    Also declares detente's ``doc._`` attributes, so a registered stage can always read and write them,
    whichever pipeline it is added to.
    """
    from detente.pipeline import register_extensions

    register_extensions()
    internal = Language.get_factory_name(name)
    if internal in registry.factories:
        return
    registry.factories.register(internal, func=func)
    meta = FactoryMeta(
        factory=name,
        default_config=dict(default_config or {}),
        assigns=list(assigns),
        requires=list(requires),
    )
    Language.set_factory_meta(name, meta)
    _refresh_factory_snapshots(Language)


def _refresh_factory_snapshots(cls: type[Language]) -> None:
    """spaCy keeps a frozen snapshot of the registry on each Language class that registered a factory of its
    own (``English`` does on the first model load); without a refresh, a stage registered after a model was
    loaded is missing from ``nlp.factory_names`` of every English pipeline."""
    if cls is Language or "factories" in vars(cls):
        cls.factories = SimpleFrozenDict(registry.factories.get_all(), error=Errors.E957)
    for subclass in cls.__subclasses__():
        _refresh_factory_snapshots(subclass)


def stage_factory(
    name: str, *, default_config: Mapping[str, Any] | None = None, assigns: Iterable[str] = (),
    requires: Iterable[str] = (),
) -> Callable[[F], F]:  # fmt: skip
    """Decorator form of :func:`register_stage`."""

    def decorator(func: F) -> F:
        register_stage(name, func, default_config=default_config, assigns=assigns, requires=requires)
        return func

    return decorator
