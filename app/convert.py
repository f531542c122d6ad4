"""`moderate convert OLD_DIR NEW_DIR`: a pickled model folder (format 1) to format 2.

This is the one place where the project still unpickles, and it says so: a joblib pickle
runs whatever code it names, so only convert a model folder you trust (one this project
trained). The new folder gets the same card (plus `format_version`, `artifacts` and
`converted_from`), a byte-for-byte copy of `nlp/`, and `classifier.npz` +
`classifier.json` holding the very arrays of the pickle. Before the new folder is moved
into place it is loaded like any model and checked to score a probe set of texts exactly
as the pickled classifier does, to the last bit.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from app.classifier import ModerationClassifier
from app.classifier_io import save_classifier
from app.model_card import CARD_FILE, NLP_DIR, ModelCardError, read_card, write_card
from app.model_io import LEGACY_CLASSIFIER_FILE, file_sha256, record_artifacts

UNPICKLE_WARNING = (
    "unpickling {path}: a pickle can run code, so convert only model folders you trust"
)
#: texts every conversion is checked on, besides sentences made from the vocabularies
_PROBES = (
    "have a nice day",
    "you absolute m0r0n",
    "they should all be sent back",
    "Erdocunt",
    "f a g",
    "I will find you and kill you",
    "",
)


def convert_model(old_dir: Path, new_dir: Path, warn=print) -> dict[str, Any]:
    """Convert `old_dir` (format 1) into a new folder `new_dir` (format 2).

    `warn` receives the unpickling warning before anything is unpickled. Returns a small
    report (`files`, `bytes`, `texts_checked`). Raises :class:`ModelCardError` for a folder
    that is not a pickled model, `FileExistsError` when `new_dir` exists, and `RuntimeError`
    if the converted model would score any probe text differently (nothing is written then).
    """
    old_dir, new_dir = Path(old_dir), Path(new_dir)
    card = read_card(old_dir)
    pickle_path = old_dir / LEGACY_CLASSIFIER_FILE
    if card.get("format_version") is not None or not pickle_path.is_file():
        raise ModelCardError(
            f"{old_dir} is not a pickled model folder (no {LEGACY_CLASSIFIER_FILE})"
        )
    if not (old_dir / NLP_DIR).is_dir():
        raise ModelCardError(f"{old_dir / NLP_DIR} is missing")
    if new_dir.exists():
        raise FileExistsError(f"{new_dir} exists; give a new folder")
    warn(UNPICKLE_WARNING.format(path=pickle_path))
    import joblib  # only here: the serving code never unpickles

    clf = joblib.load(pickle_path)
    if not isinstance(clf, ModerationClassifier):
        raise ModelCardError(f"{pickle_path} holds a {type(clf).__name__}, not a classifier")

    new_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{new_dir.name}.", dir=new_dir.parent))
    try:
        # every other part as it is (nlp/, a span model): only the pickle is rewritten
        shutil.copytree(
            old_dir,
            tmp,
            ignore=shutil.ignore_patterns(LEGACY_CLASSIFIER_FILE, CARD_FILE),
            dirs_exist_ok=True,
        )
        save_classifier(tmp, clf)
        card["converted_from"] = {
            "format_version": 1,
            "file": LEGACY_CLASSIFIER_FILE,
            "sha256": file_sha256(pickle_path),
        }
        record_artifacts(tmp, card)
        write_card(tmp, card)
        checked = _check_same_scores(tmp, clf)
        tmp.chmod(0o755)  # mkdtemp made it private
        tmp.rename(new_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    files = sorted(card["artifacts"])
    return {
        "files": files,
        "bytes": sum(card["artifacts"][f]["bytes"] for f in files),
        "texts_checked": checked,
    }


def probe_texts(clf: ModerationClassifier, n: int = 2000) -> list[str]:
    """Fixed texts plus `n` sentences of vocabulary words (every feature kind is hit)."""
    words = [w for w in clf.vectorizer.word_vocab_ if w.isalpha()]
    grams = [g.strip() for g in clf.vectorizer.char_vocab_ if g.strip().isalpha()]
    pool = words + grams
    step = max(1, len(pool) // (n * 6))
    picked = pool[::step]
    sentences = [" ".join(picked[i : i + 9]) for i in range(0, len(picked), 6)][:n]
    return list(_PROBES) + sentences


def _check_same_scores(new_dir: Path, old_clf: ModerationClassifier) -> int:
    """Score probe texts with the converted folder and with the pickled classifier."""
    from dataclasses import replace

    from app.moderator import Moderator

    new = Moderator.load(new_dir)
    old = replace(new, classifier=old_clf, _context_groups={})
    texts = probe_texts(old_clf)
    docs = new.docs(texts)
    if not np.array_equal(new.probabilities(docs), old.probabilities(docs)):
        raise RuntimeError("the converted classifier scores differently; nothing was written")
    contexts = [texts[i - 1] if i % 3 == 0 else None for i in range(len(texts))]
    a = [r.to_dict() | {"raw": r.scores} for r in new.score(texts, contexts)]
    b = [r.to_dict() | {"raw": r.scores} for r in old.score(texts, contexts)]
    if a != b:
        raise RuntimeError("the converted model gives other results; nothing was written")
    return len(texts)
