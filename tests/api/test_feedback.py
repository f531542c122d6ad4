"""POST /v1/feedback, the store behind it and its training rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.classifier import UNKNOWN
from app.feedback import Feedback, FeedbackStore
from app.labels import LABELS
from training.feedback import feedback_rows, rows_from_verdicts


def test_feedback_is_stored(make_client, tmp_path):
    url = f"sqlite:///{tmp_path / 'fb.db'}"
    with make_client(feedback_url=url) as client:
        answer = client.post("/v1/feedback", json={
            "id": "c2", "text": "you are a complete moron", "label": "insult", "correct": True,
            "community": "news-site", "model_version": "1.0.0"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["id"] == "c2" and body["label"] == "insult" and body["correct"] is True
    stored = FeedbackStore(url).list()
    assert [(f.id, f.comment_id, f.text, f.label, f.correct, f.community) for f in stored] == [
        (body["feedback_id"], "c2", "you are a complete moron", "insult", True, "news-site")]


@pytest.mark.parametrize("payload", [
    {"text": "x", "label": "spam", "correct": True},
    {"text": "x", "label": "insult"},
    {"text": "x", "label": "insult", "correct": "perhaps"},
])
def test_feedback_rejects_bad_verdicts(client, payload):
    assert client.post("/v1/feedback", json=payload).status_code == 422


def test_feedback_without_a_database_is_a_503(make_client):
    with make_client(feedback_url="nosuchdriver://nowhere") as client:
        answer = client.post("/v1/feedback", json={"text": "x", "label": "none",
                                                   "correct": True})
        assert answer.status_code == 503
        assert client.post("/v1/score", json={"comments": [{"text": "hi"}]}).status_code == 200


def test_feedback_store_filters_by_community():
    store = FeedbackStore("sqlite://")
    store.add("a", "insult", True, community="one")
    store.add("b", "slur", False, community="two")
    assert [f.text for f in store.list(community="two")] == ["b"]
    assert [f.text for f in store.list(limit=1)] == ["a"]
    with pytest.raises(ValueError, match="unknown label"):
        store.add("c", "spam", True)


def _verdict(i: int, text: str, label: str, correct: bool) -> Feedback:
    created = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
    return Feedback(i, None, text, label, correct, None, None, created)


def test_feedback_rows_turn_verdicts_into_labels():
    rows = rows_from_verdicts([
        _verdict(1, "moron", "insult", True),
        _verdict(2, "fine text", "none", True),
        _verdict(3, "fine text", "profanity", True),   # a later verdict overrides "none"
        _verdict(4, "vermin", "dehumanization", False),
        _verdict(5, "vermin", "dehumanization", True),  # the latest verdict wins
        _verdict(6, "unclear", "none", False),          # says nothing usable
    ])
    by_text = {r.text: r for r in rows}
    assert set(by_text) == {"moron", "fine text", "vermin"}
    assert all(r.dataset == "feedback" and r.split == "train" for r in rows)
    assert by_text["moron"].labels == {**dict.fromkeys(LABELS, UNKNOWN), "insult": 1}
    assert by_text["moron"].hateful is None
    assert by_text["fine text"].labels == {**dict.fromkeys(LABELS, 0), "profanity": 1}
    assert by_text["fine text"].hateful == 0
    assert by_text["vermin"].labels["dehumanization"] == 1
    assert by_text["vermin"].hateful == 1


def test_feedback_rows_read_a_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fb.db'}"
    FeedbackStore(url).add("you idiot", "insult", True, community="news-site")
    rows = feedback_rows(url)
    assert [(r.text, r.labels["insult"], r.meta["communities"]) for r in rows] == [
        ("you idiot", 1, ["news-site"])]
