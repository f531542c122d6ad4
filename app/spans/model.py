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

from app.pipeline.extensions import doc_norm_ids
from app.spans.features import (
    OFFSETS,
    TAG_FAMILIES,
    ClassifierWeights,
    TokenView,
    doc_features,
    doc_tags,
    feature_key,
    tag_feature,
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
_CACHE_LIMIT = 500_000


@dataclass(slots=True)
class TokenScores:
    """One doc's tokens and the model's view of them."""

    view: TokenView
    tags: dict[str, list[tuple[int, str]]]
    #: probability that each token is in a span, shape (n_tokens,)
    prob: np.ndarray
    #: probability of each of :data:`SPAN_TYPES` per token, shape (n_tokens, len(SPAN_TYPES))
    types: np.ndarray


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
        self._tag_codes: dict[str, dict[str, int]] = {}
        self._tag_tables: dict[str, np.ndarray] = {}
        for family, offsets in TAG_FAMILIES.items():
            values = list(config["tag_values"].get(family, []))
            self._tag_codes[family] = {v: k + 1 for k, v in enumerate(values)}
            table = np.zeros((len(values) + 1, len(offsets), N_OUT), dtype=np.float32)
            for k, value in enumerate(values, 1):
                for j, d in enumerate(offsets):
                    table[k, j] = self._lookup([feature_key(tag_feature(family, d, value))])
            self._tag_tables[family] = table
        self._doc_bias: dict[str, np.ndarray] = {}
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

    def _doc_vector(self, probs: Sequence[float], n_tokens: int) -> np.ndarray:
        total = self.intercept.copy()
        for name in doc_features(probs, n_tokens):
            vec = self._doc_bias.get(name)
            if vec is None:
                vec = self._doc_bias[name] = self._lookup([feature_key(name)])
            total += vec
        return total

    # -- the per-word table ---------------------------------------------------------------------
    def _reset_cache(self) -> None:
        self._rows: dict[int, int] = {}
        self._table = np.zeros((1024, len(OFFSETS), N_OUT), dtype=np.float32)  # row 0: padding
        self._n_rows = 1

    def _word_rows(self, doc: Doc, orths: Sequence[int]) -> list[int]:
        rows = self._rows
        got = [rows.get(o) for o in orths]
        if None not in got:
            return got  # type: ignore[return-value]
        with self._lock:
            if len(rows) >= _CACHE_LIMIT:
                self._reset_cache()
                rows = self._rows
            vocab = doc.vocab
            for k, o in enumerate(orths):
                row = rows.get(o)
                if row is None:
                    lexeme = vocab[o]
                    feats = word_features(lexeme.orth_, lexeme.norm_, self.cw.bins(lexeme.norm_))
                    if self._n_rows == self._table.shape[0]:
                        grown = np.zeros((2 * self._n_rows, *self._table.shape[1:]), np.float32)
                        grown[: self._n_rows] = self._table
                        self._table = grown
                    row = self._n_rows
                    for j, names in enumerate(feats):
                        self._table[row, j] = self._lookup([feature_key(s) for s in names])
                    self._n_rows += 1
                    rows[o] = row
                got[k] = row
        return got  # type: ignore[return-value]

    # -- scoring ---------------------------------------------------------------------------------
    def score(self, docs: Sequence[Doc], probs: np.ndarray) -> list[TokenScores]:
        """Token probabilities for docs, given each doc's classifier probabilities."""
        if not len(docs):
            return []
        views = [token_view(doc) for doc in docs]
        flat: list[int] = [0] * _PAD
        tags_of = []
        families = {f: [0] * _PAD for f in TAG_FAMILIES}
        starts = []
        for doc, view in zip(docs, views, strict=True):
            starts.append(len(flat))
            flat += self._word_rows(doc, view.orths)
            flat += [0] * _PAD
            tags = doc_tags(doc, view, doc_norm_ids(doc))
            tags_of.append(tags)
            for family, codes in families.items():
                base = len(codes)
                codes += [0] * (len(view) + _PAD)
                lookup = self._tag_codes[family]
                for k, value in tags[family]:
                    codes[base + k] = lookup.get(value, 0)
        rows = np.asarray(flat, dtype=np.int64)
        lens = [len(v) for v in views]
        idx = np.concatenate(
            [np.arange(s, s + n, dtype=np.int64) for s, n in zip(starts, lens, strict=True)]
            or [np.zeros(0, np.int64)]
        )
        table = self._table  # grown arrays replace it, so this reference stays whole
        total = np.zeros((idx.size, N_OUT), dtype=np.float32)
        for j, d in enumerate(OFFSETS):
            total += table[rows[idx + d], j]
        for family, offsets in TAG_FAMILIES.items():
            codes = np.asarray(families[family], dtype=np.int64)
            t = self._tag_tables[family]
            for j, d in enumerate(offsets):
                total += t[codes[idx + d], j]
        bias = np.stack([self._doc_vector(p, n) for p, n in zip(probs, lens, strict=True)])
        total += np.repeat(bias, lens, axis=0)
        prob = 1.0 / (1.0 + np.exp(-total[:, 0]))
        logits = total[:, 1:]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        types = e / e.sum(axis=1, keepdims=True)
        out = []
        pos = 0
        for view, tags, n in zip(views, tags_of, lens, strict=True):
            out.append(TokenScores(view, tags, prob[pos : pos + n], types[pos : pos + n]))
            pos += n
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
