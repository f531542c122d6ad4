"""The words a doc spells, where they differ from its tokens.

Two spelling attacks change how many words a stretch of tokens holds: letters spaced out
into one-letter tokens ("w o m e n" is five tokens, one word) and words glued into one
token ("killalljews" is one token, three words; the normalizer gives it the norm "kill all
jews"). `Doc.text` and the tokens never change, so every span keeps its offsets; instead
the lexicon builds a :class:`WordView` (only for the docs that need one), matches its
phrases on it, and `moderate_signals` reads it for the classifier's token stream.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

#: Characters that may stand between spaced letters ("f-a-g", "f.a.g").
SEPARATORS = frozenset(".-_*~")


@dataclass(slots=True)
class WordView:
    """A doc's words: `words[k]` spans the doc's tokens `starts[k]:ends[k]`.

    Tokens that are one word each (whitespace tokens included) keep their norm. A run of
    spaced letters that spells a word is one entry over all its tokens; each word of a
    glued token's norm is an entry over that one token (several entries share it).
    """

    words: list[str]
    starts: list[int]
    ends: list[int]
    #: entries that are not simply one token's norm (collapsed letters, glued pieces)
    rewritten: list[bool]

    def first_word(self) -> list[int]:
        """For every doc token, the index of the first entry covering it."""
        n = self.ends[-1] if self.ends else 0
        first = [-1] * n
        for k in range(len(self.words) - 1, -1, -1):
            for i in range(self.starts[k], self.ends[k]):
                first[i] = k
        return first

    def last_word(self) -> list[int]:
        """For every doc token, the index of the last entry covering it."""
        n = self.ends[-1] if self.ends else 0
        last = [-1] * n
        for k in range(len(self.words)):
            for i in range(self.starts[k], self.ends[k]):
                last[i] = k
        return last


def spaced_runs(
    doc: Doc, positions: Sequence[int], dotted: Collection[int] = ()
) -> list[list[int]]:
    """Runs of at least three one-letter tokens (`positions`, in order) that follow each
    other in `doc` with nothing but separator tokens between them ("f a g", "f-a-g").

    A token of `dotted` (a letter with a full stop, "e.", which spaCy keeps whole) right
    after a run ends it: "t h e r e." is a run of five letters.
    """
    if len(positions) + len(dotted) < 3:
        return []
    runs: list[list[int]] = [[positions[0]]] if positions else []
    for i in positions[1:]:
        last = runs[-1][-1]
        # `all` stops at the first token that is not a separator (usually the first word)
        if last not in dotted and all(doc[k].text in SEPARATORS for k in range(last + 1, i)):
            runs[-1].append(i)
        else:
            if last + 1 in dotted:
                runs[-1].append(last + 1)
            runs.append([i])
    if runs and runs[-1][-1] + 1 in dotted:
        runs[-1].append(runs[-1][-1] + 1)
    return [run for run in runs if len(run) >= 3]


def build_view(
    norms: Sequence[str],
    collapsed: Sequence[tuple[int, int, str, bool]],
    split: Sequence[int],
) -> WordView:
    """The view of a doc with token norms `norms`, where each ``(start, end, word, stop)``
    of `collapsed` (token indices, in order, not overlapping) is one word (followed by a
    "." word when `stop`: its last token was "e.") and each token index in `split` has a
    norm of several space-separated words."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    rewritten: list[bool] = []
    split_set = set(split)
    runs = iter(collapsed)
    run = next(runs, None)
    i = 0
    n = len(norms)
    while i < n:
        if run is not None and i == run[0]:
            start, end, word, stop = run
            words.append(word)
            starts.append(start)
            ends.append(end)
            rewritten.append(True)
            if stop:
                words.append(".")
                starts.append(end - 1)
                ends.append(end)
                rewritten.append(True)
            i = end
            run = next(runs, None)
            continue
        if i in split_set:
            for piece in norms[i].split():
                words.append(piece)
                starts.append(i)
                ends.append(i + 1)
                rewritten.append(True)
        else:
            words.append(norms[i])
            starts.append(i)
            ends.append(i + 1)
            rewritten.append(False)
        i += 1
    return WordView(words, starts, ends, rewritten)
