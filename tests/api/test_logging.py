"""Comment text stays out of the logs unless MODERATE_LOG_TEXT is on."""

from __future__ import annotations

import logging

SECRET = "zebrafish-sentinel-comment"


def _score_all_routes(client) -> None:
    client.post("/v1/score", json={"comments": [{"text": SECRET}]})
    client.post("/v1/threads:score", json={"comments": [{"id": 1, "text": SECRET}]})
    client.post("/v1alpha1/comments:analyze?key=" + SECRET, json={
        "comment": {"text": SECRET}, "requestedAttributes": {"TOXICITY": {}}})
    client.post("/v1/feedback", json={"text": SECRET, "label": "none", "correct": True})
    client.post("/v1/score", json={"comments": [{"text": SECRET, "kind": 1}]})


def _server_log(caplog) -> str:
    # the test's own HTTP client (httpx) logs the URLs it calls; that is not the server
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))


def test_logging_leaves_out_comment_text(make_client, caplog):
    caplog.set_level(logging.DEBUG)
    with make_client() as client:
        _score_all_routes(client)
    log = _server_log(caplog)
    assert "scored=1" in log
    assert "/v1alpha1/comments:analyze 200" in log
    assert SECRET not in log


def test_logging_text_only_when_turned_on(make_client, caplog):
    caplog.set_level(logging.DEBUG)
    with make_client(log_text=True) as client:
        client.post("/v1/score", json={"comments": [{"text": SECRET}]})
    assert SECRET in _server_log(caplog)
