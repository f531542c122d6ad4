"""`moderate serve`: run the HTTP service under uvicorn.

Registered by `app.cli` when this module exists. Options are handed to the server through
the same `MODERATE_*` variables the settings read, so every worker process sees them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging config plus our `app` loggers, at `level`."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG, "loggers": dict(LOGGING_CONFIG["loggers"])}
    config["loggers"]["app"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def settings_errors(exc: Any) -> list[str]:
    """One `MODERATE_<NAME>: message` per problem of a settings `ValidationError`.

    Never the input: the value of a rejected `MODERATE_API_KEY` (or a database URL with
    its password) must not reach a terminal or a log.
    """
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        name = "MODERATE_" + "_".join(str(part) for part in err.get("loc", ())).upper()
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        out.append(message if message.startswith(name) else f"{name}: {message}")
    return out


def _check_model(model_path: Path | None) -> None:
    """Exit 2 with one line when the model folder is missing, pickled or fails its hashes.

    Cheap (the card and the sha256 of its files), and done before uvicorn starts, so an
    operator sees the file at fault instead of a server that dies in its start-up.
    """
    from app.model_card import ModelCardError, default_model_dir, read_card
    from app.model_io import verify_artifacts

    try:
        model_dir = model_path or default_model_dir()
        verify_artifacts(model_dir, read_card(model_dir))
    except ModelCardError as exc:
        typer.echo(f"error: cannot load model: {exc}", err=True)
        raise typer.Exit(2) from None


def _check_policy_file(policy_file: Path | None, model_path: Path | None) -> None:
    """Validate the policy file before the server starts, so a bad one stops `serve` with
    one line and exit code 2 (inside the server it would be a start-up traceback)."""
    if policy_file is None:
        return
    from app.model_card import ModelCardError, default_model_dir, read_card
    from app.policy import Policy
    from app.policy_file import PolicyError, load_policy_book

    try:
        card = read_card(model_path or default_model_dir())
    except (ModelCardError, OSError):
        return  # the server reports a model it cannot load itself
    try:
        load_policy_book(policy_file, Policy.from_card(card))
    except PolicyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 in a container).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: $MODERATE_WORKERS or 1)."),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            "-m",
            exists=True,
            file_okay=False,
            help="Model folder (default: $MODERATE_MODEL_PATH or the newest in models/).",
        ),
    ] = None,
    policy_file: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Per-community policies, JSON (default: $MODERATE_POLICY_FILE).",
        ),
    ] = None,
    log_level: Annotated[
        str | None, typer.Option(help="Log level (default: $MODERATE_LOG_LEVEL or info).")
    ] = None,
) -> None:
    """Serve the HTTP API: POST /v1/score, /v1/threads:score, /v1alpha1/comments:analyze,
    /v1/feedback; GET /v1/model, /healthz, /readyz, /metrics; docs at /docs."""
    import uvicorn
    from pydantic import ValidationError

    from app.config import get_settings

    for name, value in (
        ("MODERATE_MODEL_PATH", model),
        ("MODERATE_POLICY_FILE", policy_file),
        ("MODERATE_LOG_LEVEL", log_level),
    ):
        if value is not None:
            os.environ[name] = str(Path(value).resolve()) if isinstance(value, Path) else value
    get_settings.cache_clear()
    try:
        settings = get_settings()
    except ValidationError as exc:
        typer.echo(f"error: invalid settings: {'; '.join(settings_errors(exc))}", err=True)
        raise typer.Exit(2) from None
    _check_model(settings.model_path)
    _check_policy_file(settings.policy_file, settings.model_path)
    uvicorn.run(
        "app.api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.workers,
        log_config=log_config(settings.log_level),
        log_level=settings.log_level,
        # our own access log leaves out query strings, which may hold ?key=
        access_log=False,
        server_header=False,
    )
