"""Commands for claims and provenance: ``claims``, ``stories``, ``divergence`` and ``eval claims``."""

from __future__ import annotations

from typing import Any

import click

from detente.cli.main import (
    cli,
    db_option,
    emit_json,
    emit_rows,
    eval_group,
    existing_store,
    format_option,
    warn,
)
from detente.records import CHANNELS, Claim, to_dict

CLAIM_COLUMNS = (
    "id",
    "article_id",
    "channel",
    "kind",
    "stance",
    "speaker",
    "cue",
    "content",
    "parent_id",
    "obtained_by",
    "verification",
    "verification_text",
)
# How verification language reads in a table: what it does to the claim, then the words.
POLARITY_MARKS = {"confirms": "+", "doubts": "-", "unclear": "?"}


DIVERGENCE_COLUMNS = ("side", "stance", "kind", "id", "channel", "speakers", "articles", "cues", "text")


def claim_row(claim: Claim) -> dict[str, Any]:
    """One claim as a flat row. ``verification`` sums up the verification language (confirmed, doubted,
    mixed, unclear; empty when there is none); ``verification_text`` gives each piece with its mark:
    + confirms, - casts doubt, ? leaves it open."""
    return {
        "id": claim.id, "article_id": claim.article_id, "channel": claim.channel, "kind": claim.kind,
        "stance": claim.stance, "speaker": ", ".join(a.name for a in claim.speaker),
        "cue": claim.cue.text if claim.cue else "", "content": claim.content.text, "parent_id": claim.parent_id,
        "obtained_by": ", ".join(a.name for a in claim.obtained_by),
        "verification": claim.verification_status or "",
        "verification_text": "; ".join(f"{POLARITY_MARKS.get(v.polarity, '?')} {v.text}" for v in claim.verification),
    }  # fmt: skip


@cli.command("claims")
@db_option
@click.option("--speaker", help="Actor id or country code of the speaker (e.g. org:nyt, RUS).")
@click.option("--channel", type=click.Choice(CHANNELS), help="Only claims reaching the article this way.")
@click.option("--article", "article_id", help="Claims of one article (its id, or a prefix of it).")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@format_option()
def claims_command(
    db: str,
    speaker: str | None,
    channel: str | None,
    article_id: str | None,
    limit: int,
    offset: int,
    fmt: str,
) -> None:
    """List claims: who says what, through which channel, relayed by whom (parent_id).

    The verification column sums up what the article says about checking a claim (confirmed, doubted,
    mixed, unclear); verification_text gives each piece: + confirms, - casts doubt, ? leaves it open.

    \b
    Examples:
      detente claims --channel leaked_document
      detente claims --speaker org:nyt --format json
      detente claims --article 3f2a --format csv      by an article id prefix
    """
    from detente.cli.code import known_article

    with existing_store(db) as store:
        if article_id:
            article_id = known_article(store, article_id)
        claims = store.claims(
            speaker=speaker, channel=channel, article_id=article_id, limit=limit, offset=offset
        )
    if fmt in ("json", "jsonl"):
        emit_rows([to_dict(c) for c in claims], fmt)
    else:
        emit_rows([claim_row(c) for c in claims], fmt, CLAIM_COLUMNS)


@cli.command("stories")
@db_option
@click.option("--window-days", type=click.IntRange(0), default=3, show_default=True,
              help="Events this many days apart can still be one story.")  # fmt: skip
@click.option("--events", "show_events", is_flag=True,
              help="List events (counted as 'detente events' counts them, within the stories found) with their "
                   "corroboration (independent outlets) instead of stories.")  # fmt: skip
@click.option("--no-write", is_flag=True,
              help="Cluster every stored article in memory and record nothing (the index is left as it is).")  # fmt: skip
@click.option("--rebuild", is_flag=True,
              help="Forget the story index and cluster every stored article again from scratch (the result "
                   "equals the incremental one; useful after changing --window-days or to check).")  # fmt: skip
@format_option()
def stories_command(
    db: str, window_days: int, show_events: bool, no_write: bool, rebuild: bool, fmt: str
) -> None:
    """Cluster stored articles into stories; syndicated copies of one wire story count once.

    Articles join the story index incrementally: each article not clustered yet is compared with its
    candidates only (near-copies by MinHash/LSH band, articles sharing a coded event within the window),
    and the corroboration of the events it touches is updated; 'detente code' does this after each run.
    Records each article's story id in the database unless --no-write. A --window-days other than the
    index's rebuilds it.

    \b
    Examples:
      detente stories
      detente stories --rebuild
      detente stories --events --format csv
    """
    from detente.analytics.stories import stored_stories, stories_in_store, update_stories

    if rebuild and no_write:
        raise click.UsageError("--rebuild writes the index; leave out --no-write")
    with existing_store(db) as store:
        if show_events:
            emit_rows(corroborated_events(list(store.iter_bundles()), window_days), fmt)
            return
        if no_write:
            found = stories_in_store(store, window_days=window_days, write=False)
        else:
            update_stories(store, window_days=window_days, rebuild=rebuild)
            found = stored_stories(store)
    rows = [
        {"story_id": s.story_id, "articles": len(s.article_ids), "originals": len(s.duplicate_groups),
         "outlets": ", ".join(s.outlets), "first_published": s.first_published, "article_ids": ",".join(s.article_ids)}
        for s in found
    ]  # fmt: skip
    emit_rows(rows, fmt)


def corroborated_events(bundles: list[Any], window_days: int) -> list[dict[str, Any]]:
    """Events as ``detente.analytics.counting`` counts them within the stories clustered here (nothing is
    written), each with its independent outlets by name."""
    import dataclasses

    from detente.analytics.counting import count_events, side
    from detente.analytics.stories import corroboration, stories, story_ids
    from detente.store.base import ArticleFacts

    story_of = story_ids(stories(bundles, window_days=window_days))
    groups = {eid: c for c in corroboration(bundles, window_days=window_days) for eid in c.event_ids}
    facts = {
        b.article.id: ArticleFacts(b.article.id, b.article.published_date, b.article.outlet, story_of.get(b.article.id))
        for b in bundles
    }  # fmt: skip
    mentions = [
        dataclasses.replace(e, corroboration=groups[e.id].count if e.id in groups else None)
        for b in bundles for e in b.events
    ]  # fmt: skip
    rows = []
    for event in count_events(mentions, facts):
        widest = max(
            (groups[m.id] for m in event.mentions if m.id in groups), key=lambda c: c.count, default=None
        )
        everyone = (*event.source, *event.target)
        rows.append({
            "event_type": event.event_type, "source": side(everyone if event.reciprocal else event.source),
            "target": "" if event.reciprocal else side(event.target), "date": event.when,
            "outlets": event.corroboration, "outlet_names": ", ".join(widest.outlets if widest else event.outlets),
            "articles": len(event.article_ids), "mentions": len(event.mentions),
            "event_ids": ",".join(m.id for m in event.mentions),
        })  # fmt: skip
    return sorted(rows, key=lambda r: (-r["outlets"], r["date"], r["event_type"], r["source"], r["target"]))


@cli.command("divergence")
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--min-items", type=click.IntRange(2), default=3, show_default=True,
              help="Fewest items on the two compared sides together (one a side at least) for a score.")  # fmt: skip
@format_option()
def divergence_command(a: str, b: str, db: str, min_items: int, fmt: str) -> None:
    """Compare A's public stance toward B with A's internal documents and actions.

    Public: what A says about B in public statements. Internal: A's leaked or official documents about B;
    A's material actions toward B stand in when there are none. A and B are country codes or actor ids.
    A statement or an event counts once however many articles carry it (the articles column); with no item
    on a compared side, or fewer than three on both together, there is no score ("not enough evidence").

    table prints the summary line, then the evidence; json the whole result; jsonl and csv the evidence
    rows, with the summary on stderr.

    \b
    Examples:
      detente divergence RUS CHN
      detente divergence RUS CHN --format json
      detente divergence RUS CHN --format csv > evidence.csv
    """
    from detente.analytics.divergence import divergence

    with existing_store(db) as store:
        result = divergence(store, a, b, min_items=min_items)
    if fmt == "json":
        emit_json(to_dict(result))
        return
    if fmt == "table":
        click.echo(result.summary)
    else:
        warn(result.summary)
    rows = [
        {"side": e.side, "stance": round(e.stance, 2), "kind": e.kind, "id": e.id, "channel": e.channel,
         "speakers": ", ".join(e.speakers), "articles": len(e.article_ids) or 1, "cues": ", ".join(e.cues),
         "text": e.text}
        for side in (result.public, result.internal, result.material) for e in side.evidence
    ]  # fmt: skip
    if rows or fmt == "csv":
        emit_rows(rows, fmt, DIVERGENCE_COLUMNS)


@eval_group.command("claims")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@format_option(json_alias=True)
@click.option("--errors", is_flag=True, help="Also list missed and spurious cues (json always has them).")
def eval_claims_command(gold: str, fmt: str, errors: bool) -> None:
    """Score attribution (cue, speaker, content F1) against an annotated JSONL file.

    Each line: {"id", "text", "claims": [{"cue", "speaker", "content"}]}. json gives the scores with the
    missed and spurious cues; jsonl and csv the row of scores.

    \b
    Examples:
      detente eval claims tests/data/attributions.jsonl
      detente eval claims tests/data/attributions.jsonl --errors
    """
    from detente.evaluation.claims import load_gold, score_claims
    from detente.pipeline import code_articles, load_nlp
    from detente.records import Article, article_id

    cases = load_gold(gold)
    nlp = load_nlp()

    def predict(text: str) -> tuple[Claim, ...]:
        return next(code_articles([Article(id=article_id(text), text=text)], nlp=nlp)).claims

    scores = score_claims(cases, predict)
    if fmt == "json":
        emit_json({**scores.as_row(), "missed": scores.missed, "spurious": scores.spurious})
        return
    emit_rows([scores.as_row()], fmt)
    if errors and fmt == "table":
        for case, cue in scores.missed:
            click.echo(f"missed    {case}: {cue}")
        for case, cue in scores.spurious:
            click.echo(f"spurious  {case}: {cue}")
