"""Moderator API: result shape, hate vs offence, robustness to bad input."""

from __future__ import annotations

import math

import pytest

from app import LABELS, Moderator


def test_score_returns_one_result_per_text_in_order(moderator):
    texts = ["have a lovely day", "you absolute moron", "have a lovely day"]
    results = moderator.score(texts)
    assert len(results) == 3
    assert results[0].scores == results[2].scores
    assert results[1].scores["insult"] > results[0].scores["insult"]
    for res in results:
        assert set(res.scores) == set(LABELS)
        assert all(0.0 <= p <= 1.0 for p in res.scores.values())
        assert res.model_version == moderator.version
        assert res.action in ("allow", "review", "remove")


def test_score_rejects_a_bare_string(moderator):
    with pytest.raises(TypeError):
        moderator.score("one text")


def test_profanity_and_personal_insults_are_not_hate(moderator):
    results = moderator.score(
        [
            "fuck this fucking traffic, what a shitty day",
            "you are a clueless idiot and a moron",
        ]
    )
    assert not results[0].hateful and "profanity" in results[0].labels
    assert not results[1].hateful and "insult" in results[1].labels


def test_calm_dehumanization_of_a_group_is_hateful(moderator):
    res = moderator.score(["With all due respect, immigrants are vermin infesting our towns."])[0]
    assert res.hateful
    assert res.action in ("review", "remove")
    assert res.target == "immigrants"


def test_obfuscated_slur_gets_a_span_with_normalized_form(moderator):
    text = "shut up you f a g"
    res = moderator.score([text])[0]
    slur = next(s for s in res.spans if s.label == "slur")
    assert text[slur.start : slur.end] == slur.text == "f a g"
    assert slur.normalized == "fag"
    assert slur.usage == "derogatory"


def test_reclaimed_and_counter_speech_slur_usage(moderator):
    reclaimed, counter = moderator.score(
        [
            # "queer" is an identity word since model 1.2.0, not a slur
            "I am a proud dyke and I love my community",
            "Calling someone a faggot is a slur and it is never okay.",
        ]
    )
    assert not reclaimed.hateful
    assert [s.usage for s in reclaimed.spans if s.label == "slur"] == ["reclaimed"]
    assert not counter.hateful
    assert [s.usage for s in counter.spans if s.label == "slur"] == ["counter_speech"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "a" * 100_000,
        "word " * 20_000,
        "😀🔥💯 " * 50,
        "Привет, как дела? 日本語のテキスト。 مرحبا",
        "\x00\x01\x02 control \x1b[31m chars \u200b\u200d",
        "\ud800 lone surrogate",
    ],
)
def test_bad_or_odd_text_never_crashes(moderator, text):
    res = moderator.score([text])[0]
    assert res.action in ("allow", "review", "remove")
    assert all(math.isfinite(p) for p in res.scores.values())


def test_empty_text_is_allowed(moderator):
    assert moderator.score([""])[0].action == "allow"


def test_thread_context_changes_the_verdict(moderator):
    reply = "they should all be sent back where they came from"
    with_group, with_things = moderator.score(
        [reply, reply],
        contexts=[
            "Hundreds of refugees arrived at the border this week.",
            "The shop received a batch of broken laptops.",
        ],
    )
    assert with_group.scores["identity_attack"] > with_things.scores["identity_attack"]
    assert with_group.hateful and not with_things.hateful


def test_a_shared_thread_context_is_read_once_and_changes_nothing(moderator):
    context = "Muslim families moved into the flats near the station last spring."
    replies = ["they should all be sent back", "those people are a disease", "nice flats"]
    moderator._context_groups.clear()
    together = moderator.score(replies, contexts=[context] * 3)
    assert list(moderator._context_groups) == [context]  # parsed once for three replies
    cached = [moderator.score([r], contexts=[context])[0] for r in replies]
    moderator._context_groups.clear()
    fresh = [moderator.score([r], contexts=[context])[0] for r in replies]
    assert together == cached == fresh
    assert together[0].hateful and together[0].target == "muslims"
    assert not together[2].hateful


def test_a_parent_scored_in_the_same_batch_is_reused_as_the_context(moderator):
    parent = "Muslim families moved into the flats near the station last spring."
    reply = "they should all be sent back"
    moderator._context_groups.clear()
    parsed_apart = moderator.score([reply], contexts=[parent])[0]
    moderator._context_groups.clear()
    # the parent is itself a text of the call: its doc stands in for the context's
    parent_res, reused = moderator.score([parent, reply], contexts=[None, parent])
    assert moderator._context_groups[parent] == ("muslims", "Muslim")
    assert reused == parsed_apart
    assert reused.hateful and reused.target == "muslims"
    assert parent_res == moderator.score([parent])[0]


def test_load_refuses_a_folder_without_model(tmp_path):
    from app.model_card import ModelCardError

    with pytest.raises(ModelCardError):
        Moderator.load(tmp_path)
