"""`moderate rescore` and `moderate diff` (registered by `app.cli` when this module imports).

Both commands only parse options, call :mod:`app.batch`, and print; operator mistakes
(missing input, unknown extension, a work dir of another job) exit with code 2 and one
line on stderr. Comment text is never printed.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from app.cli_options import (
    CommunityOpt,
    ScoreAuthorsOpt,
    UnknownCommunityOpt,
    unknown_community_mode,
)


class EngineName(StrEnum):
    """Where chunks are scored."""

    local = "local"
    dask = "dask"


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def rescore(
    input: Annotated[
        str,
        typer.Argument(
            help="A .jsonl/.ndjson, .csv or .parquet file, a directory of them, or a glob "
            "pattern (quote it).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Argument(
            help="Results: .jsonl/.ndjson or .parquet. Rejects and the manifest go beside it.",
            show_default=False,
            dir_okay=False,
        ),
    ],
    engine: Annotated[
        EngineName | None,
        typer.Option(
            help="local: this process; dask: a Dask cluster (default: dask if --scheduler is "
            "given, else local)."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(min=1, help="Worker processes of the LocalCluster started by --engine dask."),
    ] = 2,
    shared_fs: Annotated[
        bool,
        typer.Option(
            "--shared-fs",
            help="With --scheduler: the workers see the input files and OUTPUT's folder at "
            "the same paths, so they read and write chunks themselves (always so for a "
            "LocalCluster). Without it the driver reads and writes everything.",
        ),
    ] = False,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            "-m",
            file_okay=False,
            help="Model folder (default: $MODERATE_MODEL_PATH or the newest in models/).",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Policy file: community id -> overrides (the format of `serve "
            "--policy-file`); each record gets the policy of its `community`.",
        ),
    ] = None,
    community: CommunityOpt = None,
    unknown_community: UnknownCommunityOpt = None,
    score_authors: ScoreAuthorsOpt = False,
    chunk_size: Annotated[
        int, typer.Option(min=1, help="Rows per chunk: the unit of work, of resume, and of memory.")
    ] = 2000,
    force: Annotated[
        bool, typer.Option("--force", help="Start over, replacing OUTPUT and any unfinished work.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress bar (the one-line summary is still printed)."
        ),
    ] = False,
    compare: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Then diff against an older OUTPUT (report also in OUTPUT.diff.json).",
        ),
    ] = None,
) -> None:
    """Re-score archived comments in resumable chunks (JSON Lines, CSV or Parquet).

    A killed run picks up where it stopped when run again with the same arguments, and
    writes exactly what an uninterrupted run would have. A finished job is not redone
    unless --force. Bad rows go to OUTPUT.rejects.jsonl with their file and line.
    """
    from app.batch.rescore import RescoreError, RescoreOptions, run_rescore

    if engine is None:
        engine = EngineName.dask if scheduler else EngineName.local
    if scheduler and engine is EngineName.local:
        raise _fail("--scheduler needs --engine dask")
    if shared_fs and not scheduler:
        raise _fail("--shared-fs goes with --scheduler (a LocalCluster always shares files)")
    unknown = unknown_community_mode(unknown_community)
    opts = RescoreOptions(
        input=input,
        output=output,
        model=model,
        policy=policy,
        engine=engine.value,
        scheduler=scheduler,
        workers=workers,
        shared_fs=True if shared_fs else None,
        chunk_size=chunk_size,
        force=force,
        progress=not quiet and sys.stderr.isatty(),
        community=community,
        unknown_community=unknown,
        score_authors=score_authors,
    )
    try:
        summary = run_rescore(opts)
    except RescoreError as exc:
        raise _fail(str(exc)) from exc
    except KeyboardInterrupt:
        raise _interrupted(output) from None
    typer.echo(summary.line(), err=True)
    if compare is not None:
        _print_diff(compare, output, output.with_name(output.name + ".diff.json"))
    if summary.counts.get("scored", 0) == 0:
        raise typer.Exit(1)


def _interrupted(output: Path) -> typer.Exit:
    """Ctrl-C: say what was kept and how to go on; exit 130 as a shell does for SIGINT."""
    from app.batch.chunks import JobPaths

    parts = JobPaths(output).parts
    kept = sum(1 for _ in parts.glob("*-*.json"))  # chunk meta files (`<chunk key>.json`)
    typer.echo(
        f"\ninterrupted: {kept} finished chunks are kept in {parts}; "
        "run the same command again to resume (only unfinished chunks are redone)",
        err=True,
    )
    return typer.Exit(130)


def diff(
    old: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, show_default=False, help="The earlier rescore OUTPUT."
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, show_default=False, help="The later rescore OUTPUT."
        ),
    ],
    json_out: Annotated[
        Path | None,
        typer.Option("--json", dir_okay=False, help="Also write the report as JSON here."),
    ] = None,
    examples: Annotated[int, typer.Option(min=0, help="Example ids per kind of change.")] = 5,
) -> None:
    """Compare two rescore outputs: changed actions and label threshold crossings."""
    _print_diff(old, new, json_out, examples)


def _print_diff(old: Path, new: Path, json_out: Path | None, examples: int = 5) -> None:
    from app.batch.diff import diff_outputs, format_report

    try:
        report = diff_outputs(old, new, examples=examples)
    except (ValueError, OSError) as exc:
        raise _fail(f"cannot compare {old} and {new}: {exc}") from exc
    for line in format_report(report):
        typer.echo(line)
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=2) + "\n")
