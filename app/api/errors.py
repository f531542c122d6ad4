"""One JSON error envelope for every failure, and the handlers that produce it.

Every error answer, on every route, has the shape the Perspective API uses::

    {"error": {"code": 413, "status": "PAYLOAD_TOO_LARGE", "message": "...", "details": [...]}}

Request validation errors are 422 on the `/v1` routes and 400 (`INVALID_ARGUMENT`, like
that API) on the Perspective-compatible `/v1alpha1` route. An unexpected exception is a
500 in the same envelope, logged without the request body.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("app.api")

#: Routes that answer in the Perspective API's style (validation errors are 400 there).
PERSPECTIVE_PREFIX = "/v1alpha1"

STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(StarletteHTTPException):
    """An error answer: raise it anywhere in a request (also inside `receive`)."""

    def __init__(
        self,
        status_code: int,
        message: str,
        details: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.details = list(details or [])


def error_body(code: int, message: str, details: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The envelope as a dict."""
    error: dict[str, Any] = {
        "code": code,
        "status": STATUS_NAMES.get(code, "INVALID_ARGUMENT" if code < 500 else "INTERNAL"),
        "message": message,
    }
    if details:
        error["details"] = list(details)
    return {"error": error}


def error_response(
    code: int,
    message: str,
    details: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The envelope as a response."""
    return JSONResponse(error_body(code, message, details), status_code=code, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # the input is left out on purpose: it may be a whole comment (or megabytes of it)
    return [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]


def _summary(details: Sequence[dict[str, Any]]) -> str:
    parts = [f"{'.'.join(d['loc'])}: {d['msg']}" for d in details[:3]]
    more = f" (and {len(details) - 3} more)" if len(details) > 3 else ""
    return "invalid request: " + "; ".join(parts) + more if parts else "invalid request"


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = _validation_details(exc)
    code = 400 if request.url.path.startswith(PERSPECTIVE_PREFIX) else 422
    return error_response(code, _summary(details), details)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    details = exc.details if isinstance(exc, ApiError) else []
    return error_response(exc.status_code, str(exc.detail), details, headers=exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # the frames but not the message: an exception's message may quote the comment
    log.error(
        "unhandled %s on %s %s\n%s",
        type(exc).__name__,
        request.method,
        request.url.path,
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return error_response(500, "internal error; the request was not processed")


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error with the JSON envelope."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
