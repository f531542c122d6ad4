"""Block-listed terms found the way people dodge filters, with their spans.

A community's block list is matched on the text as the pipeline's normalizer reads it
(each token's NORM: case, homoglyphs, diacritics, leetspeak "h3adch0pper", dotted letters
"h.e.a.d", stretched letters, masks), not on the raw string. The tokens' letters are laid
end to end in a *letter stream*, with a mark where one token ends and the next begins:

    "the head chopper!"  ->  "the|head|chopper "      ("|" soft, " " hard boundary)

A term matches when its letters appear in the stream with soft boundaries anywhere
between them ("head chopper", "h e a d c h o p p e r", "head-chopper"), in one of its
simple inflections ("headchoppers", "headchopper's"; see :func:`inflections`). In a
comment the match must start and end at a token boundary, so a term inside a longer,
unrelated word does not match ("class" for "ass"). In a display name (`glued=True`)
words are glued together ("TheHeadchopper99"), so the term may sit anywhere.

A soft boundary is whitespace or a token of separator punctuation (`. - _ * ~ ' , :`); any
other token (digits, "!", an emoji) is a hard one that a term never crosses. Every letter of
the stream remembers where it came from in the ORIGINAL text, so a hit's span satisfies
`text[start:end] == span.text`. Terms whose normalized form has fewer than two letters
("1488") are matched on the raw text, as whole words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.pipeline.normalize import deobfuscate
from app.results import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

SOFT = "|"
HARD = " "
#: punctuation that joins the pieces of one disguised word ("h.e.a.d", "head-chopper")
SEPARATOR_CHARS = frozenset(".-_*~'`,:")
#: characters that the normalizer may turn into a letter (leetspeak, masks)
_LETTERLIKE = frozenset("@$€¡|!+(*#%?")


@dataclass(frozen=True, slots=True)
class BlockHit:
    """One block-listed term found in a text: offsets into the original string."""

    term: str
    start: int
    end: int
    normalized: str


def _letters(word: str) -> str:
    return "".join(c for c in deobfuscate(word) if c.isalpha())


def term_letters(term: str) -> str:
    """The letters a term is matched by: each word de-obfuscated, spaces and marks dropped."""
    return "".join(_letters(word) for word in term.split())


_VOWELS = frozenset("aeiou")


def inflections(word: str) -> list[str]:
    """The word and its simple English inflections (plural, possessive, -ed, -ing, -er).

    "headchopper" -> headchoppers, headchoppered, ...; "hate" -> hates, hated, hating,
    hater, haters; "bully" -> bullies, bullied; "thug" -> thugs, thugged, thugging.
    """
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "er", word + "ers"}
    if word.endswith("e"):
        forms |= {word + "d", word + "r", word + "rs", word[:-1] + "ing"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if (
        len(word) >= 3
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    ):
        forms |= {word + word[-1] + suffix for suffix in ("ed", "ing", "er", "ers")}
    return sorted(forms, key=len, reverse=True)


def _letter_pattern(form: str) -> str:
    # a soft boundary may sit between any two letters ("head chopper", "h e a d")
    return (re.escape(SOFT) + "?").join(re.escape(c) for c in form)


class BlockList:
    """The compiled block list of one policy (built once per policy, matched per text)."""

    __slots__ = ("_by_group", "_glued", "_raw", "_word", "terms")

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(t.strip() for t in terms if t.strip()))
        lettered = [(t, term_letters(t)) for t in self.terms]
        streamable = sorted(
            ((t, letters) for t, letters in lettered if len(letters) >= 2),
            key=lambda pair: len(pair[1]),
            reverse=True,
        )
        self._by_group: dict[str, str] = {}
        alternatives = []
        for i, (term, letters) in enumerate(streamable):
            group = f"t{i}"
            self._by_group[group] = term.lower()  # the reason code: `blocklist:<term>`
            forms = "|".join(_letter_pattern(f) for f in inflections(letters))
            alternatives.append(f"(?P<{group}>{forms})")
        body = "|".join(alternatives)
        edge = f"[{re.escape(SOFT + HARD)}]"
        self._word = re.compile(f"(?:^|(?<={edge}))(?:{body})(?={edge}|$)") if body else None
        self._glued = re.compile(body) if body else None
        raw_terms = [t for t, letters in lettered if len(letters) < 2]
        self._raw = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(re.escape(t) for t in sorted(raw_terms, key=len, reverse=True))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if raw_terms
            else None
        )

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, doc: Doc, text: str, glued: bool = False) -> list[BlockHit]:
        """Every block-listed term in `doc` (whose original text is `text`), in text order.

        `glued` matches terms inside longer words too (display names).
        """
        hits: list[BlockHit] = []
        pattern = self._glued if glued else self._word
        if pattern is not None:
            stream, starts, ends = letter_stream(doc)
            for match in pattern.finditer(stream):
                group = match.lastgroup
                if group is None:
                    continue
                first, last = match.start(), match.end() - 1
                # the match never starts or ends on a boundary mark (the forms are letters)
                start, end = starts[first], ends[last]
                hits.append(
                    BlockHit(
                        self._by_group[group],
                        start,
                        end,
                        match.group(0).replace(SOFT, ""),
                    )
                )
        if self._raw is not None:
            for match in self._raw.finditer(text):
                term = match.group(0).lower()
                hits.append(BlockHit(term, match.start(), match.end(), term))
        hits.sort(key=lambda h: (h.start, h.end))
        return hits


def letter_stream(doc: Doc) -> tuple[str, list[int], list[int]]:
    """The doc's letters as the normalizer reads them, with boundary marks between tokens.

    Returns `(stream, starts, ends)`: for each character of `stream` that is a letter,
    `starts[i]:ends[i]` is the stretch of the original text it comes from (the single
    character when the token's letters line up one to one with its letter-like
    characters, otherwise the whole token). Marks have placeholder offsets.
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def mark(kind: str, at: int) -> None:
        if chars and chars[-1] in (SOFT, HARD):
            if kind == HARD:
                chars[-1] = HARD
            return
        chars.append(kind)
        starts.append(at)
        ends.append(at)

    for token in doc:
        raw = token.text
        at = token.idx
        if token.is_space:
            mark(SOFT, at)
            continue
        letters = [c for c in token.norm_ if c.isalpha()]
        if not letters:
            mark(SOFT if all(c in SEPARATOR_CHARS for c in raw) else HARD, at)
            continue
        mark(SOFT, at)
        sources = _letter_sources(raw, at)
        if len(sources) == len(letters):
            for c, pos in zip(letters, sources, strict=True):
                chars.append(c)
                starts.append(pos)
                ends.append(pos + 1)
        else:  # the normalizer changed the length ("fuuuuck"): point at the whole token
            for c in letters:
                chars.append(c)
                starts.append(at)
                ends.append(at + len(raw))
    return "".join(chars), starts, ends


def _letter_sources(raw: str, at: int) -> list[int]:
    """Offsets of a token's characters that can become letters when normalized."""
    return [at + i for i, c in enumerate(raw) if c.isalnum() or c in _LETTERLIKE]


def blocked_terms(hits: Sequence[BlockHit]) -> list[str]:
    """The distinct terms of some hits, sorted (the `blocklist:<term>` reasons)."""
    return sorted({h.term for h in hits})


def with_block_spans(spans: list[Span], hits: Sequence[BlockHit], text: str) -> list[Span]:
    """The evidence spans plus one `blocklist` span per block-list hit, in text order."""
    extra = [
        Span(
            h.start,
            h.end,
            text[h.start : h.end],
            "blocklist",
            normalized=h.normalized if h.normalized != text[h.start : h.end].lower() else None,
            term=h.term,
        )
        for h in hits
    ]
    return sorted(spans + extra, key=lambda s: (s.start, s.end))
