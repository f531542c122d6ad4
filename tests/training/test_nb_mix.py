"""NB-LR mixing in the heads: the ratios, and that a mixed head is the mean of two fits."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from app.classifier import UNKNOWN, ModerationClassifier, nb_ratios
from app.labels import LABELS


def _problem(seed: int = 3, n: int = 400, d: int = 60) -> tuple[sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = sp.random(n, d, density=0.15, random_state=seed, format="csr", dtype=np.float64)
    y = (X[:, :5].sum(axis=1).A1 + 0.1 * rng.standard_normal(n) > 0.35).astype(int)
    return X, y


def test_nb_ratios_favour_the_columns_of_the_positives():
    X = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 1.0]]))
    y = np.array([1, 1, 0, 0, 0])
    r = nb_ratios(X, y, np.ones(5))
    assert r[0] > 0 > r[1]
    # weights count like repeated rows
    doubled = nb_ratios(sp.vstack([X, X[:1]]), np.append(y, 1), np.ones(6))
    np.testing.assert_allclose(nb_ratios(X, y, np.array([2.0, 1, 1, 1, 1])), doubled)


def test_a_mixed_head_is_the_weight_space_mean_of_the_plain_and_the_nb_fit():
    X, y = _problem()
    Y = np.zeros((len(y), len(LABELS)), dtype=np.int8)
    Y[:40] = 1  # the other heads: some label, fitted but not checked
    Y[:, LABELS.index("insult")] = y
    Y[::7, LABELS.index("threat")] = UNKNOWN  # a head fits on its known rows only
    clf = ModerationClassifier(vectorizer=None, C=1.0, random_state=13, nb_mix=0.5)
    clf.fit(X, Y, X, Y)
    j = LABELS.index("insult")

    def fit(A):
        est = LogisticRegression(
            C=1.0,
            class_weight="balanced",
            solver="liblinear",
            max_iter=200,
            random_state=13,
            tol=1e-4,
        )
        return est.fit(A, y)

    plain = fit(X)
    r = nb_ratios(X, y, np.ones(len(y)))
    nb = fit(X @ sp.diags(r))
    expected = 0.5 * plain.coef_.ravel() + 0.5 * nb.coef_.ravel() * r
    np.testing.assert_allclose(clf.coef_[:, j], expected, rtol=1e-5, atol=1e-6)
    assert abs(clf.intercept_[j] - (0.5 * plain.intercept_[0] + 0.5 * nb.intercept_[0])) < 1e-5
    # and it is not just the plain fit: the NB half moved the weights
    assert not np.allclose(clf.coef_[:, j], plain.coef_.ravel(), atol=1e-3)


def test_without_nb_mix_a_head_is_the_plain_fit():
    X, y = _problem(seed=5)
    Y = np.zeros((len(y), len(LABELS)), dtype=np.int8)
    Y[:, 0] = y
    Y[:30, 1:] = 1
    a = ModerationClassifier(vectorizer=None, C=1.0).fit(X, Y, X, Y)
    b = ModerationClassifier(vectorizer=None, C=1.0, nb_mix=0.0).fit(X, Y, X, Y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_a_cue_of_opposition_never_raises_a_mixed_head():
    from app.pipeline.signals import SIGNAL_COLUMNS

    X, y = _problem(seed=7, d=80)
    cue = X.shape[1] - len(SIGNAL_COLUMNS) + SIGNAL_COLUMNS.index("cue_counter")
    X = X.tolil()
    X[np.flatnonzero(y == 1)[::2], cue] = 1.0  # the cue sits beside the positives
    X = X.tocsr()
    Y = np.zeros((len(y), len(LABELS)), dtype=np.int8)
    Y[:40] = 1
    j = LABELS.index("insult")
    Y[:, j] = y
    free = ModerationClassifier(vectorizer=None, C=1.0, nb_mix=0.5).fit(X, Y, X, Y)
    assert free.coef_[cue, j] > 0  # without the rule the cue would raise the score
    held = ModerationClassifier(
        vectorizer=None, C=1.0, nb_mix=0.5, lowering_signals=("cue_counter",)
    ).fit(X, Y, X, Y)
    assert held.coef_[cue, j] <= 0
