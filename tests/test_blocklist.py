"""Block lists that hold: normalized text, inflections, spacing, dots, leetspeak, glued
display names; each hit with a span into the original text; no hits inside unrelated
words."""

from __future__ import annotations

import pytest

from app.blocklist import inflections, term_letters

DODGES = ["headchoppers", "head chopper", "h e a d c h o p p e r", "h.e.a.d.c.h.o.p.p.e.r",
          "h3adch0pper", "HEADCHOPPER", "the head-chopper came", "a headchopper's axe",
          "ｈｅａｄｃｈｏｐｐｅｒ"]


@pytest.fixture(scope="module")
def policy(moderator):
    return moderator.policy.with_overrides(
        {"blocklist": ["headchopper", "ass", "Dick Cheney", "1488"]}, name="news-site")


@pytest.mark.parametrize("text", DODGES)
def test_dodged_spellings_are_removed_with_a_span(moderator, policy, text):
    result = moderator.score([text], policy=policy)[0]
    assert result.action == "remove" and "blocklist:headchopper" in result.reasons
    spans = [s for s in result.spans if s.label == "blocklist"]
    assert len(spans) == 1 and spans[0].term == "headchopper"
    assert text[spans[0].start:spans[0].end] == spans[0].text
    assert spans[0].text.replace(" ", "").replace(".", "").replace("-", "")[:4].lower() in (
        "head", "h3ad", "ｈｅａｄ")


def test_the_display_name_is_removed_with_the_glued_term(moderator, policy):
    result = moderator.score_usernames(["TheHeadchopper99"], policy)[0]
    assert result.action == "remove"
    assert "blocklist:headchopper" in result.reasons and "username" in result.reasons
    (span,) = [s for s in result.spans if s.label == "blocklist"]
    assert (span.start, span.end, span.text) == (3, 14, "Headchopper")


@pytest.mark.parametrize("text", [
    "the class was good", "an assassin", "a classic", "overheadchopper tools",
    "he was a headchopperr", "compass assessment",
])
def test_a_term_inside_an_unrelated_word_does_not_match(moderator, policy, text):
    result = moderator.score([text], policy=policy)[0]
    assert not [r for r in result.reasons if r.startswith("blocklist:")], text


def test_multiword_and_numeric_terms(moderator, policy):
    cheney, code = moderator.score(["I met Dick  Cheney today", "code 1488 here"], policy=policy)
    assert "blocklist:dick cheney" in cheney.reasons
    assert "blocklist:1488" in code.reasons
    assert [s.text for s in code.spans if s.label == "blocklist"] == ["1488"]


def test_no_blocklist_no_block_spans(moderator):
    result = moderator.score(["what a headchopper"])[0]
    assert all(s.label != "blocklist" for s in result.spans)


def test_inflections_and_term_letters():
    assert {"headchoppers", "headchopper", "headchoppered"} <= set(inflections("headchopper"))
    assert {"hated", "hating", "haters"} <= set(inflections("hate"))
    assert {"bullies", "bullied"} <= set(inflections("bully"))
    assert {"thugged", "thugging"} <= set(inflections("thug"))
    assert term_letters("Dick  Cheney") == "dickcheney"
    assert term_letters("H3ad-Ch0pper") == "headchopper"
