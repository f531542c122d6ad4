"""The `moderate_normalizer` component: de-obfuscated token norms, original text untouched.

`Doc.text` is never changed, so every span keeps offsets into the original string. The
de-obfuscated form goes into the lexeme's NORM ("n1gg3r" -> "nigger", "f*ck" -> "fuck",
"fuuuuck" -> "fuck"), which the PhraseMatcher and the classifier read.

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
    X_TOKEN_FACTS,
    X_WORD_FACTS,
    register_extensions,
)
from app.pipeline.normalize import MaskResolver, deobfuscate, needs_work, split_glued, squeeze
from app.pipeline.words import DOUBLE_QUOTES, NEGATORS, QUOTES

_ELONGATED = re.compile(r"(.)\1\1")
_UPPER = re.compile(r"[A-Z]")
_LETTERS = re.compile(r"[^\W\d_]")
_SYMBOLS = frozenset("$@!|")
_CACHE_LIMIT = 1_000_000  # distinct strings remembered; bounded for long-running servers

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


def string_facts(text: str, norm: str) -> tuple[int, int, int]:
    """Flags (other than F_GLUED and F_OBFUSCATED), uppercase letters and letters of one
    token string with the given norm."""
    flags = 0
    if len(text) == 1:
        if text.isalnum():
            flags |= F_SINGLE
        elif text in _SYMBOLS:
            flags |= F_SYMBOL
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
        self._reset_caches()

    def _reset_caches(self) -> None:
        self._squeezed = {squeeze(t): t for t in sorted(self.terms)}
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
        return norm

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
        if needs_work(text):
            norm = self.normal_form(text)
            lexeme = self.vocab[orth]
            if norm and lexeme.norm_ != norm:
                lexeme.norm_ = norm
            if norm != text.lower():
                flags |= F_OBFUSCATED
        else:
            # clean ASCII word: its default norm is already right; only glue can apply
            norm = text.lower()
        if self.glue_stems and len(norm) > 5 and norm not in self.terms:
            glued = split_glued(norm, self.glue_stems, self.glue_allowlist)
            if glued is not None:
                self.glued[orth] = glued
                flags |= F_GLUED
        norm = self.vocab[orth].norm_
        facts, upper, letters = string_facts(text, norm)
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
                if flags & F_SINGLE:
                    singles += 1
            upper += info[1]
            letters += info[2]
            words += info[3]
        if learned:  # learning a string may have set its norm
            norm_ids = doc.to_array(NORM).tolist()
        doc.user_data[X_NORM_IDS] = norm_ids
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

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Normalizer:
        data = srsly.read_json(Path(path) / "normalizer.json")
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
