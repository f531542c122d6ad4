"""`POST /v1/score` and `POST /v1/threads:score`."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from app.api.deps import MetricsDep, ModeratorDep, PoliciesDep, SettingsDep, require_api_key
from app.api.errors import ApiError
from app.api.schemas import ScoreRequest, ScoreResponse, ThreadRequest, error_responses
from app.api.scoring import check_limits, log_scored, score_comments
from app.results import Result

router = APIRouter(
    prefix="/v1",
    tags=["score"],
    dependencies=[Depends(require_api_key)],
    responses=error_responses(400, 401, 413, 415, 422, 503),
)


def _payload(version: str, policy: str, results: list[dict[str, Any]]) -> JSONResponse:
    # built by hand, not through response_model: the results are already plain dicts and
    # validating them again would cost more than scoring a short comment
    return JSONResponse({"model_version": version, "policy": policy, "results": results})


def _result(result: Result, id_: int | str | None, **extra: Any) -> dict[str, Any]:
    return {"id": id_, **result.to_dict(), **extra}


@router.post("/score", response_model=ScoreResponse, summary="Score comments (or usernames)")
def score(
    body: ScoreRequest,
    moderator: ModeratorDep,
    policies: PoliciesDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> JSONResponse:
    """Score a list of comments; the results come back in input order.

    A comment with `"kind": "username"` is scored as a display name. `context` (optional)
    is the text around a comment, used to resolve pronouns such as "they".
    """
    started = time.perf_counter()
    check_limits([c.text for c in body.comments], settings)
    check_limits([c.context for c in body.comments], settings, what="context")
    policy = policies.resolve(body.community)
    results = score_comments(moderator, body.comments, policy)
    metrics.observe_results("score", results)
    log_scored(
        "score", results, time.perf_counter() - started, settings, (c.text for c in body.comments)
    )
    return _payload(
        moderator.version,
        policy.name,
        [_result(r, c.id) for c, r in zip(body.comments, results, strict=True)],
    )


@router.post(
    "/threads:score",
    response_model=ScoreResponse,
    summary="Score a thread, each comment in its context",
)
def score_thread(
    body: ThreadRequest,
    moderator: ModeratorDep,
    policies: PoliciesDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> JSONResponse:
    """Score every comment of a thread with its chain of parents and the article title.

    A reply that only says "they" is judged by whom its parents (or the article) name.
    Comment ids must be unique; a `parent_id` outside the thread makes a top-level comment.
    """
    started = time.perf_counter()
    check_limits([c.text for c in body.comments], settings)
    if body.article is not None:
        check_limits([body.article.title], settings, what="article title")
    ids = [str(c.id) for c in body.comments]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ApiError(422, f"comment id {duplicate!r} appears more than once in the thread")
    policy = policies.resolve(body.community)
    results = moderator.score_thread(
        [c.model_dump(include={"id", "text", "parent_id"}) for c in body.comments],
        body.article.model_dump() if body.article is not None else None,
        policy,
    )
    metrics.observe_results("threads", results)
    log_scored(
        "threads", results, time.perf_counter() - started, settings, (c.text for c in body.comments)
    )
    return _payload(
        moderator.version,
        policy.name,
        [
            _result(r, c.id, parent_id=c.parent_id)
            for c, r in zip(body.comments, results, strict=True)
        ],
    )
