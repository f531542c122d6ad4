"""POST /v1/threads:score, with the seed thread's expected verdicts."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def seed_answer(client, seed_thread) -> dict:
    request = {
        "article": seed_thread["article"],
        "comments": [{k: c[k] for k in ("id", "text", "parent_id", "author")}
                     for c in seed_thread["comments"]],
    }
    answer = client.post("/v1/threads:score", json=request)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_threads_results_follow_the_input(seed_answer, seed_thread):
    assert [r["id"] for r in seed_answer["results"]] == [c["id"] for c in seed_thread["comments"]]
    assert [r["parent_id"] for r in seed_answer["results"]] == [
        c["parent_id"] for c in seed_thread["comments"]]


@pytest.mark.parametrize("comment_id", ["c1", "c2", "c3", "c4", "c5"])
def test_threads_seed_thread_gets_the_expected_verdicts(seed_answer, seed_thread, comment_id):
    expected = seed_thread["expected"][comment_id]
    result = next(r for r in seed_answer["results"] if r["id"] == comment_id)
    assert result["action"] in expected["action"]
    assert sorted(result["labels"]) == sorted(expected["labels"])
    assert result["hateful"] == expected["hateful"]
    span_texts = {s["text"] for s in result["spans"]}
    assert set(expected.get("spans", [])) <= span_texts


def test_threads_use_the_parent_as_context(client, moderator):
    comments = [{"id": 1, "text": "Immigrants are moving into the district."},
                {"id": 2, "parent_id": 1, "text": "they are vermin"}]
    answer = client.post("/v1/threads:score", json={"comments": comments}).json()
    expected = moderator.score_thread(comments)
    assert [r["scores"] for r in answer["results"]] == [e.to_dict()["scores"] for e in expected]


def test_threads_reject_duplicate_ids(client):
    comments = [{"id": "a", "text": "one"}, {"id": "a", "text": "two"}]
    answer = client.post("/v1/threads:score", json={"comments": comments})
    assert answer.status_code == 422
    assert "appears more than once" in answer.json()["error"]["message"]


def test_threads_need_comment_ids(client):
    answer = client.post("/v1/threads:score", json={"comments": [{"text": "no id"}]})
    assert answer.status_code == 422
