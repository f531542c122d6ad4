"""The span model: token scores from the saved weights, and its files (no pickles).

`spans.npz` holds NumPy arrays only (feature keys, weights, intercepts, bin edges; loaded
with `allow_pickle=False`) and `spans.json` the configuration: the tag values, the decoding
settings chosen on dev data and the training record.

Scoring factors the linear model (see :mod:`app.spans.features`): each distinct token
string gets a row of summed word-feature weights per offset the first time it is seen, tag
and doc features are small tables, so a batch of docs is a few NumPy gathers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from app.labels import LABELS
from app.pipeline.extensions import doc_norm_ids
from app.pipeline.lexicon import LexMatch
from app.spans.features import (
    MAX_LENGTH_BUCKET,
    OFFSETS,
    PROB_BINS,
    TAG_FAMILIES,
    ClassifierWeights,
    TokenView,
    feature_key,
    iter_tags,
    length_bucket,
    tag_feature,
    tag_matches,
    token_view,
    word_features,
)

SPANS_NPZ = "spans.npz"
SPANS_JSON = "spans.json"
FORMAT = 1
#: the span types the model tells apart (slur and dehumanization come from the lexicon)
SPAN_TYPES: tuple[str, ...] = ("insult", "threat", "identity_attack", "profanity")
N_OUT = 1 + len(SPAN_TYPES)  # column 0: "in a span" logit; then one logit per type
_PAD = 2  # padding tokens between docs in a batch (the widest offset)
_PADDING = [0] * _PAD
_CACHE_LIMIT = 500_000


@dataclass(slots=True)
class TokenScores:
    """One doc's tokens and the model's view of them."""

    view: TokenView
    #: the doc's lexicon matches that tag tokens (see `tag_matches`)
    matches: list[LexMatch]
    #: probability that each token is in a span, shape (n_tokens,)
    prob: np.ndarray
    #: probability of each of :data:`SPAN_TYPES` per token, shape (n_tokens, len(SPAN_TYPES))
    types: np.ndarray
    #: each token's most likely type (index into :data:`SPAN_TYPES`)
    best_type: list[int]


class SpanModel:
    """A fitted span model.

    Parameters
    ----------
    keys : ndarray of uint64, sorted
        Feature keys (see :func:`app.spans.features.feature_key`).
    weights : ndarray of shape (len(keys), N_OUT)
    intercept : ndarray of shape (N_OUT,)
    config : dict
        `tag_values` (family -> values), `decode` settings, `bin_edges` are stored in the npz.
    classifier : the document classifier whose word weights are features.
    edges : ndarray, bin edges of :class:`ClassifierWeights`.
    """

    def __init__(
        self,
        keys: np.ndarray,
        weights: np.ndarray,
        intercept: np.ndarray,
        config: dict[str, Any],
        classifier,
        edges: np.ndarray,
    ) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = np.asarray(keys, dtype=np.uint64)[order]
        self.weights = np.asarray(weights, dtype=np.float32)[order]
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.config = config
        self.decode = dict(config.get("decode") or {})
        self.cw = ClassifierWeights(classifier, np.asarray(edges, dtype=np.float64))
        # tag features: every (family, value, offset) has a row of weights in one table;
        # a tag value seen at a token adds its row to the token `offset` places before it
        self._tag_rows: dict[str, dict[str, list[tuple[int, int]]]] = {}
        tag_rows = [np.zeros(N_OUT, dtype=np.float32)]
        for family, offsets in TAG_FAMILIES.items():
            by_value: dict[str, list[tuple[int, int]]] = {}
            for value in config["tag_values"].get(family, []):
                by_value[value] = []
                for d in offsets:
                    by_value[value].append((d, len(tag_rows)))
                    tag_rows.append(self._lookup([feature_key(tag_feature(family, d, value))]))
            self._tag_rows[family] = by_value
        self._tag_table = np.stack(tag_rows)
        # doc features: a table per label of its probability bins, and one of length buckets
        n_bins = len(PROB_BINS) + 1
        self._prob_table = np.zeros((len(LABELS), n_bins, N_OUT), dtype=np.float32)
        for j, label in enumerate(LABELS):
            for b in range(n_bins):
                self._prob_table[j, b] = self._lookup([feature_key(f"dp{label}={b}")])
        self._length_table = np.stack(
            [self._lookup([feature_key(f"dn={b}")]) for b in range(MAX_LENGTH_BUCKET + 1)]
        )
        self._lock = threading.Lock()
        self._reset_cache()

    # -- weights of features ------------------------------------------------------------------
    def _lookup(self, keys: Sequence[int]) -> np.ndarray:
        """Summed weights of feature keys (unknown keys weigh nothing)."""
        if not len(keys) or not self.keys.size:
            return np.zeros(N_OUT, dtype=np.float32)
        k = np.fromiter(keys, np.uint64, len(keys))
        pos = np.searchsorted(self.keys, k)
        pos[pos == self.keys.size] = 0
        hit = pos[self.keys[pos] == k]
        return self.weights[hit].sum(axis=0, dtype=np.float32)

    def _doc_bias(self, probs: np.ndarray, lens: Sequence[int]) -> np.ndarray:
        """Intercept plus doc-feature weights, one row per doc (see `doc_features`)."""
        bins = np.searchsorted(PROB_BINS, np.asarray(probs, dtype=np.float64), side="right")
        buckets = [length_bucket(n) for n in lens]
        labels = np.arange(len(LABELS))
        return (
            self.intercept
            + self._prob_table[labels, bins].sum(axis=1)
            + self._length_table[buckets]
        )

    # -- the per-word table ---------------------------------------------------------------------
    def _reset_cache(self) -> None:
        self._rows: dict[int, int] = {}
        self._table = np.zeros((1024, len(OFFSETS), N_OUT), dtype=np.float32)  # row 0: padding
        self._n_rows = 1

    def _word_rows(self, docs: Sequence[Doc], views: Sequence[TokenView]) -> list[list[int]]:
        """Each view's table rows; the token strings not seen before get theirs first, all
        at once (feature strings hashed and looked up in one sorted search)."""
        rows = self._rows
        out = [[rows.get(o) for o in view.orths] for view in views]
        if not any(None in got for got in out):
            return out  # type: ignore[return-value]
        with self._lock:
            if len(rows) + sum(len(v) for v in views) >= _CACHE_LIMIT:
                self._reset_cache()
                rows = self._rows
            new = list(
                dict.fromkeys(o for view in views for o in view.orths if o not in rows)
            )
            if new:
                self._learn(docs[0].vocab, new)
            return [[rows[o] for o in view.orths] for view in views]

    def _learn(self, vocab, orths: Sequence[int]) -> None:
        """Add table rows for token strings (orth ids): their word features' summed
        weights at each offset."""
        lexemes = [vocab[o] for o in orths]
        norms = [lex.norm_ for lex in lexemes]
        bins = self.cw.bins(norms)
        names: list[str] = []
        owner: list[int] = []  # (row - first) * len(OFFSETS) + offset index
        for w, (lex, norm) in enumerate(zip(lexemes, norms, strict=True)):
            for j, feats in enumerate(word_features(lex.orth_, norm, bins[w])):
                names += feats
                owner += [w * len(OFFSETS) + j] * len(feats)
        keys = np.fromiter(map(feature_key, names), np.uint64, len(names))
        contrib = np.zeros((len(orths) * len(OFFSETS), N_OUT), dtype=np.float32)
        if self.keys.size and keys.size:
            pos = np.searchsorted(self.keys, keys)
            pos[pos == self.keys.size] = 0
            hit = self.keys[pos] == keys
            np.add.at(contrib, np.asarray(owner, dtype=np.int64)[hit], self.weights[pos[hit]])
        first = self._n_rows
        needed = first + len(orths)
        if needed > self._table.shape[0]:
            grown = np.zeros((2 * needed, *self._table.shape[1:]), dtype=np.float32)
            grown[:first] = self._table[:first]
            self._table = grown  # readers holding the old array still see whole rows
        self._table[first:needed] = contrib.reshape(len(orths), len(OFFSETS), N_OUT)
        self._n_rows = needed
        for k, o in enumerate(orths):
            self._rows[o] = first + k

    # -- scoring ---------------------------------------------------------------------------------
    def score(self, docs: Sequence[Doc], probs: np.ndarray) -> list[TokenScores]:
        """Token probabilities for docs, given each doc's classifier probabilities."""
        if not len(docs):
            return []
        views = [token_view(doc) for doc in docs]
        lens = [len(v) for v in views]
        # the batch as one row of tokens, _PAD padding tokens before and after each doc
        flat: list[int] = [0] * _PAD
        tags_of = []
        tag_targets: list[int] = []  # flat position of the token a tag row is added to
        tag_rows: list[int] = []
        tag_lookup = self._tag_rows
        for doc, view, word_rows in zip(docs, views, self._word_rows(docs, views), strict=True):
            base = len(flat)
            flat += word_rows
            flat += _PADDING
            matches = tag_matches(doc)
            tags_of.append(matches)
            for family, k, value in iter_tags(doc, view, doc_norm_ids(doc), matches):
                for d, row in tag_lookup[family].get(value, ()):
                    tag_targets.append(base + k - d)
                    tag_rows.append(row)
        rows = np.asarray(flat, dtype=np.int64)
        n_tok = sum(lens)
        # flat position of every token: its doc's first position, then one by one
        first = np.cumsum([_PAD] + [n + _PAD for n in lens[:-1]])
        idx = np.repeat(first - np.cumsum([0] + lens[:-1]), lens) + np.arange(n_tok)
        table = self._table  # grown arrays replace it, so this reference stays whole
        total = np.repeat(self._doc_bias(probs, lens), lens, axis=0)
        for j, d in enumerate(OFFSETS):
            total += table[rows[idx + d], j]
        if tag_targets:
            # padding positions map to no token (-1): a tag near a doc's edge adds nothing
            token_at = np.full(rows.size, -1, dtype=np.int64)
            token_at[idx] = np.arange(n_tok)
            target = token_at[np.asarray(tag_targets, dtype=np.int64)]
            keep = target >= 0
            np.add.at(total, target[keep], self._tag_table[np.asarray(tag_rows)[keep]])
        prob = 1.0 / (1.0 + np.exp(-total[:, 0]))
        logits = total[:, 1:]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        types = e / e.sum(axis=1, keepdims=True)
        best = logits.argmax(axis=1).tolist()
        out = []
        pos = 0
        for view, matches, n in zip(views, tags_of, lens, strict=True):
            end = pos + n
            out.append(TokenScores(view, matches, prob[pos:end], types[pos:end], best[pos:end]))
            pos = end
        return out

    # -- files -----------------------------------------------------------------------------------
    def save(self, model_dir: str | Path) -> None:
        """Write `spans.npz` and `spans.json` into a model folder."""
        model_dir = Path(model_dir)
        np.savez(
            model_dir / SPANS_NPZ,
            keys=self.keys,
            weights=self.weights,
            intercept=self.intercept,
            bin_edges=self.cw.edges,
        )
        config = {**self.config, "format": FORMAT, "n_features": int(self.keys.size)}
        (model_dir / SPANS_JSON).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, model_dir: str | Path, classifier) -> SpanModel | None:
        """The span model of a model folder, or None when it has none (an older model)."""
        model_dir = Path(model_dir)
        if not (model_dir / SPANS_NPZ).exists():
            return None
        config = json.loads((model_dir / SPANS_JSON).read_text())
        if config.get("format") != FORMAT:
            raise ValueError(f"{model_dir / SPANS_JSON} has format {config.get('format')}")
        with np.load(model_dir / SPANS_NPZ, allow_pickle=False) as arrays:
            return cls(
                arrays["keys"],
                arrays["weights"],
                arrays["intercept"],
                config,
                classifier,
                arrays["bin_edges"],
            )
