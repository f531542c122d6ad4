"""Community policies: thresholds, ignored labels, block and allow lists."""

from __future__ import annotations

import pytest

from app import Policy


def test_allowlist_blanks_a_known_false_positive(moderator):
    text = "Greetings from Scunthorpe, you twat"
    policy = moderator.policy.with_overrides({"allowlist": ["Scunthorpe", "twat"]})
    masked = policy.mask_allowed(text)
    assert len(masked) == len(text) and "Scunthorpe" not in masked
    assert moderator.score([text], policy=policy)[0].action == "allow"


def test_blocklist_always_removes_even_when_obfuscated(moderator):
    policy = moderator.policy.with_overrides({"blocklist": ["headchopper"]})
    plain, leet = moderator.score(["what a lovely headchopper", "what a lovely h3adch0pper"],
                                  policy=policy)
    assert plain.action == "remove" and "blocklist:headchopper" in plain.reasons
    assert leet.action == "remove"


def test_ignoring_a_label_and_tightening_a_threshold(moderator):
    text = "fuck this fucking traffic"
    default = moderator.score([text])[0]
    assert "profanity" in default.labels
    relaxed = moderator.policy.with_overrides({"review": {"profanity": None}})
    assert moderator.score([text], policy=relaxed)[0].action == "allow"


@pytest.mark.parametrize(
    "overrides",
    [{"review": {"nonsense": 0.5}}, {"review": {"slur": 1.5}}, {"remove": {"threat": -0.1}}],
)
def test_invalid_overrides_are_rejected(moderator, overrides):
    with pytest.raises(ValueError):
        moderator.policy.with_overrides(overrides)


def test_decide_hateful_rules():
    policy = Policy(review=dict.fromkeys(
        ["slur", "dehumanization", "identity_attack", "threat", "insult", "profanity"], 0.5),
        remove=dict.fromkeys(
        ["slur", "dehumanization", "identity_attack", "threat", "insult", "profanity"], 0.9))
    low = dict.fromkeys(policy.review, 0.0)
    # dehumanizing a non-protected group is flagged but not hateful
    d = policy.decide({**low, "dehumanization": 0.95}, target="none")
    assert d.labels == ["dehumanization"] and not d.hateful and d.action == "review"
    # the same aimed at a protected group is hateful and removed
    d = policy.decide({**low, "dehumanization": 0.95}, target="immigrants")
    assert d.hateful and d.action == "remove"
    # a threat against one person is removed but is not hate
    d = policy.decide({**low, "threat": 0.95}, target="individual")
    assert not d.hateful and d.action == "remove"
    # denied hate is not hate
    d = policy.decide({**low, "identity_attack": 0.7}, target="muslims", denied=True)
    assert not d.hateful


def test_denied_or_opposed_hate_is_not_flagged_below_the_remove_threshold():
    labels = ["slur", "dehumanization", "identity_attack", "threat", "insult", "profanity"]
    policy = Policy(
        review=dict.fromkeys(labels, 0.3), remove=dict.fromkeys(labels, 0.9), denied_unflags=True
    )
    low = dict.fromkeys(labels, 0.0)
    support = {**low, "identity_attack": 0.4, "threat": 0.35}
    assert policy.decide(support, "gay_people", denied=True).action == "allow"
    assert policy.decide(support, "gay_people").hateful  # not denied: hate by the rules
    # without the rule, denied hate is not hate but still sent to review
    plain = Policy(review=policy.review, remove=policy.remove)
    assert plain.decide(support, "gay_people", denied=True).action == "review"
    rude = policy.decide({**support, "insult": 0.5}, "gay_people", denied=True)
    assert rude.labels == ["insult"] and not rude.hateful and rude.action == "review"
    certain = policy.decide({**low, "identity_attack": 0.95}, "gay_people", denied=True)
    assert certain.labels == ["identity_attack"] and not certain.hateful
    slur = policy.decide({**support, "slur": 0.5}, "gay_people", denied=True)
    assert "identity_attack" in slur.labels  # a slur keeps its text's flags


def test_a_hate_symbol_removes_at_the_identity_attack_remove_threshold_whatever_the_target():
    labels = ["slur", "dehumanization", "identity_attack", "threat", "insult", "profanity"]
    policy = Policy(review=dict.fromkeys(labels, 0.3), remove=dict.fromkeys(labels, 0.9))
    scores = {**dict.fromkeys(labels, 0.0), "identity_attack": 0.92}
    # a hate figure's name attacks no group the text names: not hateful by the rules
    assert policy.decide(scores, "none", require_group=True).action == "review"
    symbol = policy.decide(scores, "none", require_group=True, hate_symbol=True)
    assert symbol.action == "remove" and not symbol.hateful
    lenient = policy.with_overrides({"remove": {"identity_attack": None}})
    assert lenient.decide(scores, "none", require_group=True, hate_symbol=True).action == "review"
