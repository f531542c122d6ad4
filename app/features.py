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
    scope marked by `moderate_signals` (`NOT_x`, `Q_x`). A norm of several words (a glued
    token, "killalljews" -> "kill all jews") is several words here too."""
    marked = doc.user_data.get(X_MARKED_NORMS)
    if marked is not None:
        return marked
    return [word for t in doc if not t.is_space for word in t.norm_.split()]


def frequent_first(counts: Counter[str], min_count: int) -> list[str]:
    """The keys counted at least `min_count` times, most frequent first and ties in string
    order. (`Counter.most_common` breaks ties by insertion order, which follows the
    iteration order of sets of strings and so the process's hash seed: two trainings
    of one config kept different n-grams at the `max_features` cut.)"""
    kept = [(c, k) for k, c in counts.items() if c >= min_count]
    kept.sort(key=lambda item: (-item[0], item[1]))
    return [k for _, k in kept]


def char_ngrams(word: str, n_min: int, n_max: int) -> list[str]:
    """Character n-grams of one word padded with spaces (scikit-learn's `char_wb`)."""
    padded = f" {word[:_MAX_WORD_CHARS]} "
    size = len(padded)
    return [padded[i : i + n] for n in range(n_min, n_max + 1) for i in range(size - n + 1)]


def _sublinear_tfidf(
    indptr: np.ndarray, counts: np.ndarray, cols: np.ndarray, idf: np.ndarray
) -> np.ndarray:
    """The values of a canonical counts matrix (CSR arrays) as L2-normalized sublinear tf-idf."""
    data = (1.0 + np.log(counts)) * idf[cols]
    # row L2 norms by one bincount over the data (the same sums, in the same order, as
    # scipy's `multiply(...).sum(axis=1)`, without building two more matrices)
    n_rows = indptr.size - 1
    per_row = np.diff(indptr)
    rows = np.repeat(np.arange(n_rows), per_row)
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n_rows))
    norms[norms == 0] = 1.0
    data *= np.repeat(1.0 / norms, per_row)
    return data.astype(np.float32)


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
    neutral_words : tuple[str, ...], default=()
        Tokens whose mere presence must not be evidence: their unigram is no feature, and
        neither is a bigram that pairs them with a function word ("the GROUP", "GROUP
        are"). Bigrams with content words stay ("ban GROUP"). The `GROUP` token that
        replaces identity terms is one: naming a group says nothing about hate.
    clusters : dict[str, int] or None, default=None
        Word -> cluster id (from pretrained word vectors, `training.word_clusters`). Each
        token then also yields a cluster token (`K17`, scope-marked like the word:
        `NOT_K17`), read as a second stream of uni- and bigrams, so what the model learns
        about "disgusting" reaches "repulsive" too. Words without a cluster read `K_`.
    drop_unclustered : bool, default=False
        Keep every gram holding `K_` (an unknown word or `GROUP`) out of the vocabulary
        (see `_unclustered`). Tried for model 1.2.0 together with the classifier's
        `lowering_signals`: dev mean macro-F1 0.645 -> 0.637, so it is off.
    valence : dict[str, int] or None, default=None
        Word -> valence bucket (-2, -1, 1, 2: strongly / mildly negative or positive, from
        a sentiment lexicon, `training.valence`). Each such word also yields a valence
        token (`V-2`, scope-marked like the word: `NOT_V+1`) as a unigram, and as a group's
        context (`V-2<G`, `G>V-2`), because word clusters from co-occurrence put antonyms
        together and cannot tell "GROUP are vile" from "GROUP are wonderful".
    valence_unigrams : bool, default=True
        Also read each valence token as a unigram of its own (off: only as a group's
        context).
    cluster_valence : bool, default=False
        Split each cluster token by the sign of its word's valence (`K736+` for "good",
        `K736-` for "bad", `K736` for a word the valence table lacks): clusters from
        co-occurrence put antonyms together, so "GROUP are good" and "GROUP are bad" read
        one cluster context. Synonyms of one sign still share their token.
    group_cluster : str, default="K_"
        The cluster token of `GROUP`. `K_` (models up to 1.2.2) shares the token of unknown
        words, so "GROUP are" reads "K_ K511", a bigram `neutral_words` cannot tell from
        "typo are" and keeps: the strongest group prior of model 1.2.2 (+2.9 logit). Any
        other value (`KG`) is a token of its own, and with `neutral_words` its grams with
        function-word clusters only ("KG K511") are no features either.
    group_window : tuple[int, int], default=(0, 0)
        Tokens before and after each `GROUP` token (within its clause) that become
        features of what is said about a group: `hate<G`, `G>vile`, and with clusters
        `K17<G`, `G>K254`. Function words are skipped, so these features never say only
        that a group is named.
    """

    def __init__(
        self,
        word_min_df: int = 2,
        word_max_features: int = 150_000,
        char_range: tuple[int, int] = (2, 5),
        char_min_df: int = 3,
        char_max_features: int = 150_000,
        neutral_words: tuple[str, ...] = (),
        clusters: dict[str, int] | None = None,
        group_window: tuple[int, int] = (0, 0),
        drop_unclustered: bool = False,
        valence: dict[str, int] | None = None,
        group_cluster: str = "K_",
        valence_unigrams: bool = True,
        cluster_valence: bool = False,
    ) -> None:
        self.word_min_df = word_min_df
        self.word_max_features = word_max_features
        self.char_range = char_range
        self.char_min_df = char_min_df
        self.char_max_features = char_max_features
        self.neutral_words = tuple(neutral_words)
        self.clusters = clusters
        self.group_window = tuple(group_window)
        self.drop_unclustered = drop_unclustered
        self.valence = valence
        self.group_cluster = group_cluster
        self.valence_unigrams = valence_unigrams
        self.cluster_valence = cluster_valence

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, docs: Sequence[Sequence[str]]) -> TextVectorizer:
        """Learn the vocabularies and idf weights from token-norm lists."""
        n_docs = len(docs)
        word_df: Counter[str] = Counter()
        type_df: Counter[str] = Counter()
        streams = (docs, (self.cluster_stream(t) for t in docs)) if self.clusters else (docs,)
        for k, stream in enumerate(streams):
            for tokens in stream:
                types = set(tokens)
                if k == 0:
                    type_df.update(types)
                word_df.update(types)
                word_df.update({f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)})
        if self.valence and self.valence_unigrams:
            for tokens in docs:
                word_df.update({v for t in tokens if (v := self.valence_token(t))})
        if any(self.group_window):
            for tokens in docs:
                word_df.update(set(self.group_context(tokens)))
        words = frequent_first(word_df, self.word_min_df)
        if self.neutral_words:
            neutral = frozenset(self.neutral_words)
            function: frozenset[str] = frozenset()
            if self.clusters and self.group_cluster != "K_":
                # a group's cluster token with function-word clusters: presence only too
                neutral |= {self.cluster_token(w) for w in self.neutral_words}
                function = frozenset(
                    k for w in FUNCTION_WORDS
                    if (k := self.cluster_token(w)).startswith("K") and k != "K_"
                )
            words = [w for w in words if not _presence_only(w, neutral, function)]
        if self.clusters and self.drop_unclustered:
            words = [w for w in words if not _unclustered(w)]
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
        chars = frequent_first(char_df, self.char_min_df)
        chars = sorted(chars[: self.char_max_features])
        self.char_vocab_ = {g: i for i, g in enumerate(chars)}
        cdf = np.array([char_df[g] for g in chars], dtype=np.float64)
        self.char_idf_ = (np.log((1 + n_docs) / (1 + cdf)) + 1.0).astype(np.float32)
        self.n_signals_ = len(SIGNAL_COLUMNS)
        self._index_bigrams()
        self._init_cache()
        return self

    def cluster_token(self, norm: str) -> str:
        """The cluster token of one norm: `K<id>` (or `K_` for a word without a cluster),
        with the norm's scope mark; punctuation and numbers are their own token.

        `GROUP` reads `K_`, like a word without a cluster: a cluster bigram with it
        ("GROUP K17", K17 holding "are") would say no more than that a group is named,
        which `neutral_words` keeps out of the word stream."""
        prefix, core = scope_split(norm)
        if core == "GROUP":
            return f"{prefix}{self.group_cluster}"
        k = (self.clusters or {}).get(core)
        if k is not None:
            if self.cluster_valence and self.valence and (v := self.valence.get(core)):
                return f"{prefix}K{k}{'+' if v > 0 else '-'}"
            return f"{prefix}K{k}"
        # punctuation and numbers stand for themselves; only unknown words share `K_`
        return norm if not any(c.isalpha() for c in core) else f"{prefix}K_"

    def valence_token(self, norm: str) -> str | None:
        """The valence token of one norm (`V-2`, `NOT_V+1`), or None for a word the
        valence table lacks."""
        if not self.valence:
            return None
        prefix, core = scope_split(norm)
        v = self.valence.get(core)
        if v is None:
            return None
        return f"{prefix}V{v:+d}"

    def cluster_stream(self, tokens: Sequence[str]) -> list[str]:
        return [self.cluster_token(t) for t in tokens]

    def context_tokens(self, norm: str) -> tuple[str, ...]:
        """The features a norm gives as a group's context: ("w<G", "K<G") before it and
        ("G>w", "G>K") after it, or () for function words, clause breaks and groups."""
        if _context_kind(norm) != _CTX_WORD:
            return ()
        out = [f"{norm}<G", f"G>{norm}"]
        if self.clusters:
            k = self.cluster_token(norm)
            out += [f"{k}<G", f"G>{k}"]
        if v := self.valence_token(norm):
            if not self.clusters:
                out += ["", ""]  # keep the valence pair at slots 4 and 5
            out += [f"{v}<G", f"G>{v}"]
        return tuple(out)

    def group_context(self, tokens: Sequence[str]) -> list[str]:
        """What `transform` reads around each `GROUP` token of a token list (see
        `group_window`), as feature strings; the reference the fast path is tested on."""
        before, after = self.group_window
        kinds = [_context_kind(t) for t in tokens]
        out: list[str] = []
        n = len(tokens)
        for p, kind in enumerate(kinds):
            if kind != _CTX_GROUP:
                continue
            for step, reach, side in ((-1, before, 0), (1, after, 1)):
                for k in range(1, reach + 1):
                    q = p + step * k
                    if not 0 <= q < n or kinds[q] == _CTX_BREAK:
                        break
                    feats = self.context_tokens(tokens[q])
                    # before: "w<G" (and "K<G", "V<G"); after: "G>w" (and "G>K", "G>V")
                    out.extend(f for f in feats[side::2] if f)
        return out

    def lowering_columns(self) -> list[int]:
        """Word-vocabulary columns that can only be evidence against an attack on a group:
        a group's context that praises it ("GROUP are wonderful": a positive-valence word,
        `G>V+2`) or denies an attack ("GROUP are not vile": a negated negative word,
        `G>NOT_V-2`). Quoted words (`Q_`) are not among them. Empty without `valence`."""
        if not self.valence:
            return []
        out = []
        for feature, col in self.word_vocab_.items():
            if feature.endswith("<G"):
                mark, core = scope_split(feature[:-2])
            elif feature.startswith("G>"):
                mark, core = scope_split(feature[2:])
            else:
                continue
            if mark == "Q_":
                continue
            if core.startswith("V") and core[1:2] in "+-" and core[2:].isdigit():
                value = int(core[1:])  # a valence token
            elif core.startswith("K") and core[-1:] in "+-" and core[1:-1].isdigit():
                value = 1 if core[-1] == "+" else -1  # a cluster token split by valence
            else:
                value = self.valence.get(core, 0)
            if (value > 0 and not mark) or (value < 0 and mark == "NOT_"):
                out.append(col)
        return sorted(out)

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
        self._clus_row = np.full(n, -1, dtype=np.int64)
        self._ctx_kind = np.zeros(n, dtype=np.int8)
        self._ctx_cols = np.full((n, 6), -1, dtype=np.int64)
        self._val_col = np.full(n, -1, dtype=np.int64)
        self._chars = np.zeros(1 << 16, dtype=np.int64)
        self._chars_used = 0

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for key in _TABLE_STATE:
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        # vectorizers pickled before these settings existed read as they did then
        state.setdefault("valence", None)
        state.setdefault("group_cluster", "K_")
        state.setdefault("valence_unigrams", True)
        state.setdefault("cluster_valence", False)
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
        self._ensure_rows()
        todo = np.unique(np.asarray(ids, dtype=np.int64))
        todo = todo[~self._ready[todo]]
        if self.clusters and todo.size:
            # each new word's cluster token is a word of the table too (with its own row)
            tokens = {id_: self.cluster_token(self._words[id_]) for id_ in todo.tolist()}
            for tok in tokens.values():
                if tok not in table:
                    table[tok] = len(self._words)
                    self._words.append(tok)
            self._ensure_rows()
            for id_, tok in tokens.items():
                self._clus_row[id_] = table[tok]
            rows = np.fromiter((table[t] for t in set(tokens.values())), np.int64)
            todo = np.union1d(todo, rows[~self._ready[rows]])
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
            if self.valence and self.valence_unigrams:
                v = self.valence_token(word)
                self._val_col[id_] = vocab.get(v, -1) if v else -1
            if any(self.group_window):
                self._ctx_kind[id_] = _context_kind(word)
                feats = self.context_tokens(word)
                # columns of w<G, G>w, K<G, G>K, V<G, G>V (-1: not a feature of the model)
                for j, feat in enumerate(feats):
                    self._ctx_cols[id_, j] = vocab.get(feat, -1) if feat else -1
            self._ready[id_] = True

    def _ensure_rows(self) -> None:
        """Grow the table arrays to hold every row id handed out so far."""
        n_rows = len(self._words)
        if n_rows > self._ready.size:
            size = 2 * n_rows
            self._ready = _grown(self._ready, size, False)
            self._word_col = _grown(self._word_col, size, -1)
            self._char_start = _grown(self._char_start, size, 0)
            self._char_len = _grown(self._char_len, size, 0)
            self._clus_row = _grown(self._clus_row, size, -1)
            self._ctx_kind = _grown(self._ctx_kind, size, 0)
            self._ctx_cols = _grown(self._ctx_cols, size, -1)
            self._val_col = _grown(self._val_col, size, -1)

    def _row_ids(self, flat: list[str]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Row ids of the tokens, and the table arrays that are valid for them."""
        with self._lock:
            ids: list[int | None] = list(map(self._ids.get, flat))
            arr = None if None in ids else np.fromiter(ids, np.int64, len(ids))
            if arr is None or not self._ready[arr].all():
                self._learn(flat, ids)  # fills in the missing ids
                arr = np.fromiter(ids, np.int64, len(ids))
            return arr, (
                self._word_col,
                self._char_start,
                self._char_len,
                self._chars,
                self._clus_row,
                self._ctx_kind,
                self._ctx_cols,
                self._val_col,
            )

    # -- transform ----------------------------------------------------------------------------
    def _uni_bigrams(
        self,
        ids: np.ndarray,
        tok_doc: np.ndarray,
        same: np.ndarray,
        word_col: np.ndarray,
        out_doc: list[np.ndarray],
        out_col: list[np.ndarray],
    ) -> None:
        """Append the (doc, column) occurrences of a token stream's uni- and bigrams."""
        uni = word_col[ids]
        keep = uni >= 0
        out_doc.append(tok_doc[keep])
        out_col.append(uni[keep])
        if ids.size > 1 and self._pair_keys.size:
            keys = ids[:-1][same] * _PAIR_BASE + ids[1:][same]
            # looked up in sorted order: the search then walks the (large) key array
            # forwards instead of jumping around it (0.77 against 1.9 ms per 1,000 comments)
            order = np.argsort(keys)
            pos = np.empty_like(order)
            pos[order] = np.searchsorted(self._pair_keys, keys[order])
            pos[pos == self._pair_keys.size] = 0
            hit = self._pair_keys[pos] == keys
            out_doc.append(tok_doc[1:][same][hit])
            out_col.append(self._pair_cols[pos[hit]])

    def _group_context_cols(
        self,
        ids: np.ndarray,
        tok_doc: np.ndarray,
        ctx_kind: np.ndarray,
        ctx_cols: np.ndarray,
        out_doc: list[np.ndarray],
        out_col: list[np.ndarray],
    ) -> None:
        """Append the group-context features (`group_context`) of a batch's tokens: from
        each GROUP position, step outwards until a clause break, the doc's edge or the
        window's end."""
        kinds = ctx_kind[ids]
        groups = np.flatnonzero(kinds == _CTX_GROUP)
        if not groups.size:
            return
        n = ids.size
        before, after = self.group_window
        for step, reach, side in ((-1, before, 0), (1, after, 1)):
            alive = np.ones(groups.size, dtype=bool)
            for k in range(1, reach + 1):
                q = groups + step * k
                inside = (q >= 0) & (q < n)
                qc = np.where(inside, q, 0)
                alive &= inside & (tok_doc[qc] == tok_doc[groups]) & (kinds[qc] != _CTX_BREAK)
                if not alive.any():
                    break
                rows = ids[qc[alive]]
                docs = tok_doc[groups[alive]]
                # the word's feature, its cluster's and its valence's
                for j in (side, side + 2, side + 4) if self.valence else (side, side + 2):
                    cols = ctx_cols[rows, j]
                    hit = cols >= 0
                    out_doc.append(docs[hit])
                    out_col.append(cols[hit])

    def transform(
        self, docs: Sequence[Sequence[str]], signals: Iterable[Sequence[float]]
    ) -> sp.csr_matrix:
        """Feature matrix for token-norm lists and their signal rows: word tf-idf, char
        tf-idf, then the signal columns."""
        n = len(docs)
        lens = np.fromiter(map(len, docs), np.int64, n)
        flat = list(chain.from_iterable(docs))
        ids, (word_col, char_start, char_len, chars, clus_row, ctx_kind, ctx_cols, val_col) = (
            self._row_ids(flat)
        )
        tok_doc = np.repeat(np.arange(n, dtype=np.int64), lens)

        # word unigrams and bigrams (pairs of neighbouring tokens of the same doc), and the
        # same of the cluster tokens when the model has word clusters
        w_doc: list[np.ndarray] = []
        w_col: list[np.ndarray] = []
        same = tok_doc[1:] == tok_doc[:-1]
        streams = (ids, clus_row[ids]) if self.clusters else (ids,)
        for stream in streams:
            self._uni_bigrams(stream, tok_doc, same, word_col, w_doc, w_col)
        if self.valence and self.valence_unigrams:
            # (without them no valence unigram is in the vocabulary: nothing to gather)
            vals = val_col[ids]
            hit = vals >= 0
            w_doc.append(tok_doc[hit])
            w_col.append(vals[hit])
        if any(self.group_window):
            self._group_context_cols(ids, tok_doc, ctx_kind, ctx_cols, w_doc, w_col)
        word_cols = np.concatenate(w_col)

        # char n-grams: each token contributes its word's slice of the char buffer
        c_len = char_len[ids]
        total = int(c_len.sum())
        starts = np.repeat(char_start[ids] - (np.cumsum(c_len) - c_len), c_len)
        c_col = chars[starts + np.arange(total, dtype=np.int64)]

        # Presence, not counts: a long comment that names several armies and battles must
        # not look more violent than a short threat.
        dense = np.clip(np.asarray(list(signals), dtype=np.float32), 0, 1)
        if dense.shape != (n, self.n_signals_):
            dense = dense.reshape(n, self.n_signals_)
        if n == 1:
            return self._one_row(word_cols, c_col, dense[0])
        words = _count_arrays(np.concatenate(w_doc), word_cols, n, len(self.word_vocab_))
        chars_m = _count_arrays(np.repeat(tok_doc, c_len), c_col, n, len(self.char_vocab_))
        sig_rows, sig_cols = np.nonzero(dense)
        sig_indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(sig_rows, minlength=n), out=sig_indptr[1:])
        n_words = len(self.word_vocab_)
        return _side_by_side(
            [
                (words[0], words[2], _sublinear_tfidf(*words, self.word_idf_)),
                (chars_m[0], chars_m[2] + n_words, _sublinear_tfidf(*chars_m, self.char_idf_)),
                (
                    sig_indptr,
                    sig_cols + (n_words + len(self.char_vocab_)),
                    dense[sig_rows, sig_cols],
                ),
            ],
            self.n_features,
        )

    def _one_row(
        self, word_cols: np.ndarray, char_cols: np.ndarray, signals: np.ndarray
    ) -> sp.csr_matrix:
        """`transform`'s matrix for a single document, the same bits in fewer NumPy calls:
        a service answering one comment at a time pays each call's fixed cost per comment."""
        n_words = len(self.word_vocab_)
        parts_cols = []
        parts_data = []
        for cols, idf, offset in (
            (word_cols, self.word_idf_, 0),
            (char_cols, self.char_idf_, n_words),
        ):
            cols, counts = np.unique(cols, return_counts=True)
            indptr = np.array([0, cols.size])
            parts_cols.append(cols + offset)
            parts_data.append(_sublinear_tfidf(indptr, counts.astype(np.float64), cols, idf))
        (sig,) = np.nonzero(signals)
        parts_cols.append(sig + (n_words + len(self.char_vocab_)))
        parts_data.append(signals[sig])
        data = np.concatenate(parts_data)
        index_dtype = _index_dtype(data.size, self.n_features)
        indices = np.concatenate(parts_cols).astype(index_dtype)
        indptr = np.array([0, data.size], dtype=index_dtype)
        matrix = sp.csr_matrix((data, indices, indptr), shape=(1, self.n_features))
        matrix.has_canonical_format = True
        return matrix


#: words that carry no content of their own: a neutral word next to one of them is still
#: just the neutral word's presence ("the GROUP", "GROUP are", "of GROUP")
FUNCTION_WORDS = frozenset(
    "a an the this that these those some all any every each both many most such other "
    "of in on at to for from with by about as into over under than like of's "
    "and or but so if then because while when where who whom whose which what why how "
    "is are was were be been being am do does did have has had will would can could shall "
    "should may might must 's 're 've 'd 'll not n't no "
    "i me my we us our you your he him his she her it its they them their "
    ". , ; : ! ? ' \" - ( ) ... & / |".split()
)


def _presence_only(
    gram: str, neutral: frozenset[str], function: frozenset[str] = frozenset()
) -> bool:
    """Whether a uni/bigram says no more than that a neutral word is there (`function`:
    more tokens that count as function words, the clusters of function words)."""
    parts = gram.split(" ")
    if len(parts) == 1:
        return parts[0] in neutral
    if not neutral.intersection(parts):
        return False
    return all(p in neutral or p in function or _function_word(p) for p in parts)


def _unclustered(gram: str) -> bool:
    """Whether a feature holds `K_`, the cluster token of a word without a cluster.

    `K_` stands for any unknown word and for `GROUP` alike, so its grams are a group prior
    in disguise ("K971 K_" is "the GROUP") and a typo prior ("cicivili"): the word and char
    streams already see such words, and the cluster stream says nothing about them.
    """
    for part in gram.split(" "):
        core = part.removesuffix("<G").removeprefix("G>")
        if core.startswith(_SCOPE_MARKS):
            core = core.split("_", 1)[1]
        if core == "K_":
            return True
    return False


def _function_word(token: str) -> bool:
    """A function word, scope-marked or not ("the", "NOT_the", "Q_the")."""
    if token.startswith(("NOT_", "Q_")):
        token = token.split("_", 1)[1]
    return token in FUNCTION_WORDS


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
    "_clus_row",
    "_ctx_kind",
    "_ctx_cols",
    "_val_col",
)
#: the scope marks of `moderate_signals` (negation, quotation), which cluster tokens keep
_SCOPE_MARKS = ("NOT_", "Q_")
#: what a token is to the group-context features: a content word, a function word (read
#: past, no feature), a clause break (ends the window) or a group
_CTX_WORD, _CTX_FUNCTION, _CTX_BREAK, _CTX_GROUP = 0, 1, 2, 3
_CLAUSE_BREAKS = frozenset(". ! ? ; : , but however though although".split())


def scope_split(norm: str) -> tuple[str, str]:
    """A norm's scope mark and its word: ("NOT_", "vile") for `NOT_vile`, ("", "vile")."""
    if norm.startswith(_SCOPE_MARKS):
        mark, core = norm.split("_", 1)
        return f"{mark}_", core
    return "", norm


def _context_kind(norm: str) -> int:
    core = norm.split("_", 1)[1] if norm.startswith(_SCOPE_MARKS) else norm
    if core == "GROUP":
        return _CTX_GROUP
    if core in _CLAUSE_BREAKS:
        return _CTX_BREAK
    if core in FUNCTION_WORDS or not core:
        return _CTX_FUNCTION
    return _CTX_WORD


def _grown(arr: np.ndarray, size: int, fill: object) -> np.ndarray:
    """A copy of `arr` with `size` rows, the new ones set to `fill`."""
    out = np.full((size, *arr.shape[1:]), fill, dtype=arr.dtype)
    out[: len(arr)] = arr
    return out


def _count_arrays(
    rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR arrays `(indptr, counts, cols)` of a canonical counts matrix (sorted, no
    duplicates) from (row, col) occurrences."""
    # One NumPy sort of packed (row, col) keys: faster than scipy sorting row by row; in
    # 32 bits where they fit (a batch of 1,000 comments' char n-grams sorts in half the time)
    keys = rows * n_cols + cols
    if n_rows * n_cols < np.iinfo(np.int32).max:
        keys = keys.astype(np.int32)
    keys = np.sort(keys)
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
    return indptr, counts, out_cols


def _index_dtype(nnz: int, n_cols: int) -> type[np.signedinteger]:
    """32-bit CSR indices where they fit, as scipy chooses them."""
    return np.int32 if max(nnz, n_cols) < np.iinfo(np.int32).max else np.int64


def _side_by_side(
    blocks: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], n_cols: int
) -> sp.csr_matrix:
    """One canonical CSR matrix from column blocks given as `(indptr, cols, data)` with
    their columns already offset: what `sp.hstack` returns, built with one matrix
    construction instead of one per block plus the stacking (most of a short comment's
    feature time went to scipy's per-matrix checks)."""
    sizes = np.stack([np.diff(indptr) for indptr, _, _ in blocks])  # (blocks, rows)
    indptr = np.zeros(sizes.shape[1] + 1, dtype=np.int64)
    np.cumsum(sizes.sum(axis=0), out=indptr[1:])
    nnz = int(indptr[-1])
    index_dtype = _index_dtype(nnz, n_cols)
    indices = np.empty(nnz, dtype=index_dtype)
    data = np.empty(nnz, dtype=np.float32)
    # where each block's part of a row starts in the output: the row's start plus the
    # sizes of the blocks before it in that row
    before = np.cumsum(sizes, axis=0) - sizes
    for (block_ptr, cols, values), offset in zip(blocks, before, strict=True):
        per_row = np.diff(block_ptr)
        shift = np.repeat(indptr[:-1] + offset - block_ptr[:-1], per_row)
        where = np.arange(cols.size, dtype=np.int64) + shift
        indices[where] = cols
        data[where] = values
    shape = (len(indptr) - 1, n_cols)
    matrix = sp.csr_matrix((data, indices, indptr.astype(index_dtype)), shape=shape)
    matrix.has_canonical_format = True
    return matrix
