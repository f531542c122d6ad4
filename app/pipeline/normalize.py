"""Token-level de-obfuscation for slur and profanity matching.

Users disguise abusive words with Unicode tricks (fullwidth or mathematical letters,
zero-width characters, diacritics, Cyrillic/Greek lookalikes), leetspeak (``n1gg3r``),
separators (``f.u.c.k``), letter stretching (``fuuuuck``), masking (``f*ck``), spacing
(``f a g``) and gluing (``erdocunt``). The pure functions in this module undo those tricks
so that downstream lexicon matching sees a canonical lowercase form.

Public API:

* :func:`deobfuscate` -- canonical form of one whitespace-free token.
* :func:`needs_work` -- cheap fast-path check used by :func:`deobfuscate`.
* :func:`squeeze` -- collapse every run of a repeated letter to one letter.
* :class:`MaskResolver` / :func:`resolve_masked` -- resolve ``f*ck`` against a vocabulary.
* :func:`join_spaced_letters` -- find ``f a g``-style runs of single-letter tokens.
* :func:`split_glued` -- split ``fuckface`` into ``("fuck", "face")``.

Nothing here imports spaCy; callers are expected to memoize :func:`deobfuscate`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence

__all__ = [
    "MaskResolver",
    "deobfuscate",
    "join_spaced_letters",
    "leet_alternatives",
    "needs_work",
    "resolve_masked",
    "split_glued",
    "squeeze",
]

# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------

#: Invisible characters removed explicitly (on top of every Cc/Cf character). U+034F and
#: the variation selectors are category Mn, so they are not caught by the category check.
_INVISIBLE: frozenset[str] = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + [chr(c) for c in range(0x2060, 0x2065)]  # word joiner, invisible operators
    + ["\ufeff", "\u00ad", "\u034f"]  # BOM/ZWNBSP, soft hyphen, combining grapheme joiner
    + [chr(c) for c in range(0xFE00, 0xFE10)]  # variation selectors 1-16
    + [chr(c) for c in range(0xE0100, 0xE01F0)]  # variation selectors 17-256
)

#: Cyrillic lookalikes (lowercase; uppercase forms are derived below).
_CYRILLIC_LOOKALIKES: dict[str, str] = {
    "а": "a",
    "в": "b",
    "е": "e",
    "ғ": "f",
    "һ": "h",
    "н": "h",
    "і": "i",
    "ј": "j",
    "к": "k",
    "ӏ": "l",
    "м": "m",
    "п": "n",
    "о": "o",
    "р": "p",
    "ԛ": "q",
    "ѕ": "s",
    "с": "c",
    "т": "t",
    "у": "y",
    "ү": "y",
    "ԝ": "w",
    "х": "x",
    "ԁ": "d",
}

#: Greek lookalikes, lowercase. Lowercase and uppercase Greek letters resemble different
#: Latin letters (eta looks like "n", Eta like "H"), so the two cases have separate tables.
_GREEK_LOWER_LOOKALIKES: dict[str, str] = {
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "ς": "c",  # NFKC turns the lunate sigma (U+03F2) into the final sigma
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϳ": "j",
}

_GREEK_UPPER_LOOKALIKES: dict[str, str] = {
    "Α": "a",
    "Β": "b",
    "Ε": "e",
    "Ζ": "z",
    "Η": "h",
    "Ι": "i",
    "Κ": "k",
    "Μ": "m",
    "Ν": "n",
    "Ο": "o",
    "Ρ": "p",
    "Τ": "t",
    "Υ": "y",
    "Χ": "x",
    "Ϳ": "j",
}

_ARMENIAN_LOOKALIKES: dict[str, str] = {
    "հ": "h",
    "ո": "n",
    "ս": "u",
    "օ": "o",
    "ց": "g",
    "զ": "q",
}


def _build_homoglyphs() -> dict[str, str]:
    table: dict[str, str] = {}
    for src in (_CYRILLIC_LOOKALIKES, _ARMENIAN_LOOKALIKES):
        for lower, latin in src.items():
            table[lower] = latin
            upper = lower.upper()
            if len(upper) == 1 and upper != lower:
                table[upper] = latin
    table.update(_GREEK_LOWER_LOOKALIKES)
    table.update(_GREEK_UPPER_LOOKALIKES)
    return table


#: Case-sensitive homoglyph table, applied before case folding.
HOMOGLYPHS: dict[str, str] = _build_homoglyphs()
_HOMOGLYPH_TRANS = str.maketrans(HOMOGLYPHS)

#: Unicode blocks whose letters are candidates for homoglyph mapping.
_CONFUSABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic + Cyrillic Supplement
    (0x0530, 0x058F),  # Armenian
    (0x1C80, 0x1C8F),  # Cyrillic Extended-C
    (0x1F00, 0x1FFF),  # Greek Extended
    (0x2DE0, 0x2DFF),  # Cyrillic Extended-A
    (0xA640, 0xA69F),  # Cyrillic Extended-B
)

#: Latin-script letters that do not decompose under NFD/NFKC but read as plain ASCII
#: (dotless i, stroke letters, script g, small capitals). Applied after case folding.
_LATIN_FOLD = str.maketrans(
    {
        "ı": "i",
        "ɩ": "i",
        "ɡ": "g",
        "ɑ": "a",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ƀ": "b",
        "ŧ": "t",
        "ᴀ": "a",
        "ʙ": "b",
        "ᴄ": "c",
        "ᴅ": "d",
        "ᴇ": "e",
        "ꜰ": "f",
        "ɢ": "g",
        "ʜ": "h",
        "ɪ": "i",
        "ᴊ": "j",
        "ᴋ": "k",
        "ʟ": "l",
        "ᴍ": "m",
        "ɴ": "n",
        "ᴏ": "o",
        "ᴘ": "p",
        "ʀ": "r",
        "ꜱ": "s",
        "ᴛ": "t",
        "ᴜ": "u",
        "ᴠ": "v",
        "ᴡ": "w",
        "ʏ": "y",
        "ᴢ": "z",
    }
)

#: Leet characters mapped wherever they occur (when the token has an ASCII letter).
_LEET_ALWAYS: dict[str, str] = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "6": "g",  # "fa66ot"; "6" also reads as "b", tried by `leet_alternatives`
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "€": "e",
    "¡": "i",
    "|": "l",
}

#: Other readings of leet characters, tried by `leet_alternatives` when the usual one
#: spells no known word: "6itch", "ki11", "sh|t", "h8".
_LEET_OTHER: dict[str, tuple[str, ...]] = {
    "6": ("b",),
    "1": ("l",),
    "|": ("i",),
    "!": ("l",),
    "8": ("ate", "eat"),
}
_MAX_ALTERNATIVES = 16

#: Leet characters mapped only between letters ("sh!t" but not "wow!").
_LEET_INNER: dict[str, str] = {"!": "i", "+": "t", "(": "c"}

#: Characters that mask a letter when they appear between letters ("f#ck" -> "f*ck").
_MASK_INNER: frozenset[str] = frozenset("#%?")
_MASK = "*"

#: Characters treated as single-letter separators in "n.i.g.g.e.r"-style tokens.
_SEPARATORS = ".-_*~'`,:"
_SEP_CLASS = "[" + re.escape(_SEPARATORS) + "]"
_LETTER = r"[^\W\d_]"

# --------------------------------------------------------------------------------------
# Precompiled regexes
# --------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z']*").fullmatch
_ASCII_TRIPLE = re.compile(r"([A-Za-z])\1\1", re.IGNORECASE).search
_ASCII_APOS_SPACED = re.compile(r"'*[A-Za-z](?:'+[A-Za-z]){2,}'*").fullmatch

_HAS_ASCII_LETTER = re.compile(r"[a-z]").search
_SPACED_LETTERS = re.compile(
    rf"{_SEP_CLASS}*{_LETTER}(?:{_SEP_CLASS}+{_LETTER}){{2,}}{_SEP_CLASS}*"
).fullmatch
_SEP_CHARS = re.compile(_SEP_CLASS)
_LETTER_RUN_3 = re.compile(rf"({_LETTER})\1{{2,}}")
_LETTER_RUN_2 = re.compile(rf"({_LETTER})\1+")

#: Numbers with a unit/ordinal suffix and version strings: never leet-decoded.
_NUMERIC_TOKEN = re.compile(
    r"v?\d+(?:[.,:/]\d+)*"
    r"(?:st|nd|rd|th|s|am|pm|k|m|b|x|h|d|g|p|v|gb|mb|kb|tb|km|kg|cm|mm|ml|lb|lbs|ft|"
    r"mph|fps|hz|khz|mhz|ghz|yo|yr|yrs|min|mins|hr|hrs|sec|secs)?"
).fullmatch
_URL_OR_EMAIL = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*|[^@\s]+@[^@\s]+\.[a-z]{2,}"
).fullmatch

# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def needs_work(word: str) -> bool:
    """Return whether `word` may need more than lowercasing to be de-obfuscated.

    False only for plain ASCII letters/apostrophes with no run of 3+ identical letters
    (case-insensitively) that are not an apostrophe-separated single-letter sequence such
    as ``"f'a'g"``. In that case ``deobfuscate(word) == word.lower()`` is guaranteed.
    """
    if _PLAIN(word) is None or _ASCII_TRIPLE(word) is not None:
        return True
    return "'" in word and _ASCII_APOS_SPACED(word) is not None


def deobfuscate(word: str) -> str:
    """Return the de-obfuscated, lowercased form of ONE token (no whitespace inside).

    Steps: NFKC and case folding; removal of invisible/control characters; removal of
    diacritics on Latin letters; Cyrillic/Greek/Armenian homoglyph mapping (only for tokens
    whose lookalike-script letters are all lookalikes); leetspeak decoding (only for tokens
    containing an ASCII letter); mask characters ``# % ?`` between letters become ``*``;
    removal of separators in single-letter sequences (``f.u.c.k``); runs of 3+ identical
    letters collapse to 2. Clean ASCII words take a regex fast path.
    """
    if not needs_work(word):
        return word.lower()
    return _deobfuscate_full(word)


def leet_alternatives(word: str) -> list[str]:
    """Other de-obfuscations of `word` under the second readings of its leet characters.

    :func:`deobfuscate` reads "6" as "g" and "1" as "i"; "6itch" and "ki11" need "b" and
    "l", "h8" needs "ate". Every occurrence of one character takes the same reading; at
    most ``_MAX_ALTERNATIVES`` strings, in table order, without the usual reading itself.
    Only words with an ASCII letter have leet characters, as in :func:`deobfuscate`.
    """
    present = [c for c in _LEET_OTHER if c in word]
    if not present or _HAS_ASCII_LETTER(word.lower()) is None:
        return []
    variants = [word]
    for c in present:
        # r == c keeps the usual reading of c while the other characters vary
        variants = [v.replace(c, r) for v in variants for r in (c, *_LEET_OTHER[c])]
        variants = variants[: _MAX_ALTERNATIVES + 1]
    usual = deobfuscate(word)
    out: list[str] = []
    for v in variants:
        if v == word:
            continue
        d = deobfuscate(v)
        if d != usual and d not in out:
            out.append(d)
    return out[:_MAX_ALTERNATIVES]


def squeeze(word: str) -> str:
    """Collapse every run of 2+ identical letters to a single letter.

    ``squeeze("fuuck") == "fuck"``, ``squeeze("niggger") == "niger"``. Digits and
    punctuation are left alone. Use it as a second lookup key after :func:`deobfuscate`.
    """
    return _LETTER_RUN_2.sub(r"\1", word)


class MaskResolver:
    """Resolve masked words such as ``f*ck`` against a fixed vocabulary.

    The vocabulary is lowercased, de-duplicated and indexed by ``(length, first, last)``,
    so a lookup only scans the handful of entries sharing those three properties.
    """

    __slots__ = ("_index",)

    def __init__(self, vocabulary: Iterable[str]) -> None:
        """Index `vocabulary` (entries shorter than 3 characters are ignored)."""
        index: dict[tuple[int, str, str], list[str]] = {}
        seen: set[str] = set()
        for entry in vocabulary:
            w = entry.casefold()
            if len(w) < 3 or w in seen:
                continue
            seen.add(w)
            index.setdefault((len(w), w[0], w[-1]), []).append(w)
        self._index: dict[tuple[int, str, str], tuple[str, ...]] = {
            key: tuple(words) for key, words in index.items()
        }

    def __call__(self, word: str) -> str | None:
        """Return the unique vocabulary entry matching masked `word`, else None.

        Each ``*`` stands for exactly one letter; the first and last characters of `word`
        must be unmasked letters and every other character must match literally.
        """
        if _MASK not in word or len(word) < 3:
            return None
        w = word.casefold()
        first, last = w[0], w[-1]
        if not (first.isalpha() and last.isalpha()):
            return None
        bucket = self._index.get((len(w), first, last))
        if not bucket:
            return None
        fixed = [(i, c) for i, c in enumerate(w) if c != _MASK]
        masked = [i for i, c in enumerate(w) if c == _MASK]
        found: str | None = None
        for cand in bucket:
            if all(cand[i] == c for i, c in fixed) and all(cand[i].isalpha() for i in masked):
                if found is not None:  # entries are de-duplicated: a 2nd hit is ambiguous
                    return None
                found = cand
        return found


def resolve_masked(word: str, vocabulary: Collection[str]) -> str | None:
    """If `word` (already deobfuscated) contains '*' mask characters, return the single
    vocabulary entry of the same length that matches it with each '*' standing for one
    letter (first and last letters must be unmasked letters), else None.

    Returns None when several distinct entries fit. Builds a throwaway
    :class:`MaskResolver`; construct one yourself to reuse the index across calls.
    """
    if _MASK not in word:
        return None
    return MaskResolver(vocabulary)(word)


def join_spaced_letters(tokens: Sequence[str]) -> list[tuple[int, int, str]]:
    """Find runs of >= 3 consecutive single-character letter (or leet) tokens.

    ``["you", "f", "a", "g"]`` gives ``[(1, 4, "fag")]``. Each result is
    ``(start_index, end_index_exclusive, joined_deobfuscated_word)``. Tokens are already
    split on whitespace. Runs must contain at least one letter; inner-only leet characters
    (``!``, ``+``, ``(``) are trimmed from the run edges, so "wow ! ! !" is not a run.
    """
    chars = [_single_char(tok) for tok in tokens]
    results: list[tuple[int, int, str]] = []
    n = len(chars)
    i = 0
    while i < n:
        if chars[i] is None:
            i += 1
            continue
        j = i
        while j < n and chars[j] is not None:
            j += 1
        start, end = i, j
        while start < end and chars[start] in _LEET_INNER:
            start += 1
        while end > start and chars[end - 1] in _LEET_INNER:
            end -= 1
        run = "".join(c for c in chars[start:end] if c is not None)
        if end - start >= 3 and any(c.isalpha() for c in run):
            results.append((start, end, deobfuscate(run)))
        i = j
    return results


def split_glued(
    word: str,
    stems: Collection[str],
    allowlist: Collection[str],
    min_rest: int = 3,
) -> tuple[str, str] | None:
    """Split a stem glued to another word: ``"erdocunt"`` -> ``("cunt", "erdo")``.

    If the deobfuscated `word` starts (checked first) or ends with one of `stems` and the
    remainder is alphabetic with at least `min_rest` letters, return ``(stem, rest)``;
    the longest matching stem wins. Returns None for the stem alone, for words in
    `allowlist`, for stems occurring only inside the word ("scunthorpe") and for
    non-alphabetic remainders.
    """
    w = word.casefold()
    if len(w) < min_rest + 1 or w in allowlist or w in stems:
        return None
    stem_set = stems if isinstance(stems, set | frozenset | dict) else frozenset(stems)
    limit = len(w) - max(min_rest, 1)
    for size in range(limit, 0, -1):
        stem, rest = w[:size], w[size:]
        if stem in stem_set and rest.isalpha():
            return stem, rest
    for size in range(limit, 0, -1):
        rest, stem = w[:-size], w[-size:]
        if stem in stem_set and rest.isalpha():
            return stem, rest
    return None


# --------------------------------------------------------------------------------------
# Private helpers
# --------------------------------------------------------------------------------------


def _deobfuscate_full(word: str) -> str:
    """Run every de-obfuscation step (no fast path); see :func:`deobfuscate`."""
    if not word:
        return word
    s = _prepare(word)
    if _URL_OR_EMAIL(s) is not None:
        return s
    if _HAS_ASCII_LETTER(s) is not None and _NUMERIC_TOKEN(s) is None:
        s = _decode_leet(s)
    elif any(c in _MASK_INNER for c in s):
        s = _decode_leet(s, leet=False)
    if _SPACED_LETTERS(s) is not None:
        s = _SEP_CHARS.sub("", s)
    return _LETTER_RUN_3.sub(r"\1\1", s)


def _prepare(word: str) -> str:
    """Unicode steps: NFKC, invisibles, homoglyphs, case folding, diacritics, Latin fold."""
    s = unicodedata.normalize("NFKC", word)
    if not s.isascii():
        s = "".join(
            c for c in s if c not in _INVISIBLE and unicodedata.category(c) not in ("Cc", "Cf")
        )
        s = unicodedata.normalize("NFD", s)
        if _homoglyphs_apply(s):
            s = s.translate(_HOMOGLYPH_TRANS)
        s = _strip_marks(s.casefold())
        s = unicodedata.normalize("NFC", s).translate(_LATIN_FOLD)
        return s
    s = "".join(c for c in s if c.isprintable())  # ASCII control characters
    return s.lower()


def _is_confusable_script(c: str) -> bool:
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in _CONFUSABLE_RANGES)


def _homoglyphs_apply(s: str) -> bool:
    """True when `s` has lookalike-script letters and all of them are in the table."""
    found = False
    for c in s:
        if c.isalpha() and _is_confusable_script(c):
            if c not in HOMOGLYPHS:
                return False
            found = True
    return found


def _is_latin_or_symbol(c: str) -> bool:
    """True for bases whose combining marks are stripped: Latin letters and non-letters."""
    if not c.isalpha():
        return True
    cp = ord(c)
    return (
        cp < 0x0250  # Basic Latin .. Latin Extended-B
        or 0x1D00 <= cp <= 0x1DBF  # phonetic extensions (small capitals)
        or 0x1E00 <= cp <= 0x1EFF  # Latin Extended Additional
        or 0x2C60 <= cp <= 0x2C7F  # Latin Extended-C
        or 0xA720 <= cp <= 0xA7FF  # Latin Extended-D
        or 0xAB30 <= cp <= 0xAB6F  # Latin Extended-E
    )


def _strip_marks(s: str) -> str:
    """Drop combining marks on Latin/non-letter bases; keep them on other scripts."""
    out: list[str] = []
    strip = True  # marks with no base at all are dropped
    for c in s:
        if unicodedata.category(c).startswith("M"):
            if not strip:
                out.append(c)
            continue
        strip = _is_latin_or_symbol(c)
        out.append(c)
    return "".join(out)


def _decode_leet(s: str, *, leet: bool = True) -> str:
    """Map leet characters to letters and inner mask characters to ``*``.

    "Inner" characters (``! + (`` and the mask characters ``# % ?``) are only mapped when
    a letter or always-mapped leet character precedes and follows them within the same run
    of word-ish characters.
    """
    n = len(s)

    def solid(c: str) -> bool:
        return c.isalpha() or c == _MASK or (leet and c in _LEET_ALWAYS)

    def wordish(c: str) -> bool:
        return solid(c) or c in _LEET_INNER or c in _MASK_INNER

    out: list[str] = []
    for i, c in enumerate(s):
        if leet and c in _LEET_ALWAYS:
            out.append(_LEET_ALWAYS[c])
        elif (leet and c in _LEET_INNER) or c in _MASK_INNER:
            if _has_solid(s, range(i - 1, -1, -1), solid, wordish) and _has_solid(
                s, range(i + 1, n), solid, wordish
            ):
                out.append(_LEET_INNER.get(c, _MASK))
            else:
                out.append(c)
        else:
            out.append(c)
    return "".join(out)


def _has_solid(
    s: str,
    indices: Iterable[int],
    solid: Callable[[str], bool],
    wordish: Callable[[str], bool],
) -> bool:
    """Scan `indices` of `s` while characters are word-ish; True if a solid one is seen."""
    for k in indices:
        c = s[k]
        if solid(c):
            return True
        if not wordish(c):
            return False
    return False


def _single_char(token: str) -> str | None:
    """The normalized character of a one-character letter/leet token, else None."""
    if not token:
        return None
    c = _prepare(token)
    if len(c) != 1:
        return None
    if c.isalpha() or c in _LEET_ALWAYS or c in _LEET_INNER:
        return c
    return None
