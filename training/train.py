"""`moderate train`: build the pipeline, fit the classifier, pick thresholds, write the model.

    moderate train --data ../shared/data --out models/1.1.0

Deterministic: one seed from `training/config.json` goes to every estimator, the splits are
hashes of the texts, and the same command gives the same model.
"""

from __future__ import annotations

import json
import logging
import platform
import shutil
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
import spacy
from sklearn.metrics import precision_recall_curve

from app.classifier import UNKNOWN, ModerationClassifier
from app.features import TextVectorizer, doc_norms
from app.labels import LABELS
from app.model_card import CLASSIFIER_FILE, NLP_DIR, read_card, write_card
from app.pipeline import build_nlp, process
from app.pipeline.extensions import X_MATCHES, X_SIGNALS
from app.pipeline.lexicon import read_lexicon_dir
from training.data import LEX, WEAK, Row, data_manifest, hash_split, load_all, near_duplicate_key

log = logging.getLogger("moderate.train")
ROOT = Path(__file__).resolve().parent.parent
LEXICON_DIR = ROOT / "training" / "lexicon"
CONFIG_PATH = ROOT / "training" / "config.json"


def load_config(path: Path = CONFIG_PATH) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


def synthetic_rows(seed: int, n_per_pattern: int) -> list[Row]:
    """The project's own generated examples (training/synthetic.py), split by text hash."""
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


def diluted_rows(rows: Sequence[Row], seed: int, every: int = 3) -> list[Row]:
    """Long-comment versions of the generated training examples.

    Generated examples are short, while the public datasets' long texts (Wikipedia talk,
    forum posts) are almost all harmless, so a model learns "long means harmless" and misses
    an insult or an attack inside a long comment. Every `every`-th generated training
    example is therefore also added after a harmless long text from the training split,
    with the same labels (hard negatives included, so length itself teaches nothing).
    """
    import random

    rng = random.Random(seed)
    fillers = sorted(
        r.text
        for r in rows
        if r.split == "train"
        and r.dataset in ("context_toxicity", "hatexplain")
        and all(v == 0 for v in r.labels.values())
        and 25 <= len(r.text.split()) <= 150
    )
    synthetic = [r for r in rows if r.dataset == "synthetic" and r.split == "train"]
    if not fillers:
        return []
    out = []
    for i, row in enumerate(synthetic):
        if i % every:
            continue
        filler = rng.choice(fillers)
        text = f"{filler} {row.text}" if rng.random() < 0.5 else f"{row.text} {filler}"
        out.append(
            Row(
                text=text,
                labels=dict(row.labels),
                dataset="synthetic",
                split="train",
                hateful=row.hateful,
                parent=row.parent,
                meta={"kind": "diluted"},
            )
        )
    return out


def rewrite_replies(nlp, rows: Sequence[Row], docs: list, batch_size: int) -> list:
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
    from app.labels import GROUPS
    from app.moderator import group_named, reread_with_group
    from app.pipeline.extensions import X_TARGET

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


def _lexicon_evidence(doc) -> dict[str, bool]:
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


def label_matrix(rows: Sequence[Row], docs: Sequence) -> tuple[np.ndarray, np.ndarray]:
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
                continue
            if value in (WEAK, LEX):
                if evidence is None:
                    evidence = _lexicon_evidence(doc)
                Y[i, j] = 1 if evidence[label] else (0 if value == LEX else UNKNOWN)
    return Y, gold


def pick_thresholds(
    probs: np.ndarray, Y: np.ndarray, remove_precision: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Per label: the review threshold maximising dev F1, and the lowest threshold whose
    dev precision reaches `remove_precision` (used to remove without review)."""
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
        best = int(np.argmax(f1[:-1]))
        review[label] = round(float(thresholds[best]), 4)
        ok = np.where(precision[:-1] >= remove_precision)[0]
        cut = float(thresholds[ok[0]]) if ok.size else 0.95
        remove[label] = round(max(cut, review[label], 0.5), 4)
    return review, remove


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def train(
    data_dir: Path,
    out_dir: Path,
    config_path: Path = CONFIG_PATH,
    feedback_rows: Sequence[Row] = (),
    force: bool = False,
) -> dict[str, Any]:
    """Train a model from `data_dir` into `out_dir` and return its model card."""
    from training.evaluate import evaluate_rows, seed_thread_report

    started = time.perf_counter()
    config = load_config(config_path)
    seed = int(config["seed"])
    np.random.seed(seed)
    if out_dir.exists():
        if not force:
            raise FileExistsError(f"{out_dir} exists; models are never overwritten (use --force)")
        shutil.rmtree(out_dir)

    rows = load_all(data_dir, config["datasets"])
    syn = config.get("synthetic") or {}
    if syn.get("n_per_pattern"):
        rows += synthetic_rows(seed, int(syn["n_per_pattern"]))
        if syn.get("dilute_every"):
            rows += diluted_rows(rows, seed, int(syn["dilute_every"]))
    rows += list(feedback_rows)
    log.info("loaded %d rows", len(rows))

    entries, allow = read_lexicon_dir(LEXICON_DIR)
    nlp = build_nlp(entries, allow)
    batch = int(config.get("batch_size", 1000))
    docs = process(nlp, [r.text for r in rows], batch)
    log.info("processed docs in %.1fs", time.perf_counter() - started)
    if config.get("thread_rewrite"):
        docs = rewrite_replies(nlp, rows, docs, batch)
    Y, _gold = label_matrix(rows, docs)
    norms = [doc_norms(d) for d in docs]
    signals = [d.user_data.get(X_SIGNALS) for d in docs]
    split = np.array([r.split for r in rows])
    tr, dv = split == "train", split == "dev"

    vectorizer = TextVectorizer(
        **{k: (tuple(v) if isinstance(v, list) else v) for k, v in config["vectorizer"].items()}
    )
    vectorizer.fit([norms[i] for i in np.flatnonzero(tr)])
    X = vectorizer.transform(norms, signals)
    log.info("features: %d columns", X.shape[1])

    weights = np.ones(len(rows))
    dataset_weights = {k: float(v) for k, v in (config.get("dataset_weights") or {}).items()}
    for i, r in enumerate(rows):
        if r.dataset in dataset_weights:
            weights[i] = dataset_weights[r.dataset]
        elif r.dataset == "synthetic":
            weights[i] = float(syn.get("weight", 1.0))
        elif r.dataset == "feedback":
            weights[i] = float(config.get("feedback_weight", 1.0))
    clf = ModerationClassifier(vectorizer, C=config["classifier"]["C"], random_state=seed)
    clf.fit(X[tr], Y[tr], X[dv], Y[dv], sample_weight=weights[tr])
    review, remove = pick_thresholds(
        clf.predict_proba(X[dv]), Y[dv], float(config["remove_precision"])
    )
    log.info("trained in %.1fs", time.perf_counter() - started)

    out_dir.mkdir(parents=True)
    # Save a fresh pipeline: the one that processed the corpus holds every string it saw in
    # its vocab, and the shared data's text must not travel with the model.
    build_nlp(entries, allow).to_disk(out_dir / NLP_DIR)
    joblib.dump(clf, out_dir / CLASSIFIER_FILE)  # uncompressed: loads faster
    card: dict[str, Any] = {
        "name": config["name"],
        "version": config["version"],
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "git_commit": _git_commit(),
        "seed": seed,
        "labels": list(LABELS),
        "thresholds": {"review": review, "remove": remove},
        "lexical_floors": dict(config.get("lexical_floors", {})),
        "params": {
            "vectorizer": config["vectorizer"],
            "classifier": config["classifier"],
            "synthetic": syn,
            "dataset_weights": config.get("dataset_weights") or {},
            "thread_rewrite": bool(config.get("thread_rewrite")),
            "remove_precision": config["remove_precision"],
        },
        "split": {
            "by": "sha256 of the near-duplicate text key (stormfront: post id; "
            "hatexplain: official split)",
            "dev_percent": 10,
            "test_percent": 10,
        },
        "data": data_manifest(data_dir, config["datasets"]),
        "rows": {
            "train": int(tr.sum()),
            "dev": int(dv.sum()),
            "test": int((split == "test").sum()),
            "synthetic": sum(r.dataset == "synthetic" for r in rows),
            "feedback": sum(r.dataset == "feedback" for r in rows),
        },
        "features": {
            "n_features": int(X.shape[1]),
            "words": len(vectorizer.word_vocab_),
            "chars": len(vectorizer.char_vocab_),
        },
        "metrics": {},
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__,
            "numpy": np.__version__,
        },
    }
    write_card(out_dir, card)

    # The span extractor reads the saved classifier's word weights and probabilities, so
    # it is trained on the folder just written; it adds its files, metrics and record.
    from training.spans import train_spans

    if config.get("spans") is not None:
        train_spans(out_dir, data_dir, dict(config["spans"]), seed)
        card = read_card(out_dir)

    # Held-out metrics through the saved model, exactly as `moderate evaluate` computes them.
    from app.moderator import Moderator

    moderator = Moderator.load(out_dir)
    test_rows = [r for r in rows if r.split == "test"]
    card["metrics"] = {
        **card.get("metrics", {}),
        "test": evaluate_rows(moderator, test_rows),
        "seed_thread": seed_thread_report(moderator),
    }
    card["train_seconds"] = round(time.perf_counter() - started, 1)
    write_card(out_dir, card)
    return card
