"""`GET /v1/model`: the model card of the loaded model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from app.api.deps import ModeratorDep, require_api_key
from app.api.schemas import ModelCardOut, error_responses

router = APIRouter(
    prefix="/v1",
    tags=["model"],
    dependencies=[Depends(require_api_key)],
    responses=error_responses(401, 503),
)


@router.get("/model", response_model=ModelCardOut, summary="The model card")
async def model_card(moderator: ModeratorDep) -> dict[str, Any]:
    """Version, labels, thresholds, training data hashes, metrics and library versions."""
    return moderator.card
