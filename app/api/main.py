"""`create_app()`: the FastAPI application; `lifespan` loads the model once and shares it.

    uvicorn --factory app.api.main:create_app      # what `moderate serve` runs

Tests build their own app: `create_app(Settings(max_chars=20), moderator=loaded)`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.api.errors import install_error_handlers
from app.api.metrics import Metrics
from app.api.middleware import CleanStartupFailure, Observe, RequestGuard
from app.api.policies import load_policy_book
from app.api.routes import feedback, health, model, perspective, score
from app.config import Settings, get_settings
from app.feedback import FeedbackStore
from app.language import warm_up as warm_language_id
from app.model_card import ModelCardError
from app.moderator import Moderator

log = logging.getLogger("app.api")
#: where the Swagger UI and ReDoc files of /docs and /redoc are served (no auth, like /docs)
DOCS_ASSETS = "/docs-assets"

DESCRIPTION = """\
Moderates comments: calibrated probabilities for `slur`, `dehumanization`,
`identity_attack`, `threat`, `insult` and `profanity`; whether a text is hateful; an action
(`allow`, `review`, `remove`) from the community's policy; and evidence spans with offsets
into the original text.

* **Auth**: when `MODERATE_API_KEY` is set, send it as `X-API-Key` (or `?key=` on the
  Perspective route); otherwise 401.
* **Limits**: `MODERATE_MAX_CHARS` (10,000) characters per comment,
  `MODERATE_MAX_COMMENTS` (1,000) comments per request, `MODERATE_MAX_BODY_BYTES` (2 MB)
  per body; over a limit is 413.
* **Errors**: always JSON, `{"error": {"code", "status", "message", "details"?}}`:
  422 malformed JSON or wrong types (400 on the Perspective route), 413 over a limit,
  415 not `application/json`.
"""


def _open_feedback_store(url: str) -> FeedbackStore | None:
    # scoring must not depend on the feedback database: without it only /v1/feedback fails
    try:
        return FeedbackStore(url)
    except Exception as exc:  # any driver or connection error
        log.error(
            "feedback store unavailable (%s); POST /v1/feedback will answer 503", type(exc).__name__
        )
        return None


def _lifespan(preloaded: Moderator | None):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings: Settings = app.state.settings
        started = time.perf_counter()
        try:
            moderator = preloaded or await run_in_threadpool(Moderator.load, settings.model_path)
        except ModelCardError as exc:
            # one line in the log (see CleanStartupFailure); uvicorn then exits with code 3
            app.state.startup_error = f"cannot load model: {exc}"
            raise
        policies = load_policy_book(settings.policy_file, moderator.policy)
        # the first call through spaCy and the classifier is slower; pay it before serving
        await run_in_threadpool(moderator.score, ["warm-up comment"])
        load_seconds = time.perf_counter() - started
        app.state.metrics.model_info.labels(moderator.version).set(1)
        app.state.metrics.model_load.set(load_seconds)
        app.state.feedback = await run_in_threadpool(_open_feedback_store, settings.feedback_url)
        app.state.policies = policies
        app.state.moderator = moderator
        log.info(
            "model %s ready in %.2fs (%d community policies)",
            moderator.version,
            load_seconds,
            len(policies.communities),
        )
        # the language identifier (~0.5 s to load) is first needed by a text that is not
        # plainly English: load it beside serving rather than before it
        threading.Thread(target=warm_language_id, name="language-id", daemon=True).start()
        try:
            yield
        finally:
            app.state.moderator = None
            if app.state.feedback is not None:
                app.state.feedback.close()

    return lifespan


def create_app(settings: Settings | None = None, moderator: Moderator | None = None) -> FastAPI:
    """The application. `settings` default to the environment's; `moderator` to loading
    `settings.model_path` at start-up."""
    settings = settings or get_settings()
    metrics = Metrics()
    # FastAPIOffline: /docs and /redoc load Swagger UI and ReDoc from files of the installed
    # `fastapi-offline` package (under DOCS_ASSETS), not from a CDN, so they work offline
    app = FastAPIOffline(
        static_url=DOCS_ASSETS,
        title="comment-moderator",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan(moderator),
        openapi_tags=[
            {"name": "score", "description": "Score comments, usernames and threads."},
            {"name": "perspective", "description": "Perspective API compatible analysis."},
            {"name": "feedback", "description": "Moderators' verdicts."},
            {"name": "model", "description": "The loaded model."},
            {"name": "operations", "description": "Health, readiness, metrics."},
        ],
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.moderator = None
    app.state.policies = None
    app.state.feedback = None
    install_error_handlers(app)
    for module in (score, perspective, feedback, model, health):
        app.include_router(module.router)
    # added last = outermost: Observe also counts what the guard refuses
    app.add_middleware(RequestGuard, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(Observe, metrics=metrics)
    app.add_middleware(CleanStartupFailure)
    app.openapi = _openapi_naming_the_model(app)  # type: ignore[method-assign]
    return app


def _openapi_naming_the_model(app: FastAPI):
    """`app.openapi` that also names the loaded model: `info.version` is the package's,
    `info["x-model-version"]` (and a line of the description) the model's."""
    build = app.openapi  # FastAPI's own, which caches the schema

    def openapi() -> dict[str, Any]:
        schema = build()
        moderator = getattr(app.state, "moderator", None)
        if moderator is None:
            return schema
        info = {
            **schema["info"],
            "x-model-version": moderator.version,
            "description": f"Package {__version__}, model **{moderator.version}**.\n\n"
            + schema["info"].get("description", ""),
        }
        return {**schema, "info": info}

    return openapi
