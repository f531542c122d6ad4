"""Pure ASGI middleware: request guards (size, content type) and observation.

They run before FastAPI reads a body, so an oversized or non-JSON request is refused
without being parsed. Both are plain ASGI (not `BaseHTTPMiddleware`) to keep the per-request
overhead to a few microseconds.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import ApiError, error_response
from app.api.metrics import Metrics

log = logging.getLogger("app.api.access")

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def is_json_media_type(content_type: str | None) -> bool:
    """`application/json` or `application/<x>+json`, any parameters (charset...)."""
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class RequestGuard:
    """413 for a body over `max_body_bytes`, 415 for a body that is not JSON.

    Applies to POST/PUT/PATCH under `prefixes`. The size is checked on `Content-Length`
    and again while the body streams in (a chunked body has no length).
    """

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, prefixes: tuple[str, ...] = ("/v1",)
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in _BODY_METHODS
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                await error_response(400, "invalid Content-Length header")(scope, receive, send)
                return
            if int(length) > limit:
                await error_response(
                    413, f"body of {int(length)} bytes is over the limit of {limit} bytes"
                )(scope, receive, send)
                return
        content_type = _header(scope, b"content-type")
        if not is_json_media_type(content_type):
            await error_response(
                415, f"Content-Type must be application/json, not {content_type or 'missing'!r}"
            )(scope, receive, send)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTP exceptions raised while it reads the body
                    raise ApiError(413, f"body is over the limit of {limit} bytes")
            return message

        await self.app(scope, limited_receive, send)


class Observe:
    """Counts every request in the metrics, writes an access log line and tells the client
    the app's time in a `Server-Timing: app;dur=<ms>` header.

    The line holds method, route, status and latency: never the query string (the
    Perspective route may carry `?key=`) nor the body.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                # the app's own time up to its answer (RFC Server-Timing), so a client can
                # tell the service's latency from the network's and its own
                spent = (time.perf_counter() - started) * 1000
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", ()),
                        (b"server-timing", f"app;dur={spent:.2f}".encode()),
                    ],
                }
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe_request(scope["method"], route, status, elapsed)
            log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed * 1000)


class CleanStartupFailure:
    """Turns a start-up failure with a known cause into one log line instead of a traceback.

    The lifespan puts the cause in `app.state.startup_error` (for example "cannot load
    model: .../classifier.npz is missing") before it re-raises; Starlette would report the
    whole traceback as the failure message, and uvicorn logs that message and exits with
    code 3. This layer swaps the message for the one line. Other failures keep theirs.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_clean(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                cause = getattr(scope["app"].state, "startup_error", None)
                if cause:
                    message = {**message, "message": cause}
            await send(message)

        await self.app(scope, receive, send_clean)
