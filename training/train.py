"""`moderate train`: build the pipeline, fit the classifier, pick thresholds, write the model.

    moderate train --data ../shared/data --out models/1.2.1

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

import numpy as np
import sklearn
import spacy
from spacy.language import Language

from app.classifier_io import save_classifier
from app.labels import LABELS
from app.model_card import NLP_DIR, read_card, write_card
from app.model_io import record_artifacts
from app.pipeline import build_nlp
from app.pipeline.lexicon import read_lexicon_dir
from training.corpus import build_corpus, load_rows, source_table
from training.data import Row, data_manifest
from training.fit import fit_classifier
from training.vocabulary import vocabulary_for_training

log = logging.getLogger("moderate.train")
ROOT = Path(__file__).resolve().parent.parent
LEXICON_DIR = ROOT / "training" / "lexicon"
CONFIG_PATH = ROOT / "training" / "config.json"
#: the functional suite, a regression test whose results the card keeps
SUITE_PATH = ROOT / "tests" / "functional" / "suite.jsonl"


def load_config(path: Path = CONFIG_PATH) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


Vocabulary = tuple[list[str], list[str], list[str]]


def training_vocabulary(config: dict[str, Any], rows: Sequence[Row]) -> Vocabulary:
    """The spelling repairs' word lists for a model trained on `rows` (see
    `training.vocabulary`): GloVe words, rarer GloVe words, and words the training texts
    use often enough that they are never "corrected"."""
    entries, _ = read_lexicon_dir(LEXICON_DIR)
    return vocabulary_for_training(
        config.get("spelling") or {}, entries, [r.text for r in rows if r.split == "train"]
    )


def build_pipeline(vocabulary: Vocabulary = ([], [], [])) -> Language:
    """A fresh pipeline holding the project's lexicon (`training/lexicon`) and the
    spelling repairs' word lists."""
    entries, allow = read_lexicon_dir(LEXICON_DIR)
    return build_nlp(entries, allow, *vocabulary)


#: what the card says about the model's use, whatever its numbers (see README "Known limits")
INTENDED_USE = (
    "Triage of English comment sections: flag slurs, dehumanization, identity attacks, "
    "threats, insults and profanity for human moderators, and remove only what passes a "
    "remove threshold chosen for high precision on held-out data. Not for decisions about "
    "people without human review, not for languages other than English, and not as a "
    "measure of any person's or group's behaviour."
)
KNOWN_LIMITS = (
    "A linear model over words, word clusters and rule-based signals: implicit hate "
    "without attack words, sarcasm and references resolved only by the thread are weak.",
    "Labels come from public datasets whose definitions differ from ours; per-dataset "
    "scores measure agreement with each dataset's annotators, not truth.",
    "Slur, dehumanization, insult and profanity have few hand-annotated labels; their "
    "heads also learn from lexicon-derived weak labels and the project's generated "
    "examples (see `sources`).",
    "Identity terms are replaced by one GROUP token whose presence is no feature; groups "
    "the lexicon does not list are read as ordinary words.",
    "English only: text confidently in another language is sent to review.",
    "A threat aimed at a group makes a text hateful from the threat head's review "
    "threshold, which is low because real threats are rare: some news-like sentences about "
    "a group cross it.",
    "Cues of support and denial are read by the policy, not learned: a supportive "
    "sentence that names a group is allowed but keeps an identity_attack score near the "
    "review threshold.",
    "Word valence comes from a general sentiment lexicon (VADER): negative words about a "
    "group's victims (\"abused\", \"blamed\") read as negative things said of the group, "
    "and sarcastic praise reads as praise, which may lower an attack score.",
)


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
    from training.evaluate import evaluate_model

    started = time.perf_counter()
    config = load_config(config_path)
    seed = int(config["seed"])
    np.random.seed(seed)
    if out_dir.exists():
        if not force:
            raise FileExistsError(
                f"{out_dir} exists; models are never overwritten: set a new \"version\" in "
                f"{config_path}, give --out, or --force to replace it"
            )
        shutil.rmtree(out_dir)

    rows = load_rows(data_dir, config, feedback_rows)
    log.info("loaded %d rows", len(rows))
    vocabulary = training_vocabulary(config, rows)
    nlp = build_pipeline(vocabulary)
    corpus = build_corpus(nlp, rows, config)
    split = corpus.split
    clf, review, remove = fit_classifier(corpus, split == "train", split == "dev", config)
    vectorizer = clf.vectorizer
    tr, dv = split == "train", split == "dev"
    log.info("trained in %.1fs", time.perf_counter() - started)

    out_dir.mkdir(parents=True)
    # Save a fresh pipeline: the one that processed the corpus holds every string it saw in
    # its vocab, and the shared data's text must not travel with the model.
    build_pipeline(vocabulary).to_disk(out_dir / NLP_DIR)
    save_classifier(out_dir, clf)  # classifier.npz + classifier.json, no pickle
    card: dict[str, Any] = {
        "name": config["name"],
        "version": config["version"],
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "git_commit": _git_commit(),
        "seed": seed,
        "labels": list(LABELS),
        "thresholds": {"review": review, "remove": remove},
        "lexical_floors": dict(config.get("lexical_floors", {})),
        "hate_rules": dict(config.get("hate_rules", {})),
        "params": {
            "vectorizer": config["vectorizer"],
            "classifier": config["classifier"],
            "synthetic": config.get("synthetic") or {},
            "dataset_weights": config.get("dataset_weights") or {},
            "thread_rewrite": bool(config.get("thread_rewrite")),
            "clusters": config.get("clusters") or {},
            "valence": {
                **(config.get("valence") or {}),
                "source": "VADER sentiment lexicon 3.3.2 (Hutto & Gilbert 2014, MIT), "
                "vaderSentiment wheel",
                "words": len(vectorizer.valence or {}),
            } if config.get("valence") else {},
            "silver_weight": float(config.get("silver_weight", 1.0)),
            "group_balance": float(config.get("group_balance", 0.0)),
            "thresholds": config.get("thresholds") or {"by": "pooled_f1"},
            "spelling": {
                **(config.get("spelling") or {}),
                "words": dict(zip(("vocabulary", "rare", "corpus"), map(len, vocabulary),
                                  strict=True)),
            },
            "remove_precision": config["remove_precision"],
        },
        "split": {
            "by": "sha256 of the near-duplicate text key (stormfront: post id; hatexplain, "
            "edos, convabuse: official splits; online_misogyny: official test, dev by hash; "
            "counterspeech: human labels dev/test by hash, GPT-4o labels train only); a text "
            "held out in one dataset is dropped from the others' training rows",
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
        "sources": source_table(corpus, tr),
        "features": {
            "n_features": int(vectorizer.n_features),
            "words": len(vectorizer.word_vocab_),
            "chars": len(vectorizer.char_vocab_),
        },
        "intended_use": INTENDED_USE,
        "known_limits": list(KNOWN_LIMITS),
        "metrics": {},
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__,
            "numpy": np.__version__,
        },
    }
    record_artifacts(out_dir, card)  # format_version and the sha256 of every file
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
    spans = card.get("metrics", {}).get("spans") or {}
    card["metrics"] = evaluate_model(moderator, data_dir, config, SUITE_PATH)
    card["metrics"]["spans"] = {**spans, **card["metrics"].get("spans", {})}
    card["train_seconds"] = round(time.perf_counter() - started, 1)
    write_card(out_dir, card)
    return card
