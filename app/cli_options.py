"""Command-line options shared by `moderate score` and `moderate rescore`: the policy file,
the community, what to do with unknown communities, and author scoring."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

PolicyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        exists=True,
        dir_okay=False,
        help="Policy file: community id -> overrides (the format of `serve --policy-file`).",
    ),
]
CommunityOpt = Annotated[
    str | None,
    typer.Option(help="Apply this community's policy to every text (overrides `community`)."),
]
UnknownCommunityOpt = Annotated[
    str | None,
    typer.Option(
        help="A record naming a community the policy file does not: reject (skip it) or "
        "default (default policy). Default: $MODERATE_UNKNOWN_COMMUNITY or reject.",
        show_default=False,
    ),
]


def unknown_community_mode(value: str | None) -> str:
    """The --unknown-community value, else MODERATE_UNKNOWN_COMMUNITY, else `reject`;
    exits 2 on a bad value."""
    from pydantic import ValidationError

    from app.config import get_settings
    from app.policy_file import UNKNOWN_COMMUNITY_MODES

    if value is None:
        try:
            return get_settings().unknown_community
        except ValidationError as exc:
            errors = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            typer.echo(f"error: invalid settings: {errors}", err=True)
            raise typer.Exit(2) from exc
    if value not in UNKNOWN_COMMUNITY_MODES:
        typer.echo(
            f"error: --unknown-community must be {' or '.join(UNKNOWN_COMMUNITY_MODES)}, "
            f"got {value!r}",
            err=True,
        )
        raise typer.Exit(2)
    return value


ScoreAuthorsOpt = Annotated[
    bool,
    typer.Option(
        "--score-authors",
        help="Also score each record's `author` as a display name (into `author_result`).",
    ),
]
