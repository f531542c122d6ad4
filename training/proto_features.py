"""Experiment-only feature variants, added to the token stream before vectorizing.

Used by `training.experiment` to try feature ideas on the protocol before they are built
into `app.features` properly (fast, table-driven). Not used by the shipped model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from app.pipeline.signals import NEG_PREFIX, QUOTE_PREFIX

GROUP = "GROUP"


def _split_mark(word: str) -> tuple[str, str]:
    for prefix in (NEG_PREFIX, QUOTE_PREFIX):
        if word.startswith(prefix):
            return prefix, word[len(prefix):]
    return "", word


class Augmenter:
    """Adds cluster tokens and group-context tokens to a token-norm list."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.clusters: dict[str, int] = {}
        if spec.get("clusters_file"):
            self.clusters = json.loads(open(spec["clusters_file"]).read())
        self.after = int(spec.get("group_after", 0))
        self.before = int(spec.get("group_before", 0))
        self.cluster_stream = bool(spec.get("cluster_stream", False))
        self.drop_group_unigram = bool(spec.get("drop_group_unigram", False))

    def cluster(self, word: str) -> str:
        prefix, core = _split_mark(word)
        if core == GROUP:
            return word
        k = self.clusters.get(core)
        return f"{prefix}K{k}" if k is not None else f"{prefix}K_"

    def __call__(self, norms: Sequence[str]) -> list[str]:
        out = list(norms)
        if self.drop_group_unigram:
            out = [w for w in out if _split_mark(w)[1] != GROUP] + ["|"]
        extra: list[str] = []
        ks = [self.cluster(w) for w in norms] if (self.clusters and (
            self.cluster_stream or self.after or self.before)) else None
        if self.cluster_stream and ks is not None:
            extra += ["|", *ks]
        if self.after or self.before:
            n = len(norms)
            for i, w in enumerate(norms):
                if _split_mark(w)[1] != GROUP:
                    continue
                for k in range(1, self.after + 1):
                    if i + k < n and norms[i + k] not in ".!?;":
                        extra.append(f"G>{norms[i + k]}")
                        if ks is not None:
                            extra.append(f"G>{ks[i + k]}")
                    else:
                        break
                for k in range(1, self.before + 1):
                    if i - k >= 0 and norms[i - k] not in ".!?;":
                        extra.append(f"{norms[i - k]}<G")
                        if ks is not None:
                            extra.append(f"{ks[i - k]}<G")
                    else:
                        break
        if extra:
            out += ["|", *extra]
        return out


class AugmentedClassifier:
    """A fitted classifier whose `transform` augments the norms first (experiments)."""

    def __init__(self, clf, augment: Augmenter) -> None:
        self.clf = clf
        self.augment = augment
        self.vectorizer = clf.vectorizer

    def transform(self, norms, signals):
        return self.clf.transform([self.augment(n) for n in norms], signals)

    def predict_proba(self, X) -> np.ndarray:
        return self.clf.predict_proba(X)
