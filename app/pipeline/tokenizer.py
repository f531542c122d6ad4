"""The tokenizer setting that keeps leetspeak words whole.

spaCy's English suffix rules split a unit after a digit ("10km" -> "10", "km"), so a word
that hides a letter behind a digit loses its tail: "fagg0t" -> "fagg0", "t", "sh1t" ->
"sh1", "t". A `token_match` pattern wins over the affix rules, so a token that matches it
is kept whole. It matches only words that mix letters with leet digits or ``@``/``$`` and
have a letter on both sides of such a character ("f@gg0t", "sh1t", "fa66ots"): numbers with
units ("10km", "5pm"), ordinals ("3rd"), versions ("v2.0"), "covid19" and currency ("$5")
have no letter after a digit that follows a letter, so they keep spaCy's own behaviour.

The pattern is a compiled regex's ``match``, which spaCy saves with the tokenizer
(``nlp.to_disk``) and restores on ``spacy.load``.
"""

from __future__ import annotations

import re

from spacy.tokenizer import Tokenizer

_WORD_CHAR = r"(?:[^\W_]|[@$])"
_LETTER = r"[^\W\d_]"
#: a whole token: word characters, somewhere a letter, leet characters, a letter. The
#: lookahead first checks that the token has a leet character at all: spaCy calls this on
#: every string it has not cached (its cache holds 10,000), and most have none; without
#: it the pattern cost the tokenizer a third of its time, with it about 6%.
LEET_WORD_PATTERN = (
    rf"\A(?=[^\s0-9@$]*[0-9@$]){_WORD_CHAR}*{_LETTER}[0-9@$]+{_LETTER}{_WORD_CHAR}*\Z"
)
LEET_WORD_MATCH = re.compile(LEET_WORD_PATTERN).match


#: chunks (whitespace-separated strings) whose tokens the tokenizer keeps. spaCy's default,
#: 10,000, fills within a few thousand comments and is never evicted, so every later chunk
#: outside it goes through the affix rules and `token_match` again (44 calls per comment).
#: At 100,000, a pass over 20,000 comments the cache had not seen (after 60,000 others)
#: tokenized in 41.5 µs a comment instead of 64.6, for 25 MB more RSS; 200,000 bought nothing
#: more. The cache is exact (same tokens as no cache), and it is not saved with the model.
TOKENIZER_CACHE_SIZE = 100_000


def enlarge_cache(tokenizer: Tokenizer, size: int = TOKENIZER_CACHE_SIZE) -> None:
    """Let `tokenizer` cache up to `size` chunks (never fewer than it already may)."""
    tokenizer.max_cache_size = max(int(tokenizer.max_cache_size), size)


def install_token_match(tokenizer: Tokenizer) -> bool:
    """Keep leetspeak words whole in `tokenizer`, unless it already has a token_match.

    Returns whether the tokenizer was changed. A tokenizer loaded from a model saved
    before this setting existed has none; one saved after it holds this pattern.
    """
    if tokenizer.token_match is not None:
        return False
    tokenizer.token_match = LEET_WORD_MATCH
    return True
