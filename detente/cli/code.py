"""``detente code``, ``events``, ``show`` and ``stats``: coding files into a store and reading it back."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from detente.cli.main import (
    F,
    cli,
    db_option,
    emit_json,
    emit_record,
    emit_rows,
    existing_store,
    format_option,
    resolve_id,
    warn,
)
from detente.config import Settings
from detente.errors import DetenteError, InputError, NotFoundError
from detente.records import (
    EVENT_TYPES,
    LEGACY_TYPES,
    MODALITIES,
    QUADS,
    Article,
    Bundle,
    Event,
    Failure,
    bundle_to_dict,
)

if TYPE_CHECKING:
    from detente.analytics.counting import Occurrence
    from detente.store.base import SkippedInput


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


@cli.command("code")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@db_option
@click.option(
    "--jsonl",
    "jsonl",
    type=click.File("w", encoding="utf-8"),
    help="Also write article bundles as JSON lines to FILE ('-' for stdout).",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=1,
    show_default=True,
    help="Worker processes (each loads the model once; one past the budget or lost is replaced). "
    "0 codes in this process, where the budget is checked only between pipeline steps.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=32,
    show_default=True,
    help="Articles per batch; each batch is committed at once.",
)
@click.option(
    "--article-timeout",
    type=click.FloatRange(0, min_open=True),
    default=Settings().article_seconds,
    show_default=True,
    metavar="SECONDS",
    help="Time budget of one article; past it the article is stored as failed and the run goes on.",
)
@click.option(
    "--article-memory",
    type=click.IntRange(1),
    default=Settings().article_memory_mb,
    show_default=True,
    metavar="MB",
    help="Memory budget of one article (growth of the process coding it); past it, as above.",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Also code again the articles stored as failed (they need no PATHS: the database keeps them).",
)
@click.option(
    "--dask",
    "use_dask",
    is_flag=True,
    help="Run on Dask: a local cluster of --workers processes, or --scheduler.",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="With --dask: an existing Dask scheduler (tcp://host:8786)."
)
@click.option("--force", is_flag=True, help="Re-code articles that are already stored (replacing them).")
@click.option("--outlet", help="Outlet for articles that do not name one.")
@click.option(
    "--published",
    help="Publication date (YYYY-MM-DD) for articles without one; relative dates resolve against it.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(1000),
    default=2_000_000,
    show_default=True,
    help="Longest article coded; longer ones are refused with a message.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch URLs on loopback, private and link-local addresses too (refused by default).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def code_command(
    paths: tuple[str, ...], db: str, jsonl: Any, workers: int, batch_size: int, article_timeout: float,
    article_memory: int, retry_failed: bool, use_dask: bool, scheduler: str | None, force: bool,
    outlet: str | None, published: str | None, max_chars: int, allow_private: bool, quiet: bool,
) -> None:  # fmt: skip
    """Code articles (files, folders, JSONL/CSV corpora, feeds, URLs) into the database.

    \b
    Reads .txt .md .html .htm .jsonl .csv and RSS/Atom feeds (.rss .atom .xml, one article per
    item); folders are walked recursively. A PATH may be an http(s) URL of a page or a feed: it is
    fetched (10 s timeout, 10 MB, 5 redirects; public addresses only, unless --allow-private).
    JSONL lines and CSV rows take the fields id, text, title, url, outlet, published; a broken line
    or row (a CSV quote left open is one) is reported by its line number and the others are read; a
    publication date that is not one detente reads is named after the summary, and the article is
    coded without it. A text or HTML file may have a sidecar NAME.meta.json with
    title/url/outlet/published. An article nothing else dates takes the date its top states
    ("KYIV, March 20, 2025 — ...", a "March 20, 2025" line under the headline). Articles already
    stored are skipped, so an interrupted run resumes where it stopped. Non-English articles are
    stored as skipped, with why.

    \b
    No article can stop a run: one past its time or memory budget, one whose coding fails, or one
    whose worker process dies is stored uncoded as failed, with the stage and the time it reached;
    the summary names it, the exit code is 1, and --retry-failed codes it again. A run that was
    killed while clustering stories is finished by the next run.

    \b
    Examples:
      detente code examples/                         code a folder into ./detente.db
      detente code news.jsonl --workers 2            two worker processes
      detente code corpus/ --dask --workers 4 --db postgresql://localhost/detente
      detente code story.txt --published 2025-06-09 --jsonl -    print the bundle too
      detente code https://example.org/world/rss.xml   every item of a feed
      detente code --retry-failed --article-timeout 900   code failed articles again, with more time
    """
    from detente.batch.local import code_into_store
    from detente.ingest import IngestOptions
    from detente.store import open_store

    if not paths and not retry_failed:
        raise click.UsageError("give PATHS to code, or --retry-failed to code failed articles again")
    _date(published)  # validate early
    settings = Settings(
        batch_size=batch_size, max_chars=max_chars, article_seconds=article_timeout,
        article_memory_mb=article_memory,
    )  # fmt: skip
    defaults = {k: v for k, v in (("outlet", outlet), ("published", published)) if v}
    options = IngestOptions(max_chars=max_chars, defaults=defaults)
    created = "://" not in db and not Path(db).exists()
    store = open_store(db)
    nothing_stored = False
    skipped_now: list[SkippedInput] = []
    # Articles stored uncoded before this run (the latest ones): those this run stores are the newest others.
    uncoded_before = set() if quiet else {s.article_id for s in store.skipped(limit=SKIPPED_NAMED).latest}
    progress = None
    if not quiet:
        from tqdm import tqdm

        progress = tqdm(desc="coding", unit="article", file=sys.stderr, disable=None, dynamic_ncols=True)

    def on_stored(count: int) -> None:
        if progress is not None:
            progress.update(count)

    def write_jsonl(bundles: list[Bundle]) -> None:
        assert jsonl is not None
        for bundle in bundles:
            jsonl.write(json.dumps(bundle_document(bundle), ensure_ascii=False) + "\n")
        jsonl.flush()

    # Only --jsonl needs the bundles: where Dask workers write, passing them costs a read-back per batch.
    on_batch = write_jsonl if jsonl is not None else None

    def on_error(error: InputError) -> None:
        if progress is not None:
            progress.clear()
        warn(f"error: {error}")

    def on_failure(fault: Failure) -> None:
        # Quiet runs name each failure as it happens, like input errors; others in the summary at the end.
        if quiet:
            warn(f"failed: {_failure_line(fault)}")

    read_fine: list[str] = []  # sources read as articles this run: no longer skipped, if they were before
    undated: list[tuple[str, str]] = []  # (source, what its input gave as the publication date)
    items = _noting_sources(read_inputs(paths, options, allow_private=allow_private), read_fine, undated)
    try:
        if use_dask or scheduler:
            from detente.batch.dask import code_with_dask

            summary = code_with_dask(
                items, store, settings=settings, workers=max(1, workers), address=scheduler, force=force,
                retry_failed=retry_failed, on_error=on_error, on_failure=on_failure, progress=on_batch,
                on_stored=on_stored,
            )  # fmt: skip
        else:
            summary = code_into_store(
                items, store, settings=settings, workers=workers, force=force, retry_failed=retry_failed,
                on_error=on_error, on_batch=on_batch, on_failure=on_failure, on_stored=on_stored,
            )  # fmt: skip
        # Kept, so the overview and 'detente stats' list them with why; a file fixed since reads fine now.
        store.record_skipped_inputs((skipped_input(error) for error in summary.errors), read_fine=read_fine)
        if not quiet and (summary.errors or summary.skipped):
            skipped_now = [skipped_input(error) for error in summary.errors[:SKIPPED_NAMED]]
            skipped_now += _uncoded_now(
                store, uncoded_before, min(summary.skipped, SKIPPED_NAMED), len(summary.errors)
            )
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        warn(f"interrupted: what was coded so far is stored in {db}; run the same command again to resume")
        sys.exit(130)
    finally:
        nothing_stored = created and _holds_nothing(store)
        store.close()
        if nothing_stored:
            _remove_database_file(db)  # a run that read nothing leaves no empty database behind
    if progress is not None:
        progress.close()
    if not quiet:
        parts = [f"coded {summary.coded} article(s)"]
        if summary.retried:
            parts.append(f"{summary.retried} failed earlier and tried again")
        if summary.failed:
            parts.append(f"{len(summary.failed)} failed")
        if summary.skipped:
            parts.append(f"{summary.skipped} stored uncoded (see 'detente stats')")
        if summary.already_stored:
            parts.append(f"{summary.already_stored} already stored")
        if summary.duplicates:
            parts.append(f"{summary.duplicates} duplicate(s) ignored")
        parts.append(f"{summary.events} event(s), {summary.claims} claim(s) -> {db}")
        if summary.errors:
            parts.append(f"{len(summary.errors)} input error(s)")
        warn("; ".join(parts))
        _warn_skipped(skipped_now, len(summary.errors) + summary.skipped, db)
        _warn_undated(undated)
        if nothing_stored:
            warn(f"nothing was stored, so {db} was not created")
        if summary.unclustered:
            warn(f"also clustered {summary.unclustered} article(s) an earlier run left unclustered")
        if summary.failed:
            for fault in summary.failed:
                warn(f"  failed: {_failure_line(fault)}")
            warn(
                f"code them again with: detente code --retry-failed --db {db}"
                " (a larger --article-timeout or --article-memory may be needed)"
            )
    if summary.errors or summary.failed:
        sys.exit(1)


SKIPPED_NAMED = 10  # skipped inputs named after a run's summary line; 'detente stats --skipped' lists all


def _uncoded_now(store: Any, before: set[str | None], count: int, errors: int) -> list[SkippedInput]:
    """The ``count`` articles this run stored uncoded: the newest uncoded ones not listed before it (the
    run's ``errors`` input errors, as new, may come first in the list)."""
    if not count:
        return []
    latest = store.skipped(limit=count + len(before) + errors).latest
    return [s for s in latest if s.article_id and s.article_id not in before][:count]


def _warn_skipped(named: list[SkippedInput], total: int, db: str) -> None:
    """Under the summary line: each input this run skipped, and why (input errors and articles stored
    uncoded; the errors were also printed as they came, but a long run's progress scrolls them away)."""
    if not total:
        return
    warn(f"skipped {total} input(s):")
    for item in named:
        source = item.source if len(item.source) <= 100 else item.source[:99] + "…"
        article = f" (stored uncoded as article {item.article_id})" if item.article_id else ""
        warn(f"  {source}{article}: {item.reason}")
    if total > len(named):
        warn(f"  and {total - len(named)} more: detente stats --skipped --limit {total} --db {db}")


def _holds_nothing(store: Any) -> bool:
    try:
        return bool(store.stats().articles == 0)
    except DetenteError:
        return False  # when in doubt, keep the file


def _remove_database_file(db: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(db + suffix).unlink(missing_ok=True)


def _failure_line(fault: Failure) -> str:
    source = f" ({fault.source})" if fault.source else ""
    return f"{fault.article_id}{source}: {fault.message}"


def _noting_sources(
    items: Iterator[Article | InputError], sources: list[str], undated: list[tuple[str, str]]
) -> Iterator[Article | InputError]:
    """Passes ``items`` on, noting the source of each article read, and of each whose input gave a
    publication date detente could not read (the article is coded without one: "on Monday" and "last week"
    then resolve to nothing, so the user is told rather than left with a quiet gap)."""
    for item in items:
        if not isinstance(item, InputError):
            source = str(item.meta.get("source") or item.id)
            if item.meta.get("source"):
                sources.append(source)
            if "unparsed_published" in item.meta:
                undated.append((source, str(item.meta["unparsed_published"])))
        yield item


def _warn_undated(undated: list[tuple[str, str]]) -> None:
    if not undated:
        return
    warn(
        f"{len(undated)} article(s) coded without the publication date their input gave, which is not a date"
        " detente reads (write it as YYYY-MM-DD, or an RFC 2822 date as feeds do):"
    )
    for source, raw in undated[:SKIPPED_NAMED]:
        shown = raw if len(raw) <= 60 else raw[:59] + "…"
        warn(f"  {source}: published {shown!r}")
    if len(undated) > SKIPPED_NAMED:
        warn(f"  and {len(undated) - SKIPPED_NAMED} more")


def skipped_input(error: InputError) -> SkippedInput:
    """An input error as the store keeps it: the file (or file:line, URL) and the reason without it."""
    from detente.store.base import SkippedInput

    reason = str(error).removeprefix(f"{error.path}: ")
    return SkippedInput(source=error.path, reason=reason)


def read_inputs(
    paths: tuple[str, ...], options: Any, *, allow_private: bool = False
) -> Iterator[Article | InputError]:
    """Articles from PATHS in order; URLs are fetched here, under the command's network policy."""
    from detente.errors import DetenteError
    from detente.ingest import FetchLimits, read_paths, read_url
    from detente.ingest.http import is_url

    limits = FetchLimits(allow_private=allow_private)
    for path in paths:
        if not is_url(path):
            yield from read_paths([path], options)
            continue
        try:
            yield from read_url(path, options, limits)
        except InputError as exc:
            yield exc
        except DetenteError as exc:
            yield InputError(path, str(exc))


def bundle_document(bundle: Bundle) -> dict[str, Any]:
    """The article bundle as JSON, plus the article's public-vs-internal divergences (issue 5)."""
    from detente.analytics.divergence import article_divergences
    from detente.records import to_dict

    return {**bundle_to_dict(bundle), "divergences": to_dict(article_divergences(bundle))}


# fmt: off
EVENT_COLUMNS = (
    "date", "event_type", "modality", "source", "target", "trigger", "outlets", "confidence", "id", "article_id",
)
COUNTED_COLUMNS = (
    "date", "event_type", "modality", "source", "target", "trigger", "mentions", "articles", "outlets", "confidence",
    "flags", "id",
)
# fmt: on


def event_row(event: Event) -> dict[str, Any]:
    """One mention (one coded event record) as a row."""
    from detente.analytics.counting import date_label

    return {
        "date": date_label(event.date) if event.date and event.date.start else None,  # a month as 2025-06
        "event_type": event.event_type,
        "mode": event.mode,
        "quad": event.quad,
        "intensity": event.intensity,
        "modality": event.modality,
        "source": "+".join(_actor_label(a) for a in event.source),
        "target": "+".join(_actor_label(a) for a in event.target),
        "trigger": event.trigger.text,
        "outlets": event.corroboration,
        "confidence": round(event.confidence, 2),
        "id": event.id,
        "article_id": event.article_id,
    }


def counted_row(event: Occurrence) -> dict[str, Any]:
    """One event (one occurrence, with all its mentions) as a row."""
    flags = [f for f, on in (("reciprocal", event.reciprocal), ("background", event.background),
                             ("low-confidence", event.low_confidence)) if on]  # fmt: skip
    everyone = (*event.source, *event.target)
    return {
        "date": event.when,
        "event_type": event.event_type,
        "modality": event.modality,
        "source": "+".join(_actor_label(a) for a in (everyone if event.reciprocal else event.source)),
        "target": "" if event.reciprocal else "+".join(_actor_label(a) for a in event.target),
        "trigger": event.lead.trigger.text,
        "mentions": len(event.mentions),
        "articles": len(event.article_ids),
        "outlets": event.corroboration,
        "confidence": round(event.confidence, 2),
        "flags": ",".join(flags),
        "id": event.id,
    }


def _actor_label(ref: Any) -> str:
    label = ref.country if ref.country not in ("UNK", None) else ref.name
    return f"{label} {ref.sector}" if ref.sector else label


def event_filters(func: F) -> F:
    """The filters of ``detente events``, shared with ``detente export``: --actor, --dyad, --type, --quad,
    --modality, --since, --until, --article. ``event_query`` turns them into an ``EventQuery``."""
    options = [
        click.option("--actor", help="Actor id or country code (e.g. RUS, org:fsb) on either side."),
        click.option(
            "--dyad", nargs=2, metavar="A B", callback=lambda ctx, param, value: dyad_values(value) if value else None,
            help="Events between A and B: either direction, or reciprocal.",
        ),
        click.option(
            "--type", "event_type", type=click.Choice([*EVENT_TYPES, *LEGACY_TYPES], case_sensitive=False),
            help="PLOVER event type; the older labels DEMAND, DISAPPROVE, FIGHT and INVESTIGATE read as REQUEST, "
            "ACCUSE, ASSAULT and ACCUSE (as the API reads them).",
        ),
        click.option("--quad", type=click.Choice(QUADS), help="Quad class."),
        click.option("--modality", type=click.Choice(MODALITIES), help="Only events with this modality."),
        click.option("--since", help="From this date (YYYY-MM-DD), by event date or else publication date."),
        click.option("--until", help="Up to this date (YYYY-MM-DD)."),
        click.option("--article", "article_id", help="Events of one article (its id, or a prefix of it)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def event_query(
    store: Any, actor: str | None, dyad: tuple[str, str] | None, event_type: str | None, quad: str | None,
    modality: str | None, since: str | None, until: str | None, article_id: str | None,
) -> Any:  # fmt: skip
    """The ``EventQuery`` of the --actor ... --article options, checked against the store: an actor no
    stored event has, or an article id that is not stored (or an ambiguous prefix), is an error."""
    from detente.store import EventQuery

    actor = _country_case(actor) if actor else None
    check_actors(store, actor, dyad)
    return EventQuery(
        actor=actor, dyad=dyad, event_type=event_type_value(event_type), quad=quad, modality=modality,
        since=_date(since), until=_date(until), article_id=known_article(store, article_id) if article_id else None,
    )  # fmt: skip


@cli.command("events")
@db_option
@event_filters
@click.option(
    "--mentions", "per_mention", is_flag=True,
    help="One row per mention (each sentence reporting an event) instead of one per event.",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@format_option()
def events_command(
    db: str, actor: str | None, dyad: tuple[str, str] | None, event_type: str | None, quad: str | None,
    modality: str | None, since: str | None, until: str | None, article_id: str | None, per_mention: bool,
    limit: int, offset: int, fmt: str,
) -> None:  # fmt: skip
    """List events, newest first: one row per event, however many sentences and articles report it.

    An event is one real-world occurrence; a mention is one sentence reporting it. Repeat mentions in an
    article, and the reports of it in the articles of one story, are one event (the mentions column); a
    background event is dated at its own date. The table ends with the count ("21 mentions, 17 events", on
    stderr). The dashboard's /counting page and docs/dashboard.md say exactly how events are counted.

    \b
    Examples:
      detente events --dyad RUS CHN
      detente events --actor UKR --type ASSAULT --since 2022-01-01
      detente events --dyad RUS CHN --mentions      every sentence, with the event it reports
      detente events --modality future --format json
      detente events --type FIGHT --format csv > fights.csv   old labels read as PLOVER (ASSAULT)
    """
    from detente.analytics.counting import count_in_store, occurrence_to_dict
    from detente.records import to_dict

    _date(since), _date(until)  # a bad date is a usage error before the database is opened
    with existing_store(db) as store:
        query = event_query(store, actor, dyad, event_type, quad, modality, since, until, article_id)
        counted = count_in_store(store, query, limit=store.stats().mentions)
    events = counted.events
    if per_mention:
        pairs = [(m, e) for e in events for m in e.mentions][offset : offset + limit]
        if fmt in ("json", "jsonl"):
            emit_rows([{**to_dict(m), "event": e.id} for m, e in pairs], fmt)
        else:
            emit_rows([{**event_row(m), "event": e.id} for m, e in pairs], fmt, (*EVENT_COLUMNS, "event"))
    else:
        page = events[offset : offset + limit]
        if fmt in ("json", "jsonl"):
            emit_rows([occurrence_to_dict(e) for e in page], fmt)
        else:
            emit_rows([counted_row(e) for e in page], fmt, COUNTED_COLUMNS)
    if fmt in ("table", "csv"):
        shown = len(pairs) if per_mention else len(page)
        warn(f"{counted.tally} (showing {shown} {'mentions' if per_mention else 'events'} from {offset + 1})"
             if shown else str(counted.tally))  # fmt: skip


@cli.command("show")
@click.argument("article_id")
@db_option
@format_option()
def show_command(article_id: str, db: str, fmt: str) -> None:
    """One article: its text, actors, claims and events.

    ARTICLE_ID may be a prefix of the id when only one article starts with it (an ambiguous prefix lists
    the ids it matches). json and jsonl give the article bundle (jsonl on one line); csv gives one row per
    coded item (actor mention, claim, event, date, place) with its offsets, text and label.

    \b
    Examples:
      detente show 3f2a9c1e5b7d4a60
      detente show 3f2a --format json          the bundle, by an id prefix
      detente show 3f2a --format csv           every coded item with its character offsets
    """
    with existing_store(db) as store:
        bundle = store.get_bundle(resolve_id(store.article_ids(), article_id))
    if fmt == "json":
        click.echo(json.dumps(bundle_document(bundle), ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        click.echo(json.dumps(bundle_document(bundle), ensure_ascii=False))
    elif fmt == "csv":
        emit_rows(bundle_items(bundle), fmt, ITEM_COLUMNS)
    else:
        click.echo(render_bundle(bundle))


def known_article(store: Any, article_id: str) -> str:
    """The stored article an --article value names (a full id or a unique prefix), or an error."""
    ids = store.article_ids()
    found = resolve_id(ids, article_id)
    if found not in ids:
        raise NotFoundError(f"no article with id {article_id!r}", hint="list articles with 'detente stories'")
    return found


def event_type_value(value: str | None) -> str | None:
    """A PLOVER type from --type, reading older labels as the API does (FIGHT -> ASSAULT)."""
    if not value:
        return None
    return LEGACY_TYPES.get(value.upper(), value.upper())


def _country_case(value: str) -> str:
    """Country codes are upper case in the store; 'rus' means RUS. Actor ids keep their case."""
    value = value.strip()
    return value.upper() if len(value) == 3 and value.isalpha() else value


def dyad_values(dyad: tuple[str, str]) -> tuple[str, str]:
    """The two actors of --dyad A B, or a usage error that says what was wrong with them."""
    a, b = (v.strip() for v in dyad)
    for value in (a, b):
        if value.startswith("-"):
            raise click.BadParameter(
                f"takes two actors, e.g. --dyad RUS CHN, but the second value is the option {value!r}",
                param_hint="--dyad",
            )
        if "," in value:
            raise click.BadParameter(
                f"takes two actors separated by a space, not a comma: --dyad {' '.join(value.split(','))} "
                f"(got {value!r})", param_hint="--dyad",
            )  # fmt: skip
        if not value:
            raise click.BadParameter("an actor is empty; give two, e.g. --dyad RUS CHN", param_hint="--dyad")
    a, b = _country_case(a), _country_case(b)
    if a == b:
        raise click.BadParameter(
            f"needs two different actors (got {a} twice); for everything {a} did or had done to it, use --actor {a}",
            param_hint="--dyad",
        )
    return a, b


def check_actors(store: Any, actor: str | None, dyad: tuple[str, str] | None) -> None:
    """An actor no stored event has is an error naming it, not an empty table that looks like an answer."""
    from detente.store import EventQuery

    named = [("--actor", actor)] if actor else []
    named += [("--dyad", a) for a in dyad or ()]
    for option, value in named:
        if value and store.count_events(EventQuery(actor=value, limit=1)) == 0:
            raise NotFoundError(
                f"{option}: no stored event has {value!r} as an actor",
                hint="actors are country codes (RUS, CHN) or actor ids (org:fsb); the source and target "
                "columns of 'detente events' show them",
            )


ITEM_COLUMNS = ("item", "id", "start", "end", "text", "label")


def bundle_items(bundle: Bundle) -> list[dict[str, Any]]:
    """Every coded item of an article as a row with its character offsets: what 'show --format csv' prints."""
    rows: list[dict[str, Any]] = []
    for ref in bundle.actors:
        rows.append({"item": "actor", "id": ref.actor_id, "start": ref.start, "end": ref.end, "text": ref.text,
                     "label": f"{ref.name} {ref.country} {ref.sector or '-'}"})  # fmt: skip
    for claim in bundle.claims:
        speaker = ", ".join(a.name for a in claim.speaker) or "-"
        rows.append({"item": "claim", "id": claim.id, "start": claim.content.start, "end": claim.content.end,
                     "text": claim.content.text,
                     "label": f"{claim.kind}/{claim.channel}/{claim.stance} by {speaker}"})  # fmt: skip
    for event in bundle.events:
        row = event_row(event)
        rows.append({"item": "event", "id": event.id, "start": event.trigger.start, "end": event.trigger.end,
                     "text": event.trigger.text,
                     "label": f"{event.event_type} {row['source'] or '-'} -> {row['target'] or '-'} {event.modality}"})  # fmt: skip
    for date in bundle.dates:
        span = f"{date.start}..{date.end}" if date.start else "unresolved"
        rows.append({"item": "date", "id": "", "start": date.char_start, "end": date.char_end, "text": date.text,
                     "label": f"{span} {date.granularity or ''}".strip()})  # fmt: skip
    for place in bundle.places:
        rows.append({"item": "place", "id": place.gazetteer_id or "", "start": place.start, "end": place.end,
                     "text": place.text, "label": f"{place.name} {place.country or '-'} {place.kind}"})  # fmt: skip
    return rows


# How 'detente show' reads each piece of verification language (not a tick for "could not be verified").
POLARITY_WORDS = {"confirms": "+ confirms", "doubts": "- casts doubt", "unclear": "? leaves it open"}


def render_bundle(bundle: Bundle) -> str:
    article = bundle.article
    lines = [
        f"article {article.id}",
        f"title     {article.title or '-'}",
        f"outlet    {article.outlet or '-'}",
        f"published {article.published.isoformat() if article.published else '-'}",
        f"url       {article.url or '-'}",
    ]
    if article.skip_reason:
        lines.append(f"skipped   {article.skip_reason}")
    lines += ["", article.text, "", f"actors ({len(bundle.actors)})"]
    for ref in bundle.actors:
        lines.append(
            f"  [{ref.start}:{ref.end}] {ref.text!r} -> {ref.name} {ref.country} {ref.sector or '-'}"
            f" ({ref.actor_id}, {ref.confidence:.2f})"
        )
    lines.append(f"claims ({len(bundle.claims)})")
    for claim in bundle.claims:
        speaker = ", ".join(s.name for s in claim.speaker) or "-"
        cue = claim.cue.text if claim.cue else "-"
        lines.append(f"  {claim.id} {claim.kind}/{claim.channel}/{claim.stance} by {speaker} via {cue!r}"
                     f" parent={claim.parent_id or '-'}")  # fmt: skip
        if claim.obtained_by:
            lines.append(f"    obtained by {', '.join(a.name for a in claim.obtained_by)}")
        if claim.verification_status:
            lines.append(f"    verification {claim.verification_status}:")
        for piece in claim.verification:
            lines.append(f"      {POLARITY_WORDS.get(piece.polarity, piece.polarity)}: {piece.text}")
    lines.append(f"events ({len(bundle.events)})")
    for event in bundle.events:
        row = event_row(event)
        lines.append(
            f"  {event.event_type:<9} {row['source'] or '-'} -> {row['target'] or '-'} [{event.trigger.text}]"
            f" {event.modality} {row['date'] or ''} {event.place.name if event.place else ''} ({event.id})".rstrip()
        )
    return "\n".join(lines)


SKIPPED_COLUMNS = ("at", "source", "reason", "article_id")


@cli.command("stats")
@db_option
@format_option()
@click.option(
    "--skipped", "list_skipped", is_flag=True,
    help="List the skipped inputs (files never stored, articles stored uncoded), newest first, with why.",
)  # fmt: skip
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many of the latest skipped inputs to show.")  # fmt: skip
def stats_command(db: str, fmt: str, list_skipped: bool, limit: int) -> None:
    """Counts of what the database holds, and the latest skipped inputs with why.

    mentions are coded event records, one per sentence reporting an event; events are real-world
    occurrences, counted as the dashboard's /counting page and docs/dashboard.md define them. skipped
    inputs are files or records that could not be read (empty, binary, ...) and articles stored uncoded
    (not English, coding failed). The table and json list the latest ones and the count for each reason;
    csv and jsonl are the counts as one row: add --skipped for one row per skipped input.

    \b
    Examples:
      detente stats --db detente.db
      detente stats --format json
      detente stats --skipped --limit 100 --format csv
    """
    from detente.analytics.counting import store_counts

    with existing_store(db) as store:
        stats = store_counts(store, limit=None)
        skipped = store.skipped(limit=limit)
    stats.pop("truncated")
    latest = [skipped_row(item) for item in skipped.latest]
    by_reason = [{"count": n, "reason": reason} for reason, n in skipped.by_reason]
    if list_skipped:
        if fmt == "table":
            _echo_skipped(by_reason, latest, skipped.total)
        else:
            emit_rows(latest, fmt, SKIPPED_COLUMNS)
    elif fmt == "json":
        emit_json({**stats, "skipped_by_reason": by_reason, "skipped_latest": latest})
    else:
        emit_record(stats, fmt)
        if fmt == "table" and skipped.total:
            click.echo()
            _echo_skipped(by_reason, latest, skipped.total)


def skipped_row(item: SkippedInput) -> dict[str, Any]:
    at = item.at.isoformat(timespec="seconds") if item.at else None
    return {"at": at, "source": item.source, "reason": item.reason, "article_id": item.article_id}


def _echo_skipped(by_reason: list[dict[str, Any]], latest: list[dict[str, Any]], total: int) -> None:
    # Lines, not a table: a table clips long paths and reasons, and these are what the reader needs whole.
    click.echo(f"skipped inputs by reason ({total} in all)")
    for row in by_reason:
        click.echo(f"  {row['count']:>5}  {row['reason']}")
    click.echo(f"latest {len(latest)} of {total} (more: detente stats --skipped --limit N)")
    for row in latest:
        article = f"  (article {row['article_id']})" if row["article_id"] else ""
        click.echo(f"  {row['at'] or 'undated'}  {row['source']}{article}\n      {row['reason']}")
