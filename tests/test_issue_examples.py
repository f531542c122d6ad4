"""The verdicts a moderator expects on the examples that new users reported (issue 13).

Each is a behaviour, not a tuning target: the examples stay out of every training set.
"""

from __future__ import annotations

import pytest

SUPPORT = [
    "Gay people deserve equal rights.",
    "Black people deserve equal rights.",
    "Women deserve equal rights.",
    "Trans people deserve equal rights.",
    "I support gay marriage.",
    # model 1.2.2: "deserve a state" is a support cue (identity_attack stays 0.81)
    "The Palestinian people deserve a state of their own.",
    "Police say an unarmed Black man was shot by an officer during a traffic stop on Tuesday.",
    "I'm a proud gay man.",
]


@pytest.mark.parametrize("text", SUPPORT)
def test_support_for_a_group_and_news_about_it_are_not_hate(moderator, text):
    result = moderator.score([text])[0]
    assert not result.hateful, result
    # model 1.2.1 (hate_rules.denied_unflags): support for a group is not worth a
    # moderator's look either
    assert result.action == "allow", result
    assert result.target == "none", result  # an allowed or harmless text attacks nobody


@pytest.mark.parametrize("text", ["Trans people deserve respect.", "Immigrants are not criminals."])
def test_support_and_denied_hate_are_allowed_but_an_insult_beside_them_is_not(moderator, text):
    allowed, insulted = moderator.score([text, text.rstrip(".") + ", you idiot."])
    assert allowed.action == "allow" and not allowed.hateful, allowed
    assert insulted.action == "review" and "insult" in insulted.labels, insulted
    assert not insulted.hateful, insulted


COUNTER_SPEECH = [
    "I am sick of people calling immigrants rats. They are human beings.",
    "Calling Muslims vermin is disgusting and racist. Stop it.",
]
#: the same attack words with the counter-speech cue denied or missing: still hate
NOT_COUNTER_SPEECH = [
    "Muslims are vermin, and calling them that is not racist.",
    "It's not racist to say immigrants are rats.",
]


@pytest.mark.parametrize("text", COUNTER_SPEECH)
def test_counter_speech_is_not_hate(moderator, text):
    # model 1.2.2 (hate_rules.opposed: support_or_counter): a counter-speech cue makes the
    # quoted attack words' flags below their remove threshold not hate
    result = moderator.score([text])[0]
    assert not result.hateful and result.action != "remove", result


@pytest.mark.parametrize("text", NOT_COUNTER_SPEECH)
def test_a_denied_counter_speech_cue_leaves_hate_hateful(moderator, text):
    result = moderator.score([text])[0]
    assert result.hateful and result.action != "allow", result


def test_a_reply_that_condemns_hate_is_not_hate_at_the_group_it_defends(moderator):
    result = moderator.score(
        ["That is a disgusting thing to say about your neighbours."],
        contexts=["Muslims are vermin and should be thrown out."],
    )[0]
    assert not result.hateful and result.target != "muslims", result


@pytest.mark.parametrize("text", ["what a f@gg0t", "fagg0t", "fa66ots are disgusting"])
def test_obfuscated_slurs_are_found(moderator, text):
    result = moderator.score([text])[0]
    assert result.action != "allow" and "slur" in result.labels, result
    assert any(s.label == "slur" and s.normalized for s in result.spans), result.spans


def test_a_harmless_homonym_is_not_removed(moderator):
    result = moderator.score(["put another faggot on the fire"])[0]
    assert result.action != "remove" and not result.hateful, result


def test_a_personal_threat_is_not_hate_and_names_its_target(moderator):
    result = moderator.score(["Go kill yourself."])[0]
    assert result.action != "allow" and "threat" in result.labels, result
    assert not result.hateful and result.target == "individual", result


@pytest.mark.xfail(
    strict=True,
    reason="model 1.2.0 keeps hate that names no group (hate_rules.needs_group: individual): "
    "'always' cost 0.002 of dev macro-F1 and took the suite's hateful cases from 0.856 to "
    "0.836, mostly obfuscated group words the lexicon does not read (README: Known limits)",
)
def test_hate_always_names_the_group_it_attacks(moderator):
    texts = [
        "Those people are animals, every last one of them.",
        "Muslims are animals, every last one of them.",
        "Go kill yourself.",
    ]
    for text, result in zip(texts, moderator.score(texts), strict=True):
        from app.labels import GROUPS

        assert not result.hateful or result.target in GROUPS, (text, result)
    those, muslims, _ = moderator.score(texts)
    assert those.action != "allow" and not those.hateful  # dehumanizing, but of whom?
    assert muslims.hateful and muslims.target == "muslims"


def test_an_attack_on_a_named_group_names_it_and_a_personal_threat_is_not_hate(moderator):
    muslims, personal = moderator.score(
        ["Muslims are animals, every last one of them.", "Go kill yourself."]
    )
    assert muslims.hateful and muslims.target == "muslims" and muslims.action == "remove"
    assert not personal.hateful and personal.target == "individual"


@pytest.mark.parametrize("name", ["Grandma Jo", "Auntie Rosa"])
def test_kinship_names_are_ordinary_names(moderator, name):
    result = moderator.score_usernames([name])[0]
    assert result.action == "allow" and not result.hateful, result
    comment = moderator.score([name])[0]
    assert not comment.hateful and comment.target == "none", comment


@pytest.mark.parametrize(("name", "target"), [("HitlerWasRight", None), ("KillAllJews88", "jews")])
def test_hostile_display_names_are_removed(moderator, name, target):
    result = moderator.score_usernames([name])[0]
    assert result.action == "remove" and "username" in result.reasons, result
    if target:
        assert result.target == target


@pytest.mark.parametrize(
    "text", ["Trans women are women.", "Trans rights are human rights.", "Love is love."]
)
def test_support_slogans_are_not_hate(moderator, text):
    # model 1.2.2: "GROUP are GROUP" scores identity_attack 0.98 (the cluster bigram of a
    # group and "are" is the model's strongest group prior); the slogan is a support cue,
    # so it is at most reviewed, never hateful or removed
    result = moderator.score([text])[0]
    assert not result.hateful and result.action != "remove", result


def test_a_denied_support_slogan_is_hate(moderator):
    result = moderator.score(["Trans women are not women."])[0]
    assert result.hateful and result.target == "trans_people", result


@pytest.mark.parametrize(
    "text",
    [
        "Do gay people even deserve rights?",
        "Are immigrants even human beings?",
        "Why do Palestinians even deserve a state?",
    ],
)
def test_support_put_in_doubt_by_a_question_opposes_nothing(moderator, text):
    # the support cue sits in a question with no negator: it asks whether they do
    result = moderator.score([text])[0]
    assert result.hateful and result.action != "allow", result


@pytest.mark.parametrize(
    "text", ["Don't gay people deserve equal rights?", "Gay people deserve equal rights."]
)
def test_support_asserted_or_asked_with_a_negator_is_support(moderator, text):
    result = moderator.score([text])[0]
    assert not result.hateful and result.action == "allow", result


def test_a_compliment_to_a_group_is_allowed_and_the_same_sentence_with_an_attack_is_not(
    moderator,
):
    # issue 13's templated set: a compliment to a queer person scored 0.83 and "Being sikh
    # is vile" 0.02 with model 1.1.0; model 1.3.0 reads the valence of what is said of a
    # group and never counts praise of it as evidence of an attack
    kind, vile, great, horrible = moderator.score([
        "You are a great queer person.",
        "Being sikh is vile.",
        "You are a great trans person.",
        "You are a horrible trans person.",
    ])
    assert kind.action == "allow" and not kind.hateful, kind
    assert great.action == "allow" and not great.hateful, great
    assert vile.hateful and vile.target == "sikhs", vile
    assert horrible.hateful, horrible
    assert max(horrible.scores.values()) > max(great.scores.values())
