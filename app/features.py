"""Docs -> feature matrix; pure, and shared by training and serving.

The text part is tf-idf over the de-obfuscated token norms: word unigrams and bigrams, and
character n-grams inside each word (like scikit-learn's `char_wb`). The character n-grams of
a word never change, so they are computed once per distinct word and cached; a document's
character features are then the sum of its words' rows, built with one vectorized sparse
construction per batch instead of re-slicing every comment's characters. The signal
columns of `moderate_signals` are appended as dense features.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from spacy.tokens import Doc

from app.pipeline.extensions import X_MARKED_NORMS
from app.pipeline.signals import SIGNAL_COLUMNS

_MAX_WORD_CHARS = 30
_EMPTY = np.zeros(0, dtype=np.int32)


def doc_norms(doc: Doc) -> list[str]:
    """The token norms the classifier reads: whitespace dropped, negation and quotation
    scope marked by `moderate_signals` (`NOT_x`, `Q_x`)."""
    marked = doc.user_data.get(X_MARKED_NORMS)
    if marked is not None:
        return marked
    return [t.norm_ for t in doc if not t.is_space]


def char_ngrams(word: str, n_min: int, n_max: int) -> list[str]:
    """Character n-grams of one word padded with spaces (scikit-learn's `char_wb`)."""
    padded = f" {word[:_MAX_WORD_CHARS]} "
    size = len(padded)
    return [padded[i : i + n] for n in range(n_min, n_max + 1) for i in range(size - n + 1)]


def _sublinear_tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    counts = counts.tocsr()
    counts.sum_duplicates()
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scale = np.repeat(1.0 / norms, np.diff(counts.indptr))
    counts.data *= scale
    return counts.astype(np.float32)


class TextVectorizer:
    """Word and char tf-idf over token norms, plus the signal columns.

    Parameters
    ----------
    word_min_df : int, default=2
        Minimum document frequency of a word uni/bigram.
    word_max_features : int, default=150_000
        Keep the most frequent uni/bigrams.
    char_range : tuple[int, int], default=(2, 5)
        Character n-gram lengths.
    char_min_df : int, default=3
        Minimum document frequency of a character n-gram.
    char_max_features : int, default=150_000
        Keep the most frequent character n-grams.
    """

    def __init__(
        self,
        word_min_df: int = 2,
        word_max_features: int = 150_000,
        char_range: tuple[int, int] = (2, 5),
        char_min_df: int = 3,
        char_max_features: int = 150_000,
    ) -> None:
        self.word_min_df = word_min_df
        self.word_max_features = word_max_features
        self.char_range = char_range
        self.char_min_df = char_min_df
        self.char_max_features = char_max_features

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, docs: Sequence[Sequence[str]]) -> TextVectorizer:
        """Learn the vocabularies and idf weights from token-norm lists."""
        n_docs = len(docs)
        word_df: Counter[str] = Counter()
        type_df: Counter[str] = Counter()
        for tokens in docs:
            types = set(tokens)
            type_df.update(types)
            word_df.update(types)
            word_df.update({f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)})
        words = [w for w, c in word_df.most_common() if c >= self.word_min_df]
        words = words[: self.word_max_features]
        self.word_vocab_ = {w: i for i, w in enumerate(sorted(words))}
        df = np.array([word_df[w] for w in sorted(words)], dtype=np.float64)
        self.word_idf_ = (np.log((1 + n_docs) / (1 + df)) + 1.0).astype(np.float32)

        # Char n-gram document frequency: a doc contains an n-gram if one of its word types
        # does, so df(g) = number of docs with a type containing g; counted per doc type set.
        n_min, n_max = self.char_range
        grams_of = {
            t: set() if t[:1].isupper() else set(char_ngrams(t, n_min, n_max)) for t in type_df
        }
        char_df: Counter[str] = Counter()
        for tokens in docs:
            grams: set[str] = set()
            for t in set(tokens):
                grams |= grams_of[t]
            char_df.update(grams)
        chars = [g for g, c in char_df.most_common() if c >= self.char_min_df]
        chars = sorted(chars[: self.char_max_features])
        self.char_vocab_ = {g: i for i, g in enumerate(chars)}
        cdf = np.array([char_df[g] for g in chars], dtype=np.float64)
        self.char_idf_ = (np.log((1 + n_docs) / (1 + cdf)) + 1.0).astype(np.float32)
        self.n_signals_ = len(SIGNAL_COLUMNS)
        self._init_cache()
        return self

    @property
    def n_features(self) -> int:
        return len(self.word_vocab_) + len(self.char_vocab_) + self.n_signals_

    def feature_names(self) -> list[str]:
        """Column names, in matrix order (for inspection and the model card)."""
        words = sorted(self.word_vocab_, key=self.word_vocab_.__getitem__)
        chars = sorted(self.char_vocab_, key=self.char_vocab_.__getitem__)
        return (
            [f"w:{w}" for w in words]
            + [f"c:{c}" for c in chars]
            + [f"s:{s}" for s in SIGNAL_COLUMNS]
        )

    # -- per-word cache -----------------------------------------------------------------------
    def _init_cache(self) -> None:
        # norm -> (word unigram column or -1, char n-gram columns); grows as new words are
        # seen, bounded so a long-running server cannot grow without limit.
        self._cache: dict[str, tuple[int, np.ndarray]] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_cache", None)
        state.pop("_lock", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._init_cache()

    _CACHE_LIMIT = 500_000

    def _learn(self, word: str) -> tuple[int, np.ndarray]:
        vocab = self.char_vocab_
        if word[:1].isupper():
            # a scope-marked word (NOT_x, Q_x): only its word feature; its spelling must not
            # fire the char n-grams of the unmarked word it denies or quotes
            cols: set[int] = set()
        else:
            cols = {vocab[g] for g in char_ngrams(word, *self.char_range) if g in vocab}
        info = (self.word_vocab_.get(word, -1), np.fromiter(sorted(cols), np.int32, len(cols)))
        with self._lock:
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = info
        return info

    # -- transform ----------------------------------------------------------------------------
    def transform(
        self, docs: Sequence[Sequence[str]], signals: Iterable[Sequence[float]]
    ) -> sp.csr_matrix:
        """Feature matrix for token-norm lists and their signal rows."""
        cache = self._cache
        learn = self._learn
        vocab = self.word_vocab_
        w_rows: list[int] = []
        w_cols: list[int] = []
        c_parts: list[np.ndarray] = []
        c_docs: list[int] = []
        for d, tokens in enumerate(docs):
            prev = None
            for tok in tokens:
                info = cache.get(tok)
                if info is None:
                    info = learn(tok)
                wcol, ccols = info
                if wcol >= 0:
                    w_rows.append(d)
                    w_cols.append(wcol)
                if ccols.size:
                    c_parts.append(ccols)
                    c_docs.append(d)
                if prev is not None:
                    bcol = vocab.get(f"{prev} {tok}")
                    if bcol is not None:
                        w_rows.append(d)
                        w_cols.append(bcol)
                prev = tok
        n = len(docs)
        n_words, n_chars = len(self.word_vocab_), len(self.char_vocab_)
        words = sp.csr_matrix(
            (np.ones(len(w_cols), np.float64), (w_rows, w_cols)), shape=(n, n_words)
        )
        if c_parts:
            lens = np.fromiter((p.size for p in c_parts), np.int64, len(c_parts))
            c_cols = np.concatenate(c_parts)
            c_rows = np.repeat(np.asarray(c_docs, np.int64), lens)
        else:
            c_cols = _EMPTY
            c_rows = _EMPTY
        chars = sp.csr_matrix(
            (np.ones(c_cols.size, np.float64), (c_rows, c_cols)), shape=(n, n_chars)
        )
        # Presence, not counts: a long comment that names several armies and battles must
        # not look more violent than a short threat.
        dense = np.clip(np.asarray(list(signals), dtype=np.float32), 0, 1)
        if dense.shape != (n, self.n_signals_):
            dense = dense.reshape(n, self.n_signals_)
        return sp.hstack(
            [
                _sublinear_tfidf(words, self.word_idf_),
                _sublinear_tfidf(chars, self.char_idf_),
                sp.csr_matrix(dense),
            ],
            format="csr",
        )
