"""The command-line interface. ``main`` is the console script; each module adds its commands.

Command modules (one per area) import ``cli`` / ``eval_group`` from ``detente.cli.main`` and
register on them; importing them here is what makes them appear in ``detente --help``.
"""

from __future__ import annotations

from detente.cli import (
    actors,  # noqa: F401
    claims,  # noqa: F401
    code,  # noqa: F401  (registers commands)
    dates,  # noqa: F401
    evaluate_events,  # noqa: F401
    export,  # noqa: F401
    kb,  # noqa: F401
    serve,  # noqa: F401
)
from detente.cli.main import cli


def main() -> None:
    cli(prog_name="detente")


__all__ = ["cli", "main"]
