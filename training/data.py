"""Load the shared datasets, map their labels to ours, split them deterministically.

Reads `../shared/data` at train time; nothing here is copied into the repository.
Label values per row and label: 1, 0, `UNKNOWN` (the dataset says nothing), `WEAK` (1 when
the lexicon finds that category in the text, else unknown) or `LEX` (1 when the lexicon
finds it, else 0). The last two are resolved in `training.train` once the texts have been
through the spaCy pipeline.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from app.classifier import UNKNOWN
from app.labels import LABELS

WEAK = -2
LEX = -3
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

#: dataset -> files whose hashes go into the model card
DATASET_FILES: dict[str, tuple[str, ...]] = {
    "davidson2017": ("davidson2017/davidson2017_labeled.csv",),
    "hatexplain": ("hatexplain/hatexplain.jsonl",),
    "stormfront": ("stormfront_degibert2018/stormfront_sentences.csv",),
    "context_toxicity": ("context_toxicity/cat_large.csv", "context_toxicity/cat_small.csv"),
    "toxigen": ("toxigen_prompts/toxigen_prompt_sentences.csv",),
    "gab_hate_corpus": ("gab_hate_corpus_kennedy2022/ghc.csv",),
    "implicit_hate": ("implicit_hate_elsherief2021/implicit_hate_posts.csv",),
}


@dataclass
class Row:
    """One labelled text."""

    text: str
    labels: dict[str, int]
    dataset: str
    split: str  # train | dev | test
    hateful: int | None  # the dataset's own hate verdict, for per-dataset metrics
    parent: str | None = None
    meta: dict = field(default_factory=dict)


def _labels(**given: int) -> dict[str, int]:
    return {label: given.get(label, UNKNOWN) for label in LABELS}


NONE = dict.fromkeys(LABELS, 0)
# A hateful text: an identity attack; slur and profanity decided by the lexicon, the
# dehumanization head only learns from hateful texts whose dehumanizing words it sees.
HATE = _labels(identity_attack=1, slur=LEX, dehumanization=WEAK, profanity=LEX)
# "Offensive" classes lump insults and profanity and are not hate.
OFFENSIVE = _labels(identity_attack=0, insult=WEAK, profanity=LEX)


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_manifest(data_dir: Path, datasets: list[str]) -> list[dict]:
    """Path, sha256 and size of every file read, for the model card."""
    out = []
    for name in datasets:
        for rel in DATASET_FILES[name]:
            path = data_dir / rel
            out.append({"path": rel, "sha256": file_sha256(path), "bytes": path.stat().st_size})
    return out


def _row(
    text: str,
    labels: dict[str, int],
    dataset: str,
    key: str | None = None,
    *,
    split: str | None = None,
    hateful: int | None = None,
    parent: str | None = None,
) -> Row:
    return Row(
        text=text,
        labels=dict(labels),
        dataset=dataset,
        split=split or hash_split(key if key is not None else near_duplicate_key(text)),
        hateful=hateful,
        parent=parent,
    )


def load_davidson(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / DATASET_FILES["davidson2017"][0], keep_default_na=False)
    mapping = {"hate_speech": (HATE, 1), "offensive_language": (OFFENSIVE, 0), "neither": (NONE, 0)}
    for text, label in zip(df["text"], df["label"], strict=True):
        labels, hateful = mapping[label]
        yield _row(str(text), labels, "davidson2017", hateful=hateful)


def load_hatexplain(data: Path) -> Iterator[Row]:
    mapping = {"hatespeech": (HATE, 1), "offensive": (OFFENSIVE, 0), "normal": (NONE, 0)}
    split_map = {"train": "train", "val": "dev", "test": "test"}
    with (data / DATASET_FILES["hatexplain"][0]).open() as fh:
        for line in fh:
            rec = json.loads(line)
            labels, hateful = mapping[rec["label"]]
            yield _row(
                rec["text"], labels, "hatexplain", split=split_map[rec["split"]], hateful=hateful
            )


def load_stormfront(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / DATASET_FILES["stormfront"][0], keep_default_na=False)
    for text, label, comment in zip(df["text"], df["label"], df["comment_id"], strict=True):
        if label == "hate":
            yield _row(str(text), HATE, "stormfront", f"sf{comment}", hateful=1)
        elif label == "noHate":
            yield _row(str(text), NONE, "stormfront", f"sf{comment}", hateful=0)
        # `relation` is hateful only with the rest of the post; `idk/skip` has no label


def load_context_toxicity(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / DATASET_FILES["context_toxicity"][0], keep_default_na=False)
    toxic = _labels(insult=WEAK, profanity=LEX, threat=WEAK)
    for text, parent, label in zip(df["text"], df["parent"], df["label"], strict=True):
        row = _row(
            str(text), toxic if int(label) else NONE, "context_toxicity", parent=str(parent) or None
        )
        row.meta["toxic"] = int(label)
        yield row


def load_toxigen(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / DATASET_FILES["toxigen"][0], keep_default_na=False)
    df = df.drop_duplicates("text", keep="first")
    for text, label in zip(df["text"], df["label"], strict=True):
        if label == "hateful":
            yield _row(str(text), HATE, "toxigen", hateful=1)
        else:
            yield _row(str(text), NONE, "toxigen", hateful=0)


def load_gab(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / DATASET_FILES["gab_hate_corpus"][0], keep_default_na=False)
    df = df.drop_duplicates("text", keep="first")
    for text, hd, cv, vo in zip(df["text"], df["hd"], df["cv"], df["vo"], strict=True):
        if int(hd) or int(cv):
            labels = dict(HATE)
            labels["threat"] = 1 if int(cv) else UNKNOWN
            yield _row(str(text), labels, "gab_hate_corpus", hateful=1)
        elif int(vo):
            yield _row(str(text), OFFENSIVE, "gab_hate_corpus", hateful=0)
        else:
            yield _row(str(text), NONE, "gab_hate_corpus", hateful=0)


def load_implicit(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / DATASET_FILES["implicit_hate"][0], keep_default_na=False)
    for text, cls, imp, extra in zip(
        df["text"], df["class"], df["implicit_class"], df["extra_implicit_class"], strict=True
    ):
        if cls == "not_hate":
            yield _row(str(text), NONE, "implicit_hate", hateful=0)
            continue
        labels = dict(HATE)
        labels["threat"] = 1 if "threatening" in (imp, extra) else UNKNOWN
        yield _row(str(text), labels, "implicit_hate", hateful=1)


LOADERS = {
    "davidson2017": load_davidson,
    "hatexplain": load_hatexplain,
    "stormfront": load_stormfront,
    "context_toxicity": load_context_toxicity,
    "toxigen": load_toxigen,
    "gab_hate_corpus": load_gab,
    "implicit_hate": load_implicit,
}


def load_all(data_dir: Path, datasets: list[str] | None = None) -> list[Row]:
    """Every row of the named datasets (default: all), in a stable order."""
    rows: list[Row] = []
    for name in datasets or list(LOADERS):
        rows.extend(LOADERS[name](data_dir))
    return rows
