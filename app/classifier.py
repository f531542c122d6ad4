"""The trained part: one calibrated logistic regression per label over shared features.

Each label has its own scikit-learn `LogisticRegression`, trained only on the rows whose
dataset says something about that label (a dataset without threat annotations neither
teaches nor punishes the threat head). Each head's decision value is Platt-scaled on the
held-out dev split, so scores are probabilities a policy can threshold. For speed the heads
are stacked into one weight matrix: a batch is scored with a single sparse product, and
the saved object holds only NumPy arrays (serving never imports scikit-learn).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from app.features import TextVectorizer
from app.labels import LABELS

UNKNOWN = -1  # label value of a row whose dataset does not annotate that label


def nb_ratios(X: sp.csr_matrix, y: np.ndarray, w: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Naive Bayes log-count ratios of the columns of X for binary labels `y` with sample
    weights `w`: log of (smoothed share of the positives' feature mass) over (the same for
    the negatives); `alpha` smooths both."""
    pos = np.asarray(X.T @ (w * (y == 1))).ravel() + alpha
    neg = np.asarray(X.T @ (w * (y == 0))).ravel() + alpha
    return np.log((pos / pos.sum()) / (neg / neg.sum()))


class ModerationClassifier:
    """Vectorizer plus one calibrated linear head per label.

    Parameters
    ----------
    vectorizer : TextVectorizer
        Turns token norms and signal rows into features.
    C : float or dict[str, float], default=4.0
        Inverse regularization strength, per label if a dict.
    random_state : int, default=13
        Seed passed to every estimator.
    dual : bool, default=False
        Solve liblinear's dual problem (much faster on many sparse rows, same optimum).
    tol : float, default=1e-4
        The solver's stopping tolerance.
    lowering_signals : sequence of str, default=()
        Signal columns that are evidence against an attack (a counter-speech or support
        cue, a negated attack word): no head may learn to raise its score from them. A head
        that fits a positive weight on one is refitted without those columns (weight 0).
    nb_mix : float, default=0.0
        Share of an NB-LR fit in each head (Wang & Manning 2012): a second logistic
        regression on the columns scaled by their Naive Bayes log-count ratios, averaged
        with the plain one in weight space, so the head stays one linear model and serving
        is unchanged. 0: the plain fit only.
    lowering_heads : sequence of str, default=()
        Heads whose weights on the vectorizer's `lowering_columns` (praise of a group, a
        denied attack on it) are clipped at 0 after the fit: in the datasets any word next
        to a group comes with the group's hate rate, so "GROUP are good" learned a positive
        weight on `G>V+1`; a compliment may lower an attack score, never raise it.
        Clipped rather than refitted (as `lowering_signals` are), which would double the
        fit; the clip cost nothing on dev (README, model 1.3.0).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features, n_labels)
    intercept_ : ndarray of shape (n_labels,)
    calibration_ : ndarray of shape (n_labels, 2)
        Platt scaling `(a, b)`: probability = sigmoid(a * decision + b).
    """

    def __init__(
        self,
        vectorizer: TextVectorizer,
        C: float | dict[str, float] = 4.0,
        random_state: int = 13,
        dual: bool = False,
        tol: float = 1e-4,
        lowering_signals: Sequence[str] = (),
        nb_mix: float = 0.0,
        lowering_heads: Sequence[str] = (),
    ) -> None:
        self.vectorizer = vectorizer
        self.C = C
        self.random_state = random_state
        self.dual = dual
        self.tol = tol
        self.lowering_signals = tuple(lowering_signals)
        self.nb_mix = float(nb_mix)
        self.lowering_heads = tuple(lowering_heads)

    labels: tuple[str, ...] = LABELS

    def _c(self, label: str) -> float:
        return self.C[label] if isinstance(self.C, dict) else float(self.C)

    def fit(
        self,
        X: sp.csr_matrix,
        Y: np.ndarray,
        X_dev: sp.csr_matrix,
        Y_dev: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> ModerationClassifier:
        """Fit every head on its known rows, then calibrate it on the dev rows.

        `Y` and `Y_dev` have one column per label with values 0, 1 or `UNKNOWN`.
        """
        # imported here: serving only needs the fitted arrays, not scikit-learn
        from sklearn.linear_model import LogisticRegression

        n_features = X.shape[1]
        self.coef_ = np.zeros((n_features, len(self.labels)), dtype=np.float32)
        self.intercept_ = np.zeros(len(self.labels), dtype=np.float32)
        self.calibration_ = np.tile(np.array([1.0, 0.0]), (len(self.labels), 1))
        weights = np.ones(X.shape[0]) if sample_weight is None else sample_weight
        lowering = self._lowering_columns(n_features)
        clipped = np.asarray(
            self.vectorizer.lowering_columns() if self.lowering_heads else [], dtype=np.int64
        )
        for j, label in enumerate(self.labels):
            known = Y[:, j] != UNKNOWN
            est = LogisticRegression(
                C=self._c(label),
                class_weight="balanced",
                solver="liblinear",
                dual=self.dual,
                tol=self.tol,
                max_iter=200 if not self.dual else 1000,
                random_state=self.random_state,
            )
            X_known = X[known]
            y, w = Y[known, j], weights[known]
            coef, intercept = self._fit_lowered(est, X_known, y, w, lowering)
            if self.nb_mix:
                # the NB-LR fit reads rare, one-sided n-grams more strongly and the plain fit
                # the broad ones; on dev they err on different datasets (README, run h6)
                nb_coef, nb_intercept = self._fit_lowered(
                    est, X_known, y, w, lowering, scale=nb_ratios(X_known, y, w)
                )
                coef = (1 - self.nb_mix) * coef + self.nb_mix * nb_coef
                intercept = (1 - self.nb_mix) * intercept + self.nb_mix * nb_intercept
            if label in self.lowering_heads and clipped.size:
                coef[clipped] = np.minimum(coef[clipped], 0.0)
            self.coef_[:, j] = coef
            self.intercept_[j] = intercept
            dev_known = Y_dev[:, j] != UNKNOWN
            z = self.decision_function(X_dev[dev_known])[:, j]
            platt = LogisticRegression(C=1e4, solver="lbfgs")
            platt.fit(z.reshape(-1, 1), Y_dev[dev_known, j])
            self.calibration_[j] = (platt.coef_[0, 0], platt.intercept_[0])
        return self

    @staticmethod
    def _fit_lowered(
        est,
        X: sp.csr_matrix,
        y: np.ndarray,
        w: np.ndarray,
        lowering: Sequence[int],
        scale: np.ndarray | None = None,
    ) -> tuple[np.ndarray, float]:
        """Fit `est` on X (its columns multiplied by `scale`, if given) and return the
        coefficients of X's columns and the intercept. A lowering column that comes out
        positive is refitted at weight 0: the datasets correlate some cues of opposition
        with the hate around them ("calling them rats is racist" sits in threads full of
        hate); a cue that argues against an attack may lower a score, never raise it."""
        A = X if scale is None else X @ sp.diags(scale)
        est.fit(A, y, sample_weight=w)
        coef = est.coef_.ravel() if scale is None else est.coef_.ravel() * scale
        wrong = [c for c in lowering if coef[c] > 0]
        if wrong:
            keep = np.ones(X.shape[1])
            keep[wrong] = 0.0
            est.fit(A @ sp.diags(keep), y, sample_weight=w)
            coef = est.coef_.ravel() if scale is None else est.coef_.ravel() * scale
        return coef, est.intercept_[0]

    def _lowering_columns(self, n_features: int) -> list[int]:
        """Feature columns of `lowering_signals` (the signals are the last columns)."""
        from app.pipeline.signals import SIGNAL_COLUMNS

        first = n_features - len(SIGNAL_COLUMNS)
        return [first + SIGNAL_COLUMNS.index(name) for name in self.lowering_signals]

    def decision_function(self, X: sp.csr_matrix) -> np.ndarray:
        """Raw linear scores, shape (n_samples, n_labels)."""
        return np.asarray(X @ self.coef_) + self.intercept_

    def predict_proba(self, X: sp.csr_matrix) -> np.ndarray:
        """Calibrated probabilities, shape (n_samples, n_labels)."""
        z = self.decision_function(X)
        a = self.calibration_[:, 0]
        b = self.calibration_[:, 1]
        return 1.0 / (1.0 + np.exp(-(z * a + b)))

    def transform(self, norms: Sequence[Sequence[str]], signals: Sequence[Sequence[float]]):
        """Features for token-norm lists and signal rows (see `TextVectorizer.transform`)."""
        return self.vectorizer.transform(norms, signals)
