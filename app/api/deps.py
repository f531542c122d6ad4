"""Dependencies of the routes, as typed aliases (`ModeratorDep`, `SettingsDep`, ...).

Everything lives on `app.state`, put there by `create_app` and its lifespan, so a test
builds an app with its own settings (`create_app(Settings(max_chars=20))`) and needs no
global override. The functions are `async` because they only read attributes: a plain `def`
dependency would cost a trip through the threadpool on every request.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, APIKeyQuery

from app.api.errors import ApiError
from app.api.metrics import Metrics
from app.api.policies import PolicyBook
from app.config import Settings
from app.feedback import FeedbackStore
from app.moderator import Moderator

_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="Required when MODERATE_API_KEY is set."
)
_key_query = APIKeyQuery(
    name="key", auto_error=False, description="Alternative to X-API-Key on the Perspective route."
)


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_moderator(request: Request) -> Moderator:
    """The model loaded at start-up (503 until it is)."""
    moderator = getattr(request.app.state, "moderator", None)
    if moderator is None:
        raise ApiError(503, "the model is not loaded yet", headers={"Retry-After": "1"})
    return moderator


async def get_policies(request: Request) -> PolicyBook:
    """The default and per-community policies."""
    policies = getattr(request.app.state, "policies", None)
    if policies is None:
        raise ApiError(503, "the model is not loaded yet", headers={"Retry-After": "1"})
    return policies


async def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


async def get_feedback_store(request: Request) -> FeedbackStore:
    """The feedback database (503 when it could not be opened)."""
    store = getattr(request.app.state, "feedback", None)
    if store is None:
        raise ApiError(503, "the feedback store is not available")
    return store


def _check_key(settings: Settings, given: str | None) -> None:
    if settings.api_key is None:
        return
    expected = settings.api_key.get_secret_value()
    if given is None or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "missing or invalid API key (send it in the X-API-Key header)",
            headers={"WWW-Authenticate": "X-API-Key"},
        )


async def require_api_key(
    request: Request, header: Annotated[str | None, Security(_key_header)] = None
) -> None:
    """401 unless `X-API-Key` matches MODERATE_API_KEY (when that is set)."""
    _check_key(request.app.state.settings, header)


async def require_api_key_or_query(
    request: Request,
    header: Annotated[str | None, Security(_key_header)] = None,
    query: Annotated[str | None, Security(_key_query)] = None,
) -> None:
    """Like `require_api_key`, also accepting `?key=` as the Perspective API does."""
    _check_key(request.app.state.settings, header if header is not None else query)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ModeratorDep = Annotated[Moderator, Depends(get_moderator)]
PoliciesDep = Annotated[PolicyBook, Depends(get_policies)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
FeedbackStoreDep = Annotated[FeedbackStore, Depends(get_feedback_store)]
