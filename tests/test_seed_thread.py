"""The seed thread the product was specified from gets the verdicts a moderator expects."""

from __future__ import annotations

import pytest


def _verdicts(moderator, seed_thread):
    results = moderator.score_thread(seed_thread["comments"], article=seed_thread["article"])
    return {c["id"]: r for c, r in zip(seed_thread["comments"], results, strict=True)}


def test_seed_thread_comments_get_expected_verdicts(moderator, seed_thread):
    verdicts = _verdicts(moderator, seed_thread)
    for cid, expected in seed_thread["expected"].items():
        if cid in ("authors", "article"):
            continue
        res = verdicts[cid]
        assert res.action in expected["action"], (cid, res.action, res.scores)
        assert sorted(res.labels) == sorted(expected["labels"]), (cid, res.labels, res.scores)
        assert res.hateful is expected["hateful"], cid
        span_texts = [s.text for s in res.spans]
        for want in expected.get("spans", []):
            assert want in span_texts, (cid, span_texts)


def test_seed_thread_spans_point_into_original_text(moderator, seed_thread):
    verdicts = _verdicts(moderator, seed_thread)
    texts = {c["id"]: c["text"] for c in seed_thread["comments"]}
    for cid, res in verdicts.items():
        for span in res.spans:
            assert texts[cid][span.start : span.end] == span.text
    erdocunt = next(s for s in verdicts["c4"].spans if s.text == "Erdocunt")
    assert erdocunt.normalized is not None and "cunt" in erdocunt.normalized
    moron = next(s for s in verdicts["c1"].spans if s.text == "moron")
    assert moron.label == "insult"


def test_seed_thread_analytical_comment_is_allowed(moderator, seed_thread):
    c5 = next(c for c in seed_thread["comments"] if c["id"] == "c5")
    assert "terrorists" in c5["text"] and "Jihadists" in c5["text"]
    res = moderator.score([c5["text"]])[0]
    assert res.action == "allow" and not res.labels


@pytest.mark.parametrize("name", ["Zionism = EVIL", "King Cliff", "Willing Conscience (The Truths"])
def test_seed_thread_usernames(moderator, seed_thread, name):
    expected = seed_thread["expected"]["authors"][name]["action"]
    res = moderator.score_usernames([name])[0]
    assert res.action in expected, (name, res.action, res.scores)
    if res.action != "allow":
        assert "username" in res.reasons


def test_seed_thread_article_is_allowed(moderator, seed_thread):
    article = seed_thread["article"]
    res = moderator.score([f"{article['title']}\n\n{article['body']}"])[0]
    assert res.action in seed_thread["expected"]["article"]["action"], res.scores
