"""POST /v1/score."""

from __future__ import annotations

import json

from app.labels import LABELS


def test_score_returns_results_in_input_order(client):
    texts = ["Thanks, this was a great read.", "you are a complete moron", "", "ok"]
    answer = client.post("/v1/score", json={"comments": [
        {"id": f"c{i}", "text": t} for i, t in enumerate(texts)]})
    assert answer.status_code == 200
    body = answer.json()
    assert [r["id"] for r in body["results"]] == ["c0", "c1", "c2", "c3"]
    assert body["policy"] == "default"
    for result in body["results"]:
        assert set(result["scores"]) == set(LABELS)
        assert result["action"] in ("allow", "review", "remove")
        assert result["model_version"] == body["model_version"]


def test_score_matches_the_python_api(client, moderator):
    texts = ["you are a complete moron", "have a nice day"]
    answer = client.post("/v1/score", json={"comments": [{"text": t} for t in texts]}).json()
    expected = [r.to_dict() for r in moderator.score(texts)]
    assert [{k: v for k, v in r.items() if k != "id"} for r in answer["results"]] == expected


def test_score_spans_point_into_the_original_text(client):
    text = "If Erdocunt pulls out his puppet head choppers entire Idlib will be save zone"
    result = client.post("/v1/score", json={"comments": [{"text": text}]}).json()["results"][0]
    for span in result["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]


def test_score_empty_list_is_fine(client):
    answer = client.post("/v1/score", json={"comments": []})
    assert answer.status_code == 200
    assert answer.json()["results"] == []


def test_score_usernames_get_the_seed_threads_author_actions(client, seed_thread):
    authors = seed_thread["expected"]["authors"]
    answer = client.post("/v1/score", json={"comments": [
        {"id": name, "text": name, "kind": "username"} for name in authors]})
    assert answer.status_code == 200
    for result in answer.json()["results"]:
        assert result["action"] in authors[result["id"]]["action"], result["id"]


def test_score_mixes_usernames_and_comments_in_order(client, moderator):
    comments = [{"text": "Zionism = EVIL", "kind": "username"}, {"text": "hello there"},
                {"text": "King Cliff", "kind": "username"}]
    results = client.post("/v1/score", json={"comments": comments}).json()["results"]
    assert results[0] == {"id": None,
                          **moderator.score_usernames(["Zionism = EVIL"])[0].to_dict()}
    assert results[1] == {"id": None, **moderator.score(["hello there"])[0].to_dict()}
    assert results[2]["action"] == "allow"


def test_score_applies_a_community_policy(make_client, tmp_path):
    policy_file = tmp_path / "policies.json"
    policy_file.write_text(json.dumps({"strict": {"blocklist": ["pineapple"]}}))
    with make_client(policy_file=policy_file) as client:
        comments = [{"text": "I love pineapple on pizza"}]
        strict = client.post("/v1/score", json={"comments": comments, "community": "strict"})
        other = client.post("/v1/score", json={"comments": comments, "community": "elsewhere"})
    assert strict.json()["policy"] == "strict" and strict.json()["community"] == "strict"
    assert strict.json()["results"][0]["action"] == "remove"
    assert "blocklist:pineapple" in strict.json()["results"][0]["reasons"]
    # a community the file does not name is an error, not silently the default policy
    assert other.status_code == 422
    assert "unknown community 'elsewhere'" in other.json()["error"]["message"]
    with make_client(policy_file=policy_file, unknown_community="default") as client:
        fallback = client.post("/v1/score", json={"comments": comments, "community": "elsewhere"})
    assert fallback.json()["policy"] == "default"
    assert fallback.json()["community"] == "elsewhere"
    assert fallback.json()["results"][0]["action"] == "allow"


def test_short_requests_are_scored_inline_and_long_ones_in_the_threadpool():
    import asyncio
    import threading

    from app.api.scoring import INLINE_MAX_CHARS, run_sized

    async def where(chars: int) -> int:
        return await run_sized(threading.get_ident, chars)

    async def both() -> tuple[int, int, int]:
        loop_thread = threading.get_ident()
        return loop_thread, await where(INLINE_MAX_CHARS), await where(INLINE_MAX_CHARS + 1)

    loop_thread, short, long = asyncio.run(both())
    assert short == loop_thread
    assert long != loop_thread


def test_every_answer_tells_the_apps_own_time(client):
    from training.bench_http import _server_ms

    for answer in (
        client.post("/v1/score", json={"comments": [{"text": "have a nice day"}]}),
        client.post("/v1/score", json={"comments": "not a list"}),
        client.get("/healthz"),
    ):
        spent = _server_ms(answer)
        assert spent is not None and 0 <= spent < 10_000, answer.headers.get("server-timing")
