"""`POST /v1/score` and `POST /v1/threads:score`."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from app.api.deps import MetricsDep, ModeratorDep, PoliciesDep, SettingsDep, require_api_key
from app.api.errors import ApiError
from app.api.metrics import Metrics
from app.api.policies import PolicyBook
from app.api.schemas import ScoreRequest, ScoreResponse, ThreadRequest, error_responses
from app.api.scoring import (
    check_limits,
    log_scored,
    resolve_policy,
    run_sized,
    score_authors,
    score_comments,
    text_chars,
)
from app.config import Settings
from app.moderator import Moderator
from app.results import Result

router = APIRouter(
    prefix="/v1",
    tags=["score"],
    dependencies=[Depends(require_api_key)],
    responses=error_responses(400, 401, 413, 415, 422, 503),
)


def _payload(
    version: str, policy: str, community: str | None, results: list[dict[str, Any]]
) -> JSONResponse:
    # built by hand, not through response_model: the results are already plain dicts and
    # validating them again would cost more than scoring a short comment
    return JSONResponse(
        {"model_version": version, "policy": policy, "community": community, "results": results}
    )


def _result(
    result: Result, id_: int | str | None, author: Result | None = None, **extra: Any
) -> dict[str, Any]:
    out = {"id": id_, **result.to_dict(), **extra}
    if author is not None:
        out["author_result"] = author.to_dict()
    return out


@router.post("/score", response_model=ScoreResponse, summary="Score comments (or usernames)")
async def score(
    body: ScoreRequest,
    moderator: ModeratorDep,
    policies: PoliciesDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> JSONResponse:
    """Score a list of comments; the results come back in input order.

    A comment with `"kind": "username"` is scored as a display name. `context` (optional)
    is the text around a comment, used to resolve pronouns such as "they". With
    `"score_authors": true` each comment's `author` is scored as a display name too, its
    verdict in `author_result`. A `community` the policy file does not name is a 422
    (unless MODERATE_UNKNOWN_COMMUNITY=default).
    """
    comments = body.comments
    chars = text_chars(
        (c.text for c in comments),
        (c.context for c in comments),
        (c.author for c in comments) if body.score_authors else (),
    )
    return await run_sized(lambda: _score(body, moderator, policies, settings, metrics), chars)


def _score(
    body: ScoreRequest,
    moderator: Moderator,
    policies: PolicyBook,
    settings: Settings,
    metrics: Metrics,
) -> JSONResponse:
    started = time.perf_counter()
    check_limits([c.text for c in body.comments], settings)
    check_limits([c.context for c in body.comments], settings, what="context")
    policy = resolve_policy(policies, body.community, settings)
    results = score_comments(moderator, body.comments, policy)
    authors = (
        score_authors(moderator, [c.author for c in body.comments], policy)
        if body.score_authors
        else [None] * len(results)
    )
    metrics.observe_results("score", results)
    log_scored(
        "score", results, time.perf_counter() - started, settings, (c.text for c in body.comments)
    )
    return _payload(
        moderator.version,
        policy.name,
        body.community,
        [_result(r, c.id, a) for c, r, a in zip(body.comments, results, authors, strict=True)],
    )


@router.post(
    "/threads:score",
    response_model=ScoreResponse,
    summary="Score a thread, each comment in its context",
)
async def score_thread(
    body: ThreadRequest,
    moderator: ModeratorDep,
    policies: PoliciesDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> JSONResponse:
    """Score every comment of a thread with its chain of parents and the article title.

    A reply that only says "they" is judged by whom its parents (or the article) name.
    Comment ids must be unique; a `parent_id` outside the thread makes a top-level comment.
    With `"score_authors": true` each comment's `author` is scored as a display name, its
    verdict in `author_result`.
    """
    # each reply may be read again with its parents: count the thread twice
    chars = 2 * text_chars(c.text for c in body.comments) + (
        len(body.article.title) if body.article is not None else 0
    )
    return await run_sized(
        lambda: _score_thread(body, moderator, policies, settings, metrics), chars
    )


def _score_thread(
    body: ThreadRequest,
    moderator: Moderator,
    policies: PolicyBook,
    settings: Settings,
    metrics: Metrics,
) -> JSONResponse:
    started = time.perf_counter()
    check_limits([c.text for c in body.comments], settings)
    if body.article is not None:
        check_limits([body.article.title], settings, what="article title")
    ids = [str(c.id) for c in body.comments]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ApiError(422, f"comment id {duplicate!r} appears more than once in the thread")
    policy = resolve_policy(policies, body.community, settings)
    results = moderator.score_thread(
        [c.model_dump(include={"id", "text", "parent_id"}) for c in body.comments],
        body.article.model_dump() if body.article is not None else None,
        policy,
    )
    authors = (
        score_authors(moderator, [c.author for c in body.comments], policy)
        if body.score_authors
        else [None] * len(results)
    )
    metrics.observe_results("threads", results)
    log_scored(
        "threads", results, time.perf_counter() - started, settings, (c.text for c in body.comments)
    )
    return _payload(
        moderator.version,
        policy.name,
        body.community,
        [
            _result(r, c.id, a, parent_id=c.parent_id)
            for c, r, a in zip(body.comments, results, authors, strict=True)
        ],
    )
