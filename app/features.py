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
from itertools import chain

import numpy as np
import scipy.sparse as sp
from spacy.tokens import Doc

from app.pipeline.extensions import X_MARKED_NORMS
from app.pipeline.signals import SIGNAL_COLUMNS

_MAX_WORD_CHARS = 30


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
    data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    # row L2 norms by one bincount over the data (the same sums, in the same order, as
    # scipy's `multiply(...).sum(axis=1)`, without building two more matrices)
    n_rows = counts.shape[0]
    per_row = np.diff(counts.indptr)
    rows = np.repeat(np.arange(n_rows), per_row)
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n_rows))
    norms[norms == 0] = 1.0
    data *= np.repeat(1.0 / norms, per_row)
    out = sp.csr_matrix(
        (data.astype(np.float32), counts.indices, counts.indptr), shape=counts.shape
    )
    out.has_canonical_format = True
    return out


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
        self._index_bigrams()
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

    # -- per-word table -----------------------------------------------------------------------
    # Every distinct norm seen gets a row id in a table of NumPy arrays: its word unigram
    # column (or -1) and its char n-gram columns (a slice of one growing buffer). A batch is
    # then one C-level dict lookup per token (`map`) and a handful of vectorized gathers; no
    # per-token Python runs once its words are known. Bigrams are looked up as integer pairs
    # of row ids in a sorted key array, so their words get their row ids up front.
    _CACHE_LIMIT = 500_000  # distinct norms before the table is reset (bounded memory)

    def _init_cache(self) -> None:
        self._lock = threading.Lock()
        if not hasattr(self, "_pair_keys"):  # derived once, then pickled with the model
            self._index_bigrams()
        self._reset_table()

    def _index_bigrams(self) -> None:
        """Bigram columns by the row-id pair of their two words (`_base_words` get ids first)."""
        pairs: dict[tuple[str, str], int] = {}
        for gram, col in self.word_vocab_.items():
            parts = gram.split(" ")
            # a norm could hold a space itself: register every split that spells the gram
            for k in range(1, len(parts)):
                pairs[(" ".join(parts[:k]), " ".join(parts[k:]))] = col
        self._base_words = sorted({w for pair in pairs for w in pair})
        ids = {w: i for i, w in enumerate(self._base_words)}
        keys = np.fromiter((ids[a] * _PAIR_BASE + ids[b] for a, b in pairs), np.int64, len(pairs))
        cols = np.fromiter(pairs.values(), np.int64, len(pairs))
        order = np.argsort(keys, kind="stable")
        self._pair_keys = keys[order]
        self._pair_cols = cols[order]

    def _reset_table(self) -> None:
        """An empty table holding only the bigram words (their features still unlearned)."""
        words = self._base_words
        n = max(1024, 2 * len(words))
        self._ids: dict[str, int] = {w: i for i, w in enumerate(words)}
        self._words: list[str] = list(words)
        self._ready = np.zeros(n, dtype=bool)
        self._word_col = np.full(n, -1, dtype=np.int64)
        self._char_start = np.zeros(n, dtype=np.int64)
        self._char_len = np.zeros(n, dtype=np.int64)
        self._chars = np.zeros(1 << 16, dtype=np.int64)
        self._chars_used = 0

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for key in _TABLE_STATE:
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._init_cache()

    def _char_cols(self, word: str) -> list[int]:
        if word[:1].isupper():
            # a scope-marked word (NOT_x, Q_x, GROUP): only its word feature; its spelling
            # must not fire the char n-grams of the unmarked word it denies or quotes
            return []
        vocab = self.char_vocab_
        return sorted({vocab[g] for g in char_ngrams(word, *self.char_range) if g in vocab})

    def _learn(self, words: Sequence[str], ids: list[int | None]) -> None:
        """Give unseen words (their `ids` entry is None) a row; learn rows not yet ready.

        Called with the lock held; arrays are replaced, never shrunk in place, so a reader
        holding older references still sees every row it was given.
        """
        if len(self._ids) >= self._CACHE_LIMIT:
            self._reset_table()
            ids[:] = map(self._ids.get, words)  # ids of the old table mean nothing now
        table = self._ids
        for k, id_ in enumerate(ids):
            if id_ is None:
                id_ = table.get(words[k])
                if id_ is None:
                    id_ = len(self._words)
                    table[words[k]] = id_
                    self._words.append(words[k])
                ids[k] = id_
        n_rows = len(self._words)
        if n_rows > self._ready.size:
            size = 2 * n_rows
            self._ready = _grown(self._ready, size, False)
            self._word_col = _grown(self._word_col, size, -1)
            self._char_start = _grown(self._char_start, size, 0)
            self._char_len = _grown(self._char_len, size, 0)
        todo = np.unique(np.asarray(ids, dtype=np.int64))
        todo = todo[~self._ready[todo]]
        vocab = self.word_vocab_
        for id_ in todo.tolist():
            word = self._words[id_]
            cols = self._char_cols(word)
            used = self._chars_used
            if used + len(cols) > self._chars.size:
                self._chars = _grown(self._chars, 2 * (used + len(cols)), 0)
            self._chars[used : used + len(cols)] = cols
            self._char_start[id_] = used
            self._char_len[id_] = len(cols)
            self._chars_used = used + len(cols)
            self._word_col[id_] = vocab.get(word, -1)
            self._ready[id_] = True

    def _row_ids(self, flat: list[str]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Row ids of the tokens, and the table arrays that are valid for them."""
        with self._lock:
            ids: list[int | None] = list(map(self._ids.get, flat))
            arr = None if None in ids else np.fromiter(ids, np.int64, len(ids))
            if arr is None or not self._ready[arr].all():
                self._learn(flat, ids)  # fills in the missing ids
                arr = np.fromiter(ids, np.int64, len(ids))
            return arr, (self._word_col, self._char_start, self._char_len, self._chars)

    # -- transform ----------------------------------------------------------------------------
    def transform(
        self, docs: Sequence[Sequence[str]], signals: Iterable[Sequence[float]]
    ) -> sp.csr_matrix:
        """Feature matrix for token-norm lists and their signal rows: word tf-idf, char
        tf-idf, then the signal columns."""
        n = len(docs)
        lens = np.fromiter(map(len, docs), np.int64, n)
        flat = list(chain.from_iterable(docs))
        ids, (word_col, char_start, char_len, chars) = self._row_ids(flat)
        tok_doc = np.repeat(np.arange(n, dtype=np.int64), lens)

        # word unigrams and bigrams (pairs of neighbouring tokens of the same doc)
        uni = word_col[ids]
        keep = uni >= 0
        w_doc = [tok_doc[keep]]
        w_col = [uni[keep]]
        if ids.size > 1 and self._pair_keys.size:
            same = tok_doc[1:] == tok_doc[:-1]
            keys = ids[:-1][same] * _PAIR_BASE + ids[1:][same]
            pos = np.searchsorted(self._pair_keys, keys)
            pos[pos == self._pair_keys.size] = 0
            hit = self._pair_keys[pos] == keys
            w_doc.append(tok_doc[1:][same][hit])
            w_col.append(self._pair_cols[pos[hit]])
        words = _counts(np.concatenate(w_doc), np.concatenate(w_col), n, len(self.word_vocab_))

        # char n-grams: each token contributes its word's slice of the char buffer
        c_len = char_len[ids]
        total = int(c_len.sum())
        starts = np.repeat(char_start[ids] - (np.cumsum(c_len) - c_len), c_len)
        c_col = chars[starts + np.arange(total, dtype=np.int64)]
        chars_m = _counts(np.repeat(tok_doc, c_len), c_col, n, len(self.char_vocab_))

        # Presence, not counts: a long comment that names several armies and battles must
        # not look more violent than a short threat.
        dense = np.clip(np.asarray(list(signals), dtype=np.float32), 0, 1)
        if dense.shape != (n, self.n_signals_):
            dense = dense.reshape(n, self.n_signals_)
        return sp.hstack(
            [
                _sublinear_tfidf(words, self.word_idf_),
                _sublinear_tfidf(chars_m, self.char_idf_),
                sp.csr_matrix(dense),
            ],
            format="csr",
        )


#: row ids are below 2**31, so a pair of them packs into one int64 key
_PAIR_BASE = 1 << 31
#: per-process state, rebuilt on load (the bigram index `_base_words`, `_pair_*` is kept)
_TABLE_STATE = (
    "_lock",
    "_ids",
    "_words",
    "_ready",
    "_word_col",
    "_char_start",
    "_char_len",
    "_chars",
    "_chars_used",
)


def _grown(arr: np.ndarray, size: int, fill: object) -> np.ndarray:
    out = np.full(size, fill, dtype=arr.dtype)
    out[: arr.size] = arr
    return out


def _counts(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """Canonical counts matrix (sorted, no duplicates) from (row, col) occurrences."""
    # One NumPy sort of packed (row, col) keys: faster than scipy sorting row by row.
    keys = np.sort(rows * n_cols + cols)
    if keys.size:
        first = np.empty(keys.size, dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, keys.size)).astype(np.float64)
        keys = keys[starts]
    else:
        counts = np.zeros(0, dtype=np.float64)
    out_rows, out_cols = np.divmod(keys, n_cols)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(out_rows, minlength=n_rows), out=indptr[1:])
    matrix = sp.csr_matrix((counts, out_cols, indptr), shape=(n_rows, n_cols))
    matrix.has_canonical_format = True
    return matrix
