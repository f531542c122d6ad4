"""`POST /v1/feedback`: a moderator's verdict, stored for recalibration and retraining."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, status

from app.api.deps import FeedbackStoreDep, SettingsDep, require_api_key
from app.api.schemas import FeedbackIn, FeedbackOut, error_responses
from app.api.scoring import check_limits

log = logging.getLogger("app.api")

router = APIRouter(
    prefix="/v1",
    tags=["feedback"],
    dependencies=[Depends(require_api_key)],
    responses=error_responses(400, 401, 413, 415, 422, 503),
)


@router.post(
    "/feedback",
    response_model=FeedbackOut,
    status_code=status.HTTP_201_CREATED,
    summary="Store a moderator's verdict",
)
def add_feedback(body: FeedbackIn, store: FeedbackStoreDep, settings: SettingsDep) -> FeedbackOut:
    """Store whether `label` applies to `text` (`correct`), for `moderate train --feedback-db`.

    `correct: true` confirms the label (or reports a miss), `correct: false` marks a false
    flag; `label: "none"` with `correct: true` says the text is clean.
    """
    check_limits([body.text], settings)
    stored = store.add(
        text=body.text,
        label=body.label,
        correct=body.correct,
        comment_id=None if body.id is None else str(body.id),
        community=body.community,
        model_version=body.model_version,
    )
    log.info("feedback stored id=%d label=%s correct=%s", stored.id, stored.label, stored.correct)
    return FeedbackOut(
        feedback_id=stored.id,
        id=body.id,
        label=stored.label,
        correct=stored.correct,
        community=stored.community,
        created_at=stored.created_at,
    )
