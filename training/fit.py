"""Fit the classifier on part of a corpus and pick its thresholds on another part."""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_curve

from app.classifier import UNKNOWN, ModerationClassifier
from app.features import TextVectorizer
from app.labels import LABELS
from training.corpus import Corpus

log = logging.getLogger("moderate.train")


def pick_thresholds(
    probs: np.ndarray,
    Y: np.ndarray,
    remove_precision: float,
    datasets: np.ndarray | None = None,
    min_positives: int = 10,
) -> tuple[dict[str, float], dict[str, float]]:
    """Per label: the review threshold, and the lowest threshold whose dev precision
    reaches `remove_precision` (used to remove without review).

    The review threshold maximises the F1 of the label on the dev rows; given `datasets`
    (the dataset of each dev row), the mean of its F1 over the datasets with at least
    `min_positives` positives for the label. A threshold that is best for the pooled dev
    rows serves the datasets with most positives; the product serves every community, so
    each dataset counts once.
    """
    review: dict[str, float] = {}
    remove: dict[str, float] = {}
    for j, label in enumerate(LABELS):
        known = Y[:, j] != UNKNOWN
        y, p = Y[known, j], probs[known, j]
        if y.sum() == 0:
            review[label], remove[label] = 0.5, 0.95
            continue
        precision, recall, thresholds = precision_recall_curve(y, p)
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
        best = float(thresholds[int(np.argmax(f1[:-1]))])
        if datasets is not None:
            best = _dataset_balanced_threshold(y, p, datasets[known], min_positives, best)
        review[label] = round(best, 4)
        ok = np.where(precision[:-1] >= remove_precision)[0]
        cut = float(thresholds[ok[0]]) if ok.size else 0.95
        remove[label] = round(max(cut, review[label], 0.5), 4)
    return review, remove


def _dataset_balanced_threshold(
    y: np.ndarray, p: np.ndarray, datasets: np.ndarray, min_positives: int, pooled: float
) -> float:
    """The threshold (among 200 quantiles of the scores) maximising the mean per-dataset
    F1; the pooled one when fewer than two datasets have enough positives."""
    names = [d for d in np.unique(datasets) if y[datasets == d].sum() >= min_positives]
    if len(names) < 2:
        return pooled
    candidates = np.unique(np.quantile(p, np.linspace(0.0, 0.995, 200)))
    means = np.zeros(candidates.size)
    for name in names:
        mine = datasets == name
        yd, pd_ = y[mine], p[mine]
        pred = pd_[None, :] >= candidates[:, None]
        tp = (pred & (yd[None, :] == 1)).sum(axis=1)
        fp = (pred & (yd[None, :] == 0)).sum(axis=1)
        fn = yd.sum() - tp
        means += 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return float(candidates[int(np.argmax(means))])


def group_balance(corpus: Corpus, rows: np.ndarray, strength: float) -> np.ndarray:
    """Weights that make naming a group carry no evidence of an identity attack.

    In the public datasets a text that names a protected group is far more often hateful
    than one that names none, so a linear model learns "a group is named" as evidence of
    hate and flags "Gay people deserve equal rights". Within each dataset, the rows that
    name a group are reweighted so that their weighted share of identity attacks moves to
    the share among the dataset's rows that name none (`strength` 1: all the way, 0: not
    at all); each class keeps its total weight within the stratum's rows otherwise.
    Returns a factor per row of `rows` (a boolean mask), 1 elsewhere.
    """
    factor = np.ones(len(corpus.rows))
    if strength <= 0:
        return factor
    j = LABELS.index("identity_attack")
    y = corpus.Y[:, j]
    named = np.array([bool(g) for g in corpus.groups])
    dataset = corpus.dataset
    for name in np.unique(dataset[rows]):
        mine = rows & (dataset == name) & (y != UNKNOWN)
        g_pos, g_neg = mine & named & (y == 1), mine & named & (y == 0)
        o_pos, o_neg = mine & ~named & (y == 1), mine & ~named & (y == 0)
        w = corpus.weights
        gp, gn = w[g_pos].sum(), w[g_neg].sum()
        op, on = w[o_pos].sum(), w[o_neg].sum()
        if min(gp, gn) == 0 or op + on == 0:
            continue
        rate_group = gp / (gp + gn)
        rate_other = op / (op + on)
        target = rate_group + strength * (rate_other - rate_group)
        target = min(max(target, 0.02), 0.98)
        total = gp + gn
        factor[g_pos] = target * total / gp
        factor[g_neg] = (1 - target) * total / gn
    return factor


def make_vectorizer(config: dict[str, Any]) -> TextVectorizer:
    """The configured vectorizer; with `clusters` settings it reads word clusters built
    from the pretrained vectors (`training.word_clusters`)."""
    params = {k: (tuple(v) if isinstance(v, list) else v) for k, v in config["vectorizer"].items()}
    spec = config.get("clusters")
    if spec:
        from training.word_clusters import build_clusters

        params["clusters"] = build_clusters(
            int(spec["n_words"]), int(spec["n_clusters"]), int(config["seed"]),
            int(spec.get("remove_top", 3)),
        )
    spec = config.get("valence")
    if spec:
        from app.features import FUNCTION_WORDS
        from training.valence import build_valence

        params["valence"] = build_valence(
            float(spec.get("min_abs", 1.0)), float(spec.get("strong", 2.0)), FUNCTION_WORDS
        )
        params["valence_unigrams"] = bool(spec.get("unigrams", True))
        params["cluster_valence"] = bool(spec.get("clusters", False))
    return TextVectorizer(**params)


def fit_classifier(
    corpus: Corpus, train: np.ndarray, dev: np.ndarray, config: dict[str, Any]
) -> tuple[ModerationClassifier, dict[str, float], dict[str, float]]:
    """Fit vocabularies and heads on the `train` rows, calibrate and pick thresholds on the
    `dev` rows (boolean masks over the corpus). Returns (classifier, review, remove)."""
    started = time.perf_counter()
    tr = np.flatnonzero(train)
    dv = np.flatnonzero(dev)
    norms = corpus.norms
    vectorizer = make_vectorizer(config)
    vectorizer.fit([norms[i] for i in tr])
    X_tr = vectorizer.transform([norms[i] for i in tr], corpus.signals[tr])
    X_dv = vectorizer.transform([norms[i] for i in dv], corpus.signals[dv])
    log.info("features: %d columns (%.1fs)", X_tr.shape[1], time.perf_counter() - started)
    params = config["classifier"]
    clf = ModerationClassifier(
        vectorizer,
        C=params["C"],
        random_state=int(config["seed"]),
        dual=bool(params.get("dual", False)),
        tol=float(params.get("tol", 1e-4)),
        lowering_signals=params.get("lowering_signals", ()),
        nb_mix=float(params.get("nb_mix", 0.0)),
        lowering_heads=params.get("lowering_heads", ()),
    )
    weights = corpus.weights * group_balance(
        corpus, train, float(config.get("group_balance", 0.0))
    )
    clf.fit(X_tr, corpus.Y[tr], X_dv, corpus.Y[dv], sample_weight=weights[tr])
    rule = config.get("thresholds") or {}
    balanced = rule.get("by") == "dataset_mean_f1"
    review, remove = pick_thresholds(
        clf.predict_proba(X_dv),
        corpus.Y[dv],
        float(config["remove_precision"]),
        corpus.dataset[dv] if balanced else None,
        int(rule.get("min_positives", 10)),
    )
    log.info("fitted in %.1fs", time.perf_counter() - started)
    return clf, review, remove
