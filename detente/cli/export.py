"""``detente export``: events, mentions, claims or actors as files that pandas and R read directly."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from detente.cli.code import _date, event_filters, event_query
from detente.cli.main import cli, db_option, existing_store, warn
from detente.export import FORMATS, KINDS, write_export


@cli.command("export")
@click.argument("what", type=click.Choice(KINDS), default="events", required=False)
@db_option
@event_filters
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv, jsonl (one flat row a line), parquet (needs --out and pyarrow) or plover-json "
                   "(PLOVER's JSON records, one a line; events and mentions only).")  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (default: stdout; Parquet needs a file).")  # fmt: skip
def export_command(
    what: str, db: str, actor: str | None, dyad: tuple[str, str] | None, event_type: str | None,
    quad: str | None, modality: str | None, since: str | None, until: str | None, article_id: str | None,
    fmt: str, out: Path | None,
) -> None:  # fmt: skip
    """Export WHAT (events, mentions, claims or actors) for the events the filters select.

    The filters are those of 'detente events'. events: one row per event as 'detente events' counts it;
    mentions: one row per sentence reporting one; actors: the actors taking part in them; claims: the
    claims of their articles (every claim when nothing is filtered). Columns are fixed and listed in
    docs/export.md; several values in a cell are joined by ';'. The record count goes to stderr.

    \b
    Examples:
      detente export --dyad RUS CHN > rus-chn.csv
      detente export mentions --since 2024-01-01 --format jsonl --out mentions.jsonl
      detente export --format parquet --out events.parquet
      detente export --type ASSAULT --format plover-json > assaults.jsonl
      detente export claims --article 3f2a --format csv
    """
    _date(since), _date(until)  # a bad date is a usage error before the database is opened
    with existing_store(db) as store:
        query = event_query(store, actor, dyad, event_type, quad, modality, since, until, article_id)
        count = write_export(store, what, fmt, query, out if out is not None else sys.stdout)
    noun = what if count != 1 else what[:-1]
    warn(f"exported {count} {noun}" + (f" to {out}" if out is not None else ""))
