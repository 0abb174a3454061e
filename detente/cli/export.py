"""``detente export``: events, mentions, claims or actors as files that pandas and R read directly."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from detente.cli.code import _date, event_filters, event_query
from detente.cli.main import cli, db_option, existing_store, warn
from detente.export import FORMATS, KINDS, write_export


def _hidden(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> frozenset[str]:
    from detente.api.filters import HIDE_CHOICES  # the web's filters (fastapi): read when the option is given

    parts = {p.strip().lower() for value in values for p in value.split(",")} - {"", "none"}
    unknown = sorted(parts - set(HIDE_CHOICES))
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: use background, uncertain or both (comma-separated)")
    return frozenset(parts)


@cli.command("export")
@click.argument("what", type=click.Choice(KINDS), default="events", required=False)
@db_option
@event_filters
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv, jsonl (one flat row a line), parquet (needs --out and pyarrow) or plover-json "
                   "(PLOVER's JSON records, one a line; events and mentions only).")  # fmt: skip
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    help="0 to 1: events whose most confident mention reaches it (the dashboard's min_confidence).",
)
@click.option("--outlet", help="Events reported by this outlet (any of its articles; case does not matter).")
@click.option(
    "--hide",
    metavar="background,uncertain",
    callback=_hidden,
    help="Hide background events and/or uncertain ones (low-confidence or single-source): "
    "comma-separated or repeated, as the dashboard's hide filter.",
    multiple=True,
)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (default: stdout; Parquet needs a file).")  # fmt: skip
def export_command(
    what: str, db: str, actor: str | None, dyad: tuple[str, str] | None, event_type: str | None,
    quad: str | None, modality: str | None, since: str | None, until: str | None, article_id: str | None,
    fmt: str, min_confidence: float | None, outlet: str | None, hide: frozenset[str], out: Path | None,
) -> None:  # fmt: skip
    """Export WHAT (events, mentions, claims or actors) for the events the filters select.

    The filters are those of 'detente events', plus --min-confidence, --outlet and --hide, which select
    counted events exactly as the dashboard's filters and its Download CSV do. events: one row per event as 'detente events' counts it;
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
      detente export --min-confidence 0.6 --outlet Reuters --hide background,uncertain
    """
    _date(since), _date(until)  # a bad date is a usage error before the database is opened
    with existing_store(db) as store:
        query = event_query(store, actor, dyad, event_type, quad, modality, since, until, article_id)
        from detente.api.filters import EventFilter

        # The dashboard's filter object decides which counted events are kept, so the CLI and the web's
        # /api/export download select the same events for the same filters.
        kept = EventFilter(min_confidence=min_confidence, outlet=(outlet or "").strip() or None,
                           hide_background="background" in hide, hide_uncertain="uncertain" in hide)  # fmt: skip
        keep = kept.keeps if kept.counted_only else None
        count = write_export(store, what, fmt, query, out if out is not None else sys.stdout, keep)
    noun = what if count != 1 else what[:-1]
    warn(f"exported {count} {noun}" + (f" to {out}" if out is not None else ""))
