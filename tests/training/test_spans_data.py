"""The toxic-spans gold, split and metric (training/spans_data.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.data import hash_split, near_duplicate_key
from training.spans_data import char_f1, f1_chars, load_span_posts, majority_gold, span_split

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_per_post_f1_follows_the_shared_task():
    assert f1_chars(set(), set()) == 1.0
    assert f1_chars({1}, set()) == 0.0
    assert f1_chars(set(), {1}) == 0.0
    assert f1_chars({1, 2}, {2, 3}) == pytest.approx(0.5)
    report = char_f1([{}, {0: "insult"}], [_post({}), _post({0: "insult", 1: "insult"})])
    assert report["overall"] == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-4)
    assert report["types"]["insult"] == {"n_posts": 1, "f1": pytest.approx(0.6667)}
    assert report["types"]["threat"] == {"n_posts": 0, "f1": 0.0}


def _post(gold):
    from training.spans_data import SpanPost

    return SpanPost(0, "ab", gold, "test", 3, {})


def test_gold_is_what_most_annotators_marked_with_their_most_voted_type():
    text = "you idiot, die"
    annotations = [
        {"spans": [["Insult", 4, 9], ["Threat", 11, 14]]},
        {"spans": [["Insult", 4, 9], ["Insult", 11, 14]]},
        {"spans": [["Threat", 0, 3], ["Other Toxicity", 11, 40]]},  # past the end: cut
    ]
    gold, votes = majority_gold(text, annotations, 3)
    assert sorted(gold) == [*range(4, 9), *range(11, 14)]
    assert {gold[c] for c in range(4, 9)} == {"insult"}
    # "die": Threat 1, Insult 1, Other (-> insult) 1: insult has 2 votes
    assert {gold[c] for c in range(11, 14)} == {"insult"}
    assert votes[0] == pytest.approx(1 / 3) and votes[4] == pytest.approx(2 / 3)
    # a tie goes to the rarer, more specific type
    tie = [{"spans": [["Threat", 0, 3]]}, {"spans": [["Insult", 0, 3]]}]
    assert majority_gold("die", tie, 2)[0] == {0: "threat", 1: "threat", 2: "threat"}
    # half is not a majority
    assert majority_gold("die", tie[:1], 2)[0] == {}
    gold, _ = majority_gold(
        "die",
        [{"spans": [["Threat", 0, 3], ["Insult", 0, 3]]}, {"spans": [["Insult", 0, 3]]}],
        3,
    )
    assert gold == {0: "insult", 1: "insult", 2: "insult"}


def test_split_is_the_one_every_dataset_uses():
    for text in ("You are an IDIOT!!", "you are an idiot", "something else entirely"):
        assert span_split(text) == hash_split(near_duplicate_key(text))
    assert span_split("You are an IDIOT!!") == span_split("you are an idiot")


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_posts_load_with_a_deterministic_split():
    posts = load_span_posts(DATA)
    assert len(posts) == 13959
    counts = {s: sum(p.split == s for p in posts) for s in ("train", "dev", "test")}
    assert counts == {"train": 11186, "dev": 1396, "test": 1377}
    # near-duplicates never straddle splits
    by_key: dict[str, set[str]] = {}
    for p in posts:
        by_key.setdefault(near_duplicate_key(p.text), set()).add(p.split)
    assert all(len(splits) == 1 for splits in by_key.values())
    assert 0.35 < sum(not p.gold for p in posts) / len(posts) < 0.45
