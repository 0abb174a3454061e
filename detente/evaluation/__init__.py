"""Scoring detente against gold files: one module per area (dates, events, claims, ...).

Gold files are JSONL; :func:`read_cases` reads one with the same errors everywhere (the file and the
line, and what a line needs).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from detente.errors import InputError, RecordError
from detente.records import EVENT_TYPES, LEGACY_TYPES

T = TypeVar("T")


def read_cases(
    path: Path, build: Callable[[int, dict[str, Any]], T], *, hint: str, what: str = "gold"
) -> list[T]:
    """Each non-blank line of a JSONL file through ``build(line_number, data)``.

    An unreadable file raises InputError; a line that is not a JSON object, or that ``build`` rejects with
    ValueError/KeyError/TypeError, raises RecordError naming the file and the line; an empty file too.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(
            path, f"cannot read the {what} file: {exc.strerror or exc}", hint="check the path"
        ) from exc
    out: list[T] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            out.append(build(number, data))
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordError(path, f"line {number}: {exc}", hint=hint) from exc
    if not out:
        raise InputError(path, f"no cases in the {what} file", hint=hint)
    return out


def event_label(value: object) -> str:
    """A gold event type in today's PLOVER (older draft labels mapped); ValueError when unknown."""
    label = str(value).upper()
    label = LEGACY_TYPES.get(label, label)
    if label not in EVENT_TYPES:
        raise ValueError(f"unknown event type {value!r}")
    return label
