"""The toxic-spans posts (Pavlopoulos et al. 2022): gold character spans, the split, the metric.

Reads `../shared/data/toxic_spans_pavlopoulos2022/toxic_spans_per_comment.jsonl` at train and
evaluation time; nothing from it is copied into the repository.

- **Gold** of a post: the characters that more than half of its annotators marked (any
  type), as in the SemEval-2021 Toxic Spans task. Each gold character gets the type that most
  of the annotators who marked it gave it, mapped to our labels (:data:`TYPE_LABELS`).
- **Split**: :func:`span_split`, the same `hash_split(near_duplicate_key(text))` that every
  other dataset uses, so a post lands in the same split when the main classifier trains on it.
- **Metric**: :func:`char_f1`, per-post F1 over character offsets (both empty = 1, one empty
  = 0), averaged over posts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from training.data import hash_split, near_duplicate_key

SPANS_DIR = "toxic_spans_pavlopoulos2022"
SPANS_FILE = f"{SPANS_DIR}/toxic_spans_per_comment.jsonl"

#: dataset span type -> our label. "Other Toxicity" has no label of its own: insult is the
#: label of a generic attack on a person (these posts are news comments about people).
TYPE_LABELS: dict[str, str] = {
    "Insult": "insult",
    "Threat": "threat",
    "Identity based Attack": "identity_attack",
    "Profane/Obscene": "profanity",
    "Other Toxicity": "insult",
}
#: the labels a span can be scored against the gold with (slur and dehumanization spans
#: count as identity attacks there: the dataset has no such types)
SCORED_TYPES: tuple[str, ...] = ("insult", "threat", "identity_attack", "profanity")
SCORED_AS = {"slur": "identity_attack", "dehumanization": "identity_attack"}
#: tie-break between types voted equally often for a character: the rarer, more specific one
_TYPE_PRIORITY = ("threat", "identity_attack", "profanity", "insult")


def span_split(text: str) -> str:
    """`train`, `dev` or `test` for a post: the split every dataset of the project uses.

    Call this for toxic-spans posts wherever they are used (the span extractor, the main
    classifier's rows), so that no post is trained on by one and tested on by the other.
    """
    return hash_split(near_duplicate_key(text))


@dataclass(frozen=True)
class SpanPost:
    """One post with its majority gold characters.

    `gold` maps each gold character offset to its label (see :data:`TYPE_LABELS`);
    `votes` maps every marked character to the share of annotators who marked it.
    """

    comment_id: int
    text: str
    gold: dict[int, str]
    split: str
    n_annotators: int
    votes: dict[int, float]

    @property
    def gold_chars(self) -> set[int]:
        return set(self.gold)


def majority_gold(
    text: str, annotations: Sequence[Mapping], n_annotators: int
) -> tuple[dict[int, str], dict[int, float]]:
    """Characters marked by more than half of the annotators -> their most voted label,
    and every marked character -> the share of annotators who marked it.

    An annotator counts once per character, however many of their spans cover it; offsets
    past the end of the text (94 upstream spans) are cut off.
    """
    votes: Counter[int] = Counter()
    typed: dict[int, Counter[str]] = {}
    for ann in annotations:
        mine: dict[int, set[str]] = {}
        for span_type, start, end in ann.get("spans") or ():
            label = TYPE_LABELS.get(span_type, "insult")
            for c in range(max(0, int(start)), min(int(end), len(text))):
                mine.setdefault(c, set()).add(label)
        for c, labels in mine.items():
            votes[c] += 1
            counter = typed.setdefault(c, Counter())
            counter.update(labels)
    gold: dict[int, str] = {}
    for c, n in votes.items():
        if 2 * n > n_annotators:
            counts = typed[c]
            best = max(counts.values())
            gold[c] = next(t for t in _TYPE_PRIORITY if counts.get(t) == best)
    return gold, {c: n / n_annotators for c, n in votes.items()}


def load_span_posts(data_dir: Path) -> list[SpanPost]:
    """Every post of the toxic-spans release in `data_dir`, in file order."""
    posts = []
    with (Path(data_dir) / SPANS_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = rec["text"]
            n = int(rec["n_annotators"])
            gold, votes = majority_gold(text, rec["annotations"], n)
            posts.append(
                SpanPost(
                    comment_id=int(rec["comment_id"]),
                    text=text,
                    gold=gold,
                    split=span_split(text),
                    n_annotators=n,
                    votes=votes,
                )
            )
    return posts


# -- the metric ------------------------------------------------------------------------------
def f1_chars(predicted: set[int], gold: set[int]) -> float:
    """F1 of one post over character offsets: 1 when both are empty, 0 when one is."""
    if not predicted and not gold:
        return 1.0
    if not predicted or not gold:
        return 0.0
    hit = len(predicted & gold)
    if not hit:
        return 0.0
    precision = hit / len(predicted)
    recall = hit / len(gold)
    return 2 * precision * recall / (precision + recall)


def char_f1(predicted: Sequence[Mapping[int, str]], posts: Sequence[SpanPost]) -> dict:
    """Character F1 of predictions (per post: char offset -> label) against the gold.

    `overall` averages over every post (the shared task's figure). Per type, a post counts
    when its gold or its prediction has characters of that type (both empty would be a free
    1 on most posts), and slur/dehumanization predictions count as identity attacks.
    """
    scores = [f1_chars(set(p), s.gold_chars) for p, s in zip(predicted, posts, strict=True)]
    out: dict = {"n_posts": len(posts), "overall": _mean(scores), "types": {}}
    for label in SCORED_TYPES:
        per_post = []
        for p, s in zip(predicted, posts, strict=True):
            pred = {c for c, lab in p.items() if SCORED_AS.get(lab, lab) == label}
            gold = {c for c, lab in s.gold.items() if lab == label}
            if pred or gold:
                per_post.append(f1_chars(pred, gold))
        out["types"][label] = {"n_posts": len(per_post), "f1": _mean(per_post)}
    out["empty_gold_posts"] = sum(1 for s in posts if not s.gold)
    out["empty_predictions"] = sum(1 for p in predicted if not p)
    return out


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else 0.0
