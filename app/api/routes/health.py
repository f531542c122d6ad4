"""`GET /healthz` (liveness), `GET /readyz` (model loaded) and `GET /metrics`."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.api.deps import MetricsDep
from app.api.schemas import HealthOut, ReadyOut

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthOut, summary="Liveness")
async def healthz() -> HealthOut:
    """The process answers."""
    return HealthOut()


@router.get(
    "/readyz",
    response_model=ReadyOut,
    summary="Readiness",
    responses={503: {"model": ReadyOut, "description": "The model is not loaded yet."}},
)
async def readyz(request: Request) -> JSONResponse:
    """200 once the model is loaded and warmed up, 503 before."""
    moderator = getattr(request.app.state, "moderator", None)
    if moderator is None:
        return JSONResponse({"status": "loading", "model_version": None}, status_code=503)
    return JSONResponse({"status": "ready", "model_version": moderator.version})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "Prometheus text exposition format.",
        }
    },
)
async def metrics(metrics: MetricsDep) -> Response:
    """Request counts and latency, texts scored per label and action, the model version."""
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)
