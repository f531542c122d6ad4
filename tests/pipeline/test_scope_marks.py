"""Negation and quotation scope: the fast no-quote path agrees with the token walk."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.pipeline.signals import (
    NEG_PREFIX,
    NEGATION_SCOPE,
    QUOTE_PREFIX,
    _closes,
    quote_depths,
    scope_marks,
)
from app.pipeline.words import (
    CLOSING_QUOTES,
    DOUBLE_QUOTES,
    NEGATORS,
    OPENING_QUOTES,
    SCOPE_BREAKS,
    TOGGLE_QUOTES,
)

WORDS = ["not", "never", "no", "are", "criminals", "but", ".", ",", "they", "good", "people"]
MARKS = ['"', "“", "”", "«", "»", "''", "``", "'"]


def reference_quote_depths(texts):
    """The token-by-token version `quote_depths` replaced."""
    stack, used = [], []
    for i, text in enumerate(texts):
        if text in OPENING_QUOTES:
            stack.append(i)
        elif text in CLOSING_QUOTES:
            if stack:
                used += [stack.pop(), i]
        elif text in DOUBLE_QUOTES:
            if stack and texts[stack[-1]] in TOGGLE_QUOTES:
                used += [stack.pop(), i]
            else:
                stack.append(i)
    return sorted(used)


def reference_scope_marks(norms, quotes):
    """The token-by-token walk `scope_marks` replaced: quotation depth and negation scope
    followed together."""
    quote_set = set(quotes)
    negs, marked, opened = [], [], []
    depth = scope = 0
    for i, norm in enumerate(norms):
        if i in quote_set:
            if opened and _closes(norms, opened[-1], i, quote_set):
                opened.pop()
                depth -= 1
            else:
                opened.append(i)
                depth += 1
            scope = 0
            marked.append(norm)
        elif norm in NEGATORS:
            negs.append(i)
            scope = NEGATION_SCOPE
            marked.append(norm)
        elif norm in SCOPE_BREAKS:
            scope = 0
            marked.append(norm)
        elif depth > 0:
            marked.append(QUOTE_PREFIX + norm)
        elif scope:
            marked.append(NEG_PREFIX + norm)
            scope -= 1
        else:
            marked.append(norm)
    return marked, negs, list(quotes)


@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_negation_scope_equals_the_walk(norms):
    assert scope_marks(norms, []) == reference_scope_marks(norms, [])


@given(st.lists(st.sampled_from(WORDS + MARKS), max_size=40))
def test_quotation_scope_equals_the_walk(norms):
    quotes = quote_depths(norms)
    assert quotes == reference_quote_depths(norms)
    assert scope_marks(norms, quotes) == reference_scope_marks(norms, quotes)


def test_negation_reaches_five_tokens_and_stops_at_a_break():
    marked, negs, _ = scope_marks("they are not a b c d e f".split(), [])
    assert negs == [2]
    assert marked[3:8] == [NEG_PREFIX + w for w in "a b c d e".split()]
    assert marked[8] == "f"
    marked, _, _ = scope_marks("not criminals , just people".split(), [])
    assert marked == ["not", NEG_PREFIX + "criminals", ",", "just", "people"]


def test_quoted_words_are_marked():
    texts = ["he", "said", '"', "vermin", '"', "not", "ok"]
    quotes = quote_depths(texts)
    marked, _, _ = scope_marks(texts, quotes)
    assert marked[3] == QUOTE_PREFIX + "vermin"
    assert marked[6] == NEG_PREFIX + "ok"
