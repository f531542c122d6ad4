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


NAME_WORDS = ["Zionism", "Is", "Evil", "xX", "Xx", "n1gg3r", "Slayer", "moron", "King",
              "Cliff", "idiot", "Erdocunt", "fag", "the", "Truth", "kill", "Jews"]
NAME_SEPARATORS = ["", "_", ".", " ", "__"]

names = st.lists(
    st.tuples(st.sampled_from(NAME_WORDS), st.sampled_from(NAME_SEPARATORS)),
    min_size=1,
    max_size=5,
)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the fixture's repr
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=names)
def test_username_spans_cover_whole_words_of_the_original_name(moderator, parts):
    """A name like "ZionismIsEvil" is read as "Zionism Is Evil": every span must quote
    whole words of the ORIGINAL name ("Evil" at 9-13, not "il" at 11-15)."""
    name = "".join(word + sep for word, sep in parts)
    # the splitter cuts at separators, at every lower-to-upper case change ("xX" is
    # "x" + "X") and before the last capital of a run, so those are where a word of the
    # name may start or end
    word_starts, word_ends = {0}, {len(name.rstrip("_. "))}
    for i in range(1, len(name)):
        a, b = name[i - 1], name[i]
        if a in "_. " and b not in "_. ":
            word_starts.add(i)
        if a not in "_. " and b in "_. ":
            word_ends.add(i)
        if a.islower() and b.isupper():
            word_starts.add(i)
            word_ends.add(i)
        if a.isupper() and b.isupper() and name[i + 1 : i + 2].islower():
            # the last capital of a run starts the next word ("KKKMember", "xXErdocunt")
            word_starts.add(i)
            word_ends.add(i)
    result = moderator.score_usernames([name])[0]
    _check(name, [result])
    for span in result.spans:
        assert span.start in word_starts and span.end in word_ends, (name, span)
