"""Loaders of the hate-speech corpora: tweets, forums and curated statements.

Each loader reads one dataset folder of `../shared/data` and yields `Row`s with labels
mapped as `../shared/data/README.md` suggests; a label the dataset says nothing about is
`UNKNOWN`, so that head neither learns from it nor is penalized by it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from training.rows import HATE, LEX, NONE, OFFENSIVE, UNKNOWN, WEAK, Row, label_values, make_row

FILES: dict[str, tuple[str, ...]] = {
    "davidson2017": ("davidson2017/davidson2017_labeled.csv",),
    "hatexplain": ("hatexplain/hatexplain.jsonl",),
    "stormfront": ("stormfront_degibert2018/stormfront_sentences.csv",),
    "toxigen": ("toxigen_prompts/toxigen_prompt_sentences.csv",),
    "gab_hate_corpus": ("gab_hate_corpus_kennedy2022/ghc.csv",),
    "implicit_hate": ("implicit_hate_elsherief2021/implicit_hate_posts.csv",),
    "mlma": ("mlma_ousidhoum2019/en_dataset_with_stop_words.csv",),
}


def _csv(data: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data / FILES[name][0], keep_default_na=False)


def load_davidson(data: Path) -> Iterator[Row]:
    df = _csv(data, "davidson2017")
    mapping = {"hate_speech": (HATE, 1), "offensive_language": (OFFENSIVE, 0), "neither": (NONE, 0)}
    for text, label in zip(df["text"], df["label"], strict=True):
        labels, hateful = mapping[label]
        yield make_row(str(text), labels, "davidson2017", hateful=hateful)


def load_hatexplain(data: Path) -> Iterator[Row]:
    mapping = {"hatespeech": (HATE, 1), "offensive": (OFFENSIVE, 0), "normal": (NONE, 0)}
    split_map = {"train": "train", "val": "dev", "test": "test"}
    with (data / FILES["hatexplain"][0]).open() as fh:
        for line in fh:
            rec = json.loads(line)
            labels, hateful = mapping[rec["label"]]
            yield make_row(
                rec["text"], labels, "hatexplain", split=split_map[rec["split"]], hateful=hateful
            )


def load_stormfront(data: Path) -> Iterator[Row]:
    df = _csv(data, "stormfront")
    for text, label, comment in zip(df["text"], df["label"], df["comment_id"], strict=True):
        if label == "hate":
            yield make_row(str(text), HATE, "stormfront", f"sf{comment}", hateful=1)
        elif label == "noHate":
            yield make_row(str(text), NONE, "stormfront", f"sf{comment}", hateful=0)
        # `relation` is hateful only with the rest of the post; `idk/skip` has no label


def load_toxigen(data: Path) -> Iterator[Row]:
    df = _csv(data, "toxigen").drop_duplicates("text", keep="first")
    for text, label in zip(df["text"], df["label"], strict=True):
        if label == "hateful":
            yield make_row(str(text), HATE, "toxigen", hateful=1)
        else:
            yield make_row(str(text), NONE, "toxigen", hateful=0)


def load_gab(data: Path) -> Iterator[Row]:
    df = _csv(data, "gab_hate_corpus").drop_duplicates("text", keep="first")
    for text, hd, cv, vo in zip(df["text"], df["hd"], df["cv"], df["vo"], strict=True):
        if int(hd) or int(cv):
            labels = dict(HATE)
            labels["threat"] = 1 if int(cv) else UNKNOWN
            yield make_row(str(text), labels, "gab_hate_corpus", hateful=1)
        elif int(vo):
            yield make_row(str(text), OFFENSIVE, "gab_hate_corpus", hateful=0)
        else:
            yield make_row(str(text), NONE, "gab_hate_corpus", hateful=0)


def load_implicit(data: Path) -> Iterator[Row]:
    df = _csv(data, "implicit_hate")
    for text, cls, imp, extra in zip(
        df["text"], df["class"], df["implicit_class"], df["extra_implicit_class"], strict=True
    ):
        if cls == "not_hate":
            yield make_row(str(text), NONE, "implicit_hate", hateful=0)
            continue
        labels = dict(HATE)
        labels["threat"] = 1 if "threatening" in (imp, extra) else UNKNOWN
        yield make_row(str(text), labels, "implicit_hate", hateful=1)


def load_mlma(data: Path) -> Iterator[Row]:
    """MLMA English tweets: multi-label hostility types agreed by two annotators or more.

    `hateful` (and `fearful`, which the README maps to implicit identity attack) are
    identity attacks; offensive / abusive / disrespectful alone are insults or profanity,
    not hate; only `normal` is clean. "normal" next to a hostile label is ignored (the
    labels are a union of annotators' picks).
    """
    df = _csv(data, "mlma")
    for text, sentiment in zip(df["tweet"], df["sentiment"], strict=True):
        kinds = set(str(sentiment).split("_"))
        if kinds & {"hateful", "fearful"}:
            labels, hateful = dict(HATE), 1
        elif kinds & {"offensive", "abusive", "disrespectful"}:
            labels, hateful = label_values(identity_attack=0, insult=WEAK, profanity=LEX), 0
        else:
            labels, hateful = NONE, 0
        yield make_row(str(text), labels, "mlma", hateful=hateful)


LOADERS = {
    "davidson2017": load_davidson,
    "hatexplain": load_hatexplain,
    "stormfront": load_stormfront,
    "toxigen": load_toxigen,
    "gab_hate_corpus": load_gab,
    "implicit_hate": load_implicit,
    "mlma": load_mlma,
}
