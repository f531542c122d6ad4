"""Loader of the Toxic Spans posts (Civil Comments, news-site comment sections).

Every post was pre-selected as toxic, so there are no clean negatives. Per span type a post
is positive when more than half of its annotators marked a span of that type, negative when
none did, and unknown in between (a minority saw it). The post's own verdict for the
per-dataset score is `insult`: the type most posts have, and the one the data can tell
apart (identity-based attacks are too rare here to score on).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from training.rows import UNKNOWN, Row, label_values, make_row

FILES: dict[str, tuple[str, ...]] = {
    "toxic_spans": ("toxic_spans_pavlopoulos2022/toxic_spans_per_comment.jsonl",),
}

#: span type of the release -> our label (Other Toxicity maps to none of ours)
SPAN_TYPES = {
    "Insult": "insult",
    "Threat": "threat",
    "Identity based Attack": "identity_attack",
    "Profane/Obscene": "profanity",
}


def toxic_spans_labels(type_votes: dict[str, int], n_annotators: int) -> dict[str, int]:
    """Majority of annotators -> 1, nobody -> 0, a minority -> unknown."""
    labels = label_values()
    for kind, label in SPAN_TYPES.items():
        votes = int(type_votes.get(kind, 0))
        labels[label] = 1 if votes * 2 > n_annotators else (0 if votes == 0 else UNKNOWN)
    return labels


def load_toxic_spans(data: Path) -> Iterator[Row]:
    with (data / FILES["toxic_spans"][0]).open() as fh:
        for line in fh:
            post = json.loads(line)
            text = str(post["text"])
            if not text.strip():
                continue
            labels = toxic_spans_labels(post["type_votes"], int(post["n_annotators"]))
            yield make_row(
                text, labels, "toxic_spans", hateful=None,
                meta={"insult": labels["insult"], "comment_id": post["comment_id"]},
            )


LOADERS = {"toxic_spans": load_toxic_spans}
