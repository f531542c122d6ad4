"""The training corpus: every labelled row read through the pipeline once.

`build_corpus` loads the datasets (and the generated examples), runs the spaCy pipeline
over every text, re-reads thread replies as the moderator will, resolves the lexicon-
dependent label values and keeps what fitting needs: token norms, signal rows, labels,
weights and the groups each text names. Training, the leave-one-dataset-out protocol and
the ablations all fit on subsets of one corpus, so the pipeline runs once per process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language

from app.classifier import UNKNOWN
from app.features import doc_norms
from app.labels import GROUPS, LABELS
from app.pipeline import process
from app.pipeline.extensions import X_MATCHES, X_SIGNALS, X_TARGET
from training.data import load_all
from training.rows import LEX, WEAK, ZERO_UNLESS_OTHER_GROUP, Row, near_duplicate_key

log = logging.getLogger("moderate.train")

#: datasets whose rows are written by this project rather than collected from users
GENERATED = frozenset({"synthetic"})


@dataclass
class Corpus:
    """Rows and what the classifier reads of them, index-aligned."""

    rows: list[Row]
    norms: list[list[str]]
    signals: np.ndarray  # (n, len(SIGNAL_COLUMNS))
    Y: np.ndarray  # (n, len(LABELS)) of 0, 1, UNKNOWN
    gold: np.ndarray  # (n, len(LABELS)) bool: the value came from a human annotation
    groups: list[frozenset[str]]  # protected groups the text names (lexicon)
    weights: np.ndarray  # (n,) sample weight

    @property
    def split(self) -> np.ndarray:
        return np.array([r.split for r in self.rows])

    @property
    def dataset(self) -> np.ndarray:
        return np.array([r.dataset for r in self.rows])


def synthetic_rows(seed: int, n_per_pattern: int) -> list[Row]:
    """The project's own generated examples (training/synthetic.py), split by text hash."""
    from training.rows import hash_split
    from training.synthetic import generate_examples

    rows = []
    for ex in generate_examples(seed=seed, n_per_pattern=n_per_pattern):
        labels = {label: int(ex["labels"][label]) for label in LABELS}
        hateful = int(labels["slur"] or labels["dehumanization"] or labels["identity_attack"])
        rows.append(
            Row(
                text=ex["text"],
                labels=labels,
                dataset="synthetic",
                split=hash_split(near_duplicate_key((ex.get("parent") or "") + ex["text"])),
                hateful=hateful,
                parent=ex.get("parent"),
                meta={"kind": ex.get("kind", "")},
            )
        )
    return rows


def drop_cross_split_duplicates(rows: Sequence[Row]) -> list[Row]:
    """Drop a row when a near-duplicate of it is held out (dev or test) in another dataset.

    Datasets overlap (Gab posts in several corpora, retweets of one tweet): a text in one
    dataset's test split must not be trained on through another dataset, or the held-out
    scores (and the leave-one-dataset-out protocol) would be flattered.
    """
    rank = {"test": 2, "dev": 1, "train": 0}
    held: dict[str, tuple[int, str]] = {}
    for r in rows:
        if r.split != "train" and r.dataset not in GENERATED:
            key = near_duplicate_key(r.text)
            if len(key) >= 20 and rank[r.split] > held.get(key, (-1, ""))[0]:
                held[key] = (rank[r.split], r.dataset)
    kept = []
    for r in rows:
        hit = held.get(near_duplicate_key(r.text)) if r.dataset not in GENERATED else None
        if hit and hit[1] != r.dataset and rank[r.split] < hit[0]:
            continue
        kept.append(r)
    if len(kept) != len(rows):
        log.info("dropped %d rows held out elsewhere", len(rows) - len(kept))
    return kept


def lexicon_evidence(doc) -> dict[str, bool]:
    """Which categories the lexicon saw used as attacks in a processed doc."""
    found = dict.fromkeys(LABELS, False)
    for span in doc.user_data.get(X_MATCHES) or ():
        cat = span.label
        if span.negated:
            continue
        if cat == "slur" and span.usage == "derogatory":
            found["slur"] = True
        elif cat == "dehumanization":
            found["dehumanization"] = True
        elif cat == "profanity":
            found["profanity"] = True
            if span.normalized and " " in span.normalized:
                found["insult"] = True
        elif cat == "insult":
            found["insult"] = True
        elif cat == "violence" and span.entry.get("kind") != "exclusion":
            found["threat"] = True
    return found


def named_groups(doc) -> frozenset[str]:
    """Every protected group the lexicon finds named in a doc (identity terms and slurs)."""
    return frozenset(
        g
        for m in doc.user_data.get(X_MATCHES) or ()
        if m.label in ("identity", "slur") and (g := (m.entry or {}).get("group")) in GROUPS
    )


def label_matrix(
    rows: Sequence[Row], docs: Sequence, groups: Sequence[frozenset[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """(Y, gold): resolved label values and whether each came from a human annotation."""
    Y = np.full((len(rows), len(LABELS)), UNKNOWN, dtype=np.int8)
    gold = np.zeros_like(Y, dtype=bool)
    for i, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        evidence = None
        for j, label in enumerate(LABELS):
            value = row.labels[label]
            if value in (0, 1):
                Y[i, j] = value
                gold[i, j] = True
            elif value == ZERO_UNLESS_OTHER_GROUP:
                if not (groups[i] - {"women"}):
                    Y[i, j] = 0
                    gold[i, j] = True
            elif value in (WEAK, LEX):
                if evidence is None:
                    evidence = lexicon_evidence(doc)
                Y[i, j] = 1 if evidence[label] else (0 if value == LEX else UNKNOWN)
    return Y, gold


def rewrite_replies(nlp: Language, rows: Sequence[Row], docs: list, batch_size: int) -> list:
    """Train/dev replies as the moderator reads them in their thread.

    At scoring time a reply that names no protected group, under a parent that names one,
    is rewritten by `app.moderator.reread_with_group`: "they/them" become the parent's group
    ("they're vermin" -> "Muslims're vermin"), or the group is appended to a reply that
    attacks without a pronoun; training calls the same functions. Training on the raw
    reply would teach the same text once as hate and once as harmless (its benign-parent
    twin); training on the rewritten text teaches what the classifier actually sees. Test
    rows are left alone: they are scored through the saved model with their contexts, like
    any input.
    """
    from app.moderator import group_named, reread_with_group

    todo = [
        i
        for i, (row, doc) in enumerate(zip(rows, docs, strict=True))
        if row.parent and row.split != "test" and doc.user_data.get(X_TARGET) not in GROUPS
    ]
    parents = list(dict.fromkeys(rows[i].parent for i in todo))
    named = {
        ctx: group_named(ctx_doc)
        for ctx, ctx_doc in zip(parents, process(nlp, parents, batch_size), strict=True)
    }
    rewritten: dict[int, str] = {}
    for i in todo:
        group, surface = named[rows[i].parent]
        if group is None or not surface:
            continue
        text = reread_with_group(docs[i], surface)
        if text is not None:
            rewritten[i] = text
    out = list(docs)
    keys = list(rewritten)
    new_docs = process(nlp, [rewritten[k] for k in keys], batch_size)
    for i, doc in zip(keys, new_docs, strict=True):
        out[i] = doc
    log.info("thread replies rewritten with their parent's group: %d", len(keys))
    return out


def row_weights(rows: Sequence[Row], config: dict[str, Any]) -> np.ndarray:
    """Sample weights: `dataset_weights` by dataset, then the synthetic and feedback
    weights; silver-labelled rows (a language model's labels) get `silver_weight`."""
    syn = config.get("synthetic") or {}
    by_dataset = {k: float(v) for k, v in (config.get("dataset_weights") or {}).items()}
    silver = float(config.get("silver_weight", 1.0))
    weights = np.ones(len(rows))
    for i, r in enumerate(rows):
        if r.dataset in by_dataset:
            weights[i] = by_dataset[r.dataset]
        elif r.dataset == "synthetic":
            weights[i] = float(syn.get("weight", 1.0))
        elif r.dataset == "feedback":
            weights[i] = float(config.get("feedback_weight", 1.0))
        if r.meta.get("silver"):
            weights[i] *= silver
    return weights


def load_rows(data_dir: Path, config: dict[str, Any], extra: Sequence[Row] = ()) -> list[Row]:
    """The configured datasets, the generated examples and any extra rows (feedback),
    without rows that are held out elsewhere (`drop_cross_split_duplicates`)."""
    rows = load_all(data_dir, config["datasets"])
    syn = config.get("synthetic") or {}
    if syn.get("n_per_pattern"):
        rows += synthetic_rows(int(config["seed"]), int(syn["n_per_pattern"]))
    rows += list(extra)
    return drop_cross_split_duplicates(rows)


def build_corpus(nlp: Language, rows: list[Row], config: dict[str, Any]) -> Corpus:
    """Run the pipeline over every row once and keep what fitting reads."""
    started = time.perf_counter()
    batch = int(config.get("batch_size", 1000))
    docs = process(nlp, [r.text for r in rows], batch)
    log.info("processed %d docs in %.1fs", len(docs), time.perf_counter() - started)
    if config.get("thread_rewrite"):
        docs = rewrite_replies(nlp, rows, docs, batch)
    groups = [named_groups(d) for d in docs]
    Y, gold = label_matrix(rows, docs, groups)
    return Corpus(
        rows=rows,
        norms=[doc_norms(d) for d in docs],
        signals=np.asarray([d.user_data.get(X_SIGNALS) for d in docs], dtype=np.float32),
        Y=Y,
        gold=gold,
        groups=groups,
        weights=row_weights(rows, config),
    )


def source_table(corpus: Corpus, train: np.ndarray) -> dict[str, dict[str, Any]]:
    """Per source: rows in each split, and its share of the training weight (overall and
    per label head, over the rows that head learns from)."""
    split = corpus.split
    dataset = corpus.dataset
    total = float(corpus.weights[train].sum()) or 1.0
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(set(dataset.tolist())):
        mine = dataset == name
        entry: dict[str, Any] = {
            s: int((mine & (split == s)).sum()) for s in ("train", "dev", "test")
        }
        entry["generated"] = name in GENERATED
        entry["weight_share"] = round(float(corpus.weights[mine & train].sum()) / total, 4)
        per_label = {}
        for j, label in enumerate(LABELS):
            known = train & (corpus.Y[:, j] != UNKNOWN)
            denom = float(corpus.weights[known].sum()) or 1.0
            pos = known & (corpus.Y[:, j] == 1)
            per_label[label] = {
                "weight_share": round(float(corpus.weights[known & mine].sum()) / denom, 4),
                "positive_share": round(
                    float(corpus.weights[pos & mine].sum())
                    / (float(corpus.weights[pos].sum()) or 1.0),
                    4,
                ),
            }
        entry["labels"] = per_label
        out[name] = entry
    return out
