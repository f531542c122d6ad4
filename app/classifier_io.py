"""The classifier as `classifier.npz` + `classifier.json` (format 2 of the model folder).

`classifier.npz` holds the fitted arrays, with the dtypes the model computes with:

| array | dtype | shape | what |
| --- | --- | --- | --- |
| `coef` | float32 | (n_features, n_labels) | stacked weights of the per-label heads |
| `intercept` | float32 | (n_labels,) | their intercepts |
| `calibration` | float64 | (n_labels, 2) | Platt `(a, b)`: p = sigmoid(a * decision + b) |
| `word_idf`, `char_idf` | float32 | (n_words,), (n_chars,) | idf per vocabulary column |
| `pair_keys`, `pair_cols` | int64 | (n_pairs,) | the bigram index (packed row-id pairs -> column) |

`classifier.json` holds the rest as plain JSON: `labels`, `C`, `random_state`, the
vectorizer's settings, `signal_columns` (checked against this code's), `word_vocab` and
`char_vocab` (the vocabularies as lists in column order: entry i is column i),
`bigram_words` (the words whose row ids the bigram index packs, in row-id order), and the
arrays' dtypes and shapes. The arrays are the very bytes the pickled model held, so scores
are identical to the bit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from app.classifier import ModerationClassifier
from app.features import TextVectorizer
from app.labels import LABELS
from app.model_card import ModelCardError
from app.model_io import load_arrays, save_arrays
from app.pipeline.signals import SIGNAL_COLUMNS

CLASSIFIER_NAME = "classifier"  # -> classifier.npz, classifier.json
_VECTORIZER_PARAMS = (
    "word_min_df",
    "word_max_features",
    "char_range",
    "char_min_df",
    "char_max_features",
    "group_window",
    "group_cluster",
    "valence_unigrams",
    "cluster_valence",
)
_DTYPES = {
    "coef": np.float32,
    "intercept": np.float32,
    "calibration": np.float64,
    "word_idf": np.float32,
    "char_idf": np.float32,
    "pair_keys": np.int64,
    "pair_cols": np.int64,
}


def _columns(vocab: dict[str, int], what: str) -> list[str]:
    """A vocabulary dict as a list in column order (its values must be 0..n-1 in order)."""
    words = list(vocab)
    if list(vocab.values()) != list(range(len(words))):
        raise ValueError(f"{what} is not in column order; cannot be saved as a list")
    return words


def save_classifier(model_dir: str | Path, clf: ModerationClassifier) -> list[Path]:
    """Write `classifier.npz` and `classifier.json` for a fitted classifier."""
    vec = clf.vectorizer
    if vec.n_signals_ != len(SIGNAL_COLUMNS):
        raise ValueError(
            f"the vectorizer has {vec.n_signals_} signal columns, the code has "
            f"{len(SIGNAL_COLUMNS)}"
        )
    arrays = {
        "coef": clf.coef_,
        "intercept": clf.intercept_,
        "calibration": clf.calibration_,
        "word_idf": vec.word_idf_,
        "char_idf": vec.char_idf_,
        "pair_keys": vec._pair_keys,
        "pair_cols": vec._pair_cols,
    }
    for key, dtype in _DTYPES.items():
        if arrays[key].dtype != dtype:
            raise ValueError(f"{key} is {arrays[key].dtype}, expected {np.dtype(dtype)}")
    clusters = vec.clusters or {}
    if clusters:
        arrays["cluster_ids"] = np.fromiter(clusters.values(), np.int32, len(clusters))
    valence = vec.valence or {}
    if valence:
        arrays["valence_ids"] = np.fromiter(valence.values(), np.int8, len(valence))
    meta: dict[str, Any] = {
        "labels": list(clf.labels),
        "C": clf.C,
        "random_state": clf.random_state,
        "vectorizer": {
            k: list(v) if isinstance(v, tuple) else v
            for k in _VECTORIZER_PARAMS
            if (v := getattr(vec, k)) is not None
        },
        "signal_columns": list(SIGNAL_COLUMNS),
        "word_vocab": _columns(vec.word_vocab_, "word_vocab_"),
        "char_vocab": _columns(vec.char_vocab_, "char_vocab_"),
        "bigram_words": list(vec._base_words),
        "cluster_words": list(clusters),
        "valence_words": list(valence),
    }
    return save_arrays(model_dir, CLASSIFIER_NAME, arrays, meta)


def load_classifier(model_dir: str | Path) -> ModerationClassifier:
    """Rebuild the classifier from `classifier.npz` + `classifier.json`.

    Call after :func:`app.model_io.verify_artifacts`. Every array and list is checked
    against the others (sizes, labels, signal columns), so a file that parses but does not
    fit gives a :class:`ModelCardError` naming it rather than a wrong score.
    """
    model_dir = Path(model_dir)
    where = model_dir / f"{CLASSIFIER_NAME}.json"
    arrays, meta = load_arrays(model_dir, CLASSIFIER_NAME)
    try:
        return _build(arrays, meta)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelCardError(
            f"{where} does not fit {where.with_suffix('.npz').name}: {exc}"
        ) from exc


def _build(arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> ModerationClassifier:
    for key, dtype in _DTYPES.items():
        if arrays[key].dtype != dtype:
            raise ValueError(f"array {key} is {arrays[key].dtype}, expected {np.dtype(dtype)}")
    if tuple(meta["labels"]) != LABELS:
        raise ValueError(f"labels {meta['labels']}, this code has {list(LABELS)}")
    if list(meta["signal_columns"]) != list(SIGNAL_COLUMNS):
        raise ValueError("signal columns differ from this code's (app.pipeline.signals)")
    words, chars, bigram_words = meta["word_vocab"], meta["char_vocab"], meta["bigram_words"]
    for name, values in (
        ("word_vocab", words),
        ("char_vocab", chars),
        ("bigram_words", bigram_words),
    ):
        if not all(isinstance(v, str) for v in values) or len(set(values)) != len(values):
            raise ValueError(f"{name} must be distinct strings")
    params = dict(meta["vectorizer"])
    params["char_range"] = tuple(params["char_range"])
    vec = TextVectorizer(**params)
    vec.word_vocab_ = {w: i for i, w in enumerate(words)}
    vec.char_vocab_ = {g: i for i, g in enumerate(chars)}
    vec.word_idf_ = arrays["word_idf"]
    vec.char_idf_ = arrays["char_idf"]
    vec.n_signals_ = len(SIGNAL_COLUMNS)
    vec._base_words = list(bigram_words)
    vec._pair_keys = arrays["pair_keys"]
    vec._pair_cols = arrays["pair_cols"]
    cluster_words = meta.get("cluster_words") or []
    if cluster_words:
        ids = arrays["cluster_ids"]
        if ids.dtype != np.int32 or ids.shape != (len(cluster_words),):
            raise ValueError(f"array cluster_ids must be int32 of {len(cluster_words)} entries")
        vec.clusters = dict(zip(cluster_words, ids.tolist(), strict=True))
    valence_words = meta.get("valence_words") or []
    if valence_words:
        ids = arrays["valence_ids"]
        if ids.dtype != np.int8 or ids.shape != (len(valence_words),):
            raise ValueError(f"array valence_ids must be int8 of {len(valence_words)} entries")
        if not set(np.unique(ids).tolist()) <= {-2, -1, 1, 2}:
            raise ValueError("valence_ids holds a bucket other than -2, -1, 1, 2")
        vec.valence = dict(zip(valence_words, ids.tolist(), strict=True))
    n_labels = len(LABELS)
    shapes = {
        "coef": (vec.n_features, n_labels),
        "intercept": (n_labels,),
        "calibration": (n_labels, 2),
        "word_idf": (len(words),),
        "char_idf": (len(chars),),
        "pair_cols": arrays["pair_keys"].shape,
    }
    for key, shape in shapes.items():
        if arrays[key].shape != shape:
            raise ValueError(f"array {key} has shape {arrays[key].shape}, expected {shape}")
    pair_cols = arrays["pair_cols"]
    if pair_cols.size and (pair_cols.min() < 0 or pair_cols.max() >= len(words)):
        raise ValueError("pair_cols points outside the word vocabulary")
    vec._init_cache()  # the per-process word table, empty (as after unpickling)
    clf = ModerationClassifier(vec, C=meta["C"], random_state=int(meta["random_state"]))
    clf.coef_ = arrays["coef"]
    clf.intercept_ = arrays["intercept"]
    clf.calibration_ = arrays["calibration"]
    return clf
