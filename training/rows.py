"""Labelled rows, their label values and the deterministic split every dataset shares.

Label values per row and label: 1, 0, `UNKNOWN` (the dataset says nothing), or one of the
lexicon-resolved values below, which `training.labels.label_matrix` turns into 1/0/unknown
once the texts have been through the spaCy pipeline:

- `WEAK`: 1 when the lexicon finds that category in the text, else unknown;
- `LEX`: 1 when the lexicon finds it, else 0;
- `ZERO_UNLESS_OTHER_GROUP`: 0 when the text names no protected group other than women, else
  unknown. Sexism datasets say a post is not an attack on women; they say nothing about
  the racism or homophobia it may hold.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from app.classifier import UNKNOWN
from app.labels import LABELS

__all__ = [
    "HATE", "LEX", "NONE", "OFFENSIVE", "UNKNOWN", "WEAK", "ZERO_UNLESS_OTHER_GROUP", "Row",
    "hash_split", "label_values", "make_row", "near_duplicate_key",
]

WEAK = -2
LEX = -3
ZERO_UNLESS_OTHER_GROUP = -4


@dataclass
class Row:
    """One labelled text.

    `hateful` is the dataset's own verdict on the task it is scored on (hate for most
    datasets; see `training.evaluate.DATASET_TASKS`), `parent` the thread context the
    annotators saw, and `meta` per-dataset extras (e.g. `toxic`, `counter_speech`).
    """

    text: str
    labels: dict[str, int]
    dataset: str
    split: str  # train | dev | test
    hateful: int | None
    parent: str | None = None
    meta: dict = field(default_factory=dict)


def label_values(**given: int) -> dict[str, int]:
    """A full label dict: the given values, `UNKNOWN` for every other label."""
    return {label: given.get(label, UNKNOWN) for label in LABELS}


NONE = dict.fromkeys(LABELS, 0)
# A hateful text: an identity attack; slur and profanity decided by the lexicon, the
# dehumanization head only learns from hateful texts whose dehumanizing words it sees.
HATE = label_values(identity_attack=1, slur=LEX, dehumanization=WEAK, profanity=LEX)
# "Offensive" classes lump insults and profanity and are not hate.
OFFENSIVE = label_values(identity_attack=0, insult=WEAK, profanity=LEX)


_KEY_NOISE = re.compile(r"https?://\S+|@\w+|&\w+;|\brt\b")
_KEY_NON_LETTERS = re.compile(r"[^a-z]+")


def near_duplicate_key(text: str) -> str:
    """Text reduced to its letters: retweets, mentions, URLs, case and spacing removed."""
    return _KEY_NON_LETTERS.sub("", _KEY_NOISE.sub("", text.lower()))[:300]


def hash_split(key: str, dev: int = 10, test: int = 10) -> str:
    """Deterministic split by key: near-duplicates always land in the same split."""
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100
    if bucket < test:
        return "test"
    if bucket < test + dev:
        return "dev"
    return "train"


def make_row(
    text: str,
    labels: dict[str, int],
    dataset: str,
    key: str | None = None,
    *,
    split: str | None = None,
    hateful: int | None = None,
    parent: str | None = None,
    meta: dict | None = None,
) -> Row:
    """A row split by `split`, else by `key`, else by the text's near-duplicate key."""
    return Row(
        text=text,
        labels=dict(labels),
        dataset=dataset,
        split=split or hash_split(key if key is not None else near_duplicate_key(text)),
        hateful=hateful,
        parent=parent,
        meta=dict(meta or {}),
    )


def split_official_train(text: str, official: str, dev_share: int = 12) -> str:
    """A dataset's own train/test split, with a dev part carved out of its train part by
    the text hash (for datasets that publish no dev split)."""
    if official == "test":
        return "test"
    bucket = int(hashlib.sha256(near_duplicate_key(text).encode()).hexdigest()[:8], 16) % 100
    return "dev" if bucket < dev_share else "train"
