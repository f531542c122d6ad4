"""Display names: split with a map back to the name, kinship words, hate codes, threats."""

from __future__ import annotations

import pytest

from app.usernames import split_name


@pytest.mark.parametrize(("name", "split"), [
    ("ZionismIsEvil", "Zionism Is Evil"),
    ("xX_n1gg3rSlayer_Xx", "x X n1gg3r Slayer Xx"),
    ("KillAllJews88", "Kill All Jews 88"),
    ("WhitePowerDan88", "White Power Dan 88"),
    ("Dave1987", "Dave 1987"),
    ("mike_88", "mike 88"),
    ("h3adch0pper", "h3adch0pper"),  # leetspeak is never cut
    ("KKKMember", "KKK Member"),
    ("88Kill", "88 Kill"),
    ("Zionism = EVIL", "Zionism = EVIL"),
    ("a..b__c", "a b c"),
])
def test_split_name_cuts_words_and_maps_back(name, split):
    cut = split_name(name)
    assert cut.text == split
    for start in range(len(cut.text)):
        for end in range(start + 1, len(cut.text) + 1):
            piece = cut.text[start:end]
            if piece.strip() == piece and " " not in piece:
                a, b = cut.span(start, end)
                assert name[a:b] == piece


ALLOWED = ["Grandma Jo", "Auntie Rosa", "Dave1987", "mike_88", "Grandpa Joe", "SweetPea",
           "BigDaddy", "ProudMuslimMom", "Mrs Lopez", "GamerGirl99"]
HOSTILE = ["KillAllMuslims", "WhitePowerDan88", "HitlerWasRight", "KillAllJews88",
           "xX_n1gg3rSlayer_Xx", "ZionismIsEvil", "SiegHeil1488", "1488"]


@pytest.mark.parametrize("name", ALLOWED)
def test_ordinary_names_kinship_words_and_numbers_are_allowed(moderator, name):
    result = moderator.score_usernames([name])[0]
    assert result.action == "allow", (name, result.reasons, result.scores)
    assert result.target in ("none", "muslims")  # "ProudMuslimMom" names a group, kindly
    assert result.language == "und"


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_not_allowed(moderator, name):
    result = moderator.score_usernames([name])[0]
    assert result.action != "allow", (name, result.scores)
    assert "username" in result.reasons and result.hateful


def test_spans_of_split_names_point_into_the_original_name(moderator):
    evil, slur, white = moderator.score_usernames(
        ["ZionismIsEvil", "xX_n1gg3rSlayer_Xx", "WhitePowerDan88"])
    # the span model may add evidence of its own; the words the rules and the lexicon
    # found must be among the spans, at their place in the original name
    assert (9, 13, "Evil") in [(s.start, s.end, s.text) for s in evil.spans]
    assert (3, 9, "n1gg3r", "derogatory") in [
        (s.start, s.end, s.text, s.usage) for s in slur.spans]
    assert {("WhitePower", "white power"), ("88", "88")} <= {
        (s.text, s.normalized) for s in white.spans}
    for name, result in (("ZionismIsEvil", evil), ("xX_n1gg3rSlayer_Xx", slur),
                         ("WhitePowerDan88", white)):
        assert all(name[s.start:s.end] == s.text for s in result.spans)


def test_kill_all_a_group_is_a_threat_at_that_group(moderator):
    result = moderator.score_usernames(["KillAllJews88"])[0]
    assert result.action == "remove" and "threat" in result.labels
    assert result.target == "jews" and result.hateful


def test_a_hate_code_does_not_read_white_as_the_target(moderator):
    result = moderator.score_usernames(["WhitePowerDan88"])[0]
    assert result.action == "remove" and result.target == "none"
    assert moderator.score_usernames(["HitlerWasRight"])[0].action == "remove"


def test_kinship_words_still_count_in_a_name_that_attacks(moderator):
    # "mom" is blanked in "Grandma Jo"-like names only; an attack keeps every word
    result = moderator.score_usernames(["KillAllMoms"])[0]
    assert result.action != "allow"


def test_a_community_that_ignores_identity_attack_ignores_the_code_floor(moderator):
    relaxed = moderator.policy.with_overrides({"review": {"identity_attack": None}})
    assert moderator.score_usernames(["HitlerWasRight"], relaxed)[0].action == "allow"


def test_a_hate_code_follows_the_communitys_remove_threshold(moderator):
    # one rule (Policy.decide's hate_symbol) removes a name with a hate code, so a
    # community that never removes for identity_attack gets the name sent to review
    default = moderator.score_usernames(["HitlerWasRight"])[0]
    assert default.action == "remove", default
    lenient = moderator.policy.with_overrides({"remove": {"identity_attack": None}})
    kept = moderator.score_usernames(["HitlerWasRight"], policy=lenient)[0]
    assert kept.action == "review" and "identity_attack" in kept.labels, kept
