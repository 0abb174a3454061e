"""``detente actors resolve|add|list|check`` and ``detente eval actors``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import click

from detente.actors.knowledge_base import KnowledgeBase, build_kb, load_file, load_kb, user_dir
from detente.cli.main import (
    LineError,
    answer_each_line,
    cli,
    emit_json,
    emit_rows,
    eval_group,
    format_given,
    format_option,
)
from detente.records import ActorRef

REF_COLUMNS = ("mention", "text", "country", "sector", "actor_id", "name", "kind", "confidence")


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _row(mention: str, ref: ActorRef) -> dict[str, Any]:
    return {"mention": mention, "text": ref.text, "country": ref.country, "sector": ref.sector,
            "actor_id": ref.actor_id, "name": ref.name, "kind": ref.kind, "confidence": ref.confidence}  # fmt: skip


@cli.group("actors")
def actors_group() -> None:
    """Check how mentions resolve to actors, and manage your own actor files.

    \b
    Examples:
      detente actors resolve "Si Jin-Pching" "the Kremlin" --date 2025-06-09
      detente actors resolve FSB --context "Russia's FSB ordered its agents to watch WeChat."
      detente actors resolve --file mentions.jsonl        one JSON line per {text, date?, context?}
      detente actors check my_actors.yaml                 validate a file before adding it
      detente actors add my_actors.yaml                   use it in every later run
      detente actors list --country RUS --kind person
    """


@actors_group.command("resolve")
@click.argument("texts", nargs=-1)
@click.option("--date", "date", help="Publication date (YYYY-MM-DD): picks a person's role at that date.")
@click.option("--context", help="A sentence containing the mention, to resolve it in context.")
@click.option("--file", "file", type=click.File("rb"),
              help="JSONL of {text, date?, context?}; prints one JSON line per input, in order (unless --format "
                   'says otherwise); a line that cannot be read gets {"line", "error"} and the exit code is 1.')  # fmt: skip
@format_option(json_alias=True)
@click.pass_context
def resolve_command(
    ctx: click.Context, texts: tuple[str, ...], date: str | None, context: str | None, file: Any, fmt: str
) -> None:
    """Resolve mention(s) to actors: country, sector, actor_id, name, confidence.

    \b
    Examples:
      detente actors resolve "Si Jin-Pching" "the Kremlin" --date 2025-06-09
      detente actors resolve FSB --context "Russia's FSB ordered its agents to watch WeChat." --format json
      detente actors resolve --file mentions.jsonl --format csv     one row per mention and actor
    """
    from detente.actors.stage import actor_nlp, resolve_mention

    if not texts and file is None:
        raise click.UsageError("give one or more TEXTs or --file FILE")
    nlp = actor_nlp()
    if file is not None:
        default_date = _date(date)

        def answer(item: dict[str, Any]) -> dict[str, Any]:
            text, when, where = item.get("text"), item.get("date"), item.get("context")
            if not isinstance(text, str) or not text.strip():
                raise LineError('needs "text": the mention to resolve (a string)')
            if when not in (None, "") and not (isinstance(when, str) and _is_date(when)):
                raise LineError(f"'date' {json.dumps(when)[:40]} is not a date; use YYYY-MM-DD")
            if where is not None and not isinstance(where, str):
                raise LineError("'context' must be a string (a sentence containing the mention)")
            refs = resolve_mention(nlp, text, _date(when) or default_date, where or context)
            return {
                "text": text,
                "actors": [{k: v for k, v in _row(text, r).items() if k != "mention"} for r in refs],
            }

        def flat(line: int, record: dict[str, Any]) -> list[dict[str, Any]]:
            refs = record["actors"] or [{}]  # a mention nothing resolves keeps its row
            return [{"line": line, "mention": record["text"], **ref} for ref in refs]

        answer_each_line(
            file, answer, getattr(file, "name", "-"), fmt=fmt if format_given(ctx) else "jsonl", rows=flat,
            columns=REF_COLUMNS,
        )  # fmt: skip
        return
    rows = [_row(text, ref) for text in texts for ref in resolve_mention(nlp, text, _date(date), context)[:1]]
    emit_rows(rows, fmt, REF_COLUMNS)


@actors_group.command("check")
@click.argument("path", type=click.Path(path_type=Path))
def check_command(path: Path) -> None:
    """Validate an actor file (CSV or YAML); report its entries and aliases that shadow built-in ones.

    \b
    Example:
      detente actors check my_actors.yaml
    """
    base = build_kb()
    kb = KnowledgeBase()
    load_file(kb, path)
    shadows = sorted(
        {alias for e in kb.entries for alias in e.aliases if base.resolve(alias).method == "exact"}
    )
    click.echo(f"{path}: {len(kb.entries)} actor(s) OK")
    for alias in shadows:
        click.echo(f"note: {alias!r} is already in the knowledge base; yours is added beside it", err=True)


@actors_group.command("add")
@click.argument("path", type=click.Path(path_type=Path))
def add_command(path: Path) -> None:
    """Check an actor file and keep a copy in your actors folder, so every later run uses it.

    \b
    Example:
      detente actors add my_actors.yaml
    """
    kb = KnowledgeBase()
    load_file(kb, path)
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    shutil.copyfile(path, target)
    click.echo(f"added {len(kb.entries)} actor(s) from {path} as {target}")


@actors_group.command("list")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--country", help="Only actors of this country code.")
@click.option("--kind", help="Only this kind (person, institution, outlet, igo, country, ...).")
@click.option("--date", "date", help="Show people's sector as of this date (YYYY-MM-DD).")
@format_option()
def list_command(
    path: Path | None, country: str | None, kind: str | None, date: str | None, fmt: str
) -> None:
    """List actors: those of one file, or the whole knowledge base (built-in data plus your files).

    \b
    Examples:
      detente actors list --country RUS --kind person
      detente actors list my_actors.yaml --format csv
      detente actors list --kind person --date 2020-01-01 --format jsonl
    """
    if path is not None:
        kb = KnowledgeBase()
        load_file(kb, path)
    else:
        kb = load_kb()
    when = _date(date)
    rows = []
    for entry in kb.entries:
        if entry.lex not in ("country", "org", "person"):
            continue
        actor = entry.at(when)
        if (country and actor.country != country.upper()) or (kind and actor.kind != kind):
            continue
        rows.append({"actor_id": actor.actor_id, "name": actor.name, "country": actor.country,
                     "sector": actor.sector, "kind": actor.kind, "aliases": "|".join(entry.aliases[1:])})  # fmt: skip
    emit_rows(rows, fmt, ("actor_id", "name", "country", "sector", "kind", "aliases"))


@eval_group.command("actors")
@click.argument("gold", type=click.Path(path_type=Path), required=False)
@click.option("--split", type=click.Choice(["both", "tuning", "held-out", "all", "mentions"]), default="both",
              show_default=True, help="News gold: which stories (by a hash of their id); 'both' reports the two "
              "halves apart; 'mentions' scores every actor mention of the stories annotated for it "
              "(data/annotations/actors/), by half, and apart the held-out ones no event's gold covers.")  # fmt: skip
@click.option("--failures", is_flag=True, help="Also list the mentions resolved wrongly (news gold: the "
              "tuning half unless --split names another; mentions: the tuning half; json always has them).")  # fmt: skip
@click.option("--by-kind", is_flag=True, help="Also score names, descriptions and pronouns apart, a row "
              "each under each split (the kind read off the gold text's form).")  # fmt: skip
@click.option(
    "--save",
    "save_to",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write every scored mention's outcome to this JSONL file, to compare a later run with.",
)
@click.option("--against", "against", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Compare with a run saved by --save: per split, the mentions that became right or wrong "
              "(listed for the tuning half, counted only for the held-out half).")  # fmt: skip
@format_option(json_alias=True)
def eval_actors_command(gold: Path | None, split: str, failures: bool, by_kind: bool, save_to: Path | None,
                        against: Path | None, fmt: str) -> None:  # fmt: skip
    """Score actor resolution: country, sector and wrong-country rate.

    Without GOLD: every source and target actor of the annotated VOA stories (data/annotations/, read
    now), each story coded whole with its date. With GOLD: a JSONL of actorText -> code/sector pairs
    (the PLOVER dev shape). json gives the scores with the failures; jsonl and csv one row per split.

    \b
    Examples:
      detente eval actors --split held-out
      detente eval actors --split mentions
      detente eval actors --split mentions --by-kind
      detente eval actors my_gold.jsonl --failures
      detente eval actors --format csv > actor-scores.csv
      detente eval actors --split mentions --save before.jsonl   (then change a rule)
      detente eval actors --split mentions --against before.jsonl
    """
    from detente.actors.evaluation import (
        ActorScores,
        compare_outcomes,
        mention_gold,
        news_mentions,
        news_stories,
        read_gold,
        score_actors,
        score_mentions,
        score_stories,
        scored_before,
    )
    from detente.actors.stage import actor_nlp

    before = _saved_outcomes(against) if against is not None else None
    nlp = actor_nlp()
    if gold is not None:
        parts = {"all": score_actors(nlp, read_gold(gold))}
        every = parts["all"]
    elif split == "mentions":
        scores = every = score_mentions(nlp, mention_gold())
        seen = news_mentions(news_stories("all"))
        held_out = scores.only("held-out")
        fresh = tuple(r for r in held_out.results if not scored_before(r.gold, seen))
        # the tuning half's mentions are read when rules are written; the held-out half is only scored
        parts = {"mentions tuning": scores.only("tuning"), "mentions held-out": held_out,
                 "held-out, no event covers": ActorScores(fresh)}  # fmt: skip
    elif split == "both":
        scores = every = score_stories(nlp, news_stories("all"))
        parts = {"tuning": scores.only("tuning"), "held-out": scores.only("held-out"), "all": scores}
    else:
        parts = {split: score_stories(nlp, news_stories(split))}
        every = parts[split]
    if save_to is not None:
        _save_outcomes(save_to, every.outcomes())
    comparison = compare_outcomes(before, every.outcomes()) if before is not None else None
    if by_kind:
        parts = {
            label: scores
            for name, whole in parts.items()
            for label, scores in [(name, whole), *((f"{name}, {k}", s) for k, s in whole.by_kind().items())]
        }
    listed = (
        "all" if gold is not None else {"both": "tuning", "mentions": "mentions tuning"}.get(split, split)
    )
    data = {name: scores.as_dict(failures=name == listed) for name, scores in parts.items()}
    if fmt == "json":
        emit_json(data if comparison is None else {**data, "against": comparison})
        return
    shown = (lambda x: f"{x:.3f}") if fmt == "table" else (lambda x: round(x, 3))
    rows = [
        {"split": name, "mentions": d["mentions"], "country": shown(d["country"]["accuracy"]),
         "sector": shown(d["sector"]["accuracy"]), "wrong_country": shown(d["wrong_country"]["rate"])}
        for name, d in data.items()
    ]  # fmt: skip
    emit_rows(rows, fmt, ("split", "mentions", "country", "sector", "wrong_country"))
    if failures and fmt == "table":
        for f in data[listed]["failures"]:
            click.echo(f"{f['id']}: {f['actorText']!r} gold {f['gold']} got {f['got']}")
    if comparison is not None and fmt == "table":
        _echo_comparison(comparison)


def _saved_outcomes(path: Path) -> list[dict[str, Any]]:
    """A run saved by ``--save``; one clear line when the file is not one."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not {"id", "actorText", "gold", "country_ok"} <= row.keys():
                raise ValueError("not an outcome row")
        except ValueError as exc:
            raise click.ClickException(
                f"{path}: line {number} is not a saved outcome ({exc}); write the file with "
                "`detente eval actors --save FILE`"
            ) from None
        rows.append(row)
    return rows


def _save_outcomes(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _echo_comparison(comparison: dict[str, Any]) -> None:
    click.echo("")
    click.echo("against the saved run:")
    for split, d in comparison["splits"].items():
        click.echo(f"  {split}: right +{d['right_gained']} -{d['right_lost']}, wrong country "
                   f"+{d['wrong_gained']} -{d['wrong_lost']}, sector +{d['sector_gained']} -{d['sector_lost']}")  # fmt: skip
        for c in d.get("changed", ()):
            click.echo(f"    {c['id']}: {c['actorText']!r} gold {c['gold']}: {c['before']} -> {c['after']}")
    if comparison["only_before"] or comparison["only_after"]:
        click.echo(
            f"  mentions in one run only (the gold changed?): {comparison['only_before']} before, "
            f"{comparison['only_after']} now"
        )
