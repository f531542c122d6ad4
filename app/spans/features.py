"""Token features of the span extractor, shared by training and scoring.

Every feature is a string `"<name><offset>=<value>"`, hashed with spaCy's 64-bit
`hash_string` (stable across processes), so a saved model is a sorted array of feature keys
and their weights. Features are of three kinds, chosen so that scoring can factor them:

- **word features** depend only on one token string (its norm, lowercase form, shape,
  prefix/suffix, character n-grams and its weight in the document classifier's heads) and
  its offset (-2..+2) from the token being labelled. Their summed weights are cached per
  token string and offset, so scoring a known word is one dict lookup.
- **tag features** depend on the token's place in the doc: the lexicon category of the
  match covering it (and of its neighbours), negation and quotation, a second-person word
  just before or after, sentence position. They take few values, so their weights are
  small tables.
- **doc features** are the document classifier's probabilities (binned) and the length:
  one bias per doc, which moves the bar a token must clear.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, ORTH
from spacy.strings import hash_string
from spacy.tokens import Doc

from app.features import char_ngrams
from app.labels import LABELS
from app.pipeline.extensions import X_MATCHES, X_ORTH_IDS, X_TOKEN_FACTS
from app.pipeline.lexicon import LexMatch, longest_spans
from app.pipeline.normalizer import F_SPACE
from app.pipeline.words import DOUBLE_QUOTES, NEGATORS, SECOND_PERSON

#: offsets of the neighbours whose word features a token sees
OFFSETS: tuple[int, ...] = (-2, -1, 0, 1, 2)
#: tag family -> the offsets it is read at
TAG_FAMILIES: dict[str, tuple[int, ...]] = {
    "lx": (-2, -1, 0, 1, 2),  # lexicon category, B(egin)/I(nside) of the match
    "lk": (-1, 0, 1),  # lexicon category and kind ("violence:wish", "slur:derogatory")
    "ng": (0,),  # negated: the covering match is, or a negator is just before
    "qt": (0,),  # inside balanced double quotes
    "yo": (0,),  # a second-person word 1-4 tokens before, or 1-2 after
    "ps": (0,),  # first token, last token, first of a sentence
}
#: the lexicon categories that tag a token
TAG_CATEGORIES = frozenset(
    {"slur", "dehumanization", "profanity", "insult", "violence", "contempt", "identity", "cue"}
)
#: document-classifier probability bins of the doc features
PROB_BINS: tuple[float, ...] = (0.05, 0.15, 0.3, 0.5, 0.7, 0.85)
MAX_LENGTH_BUCKET = 10
_CHAR_RANGE = (3, 5)
_MAX_CHARS = 30
_NEG_WINDOW = 3
_SENTENCE_ENDS = frozenset({".", "!", "?", "\n"})


def _offset(d: int) -> str:
    return f"{d:+d}" if d else "0"


def tag_feature(family: str, offset: int, value: str) -> str:
    """The feature string of a tag value seen at an offset ("lx-1=Binsult")."""
    return f"{family}{_offset(offset)}={value}"


def feature_key(feature: str) -> int:
    """The 64-bit key of one feature string."""
    return hash_string(feature)


def shape(text: str) -> str:
    """Letter case, digit and symbol classes, runs collapsed: "Moron" -> "Xx", "m0r0n" ->
    "xdxdx" (at most 5 classes)."""
    out: list[str] = []
    for ch in text[:20]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:5])


def _char_grams(norm: str) -> list[str]:
    padded = f"<{norm[:_MAX_CHARS]}>"
    lo, hi = _CHAR_RANGE
    return [padded[i : i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1)]


def word_features(text: str, norm: str, bins: Sequence[int]) -> list[list[str]]:
    """The word features of one token string at each offset of :data:`OFFSETS`.

    `bins` are the string's binned weights in the document classifier (see
    :class:`ClassifierWeights`), one per column.
    """
    lower = text.lower()
    sh = shape(text)
    own = [f"w0={norm}", f"sh0={sh}", f"p30={norm[:3]}", f"s30={norm[-3:]}"]
    if lower != norm:
        own.append("ob0=1")  # obfuscated: its norm is not just its lowercase text
    own += [f"c0={g}" for g in _char_grams(norm)]
    own += [f"cw{j}0={b}" for j, b in enumerate(bins)]
    out: list[list[str]] = []
    for d in OFFSETS:
        if d == 0:
            out.append(own)
            continue
        o = _offset(d)
        near = [f"w{o}={norm}"]
        if abs(d) == 1:
            near.append(f"sh{o}={sh}")
            near += [f"cw{j}{o}={b}" for j, b in enumerate(bins)]
        out.append(near)
    return out


class ClassifierWeights:
    """A word's weight in each head of the document classifier, binned by quantiles.

    Two columns per label: the word's unigram weight (coefficient times idf, 0 when the
    word is not in the vocabulary) and the summed weights of its character n-grams. The
    bin edges are quantiles over training tokens, so they follow a retrained classifier.
    This is the only place that reads the classifier's internals.
    """

    def __init__(self, classifier, edges: np.ndarray | None = None) -> None:
        vec = classifier.vectorizer
        coef = np.asarray(classifier.coef_, dtype=np.float64)
        n_words = len(vec.word_vocab_)
        self._words = vec.word_vocab_
        self._chars = vec.char_vocab_
        self._char_range = tuple(vec.char_range)
        self._word_w = coef[:n_words] * np.asarray(vec.word_idf_, dtype=np.float64)[:, None]
        n_chars = len(vec.char_vocab_)
        char_idf = np.asarray(vec.char_idf_, dtype=np.float64)[:, None]
        self._char_w = coef[n_words : n_words + n_chars] * char_idf
        self.edges = edges  # (n_columns, n_edges) once fitted

    @property
    def n_columns(self) -> int:
        return 2 * len(LABELS)

    def values(self, norms: Sequence[str]) -> np.ndarray:
        """Raw weights of norms, shape (len(norms), n_columns): unigram weights then char
        n-gram weights, per label."""
        n = len(norms)
        out = np.zeros((n, self.n_columns), dtype=np.float64)
        if not n:
            return out
        cols = [self._words.get(norm, -1) for norm in norms]
        have = [k for k, c in enumerate(cols) if c >= 0]
        if have:
            out[have, : len(LABELS)] = self._word_w[[cols[k] for k in have]]
        # the classifier's own n-grams of each word, each counted once
        chars = self._chars
        grams = [
            sorted({chars[g] for g in char_ngrams(norm, *self._char_range) if g in chars})
            for norm in norms
        ]
        lens = np.fromiter(map(len, grams), np.int64, n)
        if lens.sum():
            flat = np.fromiter((c for g in grams for c in g), np.int64, int(lens.sum()))
            word = np.repeat(np.arange(n), lens)
            summed = np.zeros((n, len(LABELS)), dtype=np.float64)
            np.add.at(summed, word, self._char_w[flat])
            out[:, len(LABELS) :] = summed
        return out

    def fit(self, values: np.ndarray, n_bins: int = 8) -> ClassifierWeights:
        """Quantile bin edges from the raw weights of training tokens (rows)."""
        qs = np.linspace(0, 1, n_bins + 1)[1:-1]
        self.edges = np.quantile(values, qs, axis=0).T.astype(np.float64)
        return self

    def bins(self, norms: Sequence[str]) -> list[list[int]]:
        """The binned weights of norms: per norm, one bin per column (the number of bin
        edges at or below the weight)."""
        assert self.edges is not None, "fit the bin edges first"
        v = self.values(norms)
        return (self.edges[None, :, :] <= v[:, :, None]).sum(axis=2).tolist()


@dataclass(slots=True)
class TokenView:
    """The non-space tokens of a doc: doc indices and orth ids; character offsets are read
    only for the tokens that need them (:meth:`char_span`, :meth:`offsets`)."""

    doc: Doc
    kept: list[int]
    orths: list[int]
    #: doc token index -> position in `kept` (None when no token was dropped)
    position: dict[int, int] | None

    def __len__(self) -> int:
        return len(self.kept)

    def pos(self, i: int) -> int | None:
        return i if self.position is None else self.position.get(i)

    def char_span(self, a: int, b: int) -> tuple[int, int]:
        """Character offsets of the view's tokens `a` to `b - 1` in the doc's text."""
        first, last = self.doc[self.kept[a]], self.doc[self.kept[b - 1]]
        return first.idx, last.idx + len(last)

    def offsets(self) -> tuple[list[int], list[int]]:
        """Start and end character offsets of every token of the view."""
        if not self.kept:
            return [], []
        starts, lengths = self.doc.to_array([IDX, LENGTH]).T.tolist()
        if self.position is not None:
            starts = [starts[i] for i in self.kept]
            lengths = [lengths[i] for i in self.kept]
        return starts, [a + n for a, n in zip(starts, lengths, strict=True)]


def token_view(doc: Doc) -> TokenView:
    """The doc's tokens minus whitespace tokens (the extractor never labels those)."""
    if not len(doc):
        return TokenView(doc, [], [], None)
    orths = doc.user_data.get(X_ORTH_IDS)
    facts = doc.user_data.get(X_TOKEN_FACTS)
    if orths is None or facts is None:  # a doc the normalizer did not see
        orths, spaces = doc.to_array([ORTH, IS_SPACE]).T.tolist()
        dropped = [i for i, space in enumerate(spaces) if space]
    else:
        dropped = [i for i, flags in facts[4] if flags & F_SPACE] if facts[0] & F_SPACE else []
    if dropped:
        gone = set(dropped)
        kept = [i for i in range(len(orths)) if i not in gone]
        return TokenView(doc, kept, [orths[i] for i in kept], {i: k for k, i in enumerate(kept)})
    return TokenView(doc, list(range(len(orths))), orths, None)


_NEG_IDS = frozenset(hash_string(w) for w in NEGATORS)
_YOU_IDS = frozenset(hash_string(w) for w in SECOND_PERSON)
_QUOTE_IDS = frozenset(hash_string(w) for w in DOUBLE_QUOTES)
_END_IDS = frozenset(hash_string(w) for w in _SENTENCE_ENDS)


def tag_matches(doc: Doc) -> list[LexMatch]:
    """The lexicon matches that tag tokens: longest first, no overlaps."""
    matches = doc.user_data.get(X_MATCHES)
    if not matches:
        return []
    if not TAG_CATEGORIES.issuperset(m.label for m in matches):
        matches = [m for m in matches if m.label in TAG_CATEGORIES]
    return longest_spans(matches)


def match_kind(match: LexMatch) -> str:
    """A match's category and sub-kind, e.g. `violence:wish`, `slur:derogatory`."""
    entry = match.entry or {}
    if match.label == "slur":
        sub = match.usage or "unknown"
    elif match.label == "insult":
        sub = entry.get("strength") or "-"
    elif match.label == "profanity":
        glued = bool(match.normalized and " " in match.normalized)
        sub = "glued" if glued else entry.get("severity", "-")
    else:
        sub = entry.get("kind") or "-"
    return f"{match.label}:{sub}"


def doc_tags(
    doc: Doc,
    view: TokenView,
    norm_ids: Sequence[int],
    matches: Sequence[LexMatch] | None = None,
) -> dict[str, list[tuple[int, str]]]:
    """The tag values of a doc's tokens: family -> [(position in `view`, value)].

    `norm_ids` are the NORM ids of the doc's tokens (all of them, whitespace included),
    `matches` its :func:`tag_matches` when the caller has them. Only tokens with a value
    are listed (most have none).
    """
    tags: dict[str, list[tuple[int, str]]] = {f: [] for f in TAG_FAMILIES}
    for family, k, value in iter_tags(doc, view, norm_ids, matches):
        tags[family].append((k, value))
    return tags


def iter_tags(
    doc: Doc,
    view: TokenView,
    norm_ids: Sequence[int],
    matches: Sequence[LexMatch] | None = None,
) -> Iterator[tuple[str, int, str]]:
    """(family, position in `view`, value) of every tag of a doc (see :func:`doc_tags`)."""
    n = len(view)
    if not n:
        return
    negated_at: set[int] = set()
    pos = view.pos
    for m in tag_matches(doc) if matches is None else matches:
        kind = match_kind(m)
        begin = "B" + m.label
        inside = "I" + m.label
        first = True
        for i in range(m.start, m.end):
            k = pos(i)
            if k is None:
                continue
            yield "lx", k, begin if first else inside
            yield "lk", k, kind
            if m.negated:
                negated_at.add(k)
            first = False
    # whitespace tokens are never negators, second-person words or quote marks, so the
    # cheap checks may look at every token's id
    norms: Sequence[int] = ()
    if not (_NEG_IDS.isdisjoint(norm_ids) and _YOU_IDS.isdisjoint(norm_ids)):
        norms = norm_ids if view.position is None else [norm_ids[i] for i in view.kept]
    negs = [k for k, v in enumerate(norms) if v in _NEG_IDS] if norms else []
    near_neg = {j for k in negs for j in range(k + 1, min(n, k + 1 + _NEG_WINDOW))}
    if negated_at or near_neg:
        for k in sorted(negated_at | near_neg):
            yield "ng", k, "m" if k in negated_at else "s"
    orths = view.orths
    if not _QUOTE_IDS.isdisjoint(orths):
        quotes = [k for k, o in enumerate(orths) if o in _QUOTE_IDS]
        for a, b in zip(quotes[::2], quotes[1::2], strict=False):
            for k in range(a + 1, b):
                yield "qt", k, "1"
    you = [k for k, v in enumerate(norms) if v in _YOU_IDS] if norms else []
    if you:
        seen: dict[int, str] = {}
        for y in you:
            for d in (1, 2, 3, 4):
                if y + d < n:
                    seen.setdefault(y + d, _BEFORE[d])
        for y in you:
            for d in (1, 2):
                if y - d >= 0:
                    seen.setdefault(y - d, _AFTER[d])
        for k, value in sorted(seen.items()):
            yield "yo", k, value
    if n == 1:
        yield "ps", 0, "first"
        return
    ps = {0: "first"}
    if not _END_IDS.isdisjoint(orths):
        for k in [k for k, o in enumerate(orths[:-1]) if o in _END_IDS]:
            ps.setdefault(k + 1, "sent")
    ps.setdefault(n - 1, "last")
    for k, value in sorted(ps.items()):
        yield "ps", k, value


_BEFORE = {d: f"b{d}" for d in (1, 2, 3, 4)}
_AFTER = {d: f"a{d}" for d in (1, 2)}


def prob_bin(p: float) -> int:
    """The bin of a document-classifier probability (index into gaps of PROB_BINS)."""
    return bisect_right(PROB_BINS, p)


def length_bucket(n_tokens: int) -> int:
    """The doc-length feature's bucket: log2 of the token count, at most 10."""
    return min(int(n_tokens).bit_length(), MAX_LENGTH_BUCKET)


def doc_features(probs: Sequence[float], n_tokens: int) -> list[str]:
    """The doc features: each label's binned probability and the length (log2 bucket)."""
    out = [f"dp{label}={prob_bin(p)}" for label, p in zip(LABELS, probs, strict=True)]
    out.append(f"dn={length_bucket(n_tokens)}")
    return out
