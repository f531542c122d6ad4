"""Spelling repair against an English word list: typos, glued words, spaced-out letters.

Attackers (and hurried typists) delete, swap or add letters ("wmen", "idoit"), drop the
spaces between words ("killalljews") or put spaces between letters ("i h a t e"). The
:class:`Spelling` here repairs all three against one ranked word list: the most frequent
words of an English corpus plus the lexicon's forms, most frequent first. The list is data
built at train time (`training.vocabulary`) and saved with the normalizer; serving reads a
text file (one word a line) and needs nothing else.

Every method is pure and called once per distinct token string (the normalizer caches per
string) or per spaced-letter run (rare), so plain Python is fast enough.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

__all__ = [
    "CORPUS_FILE",
    "RARE_FILE",
    "VOCABULARY_FILE",
    "Spelling",
    "ranks",
    "read_vocabulary",
    "write_vocabulary",
]

#: The ranked word list's file name in the normalizer's folder of a saved pipeline: the
#: words repairs may produce, most frequent first.
VOCABULARY_FILE = "vocabulary.txt"
#: Rarer words, ranked after those: never produced, and repaired only into a far more
#: frequent word (GloVe's long tail holds words, "gayest", "commie", and typos, "taht").
RARE_FILE = "rare_words.txt"
#: Words of the training comments that are never repaired ("lmao", "qanon").
CORPUS_FILE = "corpus_words.txt"

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ONE_LETTER_WORDS = frozenset({"a", "i"})
#: English words of one or two letters: the only short pieces a glued token may hold
#: ("ihatewomen", "muslimsarescum"); other short vocabulary entries are abbreviations and
#: word fragments ("er", "ry", "st") that would cut ordinary words apart
SHORT_WORDS = frozenset(
    "a i am an as at be by do go he hi if in is it me my no of oh ok on or ox so to "
    "uh um up us we ya ye yo".split()
)
MIN_CORRECT = 3  # shorter unknown words have too many neighbours to correct safely
MIN_CORRECT_OTHER = 5  # extra and replaced letters: more neighbours than missing ones
MIN_SEGMENT = 5
MAX_SEGMENT = 40  # longer tokens are URLs, hashes or keyboard mashing
MAX_PIECE = 20
MIN_COLLAPSE = 3  # spaced letters collapse into words of at least this many letters
#: words this frequent are never repaired: a typo of a more frequent word would have to
#: be more frequent than a real word's own spelling ("form" is not a typo of "from")
MIN_RANK_REPAIRED = 50_000

# A repair is chosen by its cost, -log P(word) - log P(edit) (a noisy channel): the
# word's Zipf probability from its rank, and an edit probability per kind. Deliberate
# misspellings mostly drop or swap letters; a replaced letter is also how unrelated words
# differ ("wmen" is one deletion from "women" and one replacement from the more frequent
# "when"), unless the keys are neighbours. Lexicon forms are three times as likely as their
# rank says: the words people disguise are the lexicon's.
_MISSING_OR_SWAPPED = 0.0  # the word lacks a letter, or two neighbours are swapped
_EXTRA = 1.0  # the word has one letter too many
_NEIGHBOUR_KEY = 1.0  # one letter replaced by a neighbour on the keyboard
_REPLACED = 2.5  # one letter replaced by another
_LEXICON_BONUS = math.log(3)
# Any edit at all: a known word is kept unless the correction, with this penalty on top,
# is more probable than the word as written ("taht" -> "that", "libs" stays "libs").
_TYPO = math.log(20)
# A split must be more probable than the token being one word the list lacks, which has
# probability 10 / (N * 10^length) (Norvig's model of unknown words): "goathumpers" is
# not "goat hump ers", while "killalljews" is "kill all jews".
_UNKNOWN_PER_LETTER = math.log(10)

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbour_keys() -> dict[str, frozenset[str]]:
    """Letters next to each letter on a QWERTY keyboard (same row and the rows beside)."""
    where = {c: (r, i) for r, row in enumerate(_KEYBOARD) for i, c in enumerate(row)}
    return {
        c: frozenset(
            d for d, (r2, i2) in where.items() if d != c and abs(r - r2) <= 1 and abs(i - i2) <= 1
        )
        for c, (r, i) in where.items()
    }


_NEIGHBOURS = _neighbour_keys()


def ranks(words: Iterable[str]) -> dict[str, int]:
    """Each word's rank: the index of its first occurrence (of the words left once
    repeats are dropped)."""
    unique = list(dict.fromkeys(words))
    return dict(zip(unique, range(len(unique)), strict=True))


def read_vocabulary(path: str | Path) -> list[str]:
    """The words of a vocabulary file, most frequent first (blank lines skipped)."""
    return [w for w in Path(path).read_text(encoding="utf-8").split("\n") if w]


def write_vocabulary(path: str | Path, words: Iterable[str]) -> None:
    """Write `words` (most frequent first) one a line."""
    Path(path).write_text("".join(f"{w}\n" for w in words), encoding="utf-8")


class Spelling:
    """Known words ranked by frequency, and the repairs that use them.

    Parameters
    ----------
    words : Sequence[str] | dict[str, int]
        Lowercase words, most frequent first (the vocabulary file), or a dict of each to
        its rank: what repairs may produce. Empty when the model has no vocabulary: then
        only `terms` are known, and nothing is corrected or segmented (every ordinary word
        would look misspelled).
    terms : Iterable[str]
        The lexicon's single-word forms: always known, never repaired; those missing from
        `words` rank after all of them.
    rare : Sequence[str] | dict[str, int]
        Rarer words, most frequent first (or each with its rank among them): known, never
        produced, ranked after `words` (see `RARE_FILE`).
    protected : Iterable[str]
        Words that are known and never repaired (see `CORPUS_FILE`).
    """

    def __init__(
        self,
        words: Sequence[str] | dict[str, int] = (),
        terms: Iterable[str] = (),
        rare: Sequence[str] | dict[str, int] = (),
        protected: Iterable[str] = (),
    ) -> None:
        rank = dict(words) if isinstance(words, dict) else ranks(words)
        self.has_vocabulary = bool(rank)
        self.terms = frozenset(terms)
        for t in sorted(self.terms):
            rank.setdefault(t, len(rank))
        self.rank = rank
        if not self.has_vocabulary:
            rare, protected = {}, ()
        self.rare = rare if isinstance(rare, dict) else ranks(rare)
        self._rare_offset = len(rank)
        self.protected = frozenset(protected)
        # Zipf's law: a word of rank r has probability ~ 1 / (r log N); a segmentation's
        # cost is the sum of its words' -log probabilities (as in `wordninja`)
        self._log_n = math.log(max(len(rank), 2))

    def __len__(self) -> int:
        return len(self.rank)

    def known(self, word: str) -> bool:
        """Whether `word` is a word of any of the lists."""
        return word in self.rank or word in self.rare or word in self.protected

    def cost(self, word: str) -> float:
        """-log of a ranked word's Zipf probability; unranked words cost as much as the
        last one."""
        r = self.rank.get(word, len(self.rank))
        return math.log((r + 1) * self._log_n)

    # -- repairs of one token -----------------------------------------------------------------
    def fix(self, word: str, correct: bool = True) -> str | None:
        """The repair of one lowercase alphabetic token, or None.

        An unknown token becomes the cheapest of: the ranked word one edit away ("wmen"
        -> "women", "idoit" -> "idiot"; see :meth:`corrections`) and a split into ranked
        words that contains a lexicon term ("killalljews" -> "kill all jews"; see
        :meth:`segment`). A rare known word is replaced only by a correction more probable
        than itself ("taht" -> "that"); frequent words, lexicon forms, protected words,
        short words and words with other characters are left alone. `correct=False`
        allows only a split (for acronyms and camel-case names).
        """
        if not self.has_vocabulary or not _plain(word) or word in self.protected:
            return None
        r = self.rank.get(word)
        if r is None:
            r = self.rare.get(word)
            if r is not None:
                r += self._rare_offset
        if r is not None:
            # a known word: only a far more probable word one edit away replaces it
            if r < MIN_RANK_REPAIRED or len(word) < 4 or word in self.terms or not correct:
                return None
            as_written = math.log((r + 1) * self._log_n)
            better = [c for c in self.corrections(word) if c[0] < as_written]
            return min(better)[1] if better else None
        options = self.corrections(word) if correct else []
        pieces = self.segment(word)
        if pieces is not None:
            options.append((sum(self.cost(p) for p in pieces), " ".join(pieces)))
        return min(options)[1] if options else None

    def corrections(self, word: str) -> list[tuple[float, str]]:
        """The ranked words at Damerau-Levenshtein distance 1, each with its repair cost.

        Candidates are generated (the word's insertions, transpositions, deletions and
        replacements) and looked up, rather than kept in a deletion index: that costs
        tens of microseconds once per distinct token, and loading stays one dict.
        """
        n = len(word)
        if n < MIN_CORRECT:
            return []
        rank = self.rank
        best: dict[str, float] = {}

        def offer(cand: str, edit_cost: float) -> None:
            if cand in rank and len(cand) >= MIN_COLLAPSE:
                cost = self.cost(cand) + edit_cost + _TYPO
                if cand in self.terms:
                    cost -= _LEXICON_BONUS
                if cost < best.get(cand, math.inf):
                    best[cand] = cost

        for i in range(n - 1):
            if word[i] != word[i + 1]:
                offer(word[:i] + word[i + 1] + word[i] + word[i + 2 :], _MISSING_OR_SWAPPED)
        for i in range(n + 1):
            head, tail = word[:i], word[i:]
            for c in _ALPHABET:
                offer(head + c + tail, _MISSING_OR_SWAPPED)
        if n >= MIN_CORRECT_OTHER:
            for i in range(n):
                offer(word[:i] + word[i + 1 :], _EXTRA)
            for i in range(n):
                head, old, tail = word[:i], word[i], word[i + 1 :]
                near = _NEIGHBOURS.get(old, frozenset())
                for c in _ALPHABET:
                    if c != old:
                        offer(head + c + tail, _NEIGHBOUR_KEY if c in near else _REPLACED)
        return [(cost, cand) for cand, cost in best.items()]

    def segment(self, word: str) -> list[str] | None:
        """Split a glued token into ranked words, when that is plausible.

        The most probable split under Zipf's law (dynamic programming over the prefixes),
        kept only when it has at least two pieces, every piece of one or two letters is an
        English word (`SHORT_WORDS`), at least one piece is a lexicon term and the split
        is more probable than the token being one unknown word: "muslimsarescum" ->
        ["muslims", "are", "scum"], while a name that happens to split into words does not.
        """
        n = len(word)
        if not self.has_vocabulary or not (MIN_SEGMENT <= n <= MAX_SEGMENT):
            return None
        rank = self.rank
        inf = math.inf
        best = [0.0] + [inf] * n
        back = [0] * (n + 1)
        for j in range(1, n + 1):
            for i in range(max(0, j - MAX_PIECE), j):
                if best[i] == inf:
                    continue
                piece = word[i:j]
                if piece not in rank or (len(piece) <= 2 and piece not in SHORT_WORDS):
                    continue
                c = best[i] + self.cost(piece)
                if c < best[j]:
                    best[j], back[j] = c, i
        if best[n] == inf:
            return None
        pieces: list[str] = []
        j = n
        while j > 0:
            pieces.append(word[back[j] : j])
            j = back[j]
        pieces.reverse()
        if len(pieces) < 2 or self.terms.isdisjoint(pieces):
            return None
        if best[n] >= math.log(len(rank) / 10) + n * _UNKNOWN_PER_LETTER:
            return None
        return pieces

    def split_words(self, pieces: Sequence[str]) -> list[str] | None:
        """Given pieces (a camel-case name's: "AllaIsAGayGod"), the same test as
        :meth:`segment` without the probability: all known, short ones English words, and
        a lexicon term among them; None when they fail it."""
        if len(pieces) < 2 or self.terms.isdisjoint(pieces):
            return None
        for p in pieces:
            if not self.known(p) or (len(p) <= 2 and p not in SHORT_WORDS):
                return None
        return list(pieces)

    # -- spaced letters -----------------------------------------------------------------------
    def collapse(
        self, letters: Sequence[str], form_of: Callable[[str], str | None]
    ) -> list[tuple[int, int, str]]:
        """Words spelled by a run of single letters: ``(start, end, word)`` per word.

        `letters` are the run's decoded letters ("i h a t e" -> "i", "h", "a", "t", "e")
        and `form_of(joined)` gives the known word a stretch spells (after the normalizer's
        own repairs such as "fuuuck") or None. Of all ways to cut the run into words of
        at least three letters and single letters, the most probable wins: "i h a t e" ->
        [(1, 5, "hate")] (the "i" stays a token of its own).
        """
        n = len(letters)
        leftover = math.log(len(self.rank) + 1)
        # best[j] = cost of the best reading of letters[:j], back[j] = its last step
        best: list[float] = [0.0] + [math.inf] * n
        back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
        forms: dict[tuple[int, int], str | None] = {}
        for j in range(1, n + 1):
            letter = letters[j - 1].lower()
            # a letter left alone is a word ("a", "i") or, like an unknown word of one
            # letter, costs log N (Norvig's model): "h o r n y u" is "horny" + "u"
            alone = self.cost(letter) if letter in _ONE_LETTER_WORDS else leftover
            best[j], back[j] = best[j - 1] + alone, (j - 1, None)
            for i in range(max(0, j - MAX_PIECE), j - MIN_COLLAPSE + 1):
                if (i, j) not in forms:
                    forms[(i, j)] = form_of("".join(letters[i:j]))
                word = forms[(i, j)]
                if word is None:
                    continue
                score = best[i] + self.cost(word)
                if score < best[j]:
                    best[j], back[j] = score, (i, word)
        out: list[tuple[int, int, str]] = []
        j = n
        while j > 0:
            i, word = back[j]
            if word is not None:
                out.append((i, j, word))
            j = i
        out.reverse()
        return out


def _plain(word: str) -> bool:
    return word.isascii() and word.isalpha()
