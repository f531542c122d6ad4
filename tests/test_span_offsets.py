"""Property: every span points into the ORIGINAL text, `text[start:end] == span.text`.

Texts are generated from pieces that stress offsets: obfuscated words (leetspeak, s p a c e d
and d.o.t.t.e.d letters, masks, glued profanity, homoglyphs, zero-width characters), odd
whitespace, emoji, combining marks, lone surrogates, quotes and long runs; they are scored
with the default policy, with spans for every text, with an allow list (masked before
scoring) and with a block list.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = [
    "you", "are", "a", "moron", "m0r0n", "idiot", "IDIOT", "f a g", "f.a.g", "n1gg3r",
    "f*ck", "fuuuuck", "$hit", "Erdocunt", "shit", "vermin", "immigrants", "Muslims",
    "should be shot", "go back where you came from", "kill", "them", "all", "not", "never",
    '"', "“", "”", "'", "!", "?", ".", ",", "...", "😀", "🔥", "e\u0301", "\u200b", "\u200d",
    "ѕhit", "Scunthorpe", "badword", "\ud800", "\ufffd", "日本語", "\t", "\n", "  ", " ",
    "people", "trash", "stupid", "scum", "I", "hate", "love", "xX_", "_Xx", "ZionismIsEvil",
]
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", "  ", "\t", "-", "_"])

texts = st.lists(
    st.tuples(st.sampled_from(PIECES) | st.text(max_size=6), SEPARATORS), max_size=25
).map(lambda parts: "".join(p + s for p, s in parts))


def _check(text: str, results) -> None:
    for result in results:
        for span in result.spans:
            assert 0 <= span.start < span.end <= len(text), (text, span)
            assert text[span.start : span.end] == span.text, (text, span)


@pytest.fixture(scope="module")
def policies(moderator):
    base = moderator.policy
    return {
        "default": base,
        "always": base.with_overrides({"spans": "always"}, name="always"),
        "allowlist": base.with_overrides(
            {"spans": "always", "allowlist": ["Scunthorpe", "moron"]}, name="allow"
        ),
        "blocklist": base.with_overrides({"blocklist": ["badword", "kill"]}, name="block"),
    }


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_comment_spans_point_into_the_original_text(moderator, policies, text):
    for policy in policies.values():
        _check(text, moderator.score([text], policy=policy))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_spans_of_texts_read_in_a_thread_point_into_the_original_text(moderator, text):
    results = moderator.score(
        [text], contexts=["Muslims and immigrants arrived in town."],
        policy=moderator.policy.with_overrides({"spans": "always"}),
    )
    _check(text, results)


@pytest.mark.xfail(
    reason="score_usernames re-splits names before scoring (offsets of the split name); "
    "fixed on the usernames helper's branch: remove this mark once it is merged",
    strict=False,
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_username_spans_point_into_the_original_name(moderator, text):
    _check(text, moderator.score_usernames([text]))
