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

from detente.errors import ConfigError, DetenteError, DetenteWarning, NotFoundError
from detente.version import __version__

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "detente.db"


FORMATS = ("table", "json", "jsonl", "csv")
# What an option takes, said when it is given too few values (click only says how many).
OPTION_USAGE = {"--dyad": "takes two actors separated by a space, e.g. --dyad RUS CHN"}


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
            except click.BadOptionUsage as exc:
                usage = OPTION_USAGE.get(exc.option_name)
                if usage is None:
                    raise
                raise click.BadOptionUsage(
                    exc.option_name, f"{exc.message.rstrip('.')}: {exc.option_name} {usage}.", exc.ctx
                ) from exc


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
    """Score detente against gold files (dev gold or your own annotations).

    \b
    Examples:
      detente eval claims tests/data/attributions.jsonl
      detente eval dates tests/data/date_cases.jsonl --format json
      detente eval events ../shared/eval/plover_gsr_dev.jsonl --failures
    """


def db_option(func: F) -> F:
    return click.option(
        "--db", "db", default=DEFAULT_DB, show_default=True, envvar="DETENTE_DB",
        help="SQLite file, or a postgresql:// URL.",
    )(func)  # fmt: skip


def format_option(
    default: str = "table", choices: Sequence[str] = FORMATS, *, json_alias: bool = False
) -> Callable[[F], F]:
    """``--format table|json|jsonl|csv``: the one output option of every command that prints data.

    ``json_alias`` adds ``--json``, the same as ``--format json``, for commands that had it before.
    """

    def decorator(func: F) -> F:
        func = click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
            callback=_format_or_json,
            help="Output format: an aligned table for people, json/jsonl/csv for machines.",
        )(func)  # fmt: skip
        if json_alias:
            func = click.option(
                "--json", "json_alias", is_flag=True, is_eager=True, expose_value=False, callback=_note_json,
                help="Same as --format json (kept for older scripts).",
            )(func)  # fmt: skip
        return func

    return decorator


def _note_json(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["detente.json"] = True


def _format_or_json(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not ctx.meta.get("detente.json"):
        return value
    given = ctx.get_parameter_source(param.name or "fmt") == click.core.ParameterSource.COMMANDLINE
    if given and value != "json":
        raise click.BadParameter(f"--json means --format json; give one of them, not --json with {value}")
    return "json"


def format_given(ctx: click.Context) -> bool:
    """Whether --format (or --json) was on the command line, not left at its default."""
    source = ctx.get_parameter_source("fmt")
    return bool(ctx.meta.get("detente.json")) or source == click.core.ParameterSource.COMMANDLINE


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


def emit_record(record: Mapping[str, Any], fmt: str) -> None:
    """Print one record: ``key  value`` lines for people, a JSON object, one JSON line, or a CSV header
    and one row (what pandas.read_csv reads as a one-row frame)."""
    if fmt == "table":
        width = max((len(k) for k in record), default=0)
        click.echo(
            "".join(f"{k.ljust(width)}  {_cell(v)}".rstrip() + "\n" for k, v in record.items()), nl=False
        )
    elif fmt == "json":
        emit_json(record)
    else:
        emit_rows([record], fmt, list(record))


def resolve_id(ids: Iterable[str], given: str, what: str = "article") -> str:
    """A full id, or a prefix of exactly one (as git takes commit ids). An ambiguous prefix is an error
    listing the ids it matches; an id matching nothing is returned as given (the store says not found)."""
    ids = set(ids)
    if given in ids:
        return given
    matches = sorted(i for i in ids if i.startswith(given))
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(matches[:10]) + (f" and {len(matches) - 10} more" if len(matches) > 10 else "")
        raise NotFoundError(
            f"{what} id prefix {given!r} is ambiguous: it starts {len(matches)} {what} ids: {shown}",
            hint="give more of the id",
        )
    return given


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


def answer_each_line(
    lines: Iterable[bytes], answer: Callable[[dict[str, Any]], Any], where: str, *, fmt: str = "jsonl",
    rows: Callable[[int, dict[str, Any]], list[dict[str, Any]]] | None = None, columns: Sequence[str] = (),
) -> None:  # fmt: skip
    """JSON lines in, one JSON line out per line that is not blank, in order. A line that cannot be
    answered gets ``{"line", "error"}`` instead (its text too when it has one) and the rest are still
    answered; then exit code 1, with a count on stderr. A bad line never ends the run.

    Other formats print every answer at the end: json a list of them, table and csv the flat ``rows`` of
    each answer (given its line number) under ``line``, ``columns`` and ``error``."""
    from detente.errors import RecordError
    from detente.ingest.text import scrub_all

    bad = total = 0
    answers: list[tuple[int, dict[str, Any]]] = []
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
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            answers.append((number, record))
    if fmt == "json":
        emit_json([record for _, record in answers])
    elif fmt != "jsonl":
        flat = [
            row for number, record in answers
            for row in ([record] if "error" in record or rows is None else rows(number, record))
        ]  # fmt: skip
        emit_rows(flat, fmt, ("line", *columns, "error"))
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
