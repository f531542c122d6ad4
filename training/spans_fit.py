"""Fit the span extractor's weights on toxic-spans posts (see `training/spans.py`).

Two linear models over the same token features (:mod:`app.spans.features`): a binary
logistic regression "is this token in the evidence" over every token of the train posts,
and a multinomial one over the evidence tokens for its type. The decoding settings are
then chosen on the dev posts, through the same code that scores.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from spacy.tokens import Doc

from app.labels import LABELS
from app.pipeline.extensions import doc_norm_ids
from app.spans.decode import DEFAULT_DECODE
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
from app.spans.model import N_OUT, SPAN_TYPES, SpanModel
from training.spans_data import SpanPost

log = logging.getLogger("moderate.train.spans")

DEFAULT_SETTINGS: dict[str, Any] = {
    "C": 0.05,
    "C_types": 1.0,
    "min_count": 2,
    "weight_bins": 8,
    "max_iter": 300,
    "soft": False,
}


@dataclass
class Featurized:
    """Docs of posts with the model's inputs."""

    posts: list[SpanPost]
    docs: list[Doc]
    probs: np.ndarray
    views: list[TokenView]
    tags: list[dict[str, list[tuple[int, str]]]]


def featurize(moderator, posts: Sequence[SpanPost], batch_size: int = 1000) -> Featurized:
    """Run the pipeline and the document classifier over the posts."""
    docs = moderator.docs([p.text for p in posts], batch_size)
    probs = moderator.probabilities(docs)
    views = [token_view(d) for d in docs]
    tags = [doc_tags(d, v, doc_norm_ids(d)) for d, v in zip(docs, views, strict=True)]
    return Featurized(list(posts), docs, probs, views, tags)


def token_labels(post: SpanPost, view: TokenView) -> tuple[np.ndarray, np.ndarray]:
    """Per token: in the gold (half of its characters or more are), and its type index
    in SPAN_TYPES (-1 outside the gold)."""
    y = np.zeros(len(view), dtype=np.int8)
    types = np.full(len(view), -1, dtype=np.int8)
    if not post.gold:
        return y, types
    gold = post.gold
    for k, (a, b) in enumerate(zip(*view.offsets(), strict=True)):
        hit = [gold[c] for c in range(a, b) if c in gold]
        if hit and 2 * len(hit) >= b - a:
            y[k] = 1
            types[k] = SPAN_TYPES.index(Counter(hit).most_common(1)[0][0])
    return y, types


class _Space:
    """Provisional column ids of feature strings while the matrices are built."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id(self, feature: str) -> int:
        got = self.ids.get(feature)
        if got is None:
            got = self.ids[feature] = len(self.ids)
        return got


def _ragged(lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lens = np.fromiter(map(len, lists), np.int64, len(lists))
    data = np.fromiter(itertools.chain.from_iterable(lists), np.int64, int(lens.sum()))
    offsets = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
    return data, offsets, lens


def _gather(data, offsets, lens, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(token row, column) pairs: the ragged rows `which` (-1: none) laid end to end."""
    valid = which >= 0
    w = np.where(valid, which, 0)
    counts = np.where(valid, lens[w], 0)
    total = int(counts.sum())
    rows = np.repeat(np.arange(which.size, dtype=np.int64), counts)
    first = np.repeat(offsets[w] - (np.cumsum(counts) - counts), counts)
    return rows, data[first + np.arange(total, dtype=np.int64)]


def design(
    feats: Featurized, cw: ClassifierWeights, space: _Space
) -> tuple[np.ndarray, np.ndarray, int]:
    """(rows, provisional columns, n_tokens) of the token feature matrix of `feats`."""
    vocab = feats.docs[0].vocab if feats.docs else None
    words: dict[int, int] = {}
    for view in feats.views:
        for o in view.orths:
            words.setdefault(o, len(words))
    per_offset: list[list[list[int]]] = [[] for _ in OFFSETS]
    lexemes = [vocab[o] for o in words]
    bins = cw.bins([lex.norm_ for lex in lexemes])
    for lexeme, word_bins in zip(lexemes, bins, strict=True):
        for j, names in enumerate(word_features(lexeme.orth_, lexeme.norm_, word_bins)):
            per_offset[j].append([space.id(s) for s in names])
    lens = [len(v) for v in feats.views]
    n_tok = sum(lens)
    word_of = np.fromiter(
        (words[o] for v in feats.views for o in v.orths), np.int64, n_tok
    )
    doc_of = np.repeat(np.arange(len(lens), dtype=np.int64), lens)
    pos = np.arange(n_tok, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    length = np.repeat(np.asarray(lens, dtype=np.int64), lens)
    all_rows: list[np.ndarray] = []
    all_cols: list[np.ndarray] = []
    for j, d in enumerate(OFFSETS):
        inside = (pos + d >= 0) & (pos + d < length)
        which = np.where(inside, np.roll(word_of, -d), -1)
        rows, cols = _gather(*_ragged(per_offset[j]), which)
        all_rows.append(rows)
        all_cols.append(cols)
    # tag features: every (family, offset, value) is one column
    base = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
    for family, offsets in TAG_FAMILIES.items():
        values: dict[str, int] = {}
        code = np.zeros(n_tok, dtype=np.int64)
        for b, tags in zip(base.tolist(), feats.tags, strict=True):
            for k, value in tags[family]:
                code[b + k] = values.setdefault(value, len(values) + 1)
        names = [None, *values]
        for d in offsets:
            table = np.array([-1] + [space.id(tag_feature(family, d, v)) for v in names[1:]])
            inside = (pos + d >= 0) & (pos + d < length)
            col = table[np.where(inside, np.roll(code, -d), 0)]
            keep = col >= 0
            all_rows.append(np.flatnonzero(keep))
            all_cols.append(col[keep])
    # doc features, repeated over each doc's tokens
    doc_cols = [
        [space.id(s) for s in doc_features(p, n)]
        for p, n in zip(feats.probs.tolist(), lens, strict=True)
    ]
    rows, cols = _gather(*_ragged(doc_cols), doc_of)
    all_rows.append(rows)
    all_cols.append(cols)
    return np.concatenate(all_rows), np.concatenate(all_cols), n_tok


def _matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, keep: np.ndarray) -> sp.csr_matrix:
    """Rows over the kept columns (`keep` maps provisional ids to columns, -1 = dropped)."""
    mapped = keep[cols]
    ok = mapped >= 0
    m = sp.csr_matrix(
        (np.ones(int(ok.sum()), dtype=np.float32), (rows[ok], mapped[ok])),
        shape=(n_rows, int(keep.max()) + 1 if keep.size else 0),
    )
    m.sum_duplicates()
    return m


def token_matrix(
    train: Featurized, cw: ClassifierWeights, min_count: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """The train tokens' feature matrix over features seen `min_count` times, and their
    keys (one per column)."""
    space = _Space()
    rows, cols, n_tok = design(train, cw, space)
    counts = np.bincount(cols, minlength=len(space.ids))
    kept = np.flatnonzero(counts >= min_count)
    keep = np.full(len(space.ids), -1, dtype=np.int64)
    keep[kept] = np.arange(kept.size)
    X = _matrix(rows, cols, n_tok, keep)
    names = np.empty(len(space.ids), dtype=object)
    for name, i in space.ids.items():
        names[i] = name
    keys = np.fromiter((feature_key(name) for name in names[kept]), np.uint64, kept.size)
    return X, keys


def train_targets(feats: Featurized, soft: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y, types, share): gold membership, type index and annotator share per token."""
    y, types, share = [], [], []
    for post, view in zip(feats.posts, feats.views, strict=True):
        a, b = token_labels(post, view)
        y.append(a)
        types.append(b)
        share.append(token_shares(post, view) if soft else a.astype(np.float64))
    return np.concatenate(y), np.concatenate(types), np.concatenate(share)


def token_shares(post: SpanPost, view: TokenView) -> np.ndarray:
    """Per token, the mean share of annotators who marked its characters."""
    votes = post.votes
    out = np.zeros(len(view))
    if votes:
        for k, (a, b) in enumerate(zip(*view.offsets(), strict=True)):
            out[k] = sum(votes.get(c, 0.0) for c in range(a, b)) / max(1, b - a)
    return out


def fit_heads(
    X: sp.csr_matrix,
    share: np.ndarray,
    types: np.ndarray,
    settings: dict[str, Any],
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(weights, intercept) of both heads over the columns of `X`.

    The membership head learns from the share of annotators who marked each token: a
    token marked by some is one weighted positive and one weighted negative example.
    """
    from sklearn.linear_model import LogisticRegression

    share = np.clip(share, 0.0, 1.0)
    part = np.flatnonzero((share > 0) & (share < 1))
    # every token once: positive with weight `share` (negative when no one marked it),
    # then the partly marked tokens again as negatives with the remaining weight
    rows = np.concatenate([np.arange(X.shape[0]), part])
    target = np.concatenate([(share > 0).astype(np.int8), np.zeros(part.size, np.int8)])
    weight = np.concatenate([np.where(share > 0, share, 1.0), 1.0 - share[part]])
    binary = LogisticRegression(
        C=float(settings["C"]),
        solver="liblinear",
        max_iter=int(settings["max_iter"]),
        random_state=seed,
    )
    binary.fit(X[rows], target, sample_weight=weight)
    inside = types >= 0
    typer = LogisticRegression(
        C=float(settings["C_types"]),
        solver="lbfgs",
        max_iter=int(settings["max_iter"]),
        random_state=seed,
    )
    typer.fit(X[inside], types[inside])
    weights = np.zeros((X.shape[1], N_OUT), dtype=np.float32)
    intercept = np.zeros(N_OUT, dtype=np.float32)
    weights[:, 0] = binary.coef_.ravel()
    intercept[0] = binary.intercept_[0]
    for c, t in enumerate(typer.classes_):
        weights[:, 1 + int(t)] = typer.coef_[c]
        intercept[1 + int(t)] = typer.intercept_[c]
    return weights, intercept


def _tag_values(feats: Featurized) -> dict[str, list[str]]:
    seen: dict[str, set[str]] = {f: set() for f in TAG_FAMILIES}
    for tags in feats.tags:
        for family, items in tags.items():
            seen[family].update(v for _, v in items)
    return {f: sorted(v) for f, v in seen.items()}


def fit_weight_bins(train: Featurized, cw: ClassifierWeights, n_bins: int) -> None:
    """Quantile edges of the classifier word weights over the train tokens."""
    counts = Counter(o for v in train.views for o in v.orths)
    vocab = train.docs[0].vocab
    orths = sorted(counts)
    values = cw.values([vocab[o].norm_ for o in orths])
    cw.fit(np.repeat(values, [counts[o] for o in orths], axis=0), n_bins)


def build_model(moderator, train: Featurized, settings: dict[str, Any], seed: int) -> SpanModel:
    """A span model fitted on `train` (decoding settings still the defaults)."""
    cw = ClassifierWeights(moderator.classifier)
    fit_weight_bins(train, cw, int(settings["weight_bins"]))
    X, keys = token_matrix(train, cw, int(settings["min_count"]))
    _y, types, share = train_targets(train, bool(settings.get("soft")))
    log.info("span training: %d tokens, %d features", X.shape[0], X.shape[1])
    weights, intercept = fit_heads(X, share, types, settings, seed)
    tag_values = _tag_values(train)
    config = {
        "tag_values": tag_values,
        "decode": dict(DEFAULT_DECODE),
        "labels": list(LABELS),
        "span_types": list(SPAN_TYPES),
        "settings": dict(settings),
        "seed": seed,
    }
    return SpanModel(keys, weights, intercept, config, moderator.classifier, cw.edges)
