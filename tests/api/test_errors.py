"""Bad input gets a JSON error, never a 500, and the server keeps serving."""

from __future__ import annotations

import pytest

from .conftest import API_KEY

JSON = {"content-type": "application/json"}


def _assert_error(answer, code: int) -> dict:
    assert answer.status_code == code, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["code"] == code and error["message"] and error["status"]
    return error


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", b"null", b'{"comments": "text"}',
                                  b'{"comments": [{"text": 5}]}', b'{"comments": [{}]}',
                                  b'{"comments": [{"text": "a", "kind": "bot"}]}'])
def test_errors_malformed_json_or_wrong_types_are_422(client, body):
    _assert_error(client.post("/v1/score", content=body, headers=JSON), 422)


def test_errors_422_does_not_echo_the_input(client):
    answer = client.post("/v1/score", json={"comments": [{"text": 12345678, "id": "x"}]})
    assert "12345678" not in answer.text


def test_errors_lone_surrogates_are_422(client):
    body = b'{"comments": [{"text": "bad \\ud800 text"}]}'
    _assert_error(client.post("/v1/score", content=body, headers=JSON), 422)


def test_errors_undecodable_bytes_are_400(client):
    answer = client.post("/v1/score", content=b'{"comments": [{"text": "\xff\xfe"}]}',
                         headers=JSON)
    assert answer.status_code in (400, 422)
    assert answer.json()["error"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_errors_wrong_content_type_is_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    answer = client.post("/v1/score", content=b'{"comments": []}', headers=headers)
    _assert_error(answer, 415)


def test_errors_json_with_charset_is_accepted(client):
    answer = client.post("/v1/score", content=b'{"comments": []}',
                         headers={"content-type": "application/json; charset=utf-8"})
    assert answer.status_code == 200


def test_errors_limits_are_413(make_client):
    with make_client(max_chars=20, max_comments=3, max_body_bytes=2048) as client:
        _assert_error(client.post("/v1/score", json={"comments": [{"text": "x" * 21}]}), 413)
        _assert_error(client.post("/v1/score", json={"comments": [{"text": "x"}] * 4}), 413)
        _assert_error(client.post("/v1/score", json={"comments": [
            {"text": "x", "id": "y" * 3000}]}), 413)
        _assert_error(client.post("/v1/threads:score", json={"comments": [
            {"id": 1, "text": "x" * 21}]}), 413)
        _assert_error(client.post("/v1/feedback", json={"text": "x" * 21, "label": "none",
                                                        "correct": True}), 413)
        error = _assert_error(client.post("/v1alpha1/comments:analyze", json={
            "comment": {"text": "x" * 21}, "requestedAttributes": {"TOXICITY": {}}}), 413)
        assert "limit" in error["message"]
        # still serving
        assert client.post("/v1/score", json={"comments": [{"text": "x" * 20}] * 3}
                           ).status_code == 200


def test_errors_chunked_body_over_the_limit_is_413(make_client):
    def chunks():
        yield b'{"comments": [{"text": "'
        for _ in range(10):
            yield b"x" * 1024
        yield b'"}]}'

    with make_client(max_body_bytes=4096) as client:
        answer = client.post("/v1/score", content=chunks(), headers=JSON)
        _assert_error(answer, 413)
        assert client.post("/v1/score", json={"comments": [{"text": "ok"}]}).status_code == 200


def test_errors_default_limits(client):
    assert client.post("/v1/score", json={"comments": [{"text": "x" * 10_000}]}
                       ).status_code == 200
    _assert_error(client.post("/v1/score", json={"comments": [{"text": "x" * 10_001}]}), 413)
    _assert_error(client.post("/v1/score", json={"comments": [{"text": ""}] * 1001}), 413)
    big = b'{"comments": [{"text": "' + b"x" * (2 * 1024 * 1024) + b'"}]}'
    _assert_error(client.post("/v1/score", content=big, headers=JSON), 413)


def test_errors_unknown_route_and_method_are_json(client):
    _assert_error(client.get("/v1/nothing"), 404)
    _assert_error(client.get("/v1/score"), 405)


def test_errors_api_key_is_required_when_set(make_client):
    url = "/v1alpha1/comments:analyze"
    request = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}
    with make_client(api_key=API_KEY) as client:
        _assert_error(client.post("/v1/score", json={"comments": []}), 401)
        _assert_error(client.post("/v1/score", json={"comments": []},
                                  headers={"X-API-Key": "wrong-key-wrong-key"}), 401)
        _assert_error(client.get("/v1/model"), 401)
        _assert_error(client.post(url, json=request), 401)
        _assert_error(client.post("/v1/score?key=" + API_KEY, json={"comments": []}), 401)
        assert client.post("/v1/score", json={"comments": []},
                           headers={"X-API-Key": API_KEY}).status_code == 200
        assert client.post(url + "?key=" + API_KEY, json=request).status_code == 200
        assert client.post(url, json=request, headers={"X-API-Key": API_KEY}).status_code == 200
        # operations stay open for probes and scrapers
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics").status_code == 200


def test_errors_odd_but_valid_input_is_scored(client):
    cycle = [{"id": 1, "text": "a", "parent_id": 2}, {"id": 2, "text": "b", "parent_id": 1}]
    assert client.post("/v1/threads:score", json={"comments": cycle}).status_code == 200
    answer = client.post("/v1/score", json={"comments": [{"id": 10**40, "text": "\x00 hi"}]})
    assert answer.status_code == 200
    assert answer.json()["results"][0]["id"] == 10**40


def test_errors_deeply_nested_json_is_a_4xx(client):
    answer = client.post("/v1/score", content=b"[" * 100_000, headers=JSON)
    assert answer.status_code in (400, 422)
    assert client.get("/healthz").status_code == 200
