"""``detente eval events``: score event coding on a gold JSONL (the PLOVER dev-gold shape)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from detente.cli.main import emit_json, emit_rows, eval_group, format_option

PER_TYPE_COLUMNS = ("type", "gold", "predicted", "correct", "precision", "recall", "f1")


@eval_group.command("events")
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False))
@format_option(json_alias=True)
@click.option(
    "--failures", is_flag=True, help="Also list the sentences coded wrongly (json always has them)."
)
@click.option(
    "--news", is_flag=True,
    help="GOLD holds news sentences with all their events (or none): score precision and recall "
         "(detected automatically from an 'events' list).",
)  # fmt: skip
@click.option(
    "--folds", type=click.IntRange(min=2), default=None,
    help="Also score N folds of the gold (ids by number modulo N) to see how much figures vary.",
)  # fmt: skip
def eval_events_command(gold: Path, fmt: str, failures: bool, news: bool, folds: int | None) -> None:
    """Score event type, source and target countries against gold sentences.

    Each line: {"id", "text", "event", "source": [{"actorText", "code"}], "target": [...],
    "eventText"}. Older labels map DEMAND->REQUEST, DISAPPROVE->ACCUSE, FIGHT->ASSAULT.
    Each sentence is coded as its own article; the compared event is the most confident one whose
    trigger shares a word with eventText, else the most confident one (docs/events.md).

    \b
    With --news (or a file whose lines carry an "events" list), each line is a news sentence with
    every event it holds ("events": [] for none): event precision, recall and F1 per split.

    json gives scores, per-type figures, confusion and failures; jsonl and csv the per-type rows (with
    --news, one row per split).

    \b
    Examples:
      detente eval events ../shared/eval/plover_gsr_dev.jsonl
      detente eval events tests/data/news_events.jsonl --news --failures
      detente eval events ../shared/eval/plover_gsr_dev.jsonl --format csv > per-type.csv
    """
    from detente.events.evaluation import evaluate, fold_scores, read_gold
    from detente.events.news_evaluation import is_news_gold
    from detente.pipeline import load_nlp

    if news or is_news_gold(gold):
        _news(gold, fmt, failures)
        return

    cases = read_gold(gold)
    scores = evaluate(load_nlp(), cases)
    data = scores.as_dict(failures=True)
    parts = fold_scores(scores, folds) if folds else []
    if parts:
        data["folds"] = [part.as_dict(failures=False) for part in parts]
    if fmt == "json":
        emit_json(data)
        return
    if fmt != "table":
        emit_rows([{"type": label, **row} for label, row in data["per_type"].items()], fmt, PER_TYPE_COLUMNS)
        return
    src, tgt = data["source_country"], data["target_country"]
    click.echo(f"events: {data['sentences']} sentences")
    click.echo(f"  type accuracy      {data['type_accuracy']:.3f}  (most confident event only: "
               f"{data['top_type_accuracy']:.3f})")  # fmt: skip
    click.echo(f"  macro-F1           {data['macro_f1']:.3f}")
    click.echo(f"  source country     {src['accuracy']:.3f}  ({src['correct']}/{src['total']})")
    click.echo(f"  target country     {tgt['accuracy']:.3f}  ({tgt['correct']}/{tgt['total']})")
    for k, part in enumerate(data.get("folds", ())):
        click.echo(f"  fold {k + 1}/{len(data['folds'])} ({part['sentences']} sentences): type {part['type_accuracy']:.3f}"
                   f"  macro-F1 {part['macro_f1']:.3f}  source {part['source_country']['accuracy']:.3f}"
                   f"  target {part['target_country']['accuracy']:.3f}")  # fmt: skip
    click.echo("")
    rows = [{"type": label, **row} for label, row in data["per_type"].items()]
    emit_rows(rows, "table", PER_TYPE_COLUMNS)
    click.echo("")
    labels = sorted({got for row in data["confusion"].values() for got in row} | set(data["confusion"]))
    confusion = [
        {"gold": g, **{label[:5]: row.get(label, "") for label in labels}}
        for g, row in data["confusion"].items()
    ]
    emit_rows(confusion, "table", ("gold", *(label[:5] for label in labels)))
    if failures:
        for f in data["failures"]:
            click.echo(f"{f['id']}: gold {f['gold']} got {f['got']} ({f['trigger']!r}); "
                       f"source {f['gold_source']} got {f['got_source']}; target {f['gold_target']} got {f['got_target']}")  # fmt: skip


def _news(gold: Path, fmt: str, failures: bool) -> None:
    from detente.events.news_evaluation import evaluate_news, read_news_gold
    from detente.pipeline import load_nlp

    scores = evaluate_news(load_nlp(), read_news_gold(gold))
    data = scores.as_dict(failures=True)
    if fmt == "json":
        emit_json(data)
        return
    rows = []
    for name, part in [("all", data), *data["splits"].items()]:
        strict = part["type_actors"]
        rows.append({"split": name, "sentences": part["sentences"], "gold": part["gold_events"],
                     "predicted": part["predicted_events"], "precision": part["precision"],
                     "recall": part["recall"], "f1": part["f1"], "actors_p": strict["precision"],
                     "actors_r": strict["recall"], "actors_f1": strict["f1"],
                     "no_event_clean": part["no_event_clean"]})  # fmt: skip
    emit_rows(rows, fmt, tuple(rows[0]))
    if fmt != "table":
        return
    click.echo("")
    per_type = [{"type": label, **row} for label, row in data["per_type"].items()]
    emit_rows(per_type, "table", PER_TYPE_COLUMNS)
    if failures:
        for f in data["failures"]:
            click.echo(f"[{f['split']} {f['story_id']}] {f['text']}")
            for item in f["spurious"]:
                click.echo(f"    spurious: {item}")
            for item in f["missed"]:
                click.echo(f"    missed:   {item}")


@eval_group.command("news")
@click.option(
    "--folds", type=click.IntRange(min=2), default=5, show_default=True, help="Story-grouped folds."
)
@click.option(
    "--report", type=click.Path(path_type=Path, dir_okay=False), help="Also write the full report (JSON)."
)
@format_option(json_alias=True)
def eval_news_command(folds: int, report: Path | None, fmt: str) -> None:
    """Cross-validate the learned event coder on the annotated news corpus, grouped by story.

    Trains on all folds but one and scores the held-out stories, N times; no story is on both sides.
    The policy and calibration of each fold are chosen on the other folds only. Reports event
    precision, recall and F1 (type must match), source and target country right on detected events,
    the share of no-event sentences coded, per type, a reliability table, and the rules alone for
    comparison. Needs data/annotations/ (a source checkout); the PLOVER dev gold joins when
    ../shared/eval/plover_gsr_dev.jsonl exists. Takes a few minutes. json gives the whole report; jsonl
    and csv one row per coder and kind of story.

    \b
    Examples:
      detente eval news --folds 5 --report cv.json
      detente eval news --format csv > cv.csv
    """
    import importlib.util
    import json

    from detente.errors import ModelError
    from detente.events import training

    if importlib.util.find_spec("scipy") is None:  # training fits models with scipy: not a runtime dependency
        raise ModelError(
            "detente eval news trains event models and needs scipy, which the runtime install leaves out",
            hint="pip install 'detente[train]', or 'make install' in a source checkout",
        )
    parsed, lexicon = training.load_material()
    held = training.cross_validate(parsed, lexicon, folds)
    nested, policies = training.nested_outcomes(held, folds, training.shipped_policy())
    data: dict[str, Any] = {
        "folds": folds, "policies_chosen_per_fold": [p.as_dict() for p in policies],
        "model": training.cv_report(nested), "rules_alone": training.cv_report(training.outcomes(held, training.RULES_ALONE)),
    }  # fmt: skip
    if report is not None:
        report.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    if fmt == "json":
        emit_json(data)
        return
    rows = []
    for name in ("model", "rules_alone"):
        # the written sentences and wire articles (training material of their own kinds) are reported when the
        # corpus has them
        for part in [p for p in ("news", "synthetic", "written", "wire") if p in data[name]]:
            s = data[name][part]
            rows.append({"coder": name, "stories": part, "precision": s["precision"], "recall": s["recall"],
                         "f1": s["f1"], "source_ok": s["source_country_right"], "target_ok": s["target_country_right"],
                         "negatives_coded": s["negatives_coded"]})  # fmt: skip
        dev = data[name]["dev_gold"]
        rows.append({"coder": name, "stories": "plover dev gold", "precision": "", "recall": "",
                     "f1": f"type acc {dev['type_accuracy']} / macro-F1 {dev['macro_f1']}",
                     "source_ok": dev.get("source_country", ""), "target_ok": dev.get("target_country", ""),
                     "negatives_coded": ""})  # fmt: skip
    emit_rows(rows, fmt)
    if fmt != "table":
        return
    click.echo(
        "\nkeeping only events at or above a confidence (news, model; --min-confidence in export and the"
    )
    click.echo(
        "dashboard): min confidence -> events, precision, recall, F1, both countries, wholly right, no-event"
        " sentences coded"
    )
    for row in data["model"].get("operating_points_news", []):
        click.echo(f"  >= {row['min_confidence']:.1f}: {row['events']} events, P {row['precision']}, R {row['recall']}, "
                   f"F1 {row['f1']}, both {row['both_countries_right']}, wholly right {row.get('wholly_right', '-')}, "
                   f"coded {row['negatives_coded']}")  # fmt: skip
    click.echo(
        "\nreliability (news, model): confidence bin -> share wholly right (type and both countries; what the"
        " confidence means), share matched whatever the countries"
    )
    for row in data["model"]["reliability_news"]:
        click.echo(f"  {row['bin']}: {row['events']} events, mean {row['mean_confidence']}, "
                   f"right {row['share_right']}, matched {row.get('share_matched', '-')}")  # fmt: skip
