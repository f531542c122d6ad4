"""The `moderate_normalizer` component: de-obfuscated token norms, original text untouched.

`Doc.text` is never changed, so every span keeps offsets into the original string. The
de-obfuscated form goes into the lexeme's NORM ("n1gg3r" -> "nigger", "f*ck" -> "fuck",
"fuuuuck" -> "fuck"), which the PhraseMatcher and the classifier read. With a vocabulary
(`app.pipeline.spelling`, saved beside the lexicon forms) unknown words are repaired too:
"wmen" -> "women", and a glued phrase gets a norm with spaces ("killalljews" -> "kill all
jews"), which the lexicon and the classifier's token stream read as several words.

Why lexeme norms and not `token.norm_`: a lexeme is shared by every occurrence of the same
string, so each distinct string is normalized once per process, not once per token. After
warm-up the component costs one set lookup per token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from app.language import word_facts
from app.pipeline.extensions import (
    X_GLUED,
    X_NORM_IDS,
    X_ORTH_IDS,
    X_TOKEN_FACTS,
    X_WORD_FACTS,
    register_extensions,
)
from app.pipeline.normalize import (
    MaskResolver,
    deobfuscate,
    leet_alternatives,
    needs_work,
    split_glued,
    squeeze,
)
from app.pipeline.spelling import (
    CORPUS_FILE,
    RARE_FILE,
    VOCABULARY_FILE,
    Spelling,
    ranks,
    read_vocabulary,
    write_vocabulary,
)
from app.pipeline.words import DOUBLE_QUOTES, NEGATORS, QUOTES

_ELONGATED = re.compile(r"(.)\1\1")
_UPPER = re.compile(r"[A-Z]")
_LETTERS = re.compile(r"[^\W\d_]")
_SYMBOLS = frozenset("$@!|")
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_CACHE_LIMIT = 1_000_000  # distinct strings remembered; bounded for long-running servers
#: letters that stand for a word ("a", "u r", "b" for be, "w" for with) or end one ("s",
#: "t", "m", "d" after an apostrophe): never half of a split one ("a ss", "wasn't it")
ONE_LETTER_WORDS = frozenset("abcdimnrstuwxy")
#: two-letter words that are words of their own, not halves of a split one ("in sects")
TWO_LETTER_WORDS = frozenset(
    "am an as at be by do ex go he hi id if im in is it me my no of oh ok on or so to uh um "
    "up ur us we ya ye yo ah eh er".split()
)
#: a longer piece counts as a word of its own among this many most frequent words
_PIECE_WORD_RANK = 30_000

# Token facts, as bit flags (see `Normalizer.__call__` and `doc._.token_facts`).
F_SINGLE = 1  # one letter or digit: a candidate for s p a c e d letters
F_SYMBOL = 2  # a leet symbol the tokenizer splits off: "$hit"
F_GLUED = 4  # a profanity glued to a word: "Erdocunt"
F_SPACE = 8
F_DQUOTE = 16
F_QUOTE = 32
F_QMARK = 64
F_NEG = 128  # a negator
F_OBFUSCATED = 256  # its norm is not just its lowercase text ("n1gg3r", "f*ck")
F_SPLIT = 512  # its norm is several words ("killalljews" -> "kill all jews")
F_LETTER_DOT = 1024  # a letter and a full stop ("e."): may end a run of s p a c e d letters
# not words of their own, and the start or the end of a lexicon form: may be a half of it
# split off by a space ("sc um", "wom en"); common words are never flagged, so they cost
# the docs that hold them nothing
F_PIECE = 2048  # the start: "sc", "wom"
F_TAIL = 4096  # the end: "slims" of "mu slims"


def string_facts(text: str, norm: str) -> tuple[int, int, int]:
    """Flags (other than F_GLUED and F_OBFUSCATED), uppercase letters and letters of one
    token string with the given norm."""
    flags = 0
    if len(text) == 1:
        if text.isalnum():
            flags |= F_SINGLE
        elif text in _SYMBOLS:
            flags |= F_SYMBOL
    elif len(text) == 2 and text[1] == "." and text[0].isalpha():
        flags |= F_LETTER_DOT
    if text.isspace():
        flags |= F_SPACE
    if text in DOUBLE_QUOTES:
        flags |= F_DQUOTE
    if text in QUOTES:
        flags |= F_QUOTE
    if "?" in text:
        flags |= F_QMARK
    if norm in NEGATORS or text.lower() in NEGATORS:
        flags |= F_NEG
    return flags, len(_UPPER.findall(text)), len(_LETTERS.findall(text))


def split_pieces(terms: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The first and the last parts (one letter or more, leaving one or more) of the
    alphabetic lexicon forms of four letters or more: what a split form may begin and end
    with."""
    cuts = [
        (term[:k], term[k:])
        for term in terms
        if len(term) >= 4 and term.isalpha()
        for k in range(1, len(term))
    ]
    return frozenset(a for a, _ in cuts), frozenset(b for _, b in cuts)


class Normalizer:
    """Sets de-obfuscated lexeme norms and records glued profanity ("Erdocunt").

    Parameters
    ----------
    vocab : Vocab
        The pipeline's vocabulary; lexeme norms are written into it.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.terms: set[str] = set()
        self._ordered: list[str] = []
        self.glue_stems: set[str] = set()
        self.glue_allowlist: set[str] = set()
        #: the English word list, most frequent first (empty: no spelling repairs), rarer
        #: words and protected corpus words (see `app.pipeline.spelling`)
        self.vocabulary: list[str] = []
        self.rare_words: list[str] = []
        self.corpus_words: list[str] = []
        # built once per vocabulary: the lexicon reconfigures the normalizer on load
        self._ranks: dict[str, int] = {}
        self._rare: dict[str, int] = {}
        self._protected: frozenset[str] = frozenset()
        self._reset_caches()

    def _reset_caches(self) -> None:
        self.spelling = Spelling(self._ranks, self.terms, self._rare, self._protected)
        self._squeezed = {squeeze(t): t for t in sorted(self.terms)}
        self._pieces, self._tails = split_pieces(self.terms)
        self._masks = MaskResolver(self.terms)
        #: orth id -> (flags, uppercase letters, letters, packed word facts for language
        #: identification, see `app.language.word_facts`) of that token string
        self._info: dict[int, tuple[int, int, int, int]] = {}
        #: orth id -> (stem, rest) for tokens that are a profanity glued to another word.
        self.glued: dict[int, tuple[str, str]] = {}

    def configure(
        self,
        terms: Iterable[str],
        glue_stems: Iterable[str] = (),
        glue_allowlist: Iterable[str] = (),
    ) -> None:
        """Set the single-word lexicon forms that masked or elongated words resolve to."""
        # insertion order is lexicon order: it breaks ties between masked candidates
        self._ordered = [t for t in dict.fromkeys(terms) if t and " " not in t]
        self.terms = set(self._ordered)
        self.glue_stems = set(glue_stems)
        self.glue_allowlist = set(glue_allowlist)
        self._reset_caches()

    def set_vocabulary(
        self, words: Iterable[str], rare: Iterable[str] = (), corpus: Iterable[str] = ()
    ) -> None:
        """Set the English word list (most frequent first) that spelling repairs produce,
        the `rare` words after it (most frequent first) and the `corpus` words they never
        repair; see :class:`app.pipeline.spelling.Spelling`."""
        self._set_words(
            [w for w in dict.fromkeys(words) if w], [w for w in rare if w], [w for w in corpus if w]
        )
        self._reset_caches()

    def _set_words(self, vocabulary: list[str], rare: list[str], corpus: list[str]) -> None:
        self.vocabulary, self.rare_words, self.corpus_words = vocabulary, rare, corpus
        self._ranks = ranks(vocabulary)
        self._rare = ranks(rare)
        self._protected = frozenset(corpus)

    def normal_form(self, text: str) -> str:
        """The norm of one token's text: de-obfuscated, then resolved against the lexicon."""
        norm = deobfuscate(text)
        if norm in self.terms:
            return norm
        if "*" in norm:
            resolved = self._masks(norm) or self._first_mask_match(norm)
            if resolved is not None:
                return resolved
        if _ELONGATED.search(text.lower()):
            squeezed = self._squeezed.get(squeeze(norm))
            if squeezed is not None:
                return squeezed
        if norm != text.lower():  # leet was decoded: "6itch" and "ki11" need other readings
            other = self._other_reading(text, norm)
            if other is not None:
                return other
        return norm

    def _other_reading(self, text: str, norm: str) -> str | None:
        """A second reading of the leet characters that spells a lexicon form, or else a
        known word when the usual reading does not ("gr8" -> "great")."""
        alternatives = leet_alternatives(text)
        if not alternatives:
            return None
        for alt in alternatives:
            if alt in self.terms:
                return alt
        spelling = self.spelling
        if spelling.known(norm):
            return None
        known = [alt for alt in alternatives if spelling.known(alt)]
        return min(known, key=spelling.cost) if known else None

    def spelled_form(self, norm: str, text: str = "") -> str:
        """`norm` (of a token's `text`) repaired against the vocabulary ("wmen" -> "women",
        "killalljews" -> "kill all jews"), or unchanged; see :meth:`Spelling.fix`.

        Acronyms ("DACA") and camel-case names ("QAnon") are not words mistyped: they may
        be split ("FollowTheWhiteRabbit") but are never corrected to a neighbour; mentions
        ("@name") are left alone.
        """
        if norm in self.glue_allowlist or text.startswith("@"):
            return norm  # a mention names an account: "@BrotherLarry" is no typo
        letters = [c for c in text if c.isalpha()]
        shouted = len(letters) <= 5 and all(c.isupper() for c in letters)
        camel = any(c.isupper() for c in letters[1:]) and not all(c.isupper() for c in letters)
        if camel and text.isascii() and text.isalpha():
            # the capitals say where the words start: split there when they are words
            pieces = self.spelling.split_words([w.lower() for w in _CAMEL_WORD.findall(text)])
            if pieces is not None:
                return " ".join(pieces)
        return self.spelling.fix(norm, correct=not (shouted or camel)) or norm

    def known_form(self, letters: str) -> str | None:
        """The known word that a run of spaced letters spells ("f u u u c k" -> "fuck"),
        or None: the letters' normal form, when it is a lexicon form or a vocabulary word."""
        form = self.normal_form(letters)
        return form if self.spelling.known(form) else None

    def joined_form(self, first: str, second: str) -> str | None:
        """The lexicon form that two neighbouring words spell when a space was put inside
        it ("sc um" -> "scum", "wom en" -> "women", "blac k" -> "black"), or None.

        Two words that are both words of their own ("para sites", "in sects", "sand
        nigger") are taken as written: the split is only undone where a piece is not a
        word by itself (a lexicon form of four letters or more is one; a two-letter piece
        must be a common two-letter word, a longer one among the vocabulary's first
        30,000 words). A letter that stands for a word ("a", "u", the "s" of "it's") is
        never a half; any other letter is one ("blac k").
        """
        joined = first + second
        if len(joined) < 4 or joined not in self.terms or not first or not second:
            return None  # a shorter form is too easily spelled by chance ("zi o")
        if (len(first) == 1 and first in ONE_LETTER_WORDS) or (
            len(second) == 1 and second in ONE_LETTER_WORDS
        ):
            return None
        if self._is_word(first) and self._is_word(second):
            return None
        return joined

    def _is_word(self, piece: str) -> bool:
        if piece in self.terms and len(piece) >= 4:
            # "sand nigger", "shit hole": a compound, not a broken word; a shorter form
            # is too often the start of a longer one ("nig ger", "fag got", "ass holes")
            return True
        if len(piece) == 1:
            return False  # a letter that is no word (see ONE_LETTER_WORDS): a piece
        if len(piece) == 2:
            return piece in TWO_LETTER_WORDS
        rank = self._ranks.get(piece)
        return rank is not None and rank < _PIECE_WORD_RANK

    def _first_mask_match(self, norm: str) -> str | None:
        """Ambiguous masks ("f*ck": fuck or feck) resolve to the earliest lexicon form."""
        if len(norm) < 3 or norm[0] == "*" or norm[-1] == "*":
            return None
        pattern = re.compile("".join("[a-z]" if c == "*" else re.escape(c) for c in norm))
        return next(
            (t for t in self._ordered if len(t) == len(norm) and pattern.fullmatch(t)), None
        )

    def _learn(self, orth: int, text: str) -> tuple[int, int, int, int]:
        """Normalize one new string: set its lexeme norm, and return its token facts."""
        flags = 0
        lower = text.lower()
        # a clean ASCII word's default norm is already its de-obfuscated form
        work = needs_work(text)
        norm = self.normal_form(text) if work else lower
        glued = None
        if self.glue_stems and len(norm) > 5 and norm not in self.terms:
            glued = split_glued(norm, self.glue_stems, self.glue_allowlist)
        spelling = self.spelling
        # a profanity glued to a word the vocabulary lacks ("Erdocunt") stays one glued
        # word; glued to known words ("fuckmuslims") it is segmented like any glued phrase
        if spelling.has_vocabulary and (glued is None or spelling.known(glued[1])):
            fixed = self.spelled_form(norm, text)
            if fixed != norm:
                norm, work, glued = fixed, True, None
                if " " in fixed:  # only a split: whitespace tokens have spaces too
                    flags |= F_SPLIT
        if work:
            lexeme = self.vocab[orth]
            if norm and lexeme.norm_ != norm:
                lexeme.norm_ = norm
            if norm != lower:
                flags |= F_OBFUSCATED
        if glued is not None:
            self.glued[orth] = glued
            flags |= F_GLUED
        norm = self.vocab[orth].norm_
        facts, upper, letters = string_facts(text, norm)
        # a letter with a full stop ("sic k.") may end a split form too
        piece = lower[0] if facts & F_LETTER_DOT else lower
        if (
            (piece in self._pieces or piece in self._tails)
            and piece.isalpha()
            and piece not in ONE_LETTER_WORDS
        ):
            if not self._is_word(piece):
                flags |= (F_PIECE if piece in self._pieces else 0) | (
                    F_TAIL if piece in self._tails else 0
                )
        # a disguised word is read as its norm ("𝐓𝐡𝐞" and "ｔｈｅ" are "the"), any other as
        # written (spaCy's norm of "'m" is "am", which must not count as a word); marks of
        # another language are read as written ("Grüße" keeps its ü)
        info = (
            flags | facts,
            upper,
            letters,
            word_facts(norm if flags & F_OBFUSCATED else text, self.terms, text),
        )
        if len(self._info) >= _CACHE_LIMIT:
            self._info.clear()
        self._info[orth] = info
        return info

    def __call__(self, doc: Doc) -> Doc:
        info_of = self._info
        learn = self._learn
        strings = doc.vocab.strings
        if len(doc):
            orths, norm_ids = doc.to_array([ORTH, NORM]).T.tolist()
        else:
            orths, norm_ids = [], []
        learned = False
        hits: list[int] = []
        flagged: list[tuple[int, int]] = []
        union = upper = letters = singles = words = 0
        # one pass over the token ids: each distinct string is examined once per process
        for i, orth in enumerate(orths):
            info = info_of.get(orth)
            if info is None:
                info = learn(orth, strings[orth])
                learned = True
            flags = info[0]
            if flags:
                union |= flags
                flagged.append((i, flags))
                if flags & F_GLUED:
                    hits.append(i)
                if flags & (F_SINGLE | F_LETTER_DOT):
                    singles += 1
            upper += info[1]
            letters += info[2]
            words += info[3]
        if learned:  # learning a string may have set its norm
            norm_ids = doc.to_array(NORM).tolist()
        doc.user_data[X_NORM_IDS] = norm_ids
        doc.user_data[X_ORTH_IDS] = orths
        if hits:
            doc.user_data[X_GLUED] = hits
        doc.user_data[X_TOKEN_FACTS] = (union, upper, letters, singles, flagged)
        doc.user_data[X_WORD_FACTS] = words
        return doc

    # Serialization: the resolver's vocabulary is data, saved beside the pipeline.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(
            path / "normalizer.json",
            {
                "terms": sorted(self.terms),
                "glue_stems": sorted(self.glue_stems),
                "glue_allowlist": sorted(self.glue_allowlist),
            },
        )
        if self.vocabulary:
            write_vocabulary(path / VOCABULARY_FILE, self.vocabulary)
            write_vocabulary(path / RARE_FILE, self.rare_words)
            write_vocabulary(path / CORPUS_FILE, self.corpus_words)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Normalizer:
        path = Path(path)
        data = srsly.read_json(path / "normalizer.json")
        # a model saved before the vocabulary existed has none: no spelling repairs then
        vocabulary = path / VOCABULARY_FILE
        words = read_vocabulary(vocabulary) if vocabulary.exists() else []
        others = [
            read_vocabulary(path / name) if words and (path / name).exists() else []
            for name in (RARE_FILE, CORPUS_FILE)
        ]
        self._set_words(words, *others)
        self.configure(data["terms"], data["glue_stems"], data["glue_allowlist"])
        return self


@Language.factory(
    "moderate_normalizer",
    assigns=["token.norm"],
    default_config={},
)
def make_normalizer(nlp: Language, name: str) -> Normalizer:
    """Factory for :class:`Normalizer`."""
    register_extensions()
    return Normalizer(nlp.vocab)
