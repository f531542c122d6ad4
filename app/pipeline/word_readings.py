"""Two readings of the words a doc spells that its tokens hide: a lexicon word split by
a space ("sc um", "wom en") and a group named by "being" and an adjective ("being old").

The lexicon component (`app.pipeline.lexicon`) calls both: joins become entries of the
doc's word view (`app.pipeline.word_view`), "being" groups identity matches (their
adjectives come from the lexicon's entries, `app.pipeline.lexicon.being_words`). Whether a
piece is a word of its own is the normalizer's call (`Normalizer.joined_form`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from spacy.tokens import Doc

from app.pipeline.extensions import X_ORTH_IDS, doc_norm_ids
from app.pipeline.normalizer import F_PIECE, F_TAIL

#: characters that join two words into one ("re-started", "o'clock")
_WORD_JOINERS = frozenset("-'’_/")


def word_edge(doc: Doc, k: int, before: bool) -> bool:
    """Whether token `k` (beside a candidate piece) leaves the piece a whole word: there
    is no token there, whitespace lies between them, or it is no joining character."""
    if k < 0 or k >= len(doc):
        return True
    tok = doc[k]
    if before and tok.whitespace_ or not before and doc[k - 1].whitespace_:
        return True
    return tok.text[:1] not in _WORD_JOINERS and not tok.is_alpha


def split_word_joins(
    doc: Doc,
    facts: tuple,
    joined_form: Callable[[str, str], str | None],
    phrase_forms: Collection[str],
) -> list[tuple[int, int, str, bool]]:
    """`(start, end, form, stop)` for each two neighbouring tokens that spell a lexicon
    `form` with the space between them removed; `stop` when the second is a letter with
    its full stop ("sic k."). `facts` are the normalizer's token facts; a pair written as
    one of the lexicon's `phrase_forms` ("spear chucker") is no split word."""
    orths = doc.user_data.get(X_ORTH_IDS)
    if orths is None:
        return []
    strings = doc.vocab.strings
    n = len(orths)
    joins: list[tuple[int, int, str, bool]] = []
    # a pair is a candidate when its first token may start a form or its second end one
    starts = sorted(
        {i for i, flags in facts[4] if flags & F_PIECE}
        | {i - 1 for i, flags in facts[4] if flags & F_TAIL}
    )
    for i in starts:
        if i < 0 or i + 1 >= n or (joins and i < joins[-1][1]):
            continue
        first, second = strings[orths[i]].lower(), strings[orths[i + 1]].lower()
        # "sic k.": the letter ends the form, its full stop stays a word
        stop = len(second) == 2 and second[1] == "." and second[0].isalpha()
        if stop:
            second = second[0]
        form = joined_form(first, second)
        if form is None or f"{first} {second}" in phrase_forms:
            continue
        # two whole words of letters with one plain space between them: not "sc-um",
        # "sc\num", nor the start of "who re-started"
        if (
            doc[i].whitespace_ == " "
            and doc[i].is_alpha
            and (stop or doc[i + 1].is_alpha)
            and word_edge(doc, i - 1, before=True)
            and (stop or word_edge(doc, i + 2, before=False))
        ):
            joins.append((i, i + 2, form, stop))
    return joins


def being_groups(
    doc: Doc, covered: Collection[int], words: Mapping[str, dict[str, Any]]
) -> list[tuple[int, dict[str, Any]]]:
    """`(token, entry)` for each token after "being" whose norm is one of `words` (see
    `being_words`) and that no identity match `covered` already."""
    norm_ids = doc_norm_ids(doc)
    being = doc.vocab.strings["being"]
    if being not in norm_ids:
        return []
    strings = doc.vocab.strings
    found = []
    for i, norm in enumerate(norm_ids[:-1]):
        if norm != being or i + 1 in covered:
            continue
        entry = words.get(strings[norm_ids[i + 1]])
        if entry is not None:
            found.append((i + 1, entry))
    return found
