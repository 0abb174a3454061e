"""The ``detente`` command group and what every command shares: error handling and output formats.

Commands are thin: they parse options, call a library function and print. Data goes to stdout,
progress and messages to stderr. A ``DetenteError`` becomes one line ``error: ...`` and exit code 1.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from detente.errors import ConfigError, DetenteError, DetenteWarning
from detente.version import __version__

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "detente.db"


class DetenteGroup(click.Group):
    """A group whose commands turn library errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            # The library says what it read differently than given (DetenteWarning); the CLI shows each
            # one as a line on stderr, every time (not once per code location, Python's default).
            warnings.simplefilter("always", DetenteWarning)
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except DetenteError as exc:
                click.echo(f"error: {exc}", err=True)
                ctx.exit(1)


_python_showwarning = warnings.showwarning


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    if issubclass(category, DetenteWarning):
        click.echo(f"warning: {message}", err=True)
    else:
        _python_showwarning(message, category, *args, **kwargs)


@click.group(
    cls=DetenteGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="detente")
def cli() -> None:
    """detente: sourced, structured event data from news reporting.

    \b
    Typical session:
      detente code articles/ --db detente.db       code files and folders into SQLite
      detente events --dyad RUS CHN                 what Russia and China did to each other
      detente show ARTICLE_ID                       one article with its actors, claims and events
      detente serve                                 browse it all at http://127.0.0.1:8000

    Every command has --help with examples.
    """


@cli.group("eval", cls=DetenteGroup)
def eval_group() -> None:
    """Score detente against gold files (dev gold or your own annotations)."""


def db_option(func: F) -> F:
    return click.option(
        "--db", "db", default=DEFAULT_DB, show_default=True, envvar="DETENTE_DB",
        help="SQLite file, or a postgresql:// URL.",
    )(func)  # fmt: skip


def format_option(
    default: str = "table", choices: Sequence[str] = ("table", "json", "jsonl", "csv")
) -> Callable[[F], F]:
    def decorator(func: F) -> F:
        return click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
            help="Output format: an aligned table for people, json/jsonl/csv for machines.",
        )(func)  # fmt: skip

    return decorator


def emit_rows(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print rows to stdout in the chosen format (sqlite-utils style)."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(render_table(rows, columns), nl=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ",".join(_cell(v) for v in value)
    return str(value)


def render_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], max_width: int = 48) -> str:
    rows = list(rows)
    if not rows:
        return "(no rows)\n"
    cells = [[_cell(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in cells]
    widths = [max(len(columns[i]), *(len(r[i]) for r in cells)) for i in range(len(columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    click.echo(message, err=True)


class LineError(Exception):
    """A line of a ``--file`` input that cannot be answered; its message becomes the line's answer."""


def answer_each_line(lines: Iterable[bytes], answer: Callable[[dict[str, Any]], Any], where: str) -> None:
    """JSON lines in, one JSON line out per line that is not blank, in order. A line that cannot be
    answered gets ``{"line", "error"}`` instead (its text too when it has one) and the rest are still
    answered; then exit code 1, with a count on stderr. A bad line never ends the run."""
    from detente.errors import RecordError
    from detente.ingest.text import scrub_all

    bad = total = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        total += 1
        item: Any = None
        try:
            try:
                item = scrub_all(json.loads(raw.decode("utf-8")))
            except UnicodeDecodeError as exc:
                raise LineError(f"is not UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start})") from exc
            except (ValueError, RecursionError) as exc:
                raise LineError(
                    f"is not valid JSON ({exc})" if isinstance(exc, ValueError) else "nests too deeply"
                ) from exc
            if not isinstance(item, dict):
                raise LineError("is not a JSON object")
            record = answer(item)
        except (LineError, DetenteError) as exc:
            record, bad = _line_error(number, item, str(exc)), bad + 1
        except Exception as exc:  # one line never ends the run: an unforeseen error is that line's answer
            message = f"could not be answered ({type(exc).__name__}: {exc})"
            record, bad = _line_error(number, item, message), bad + 1
        click.echo(json.dumps(record, ensure_ascii=False))
    if bad:
        raise RecordError(
            where, f"{bad} of {total} line(s) could not be answered", hint="their output lines say why"
        )


def _line_error(number: int, item: Any, message: str) -> dict[str, Any]:
    text = item.get("text") if isinstance(item, dict) and isinstance(item.get("text"), str) else None
    return {"line": number, **({"text": text} if text is not None else {}), "error": message}


def handles_errors(func: F) -> F:
    """For commands run outside the group (tests calling a command directly)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DetenteError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def existing_store(db: str) -> Iterator[Any]:
    """Open a store that must already exist: reading commands never create an empty database."""
    from detente.store import open_store

    if "://" not in db and not Path(db).exists():
        raise ConfigError(
            f"no database at {db}", hint=f"code some articles first: detente code PATH --db {db}"
        )
    store = open_store(db)
    try:
        yield store
    finally:
        store.close()
