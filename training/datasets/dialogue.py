"""Loaders of the corpora where a comment is read with what it answers.

context_toxicity (Wikipedia talk, with the parent comment), ConvAbuse (users talking to
chatbots, with the previous turns) and the Reddit counter-speech set (replies in hate
subreddits, with the comment they answer). The context goes into `Row.parent`, and the
moderator reads it as thread context, as it does for `/v1/threads:score`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from training.rows import (
    HATE,
    LEX,
    NONE,
    UNKNOWN,
    WEAK,
    Row,
    hash_split,
    label_values,
    make_row,
    near_duplicate_key,
)

FILES: dict[str, tuple[str, ...]] = {
    "context_toxicity": ("context_toxicity/cat_large.csv", "context_toxicity/cat_small.csv"),
    "convabuse": ("convabuse_cercascurry2021/convabuse_aggregated.csv",),
    "counterspeech": (
        "reddit_counterspeech_hickey2025/validation_set.csv",
        "reddit_counterspeech_hickey2025/gpt_4o_labels.csv",
    ),
}


def load_context_toxicity(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / FILES["context_toxicity"][0], keep_default_na=False)
    toxic = label_values(insult=WEAK, profanity=LEX, threat=WEAK)
    for text, parent, label in zip(df["text"], df["parent"], df["label"], strict=True):
        yield make_row(
            str(text), toxic if int(label) else NONE, "context_toxicity",
            parent=str(parent) or None, meta={"toxic": int(label)},
        )


#: ConvAbuse abuse types that attack a protected characteristic
_IDENTITY_TYPES = ("ableist", "homophobic", "racist", "sexist", "transphobic")


def convabuse_labels(row: pd.Series) -> tuple[dict[str, int], int]:
    """(labels, identity-based abuse) for one aggregated ConvAbuse example.

    A type counts when more than half of the example's annotators marked it. Abuse of the
    bot or of a person ("intellectual", target individual/system) is an insult; sexual
    harassment of the bot is neither an identity attack nor an insult in our sense.
    """
    n = max(float(row["n_annotators"] or 0), 1.0)
    if not int(float(row["abusive_majority"] or 0)):
        return dict(NONE), 0
    identity_votes = [float(row[f"votes_{t}"] or 0) for t in _IDENTITY_TYPES]
    if any(v * 2 > n for v in identity_votes):
        return dict(HATE), 1
    labels = label_values(profanity=LEX)
    # some annotator saw an identity attack without a majority: say nothing about it
    labels["identity_attack"] = UNKNOWN if any(identity_votes) else 0
    harassment = float(row["votes_sex_harassment"] or 0) * 2 > n
    labels["insult"] = UNKNOWN if harassment else WEAK
    if float(row["votes_intellectual"] or 0) * 2 > n:
        labels["insult"] = 1
    return labels, 0


def load_convabuse(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / FILES["convabuse"][0], keep_default_na=False, dtype=str)
    split_map = {"train": "train", "valid": "dev", "test": "test"}
    for _, row in df.iterrows():
        text = str(row["user"])
        if not text.strip():
            continue
        labels, identity = convabuse_labels(row)
        context = "\n".join(
            t for t in (row["prev_agent"], row["prev_user"], row["agent"]) if str(t).strip()
        )
        yield make_row(
            text, labels, "convabuse", split=split_map[row["split"]], hateful=identity,
            parent=context or None,
        )


def counterspeech_labels(label: int) -> tuple[dict[str, int], int]:
    """Hickey et al.: 1 hate speech, 2 counter-speech (not hateful, may still insult),
    0 other speech (not hateful)."""
    if label == 1:
        return dict(HATE), 1
    return label_values(identity_attack=0, dehumanization=0, slur=0), 0


def load_counterspeech(data: Path) -> Iterator[Row]:
    """Human labels are the held-out part (dev and test, by text hash); the GPT-4o labels
    are silver and only ever train (rows whose id is in the human set are dropped)."""
    human = pd.read_csv(data / FILES["counterspeech"][0], keep_default_na=False)
    silver = pd.read_csv(data / FILES["counterspeech"][1], keep_default_na=False)
    human_ids = set(human["id"])
    human_keys = {near_duplicate_key(str(t)) for t in human["reply"]}
    for frame, silver_labels in ((human, False), (silver, True)):
        for rid, parent, reply, label in zip(
            frame["id"], frame["parent"], frame["reply"], frame["label"], strict=True
        ):
            if silver_labels and (rid in human_ids or near_duplicate_key(str(reply)) in human_keys):
                continue
            text = str(reply)
            if not text.strip():
                continue
            labels, hateful = counterspeech_labels(int(label))
            split = "train" if silver_labels else ("test" if _half(text) else "dev")
            yield make_row(
                text, labels, "counterspeech", split=split, hateful=hateful,
                parent=str(parent) or None,
                meta={"counter_speech": int(int(label) == 2), "silver": int(silver_labels)},
            )


def _half(text: str) -> bool:
    return hash_split(near_duplicate_key(text), dev=0, test=50) == "test"


LOADERS = {
    "context_toxicity": load_context_toxicity,
    "convabuse": load_convabuse,
    "counterspeech": load_counterspeech,
}
