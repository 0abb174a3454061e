"""``detente dates`` (resolve date expressions) and ``detente eval dates`` (score the resolver)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from detente.cli.main import (
    LineError,
    answer_each_line,
    cli,
    emit_json,
    emit_record,
    emit_rows,
    eval_group,
    format_given,
    format_option,
)
from detente.errors import InputError
from detente.evaluation.dates import evaluate_dates, load_cases
from detente.records import ResolvedDate, parse_published, to_dict
from detente.timex import resolve_date

FIELDS = ("text", "start", "end", "granularity", "type", "reason")


def _pub_date(value: Any, where: str) -> dt.date | None:
    parsed = parse_published(value)
    if value not in (None, "") and parsed is None:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=where)
    return parsed.date() if isinstance(parsed, dt.datetime) else parsed


def _record(date: ResolvedDate) -> dict[str, Any]:
    data = to_dict(date)
    return {k: data[k] for k in FIELDS}


def _resolve_file(path: Path, default_pub: dt.date | None, fmt: str) -> None:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="--file") from exc
    with handle:
        answer_each_line(
            handle, lambda item: _resolve_item(item, default_pub), str(path), fmt=fmt,
            rows=lambda line, record: [{"line": line, **record}], columns=FIELDS,
        )  # fmt: skip


def _resolve_item(item: dict[str, Any], default_pub: dt.date | None) -> dict[str, Any]:
    text = item.get("text")
    if not isinstance(text, str):
        raise LineError('needs "text": a date expression (a string)')
    pub = default_pub
    if item.get("pub_date") not in (None, ""):
        raw = item["pub_date"]
        # A number is no date: 20250609 or 1749427200 would be read as something, silently.
        parsed = parse_published(raw) if isinstance(raw, str) else None
        if parsed is None:
            raise LineError(f"'pub_date' {json.dumps(raw)[:40]} is not a date; use YYYY-MM-DD")
        pub = parsed.date() if isinstance(parsed, dt.datetime) else parsed
    return _record(resolve_date(text, pub))


@cli.command("dates")
@click.argument("text", required=False)
@click.option(
    "--pub-date", "pub_date", help="Publication date (YYYY-MM-DD) that relative expressions resolve against."
)
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False),
              help='JSONL of {"text", "pub_date"}: one JSON line out per line in, in order (unless --format '
                   'says otherwise); a line that cannot be read gets {"line", "error"} and the exit code is 1.')  # fmt: skip
@format_option(json_alias=True)
@click.pass_context
def dates_command(
    ctx: click.Context, text: str | None, pub_date: str | None, file: Path | None, fmt: str
) -> None:
    """Resolve a date expression against a publication date.

    Prints start, end, granularity (day, week, month, quarter, year, decade), type (exact,
    approximate, range, unresolved) and the reason. Without --pub-date only absolute dates resolve;
    durations ("three days of clashes") and event anniversaries stay unresolved, with why.

    \b
    Examples:
      detente dates "last Sunday" --pub-date 2025-06-09
      detente dates "from the end of 2023 or the beginning of 2024" --format json
      detente dates --file expressions.jsonl
      detente dates --file expressions.jsonl --format csv > resolved.csv
    """
    pub = _pub_date(pub_date, "--pub-date")
    if file is not None:
        if text is not None:
            raise click.UsageError("give either TEXT or --file, not both")
        _resolve_file(file, pub, fmt if format_given(ctx) else "jsonl")
        return
    if text is None:
        raise click.UsageError("give a date expression (TEXT) or --file FILE")
    emit_record(_record(resolve_date(text, pub)), fmt)


@eval_group.command("dates")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), required=False)
@format_option(json_alias=True)
@click.option("--min-accuracy", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Exit with code 1 when accuracy falls below this (a CI gate).")  # fmt: skip
@click.option("--background", is_flag=True,
              help="Score the dates of background events in the annotated VOA news instead of a case file.")  # fmt: skip
@click.option("--annotations", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The annotated corpus for --background (default: data/annotations).")  # fmt: skip
@click.option("--stage", is_flag=True,
              help="With --background: score the dates stage as a whole on the gold events (every background "
                   "event, 'before' included), not the expression nearest the trigger.")  # fmt: skip
@click.option("--coded", is_flag=True,
              help="With --background --stage: date the coder's own events (the whole pipeline) instead of the "
                   "gold events; gold background events it misses or codes as news are counted apart.")  # fmt: skip
def eval_dates_command(
    file: Path | None,
    fmt: str,
    min_accuracy: float,
    background: bool,
    annotations: Path | None,
    stage: bool,
    coded: bool,
) -> None:
    """Score the date resolver on a JSONL of {text, pub_date, expected} cases.

    ``expected`` holds any of start, end, granularity and type; only the keys given are compared
    (``tolerance_days`` on a case widens start/end; ``future: true`` resolves as in a sentence about
    the future). Unresolved cases are {"type": "unresolved"}.

    With --background, every background event of the annotated VOA news with a gold date is checked
    instead: the date expression nearest its trigger (in the trigger's clause first), resolved against
    the publication date, must agree with the gold date. Events whose sentence states no date are
    counted apart. The corpus is read as it stands (annotators are still adding stories). With --stage
    too, the dates stage dates the story's gold events (their types, countries and background flags) and
    every background event is scored: a gold date must agree, "before" must stay undated or be dated
    before the article; the table has one row for each, the count by the step that gave the date, and
    the failures. With --coded too, the whole pipeline codes the stories and the coder's own events are
    dated (gold background events it misses or codes as news are counted apart).

    json gives the scores with the failures; jsonl and csv one row of scores, then one per type of date.

    \b
    Examples:
      detente eval dates tests/data/date_cases.jsonl
      detente eval dates tests/data/date_cases_news.jsonl --format csv
      detente eval dates --background --min-accuracy 0.85
      detente eval dates --background --stage
      detente eval dates --background --stage --coded
    """
    if stage and not background:
        raise click.UsageError("--stage scores background events: give --background too")
    if coded and not stage:
        raise click.UsageError(
            "--coded scores the dates stage on the coder's events: give --background --stage"
        )
    if background:
        if file is not None:
            raise click.UsageError("give either FILE or --background, not both")
        if stage:
            _eval_background_stage(annotations, fmt, min_accuracy, coded)
        else:
            _eval_background(annotations, fmt, min_accuracy)
        return
    if file is None:
        raise click.UsageError("give a case FILE or --background")
    scores = evaluate_dates(load_cases(file))
    if fmt == "json":
        emit_json(scores.as_dict())
    elif fmt != "table":
        rows = [{"type": "all", "correct": scores.correct, "total": scores.total,
                 "accuracy": round(scores.accuracy, 4)}]  # fmt: skip
        rows += [
            {
                "type": kind,
                "correct": correct,
                "total": total,
                "accuracy": round(correct / total, 4) if total else None,
            }
            for kind, (correct, total) in sorted(scores.by_type.items())
        ]
        emit_rows(rows, fmt)
    else:
        click.echo(f"dates: {scores.correct}/{scores.total} correct ({scores.accuracy:.1%})")
        for kind, (correct, total) in sorted(scores.by_type.items()):
            click.echo(f"  {kind:<12} {correct}/{total}")
        for failure in scores.failures():
            pub = failure.case.pub_date.isoformat() if failure.case.pub_date else "none"
            click.echo(f"  FAIL {failure.case.text!r} (pub {pub}): {'; '.join(failure.mismatches)}")
    if scores.accuracy < min_accuracy:
        raise click.exceptions.Exit(1)


def _eval_background(annotations: Path | None, fmt: str, min_accuracy: float) -> None:
    from detente.config import Settings
    from detente.evaluation.dates import evaluate_background_dates
    from detente.events.corpus import ANNOTATIONS, load_corpus
    from detente.pipeline import load_nlp

    root = annotations or ANNOTATIONS
    if not (root / "sentences.jsonl").is_file():
        raise InputError(root, "no sentences.jsonl here", hint="point --annotations at data/annotations")
    scores = evaluate_background_dates(load_nlp(Settings(stages=())), load_corpus(root))
    if fmt == "json":
        emit_json(scores.as_dict())
    elif fmt != "table":
        emit_rows([{"type": "background", "correct": scores.correct, "total": scores.total,
                    "accuracy": round(scores.accuracy, 4), "unstated": scores.unstated}], fmt)  # fmt: skip
    else:
        click.echo(f"background dates: {scores.correct}/{scores.total} correct ({scores.accuracy:.1%})")
        click.echo(f"  not scored: {scores.unstated} dated background events whose sentence states no date")
        for failure in scores.failures():
            case, got = failure.case, failure.nearest
            said = "no date expression" if got is None else f"{got.text!r} -> {_span(got)}"
            click.echo(f"  FAIL {case.sentence_id} {case.trigger!r} (gold {case.gold}): {said}")
    if scores.accuracy < min_accuracy:
        raise click.exceptions.Exit(1)


def _eval_background_stage(
    annotations: Path | None, fmt: str, min_accuracy: float, coded: bool = False
) -> None:
    from detente.config import Settings
    from detente.evaluation.dates import evaluate_background_coded, evaluate_background_stage
    from detente.events.corpus import ANNOTATIONS, load_corpus
    from detente.pipeline import load_nlp

    root = annotations or ANNOTATIONS
    if not (root / "sentences.jsonl").is_file():
        raise InputError(root, "no sentences.jsonl here", hint="point --annotations at data/annotations")
    if coded:
        scores = evaluate_background_coded(load_corpus(root), load_nlp(Settings()))
    else:
        scores = evaluate_background_stage(load_nlp(Settings(stages=())), load_corpus(root))
    summary = scores.as_dict()
    if fmt == "json":
        emit_json(summary)
    else:
        rows = [{"type": f"background {part}", **summary[part]} for part in ("dated", "before", "all")]
        if fmt != "table":
            emit_rows(rows, fmt)
        else:
            for row in rows:
                accuracy = f"{row['accuracy']:.1%}" if row["accuracy"] is not None else "-"
                click.echo(f"{row['type']}: {row['correct']}/{row['total']} correct ({accuracy})")
            for why, count in summary["missed"].items():
                click.echo(f"  not scored: {count} ({why})")
            click.echo("  by step (dated right/total, before right/total):")
            for step, parts in summary["by_step"].items():
                dated, before = parts["dated"], parts["before"]
                click.echo(
                    f"    {step:<26} {dated['correct']}/{dated['total']}  {before['correct']}/{before['total']}"
                )
            for failure in summary["failures"]:
                got = failure["got"]
                said = "undated" if got is None else f"{got['start']}..{got['end']} ({got['reason']})"
                click.echo(
                    f"  FAIL {failure['sentence_id']} {failure['trigger']!r} (gold {failure['gold']}): {said}"
                )
    if (summary["all"]["accuracy"] or 0.0) < min_accuracy:
        raise click.exceptions.Exit(1)


def _span(date: ResolvedDate) -> str:
    if date.start is None:
        return "unresolved"
    return str(date.start) if date.start == date.end else f"{date.start}..{date.end}"
