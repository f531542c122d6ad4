"""End to end: a real `moderate serve` (uvicorn) on 127.0.0.1, called over HTTP."""

from __future__ import annotations

import httpx
import pytest

from training.bench_http import running_server


@pytest.fixture(scope="module")
def server():
    with running_server(timeout=60) as running:
        yield running


def test_e2e_serves_over_http(server, seed_thread):
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready"
        answer = client.post("/v1/score", json={"comments": [
            {"id": "a", "text": "you are a complete moron"}, {"id": "b", "text": "hello"}]})
        assert answer.status_code == 200
        assert [r["id"] for r in answer.json()["results"]] == ["a", "b"]
        assert answer.json()["model_version"] == ready["model_version"]

        thread = client.post("/v1/threads:score", json={
            "article": seed_thread["article"],
            "comments": [{k: c[k] for k in ("id", "text", "parent_id")}
                         for c in seed_thread["comments"]]})
        assert thread.status_code == 200
        assert len(thread.json()["results"]) == len(seed_thread["comments"])

        analyze = client.post("/v1alpha1/comments:analyze", json={
            "comment": {"text": "you are all vermin"}, "requestedAttributes": {"TOXICITY": {}}})
        assert "TOXICITY" in analyze.json()["attributeScores"]

        bad = client.post("/v1/score", content=b"{oops",
                          headers={"content-type": "application/json"})
        assert bad.status_code == 422
        assert client.get("/v1/model").json()["version"] == ready["model_version"]
        assert "moderate_http_requests_total" in client.get("/metrics").text
