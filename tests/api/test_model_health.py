"""GET /v1/model, /healthz, /readyz, /metrics and /docs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.api.main import create_app
from app.labels import LABELS

from .conftest import make_settings


def test_model_returns_the_card(client, moderator):
    card = client.get("/v1/model").json()
    assert card["version"] == moderator.version
    assert card["labels"] == list(LABELS)
    assert set(card["thresholds"]) >= {"review", "remove"}
    assert "metrics" in card and "data" in card


def test_health_and_ready(client, moderator):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready",
                                            "model_version": moderator.version}


def test_ready_is_503_before_the_model_is_loaded(tmp_path):
    # no `with`: the lifespan has not run, as in the moment before start-up completes
    client = TestClient(create_app(make_settings(tmp_path)))
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    answer = client.post("/v1/score", json={"comments": [{"text": "hi"}]})
    assert answer.status_code == 503
    assert answer.json()["error"]["status"] == "UNAVAILABLE"


def test_metrics_count_requests_labels_and_actions(make_client):
    with make_client() as client:
        client.post("/v1/score", json={"comments": [{"text": "you are a complete moron"},
                                                    {"text": "have a nice day"}]})
        client.post("/v1/score", content=b"{", headers={"content-type": "application/json"})
        text = client.get("/metrics").text
    assert 'moderate_http_requests_total{method="POST",route="/v1/score",status="200"} 1.0' in text
    assert 'moderate_http_requests_total{method="POST",route="/v1/score",status="422"} 1.0' in text
    assert "moderate_http_request_duration_seconds_bucket" in text
    assert 'moderate_comments_scored_total{endpoint="score"} 2.0' in text
    assert 'moderate_actions_total{action="allow",endpoint="score"}' in text
    assert "moderate_model_info" in text


def test_docs_and_schema_are_served(client):
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    for path in ("/v1/score", "/v1/threads:score", "/v1alpha1/comments:analyze",
                 "/v1/feedback", "/v1/model", "/healthz", "/readyz", "/metrics"):
        assert path in schema["paths"]
    score = schema["paths"]["/v1/score"]["post"]
    assert {"413", "415", "422"} <= set(score["responses"])
    assert schema["components"]["schemas"]["ScoreRequest"]["examples"]
