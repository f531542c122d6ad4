"""The `moderate` command line: score, serve, rescore, train, evaluate, bench.

Commands parse arguments, call `Moderator` (or `training`), and print. Training and
evaluation are imported inside their commands, so the service needs no training code.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli_options import (
    CommunityOpt,
    PolicyFileOpt,
    ScoreAuthorsOpt,
    UnknownCommunityOpt,
    unknown_community_mode,
)
from app.io_jsonl import open_sink, read_jsonl_records, write_jsonl
from app.labels import LABELS
from app.records import PASS_THROUGH

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Moderate comments: slurs, dehumanization, identity attacks, threats, insults, profanity.",
)

def _version(value: bool) -> None:
    if value:
        from app import __version__

        typer.echo(f"comment-moderator {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the package version."
        ),
    ] = False,
) -> None:
    """Moderate comments: slurs, dehumanization, identity attacks, threats, insults, profanity."""


ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model",
        "-m",
        help="Model folder (default: $MODERATE_MODEL_PATH or the newest in models/).",
        file_okay=False,
    ),
]


def _load(model: Path | None):
    from app.model_card import ModelCardError
    from app.moderator import Moderator

    try:
        return Moderator.load(model)
    except (ModelCardError, FileNotFoundError, OSError) as exc:
        typer.echo(f"error: cannot load model: {exc}", err=True)
        raise typer.Exit(2) from exc


def _print_table(texts: list[str], results: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("text", overflow="fold", max_width=50)
    table.add_column("action")
    table.add_column("hateful")
    table.add_column("labels")
    table.add_column("top scores")
    table.add_column("spans", overflow="fold")
    colours = {"allow": "green", "review": "yellow", "remove": "red"}
    for i, (text, res) in enumerate(zip(texts, results, strict=True), 1):
        top = sorted(res.scores.items(), key=lambda kv: -kv[1])[:3]
        spans = ", ".join(
            f"{s.text!r}:{s.label}" + (f"({s.usage})" if s.usage else "") for s in res.spans
        )
        table.add_row(
            str(i),
            text if len(text) <= 300 else text[:297] + "...",
            f"[{colours[res.action]}]{res.action}[/]",
            "yes" if res.hateful else "no",
            ", ".join(res.labels) or "-",
            " ".join(f"{k}={v:.2f}" for k, v in top),
            spans or "-",
        )
    Console().print(table)


def _policies(
    moderator: Any, path: Path | None, community: str | None, unknown: str, authors: bool
) -> tuple[Any, Any]:
    """The policy book of `path` and the record rules; exits 2 (one line) on any error."""
    from app.policy_file import PolicyError, load_policy_book
    from app.records import RecordRules

    try:
        book = load_policy_book(path, moderator.policy)
        return book, RecordRules.for_book(book, community, unknown, authors)
    except PolicyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command()
def score(
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to score.")] = None,
    input: Annotated[
        str | None, typer.Option("--input", "-i", help="JSON Lines input ('-' = stdin).")
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="JSON Lines output ('-' = stdout).")
    ] = None,
    model: ModelOpt = None,
    usernames: Annotated[
        bool,
        typer.Option("--usernames", help="Score every text as a display name (any `kind`)."),
    ] = False,
    policy: PolicyFileOpt = None,
    community: CommunityOpt = None,
    unknown_community: UnknownCommunityOpt = None,
    score_authors: ScoreAuthorsOpt = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Comments per batch.")] = 1000,
) -> None:
    """Score texts given as arguments (a table) or JSON Lines with -i/-o.

    Each input line needs `text`; `id`, `thread_id`, `parent_id`, `author`, `created_at`,
    `community` and `kind` are passed through. `kind: "username"` scores a display name,
    `context` is read as the text around the comment, and `community` picks the policy of
    the --policy file. A bad line is reported on stderr with its line number and skipped;
    the exit code is non-zero only if nothing could be scored.
    """
    if input is None and not texts:
        typer.echo("error: give texts to score or --input FILE (see --help)", err=True)
        raise typer.Exit(2)
    if input is not None and texts:
        typer.echo("error: give either texts or --input, not both", err=True)
        raise typer.Exit(2)
    if input is not None and input != "-" and not Path(input).is_file():
        typer.echo(f"error: input file {input} not found", err=True)
        raise typer.Exit(2)
    unknown = unknown_community_mode(unknown_community)
    moderator = _load(model)
    book, rules = _policies(moderator, policy, community, unknown, score_authors)
    if input is None:
        assert texts is not None
        applied = book.resolve(community)
        results = (
            moderator.score_usernames(texts, applied)
            if usernames
            else moderator.score(texts, policy=applied)
        )
        if output is not None:
            records = [{"id": i, **r.to_dict()} for i, r in enumerate(results, 1)]
            write_jsonl(output, records)
        else:
            _print_table(texts, results)
        return
    from app.records import output_record, score_items

    scored = 0
    rejected = 0
    with open_sink(output or "-") as sink:
        for batch, bad in read_jsonl_records(input, batch_size=batch_size):
            bad = list(bad)
            items = []
            for line_no, rec in batch:
                head = {"id": rec.get("id", line_no)}
                for key in PASS_THROUGH:
                    if key in rec:
                        head[key] = rec[key]
                if usernames:
                    rec = {**rec, "kind": "username"}
                item = rules.item(head, rec)
                if isinstance(item, str):
                    bad.append((line_no, item))
                else:
                    items.append(item)
            for line_no, reason in sorted(bad):
                rejected += 1
                typer.echo(f"warning: line {line_no}: {reason}; skipped", err=True)
            if not items:
                continue
            done = score_items(moderator, book, items)
            for item, res, author in zip(items, done.results, done.authors, strict=True):
                sink.write(output_record(item, res, author))
                scored += 1
    typer.echo(f"scored {scored}, rejected {rejected}", err=True)
    if scored == 0:
        raise typer.Exit(1)


@app.command()
def train(
    data: Annotated[Path, typer.Option(help="The shared datasets folder.")] = Path(
        "../shared/data"
    ),
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default models/<version>).")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Training config JSON.")] = None,
    feedback_db: Annotated[
        str | None,
        typer.Option(help="Include moderator feedback stored at this database URL."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output folder.")] = False,
) -> None:
    """Train a model from ../shared/data (+ generated examples, + optional feedback)."""
    from training.train import CONFIG_PATH, ROOT, load_config
    from training.train import train as run_train

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    config_path = config or CONFIG_PATH
    if not data.is_dir():
        typer.echo(f"error: data folder {data} not found", err=True)
        raise typer.Exit(2)
    out = out or ROOT / "models" / load_config(config_path)["version"]
    feedback_rows = []
    if feedback_db:
        from training.feedback import feedback_rows as load_feedback

        feedback_rows = load_feedback(feedback_db)
    try:
        card = run_train(data, out, config_path, feedback_rows=feedback_rows, force=force)
    except FileExistsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _print_metrics(card["metrics"])
    typer.echo(f"model written to {out}")


@app.command()
def convert(
    old_dir: Annotated[Path, typer.Argument(help="A pickled model folder (classifier.joblib).")],
    new_dir: Annotated[Path, typer.Argument(help="The new folder to write (must not exist).")],
) -> None:
    """Convert a pickled model folder (format 1) into the pickle-free format 2.

    The only command that unpickles: convert only model folders you trust.
    """
    from app.convert import convert_model
    from app.model_card import ModelCardError

    try:
        report = convert_model(
            old_dir, new_dir, warn=lambda msg: typer.echo(f"warning: {msg}", err=True)
        )
    except (ModelCardError, FileExistsError, RuntimeError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"converted {old_dir} -> {new_dir}: {len(report['files'])} files, "
        f"{report['bytes'] / 1e6:.1f} MB; {report['texts_checked']} texts score identically"
    )


def _print_metrics(metrics: dict[str, Any]) -> None:
    test = metrics.get("test", {})
    typer.echo("held-out test split")
    typer.echo(f"{'dataset':<20}{'task':<28}{'n':>7}{'macroF1':>9}{'F1':>7}{'P':>7}{'R':>7}")
    for name, m in test.get("datasets", {}).items():
        typer.echo(
            f"{name:<20}{m['task']:<28}{m['n']:>7}{m['macro_f1']:>9.3f}{m['f1']:>7.3f}"
            f"{m['precision']:>7.3f}{m['recall']:>7.3f}"
        )
    typer.echo(f"\n{'label':<18}{'n':>7}{'pos':>6}{'F1':>7}{'P':>7}{'R':>7}{'AUPRC':>7}")
    for label in LABELS:
        m = test.get("labels", {}).get(label, {})
        if "f1" not in m:
            typer.echo(f"{label:<18}{m.get('n', 0):>7}  {m.get('note', '')}")
            continue
        typer.echo(
            f"{label:<18}{m['n']:>7}{m['positives']:>6}{m['f1']:>7.3f}"
            f"{m['precision']:>7.3f}{m['recall']:>7.3f}{m['auprc']:>7.3f}"
        )
    bias = metrics.get("bias")
    if bias:
        means = bias["power_means"]
        typer.echo(
            f"\nidentity bias on real test rows ({bias['score']}; power mean p={bias['power']}): "
            f"subgroup {means['subgroup_auc']:.3f}  BPSN {means['bpsn_auc']:.3f}  "
            f"BNSP {means['bnsp_auc']:.3f}"
        )
        for group, g in bias["groups"].items():
            typer.echo(
                f"  {group:<18}{g['n']:>6} rows  subgroup {g['subgroup_auc']:.3f}  "
                f"BPSN {g['bpsn_auc']:.3f}  BNSP {g['bnsp_auc']:.3f}"
            )
    functional = metrics.get("functional")
    if functional:
        typer.echo(
            f"\nfunctional suite (regression): overall {functional['overall']['accuracy']:.3f}"
            f"  hateful {functional['hateful_cases']['accuracy']:.3f}"
            f"  non-hateful {functional['nonhateful_cases']['accuracy']:.3f}"
        )
    protocol = metrics.get("protocol")
    if protocol:
        lodo = protocol["lodo"]
        split = protocol["eval_split"]
        typer.echo(f"\nleave-one-dataset-out ({split} splits): mean {lodo['mean']}")
        for name, value in lodo["datasets"].items():
            typer.echo(f"  {name:<20}{value}")
    spans = (metrics.get("spans") or {}).get("test")
    if spans:
        from training.spans_eval import format_span_report

        typer.echo("\nevidence spans, toxic_spans test split (character F1)")
        typer.echo(format_span_report(spans))
    seed = metrics.get("seed_thread")
    if seed:
        typer.echo(f"\nseed thread: {seed['passed']}/{seed['total']} verdicts as expected")
        for cid, v in seed["comments"].items():
            typer.echo(
                f"  {cid}: {v['action']:<7} labels={v['labels']} spans={v['spans']} "
                f"{'ok' if v['pass'] else 'MISMATCH'}"
            )
        for name, v in seed["authors"].items():
            typer.echo(f"  author {name!r}: {v['action']} {'ok' if v['pass'] else 'MISMATCH'}")
        typer.echo(
            f"  article: {seed['article']['action']} "
            f"{'ok' if seed['article']['pass'] else 'MISMATCH'}"
        )


@app.command()
def evaluate(
    model: ModelOpt = None,
    data: Annotated[Path, typer.Option(help="The shared datasets folder.")] = Path(
        "../shared/data"
    ),
    suite: Annotated[
        Path | None, typer.Option(help="A functional suite (JSON Lines) to run instead.")
    ] = None,
    protocol: Annotated[
        bool,
        typer.Option(
            help="Also run the generalization protocol: leave-one-dataset-out fits and "
            "source ablations (15 fits of about 4-5 minutes each; see --jobs)."
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            min=1, help="Processes for the protocol's fits (each fit uses one core)."
        ),
    ] = 1,
    write_card: Annotated[
        bool, typer.Option(help="Store the metrics (and protocol) in the model's card.")
    ] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the metrics as JSON here.")
    ] = None,
) -> None:
    """Held-out metrics per dataset and label, identity bias on real rows, the seed thread
    and the functional suite (or only a given suite)."""
    moderator = _load(model)
    if suite is not None:
        from training.spans_eval import suite_evidence
        from training.suite import evaluate_suite, format_suite_report, load_suite

        report = evaluate_suite(moderator, load_suite(suite))
        typer.echo(format_suite_report(report))
        evidence = suite_evidence(moderator, suite)
        typer.echo(
            f"\nnot allowed without a span: {evidence['without_span']}/"
            f"{evidence['not_allowed']} ({100 * evidence['rate']:.1f}%)"
        )
        metrics: dict[str, Any] = {"suite": report, "suite_missing_evidence": evidence}
    else:
        from training.evaluate import evaluate_model
        from training.train import SUITE_PATH, load_config

        if not data.is_dir():
            typer.echo(f"error: data folder {data} not found", err=True)
            raise typer.Exit(2)
        config = load_config()
        metrics = evaluate_model(moderator, data, config, SUITE_PATH)
        if protocol:
            from training.protocol import card_protocol

            metrics["protocol"] = card_protocol(data, config, SUITE_PATH, jobs=jobs)
        _print_metrics(metrics)
        if write_card:
            from app.model_card import write_card as save_card

            card = dict(moderator.card)
            kept = card.get("metrics", {}).get("protocol")
            card["metrics"] = {**metrics, **({"protocol": kept} if kept and not protocol else {})}
            save_card(moderator.path, card)
            typer.echo(f"metrics written to {moderator.path}/model_card.json")
    if json_out is not None:
        json_out.write_text(json.dumps(metrics, indent=2))


def _register_subsystem_commands() -> None:
    """Commands that live beside their subsystem; their modules import heavy libraries
    (uvicorn, dask, matplotlib) only inside the command."""
    from app.api.cli import serve
    from app.batch.cli import diff, rescore
    from app.bench import bench

    app.command(name="serve")(serve)
    app.command(name="rescore")(rescore)
    app.command(name="diff")(diff)
    app.command(name="bench")(bench)


_register_subsystem_commands()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
