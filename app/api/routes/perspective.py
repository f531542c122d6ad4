"""`POST /v1alpha1/comments:analyze`: the Perspective API's request and answer shapes."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from app.api.deps import (
    MetricsDep,
    ModeratorDep,
    PoliciesDep,
    SettingsDep,
    require_api_key_or_query,
)
from app.api.errors import ApiError
from app.api.metrics import Metrics
from app.api.perspective import ATTRIBUTES, attribute_scores, is_english
from app.api.policies import PolicyBook
from app.api.schemas import AnalyzeRequest, AnalyzeResponse, PerspectiveContext, error_responses
from app.api.scoring import check_limits, log_scored, resolve_policy, run_sized, text_chars
from app.config import Settings
from app.language import UNDETERMINED
from app.moderator import Moderator

router = APIRouter(
    prefix="/v1alpha1",
    tags=["perspective"],
    dependencies=[Depends(require_api_key_or_query)],
    responses=error_responses(400, 401, 413, 415, 503),
)


def _context_text(context: PerspectiveContext | None) -> str | None:
    """The parent comment and article (or the `entries`) as one context string."""
    if context is None:
        return None
    parts: list[str] = []
    pair = context.articleAndParentComment
    if pair is not None:
        parts += [t.text for t in (pair.parentComment, pair.article) if t is not None]
    parts += [entry.text for entry in context.entries or []]
    return "\n".join(p for p in parts if p) or None


@router.post(
    "/comments:analyze",
    response_model=AnalyzeResponse,
    response_model_exclude_none=True,
    summary="Perspective API compatible analysis",
)
async def analyze(
    body: AnalyzeRequest,
    moderator: ModeratorDep,
    policies: PoliciesDep,
    settings: SettingsDep,
    metrics: MetricsDep,
) -> JSONResponse:
    """TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY and THREAT.

    Errors come in that API's envelope with code 400 (also for a malformed request).
    Unlike that API, `context` is used. Nothing is ever stored, whatever `doNotStore` says.
    """
    context = _context_text(body.context)
    if context is not None:
        # an article is often longer than a comment may be; its start is context enough
        context = context[: settings.max_chars]
    chars = text_chars([body.comment.text, context])
    return await run_sized(
        lambda: _analyze(body, context, moderator, policies, settings, metrics), chars
    )


def _analyze(
    body: AnalyzeRequest,
    context: str | None,
    moderator: Moderator,
    policies: PolicyBook,
    settings: Settings,
    metrics: Metrics,
) -> JSONResponse:
    started = time.perf_counter()
    text = body.comment.text
    if not text:
        raise ApiError(400, "Comment must be non-empty.")
    if not body.requestedAttributes:
        raise ApiError(400, "Must specify at least one requested attribute.")
    unknown = [name for name in body.requestedAttributes if name not in ATTRIBUTES]
    if unknown:
        raise ApiError(
            400, f"Unknown requested attribute: {unknown[0]}. Supported: {', '.join(ATTRIBUTES)}."
        )
    for name, params in body.requestedAttributes.items():
        if params.scoreType not in (None, "PROBABILITY"):
            raise ApiError(400, f"Attribute {name} does not support score type {params.scoreType}.")
    foreign = [lang for lang in body.languages or [] if not is_english(lang)]
    if foreign:
        first = next(iter(body.requestedAttributes))
        raise ApiError(
            400, f"Attribute {first} does not support request languages: {', '.join(foreign)}"
        )
    check_limits([text], settings)

    # every invalid request is a 400 on this route, as on the Perspective API
    policy = resolve_policy(policies, body.communityId, settings, status=400)
    result = moderator.score([text], [context] if context else None, policy)[0]
    metrics.observe_results("analyze", [result])
    log_scored("analyze", [result], time.perf_counter() - started, settings, [text])
    requested = {name: p.scoreThreshold for name, p in body.requestedAttributes.items()}
    answer = {
        "attributeScores": attribute_scores(result, len(text), requested, body.spanAnnotations),
        "languages": body.languages or ["en"],
        "detectedLanguages": [] if result.language == UNDETERMINED else [result.language],
    }
    if body.clientToken is not None:
        answer["clientToken"] = body.clientToken
    return JSONResponse(answer)
