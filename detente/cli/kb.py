"""``detente kb build|wikidata|packs``: build and inspect actor packs (the knowledge base's data)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from detente.cli.main import cli, emit_rows, format_option

REPO = Path(__file__).resolve().parents[2]


def _default_shared() -> Path:
    return Path(os.environ.get("DETENTE_SHARED") or REPO.parent / "shared")


@cli.group("kb")
def kb_group() -> None:
    """Build and inspect actor packs: the dictionaries the knowledge base loads.

    \b
    Examples:
      detente kb build                                   rebuild the shipped Phoenix pack from ../shared
      detente kb build --from cabinet.csv --from ngos.jsonl --out mine.jsonl.gz
      detente kb wikidata latest-all.json.gz --out wikidata.jsonl.gz
      detente kb packs                                   the packs loaded, with their sizes and end dates
    """


@kb_group.command("build")
@click.option("--from", "sources", multiple=True, type=click.Path(path_type=Path),
              help="Merge these packs (CSV, JSONL, JSONL.gz; later ones win on the same id) into --out.")  # fmt: skip
@click.option("--out", "out", type=click.Path(path_type=Path), help="Where to write the merged pack.")
@click.option("--name", default=None, help="The merged pack's name (default: --out's file name).")
@click.option("--shared", type=click.Path(path_type=Path), default=None,
              help="Without --from: the folder holding reference/petrarch2 and reference/ngec (default ../shared).")  # fmt: skip
def build_command(sources: tuple[Path, ...], out: Path | None, name: str | None, shared: Path | None) -> None:
    """Build a pack: the shipped Phoenix pack from the dictionaries, or one pack merged from several.

    \b
    Examples:
      detente kb build                                   rebuild the shipped Phoenix pack from ../shared
      detente kb build --from cabinet.csv --from ngos.jsonl --out mine.jsonl.gz
    """
    from detente.actors.packs import merge_packs, read_pack, write_pack

    if sources:
        if out is None:
            raise click.UsageError("--from needs --out FILE (a .jsonl or .jsonl.gz pack)")
        merged = merge_packs([read_pack(p) for p in sources], name or out.name.split(".")[0])
        write_pack(merged, out)
        click.echo(f"{out}: {len(merged.actors)} actor(s) from {len(sources)} pack(s)")
        return
    from detente.actors.phoenix import ship_phoenix_pack

    directory = out.parent if out is not None else None
    path, pack = ship_phoenix_pack(shared or _default_shared(), directory)
    until = pack.info.until.isoformat() if pack.info.until else "-"
    click.echo(f"{path}: {len(pack.actors)} actor(s) and agent nouns, known until {until}")


@kb_group.command("wikidata")
@click.argument("dump", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="The pack to write.")
@click.option("--language", default="en", show_default=True, help="Labels and aliases in this language.")
def wikidata_command(dump: Path, out: Path, language: str) -> None:
    """Stream a Wikidata JSON dump you downloaded (.json, .json.gz, .json.bz2) into a pack: people with
    their positions held and dates, parties, agencies, armed groups, outlets, companies.

    \b
    Example:
      detente kb wikidata latest-all.json.gz --out wikidata.jsonl.gz
    """
    from detente.actors.packs import write_pack
    from detente.actors.wikidata import import_dump

    pack = import_dump(dump, language=language)
    write_pack(pack, out)
    click.echo(f"{out}: {len(pack.actors)} actor(s) from {dump}")


@kb_group.command("packs")
@format_option()
def packs_command(fmt: str) -> None:
    """The packs the knowledge base loads (Settings.actor_packs, then your files), with their sizes.

    \b
    Examples:
      detente kb packs
      detente kb packs --format csv
    """
    from detente.actors.knowledge_base import load_kb

    kb = load_kb()
    counts: dict[str, int] = {}
    for entry in kb.entries:
        if entry.lex in ("person", "org", "group", "title", "country"):
            counts[entry.source] = counts.get(entry.source, 0) + 1
    rows = [{"source": Path(s).name if s else "-", "entries": n} for s, n in sorted(counts.items())]
    emit_rows(rows, fmt, ("source", "entries"))
