"""Run the protocol for one training configuration and write the results as JSON.

    python -m training.experiment CONFIG.json OUT.json [--only all,edos] [--split dev]

For choosing changes: every run compared uses the same protocol settings, is scored on
the dev splits, and is written down (config + results) in OUT.json. The parsed corpus is
cached (outside the repo, `$MODERATE_CACHE` or /tmp/moderate-cache) by a hash of what
produces it: the data files, the lexicon, the pipeline code and the corpus settings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from spacy.language import Language

from training.corpus import Corpus, build_corpus, load_rows
from training.data import DEFAULT_DATA, data_manifest
from training.protocol import run_protocol
from training.train import ROOT, build_pipeline, load_config, training_vocabulary

CORPUS_KEYS = ("datasets", "synthetic", "thread_rewrite", "seed", "batch_size",
               "dataset_weights", "silver_weight", "feedback_weight", "spelling")


def corpus_key(config: dict[str, Any], data_dir: Path) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps({k: config.get(k) for k in CORPUS_KEYS}, sort_keys=True).encode())
    digest.update(json.dumps(data_manifest(data_dir, config["datasets"])).encode())
    for folder in ("app/pipeline", "training/lexicon", "training/datasets"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".jsonl", ".txt"):
                digest.update(path.read_bytes())
    for name in ("training/synthetic.py", "training/corpus.py", "training/rows.py",
                 "training/vocabulary.py", "app/moderator.py"):
        if (ROOT / name).exists():
            digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def cached_corpus(config: dict[str, Any], data_dir: Path) -> tuple[Language, Corpus]:
    """The pipeline (with the spelling word lists of these rows) and the parsed corpus."""
    cache = Path(os.environ.get("MODERATE_CACHE", "/tmp/moderate-cache"))
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"corpus-{corpus_key(config, data_dir)}.pkl"
    rows = load_rows(data_dir, config)
    nlp = build_pipeline(training_vocabulary(config, rows))
    if path.exists():
        with path.open("rb") as fh:
            return nlp, pickle.load(fh)  # noqa: S301  (our own cache file, written below)
    corpus = build_corpus(nlp, rows, config)
    with path.open("wb") as fh:
        pickle.dump(corpus, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return nlp, corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", default=None, help="comma-separated left-out sources")
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--no-suite", action="store_true")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the fits")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = load_config(args.config)
    nlp, corpus = cached_corpus(config, args.data)
    suite = None
    if not args.no_suite:
        from training.suite import load_suite

        suite = load_suite(ROOT / "tests" / "functional" / "suite.jsonl")
    only = args.only.split(",") if args.only else None
    result = run_protocol(
        nlp, corpus, config, suite, only=only, eval_split=args.split, jobs=args.jobs
    )
    args.out.write_text(json.dumps({"config": config, "result": result}, indent=1))


if __name__ == "__main__":
    main()
