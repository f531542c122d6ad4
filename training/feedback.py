"""Moderator feedback (see `app.feedback`) as training rows.

Each distinct text with at least one usable verdict becomes one `Row` with
`dataset="feedback"` and `split="train"` (feedback is never used to pick thresholds or to
measure the model: it is not a random sample). Its labels:

- a verdict `(label, correct=True)` sets that label to 1, `(label, correct=False)` to 0;
- `("none", correct=True)` sets every label to 0 (the text is clean);
  `("none", correct=False)` says only "something is wrong" and is ignored;
- labels no verdict speaks about stay `UNKNOWN`, so they neither teach nor punish;
- when verdicts on the same text and label disagree, the most recent one wins
  (a moderator correcting a colleague).

`hateful` is 1 when a hate label (slur, dehumanization, identity_attack) is 1, 0 when all
of them are 0, otherwise unknown. `train.py` weights these rows by `feedback_weight`.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.classifier import UNKNOWN
from app.feedback import Feedback, FeedbackStore
from app.labels import HATE_LABELS, LABELS
from training.data import Row

DATASET = "feedback"


def rows_from_verdicts(verdicts: Iterable[Feedback]) -> list[Row]:
    """Merge verdicts (any order) into one training row per text, in first-seen order."""
    labels_by_text: dict[str, dict[str, int]] = {}
    meta_by_text: dict[str, dict] = {}
    for verdict in sorted(verdicts, key=lambda v: (v.created_at, v.id)):
        if verdict.label == "none" and not verdict.correct:
            continue
        labels = labels_by_text.setdefault(verdict.text, dict.fromkeys(LABELS, UNKNOWN))
        meta = meta_by_text.setdefault(verdict.text, {"feedback_ids": [], "communities": []})
        if verdict.label == "none":
            labels.update(dict.fromkeys(LABELS, 0))
        else:
            labels[verdict.label] = 1 if verdict.correct else 0
        meta["feedback_ids"].append(verdict.id)
        if verdict.community and verdict.community not in meta["communities"]:
            meta["communities"].append(verdict.community)
    rows = []
    for text, labels in labels_by_text.items():
        hate = [labels[label] for label in HATE_LABELS]
        hateful = 1 if 1 in hate else (0 if all(v == 0 for v in hate) else None)
        rows.append(Row(text=text, labels=labels, dataset=DATASET, split="train",
                        hateful=hateful, meta=meta_by_text[text]))
    return rows


def feedback_rows(url: str) -> list[Row]:
    """Training rows from the feedback store at a SQLAlchemy database URL."""
    store = FeedbackStore(url)
    try:
        return rows_from_verdicts(store.list())
    finally:
        store.close()
