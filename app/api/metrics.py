"""Prometheus metrics of the service, served at `GET /metrics`.

| metric | labels | meaning |
| --- | --- | --- |
| `moderate_http_requests_total` | method, route, status | requests answered |
| `moderate_http_request_duration_seconds` | method, route | latency histogram |
| `moderate_comments_scored_total` | endpoint | texts scored |
| `moderate_labels_flagged_total` | endpoint, label | texts flagged with a label |
| `moderate_actions_total` | endpoint, action | texts per action (allow/review/remove) |
| `moderate_model_info` | version | 1 for the loaded model |
| `moderate_model_load_seconds` | | time to load the model at start-up |

`route` is the path template (`/v1/score`), or `unmatched`, so the label set stays small.
With several workers, set `PROMETHEUS_MULTIPROC_DIR` to an empty folder and every worker's
numbers are summed (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from app.results import Result

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The service's metrics in their own registry (one per app, so tests stay isolated)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "moderate_http_requests_total",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "moderate_http_request_duration_seconds",
            "HTTP request latency in seconds.",
            ["method", "route"],
            buckets=_BUCKETS,
            registry=r,
        )
        self.comments = Counter(
            "moderate_comments_scored_total", "Texts scored.", ["endpoint"], registry=r
        )
        self.labels = Counter(
            "moderate_labels_flagged_total",
            "Texts flagged, per label.",
            ["endpoint", "label"],
            registry=r,
        )
        self.actions = Counter(
            "moderate_actions_total", "Texts per action.", ["endpoint", "action"], registry=r
        )
        self.model_info = Gauge(
            "moderate_model_info",
            "The loaded model.",
            ["version"],
            registry=r,
            multiprocess_mode="max",
        )
        self.model_load = Gauge(
            "moderate_model_load_seconds",
            "Model load time at start-up.",
            registry=r,
            multiprocess_mode="max",
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def observe_results(self, endpoint: str, results: Sequence[Result]) -> None:
        """Count scored texts per label and action."""
        self.comments.labels(endpoint).inc(len(results))
        for result in results:
            self.actions.labels(endpoint, result.action).inc()
            for label in result.labels:
                self.labels.labels(endpoint, label).inc()

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
