"""Our labels as the Perspective API's attributes (pure functions, no I/O).

| attribute | from our scores |
| --- | --- |
| `TOXICITY` | max over all six labels |
| `SEVERE_TOXICITY` | max(slur, dehumanization, threat, min(identity_attack, insult_or_obscene)) |
| `IDENTITY_ATTACK` | max(identity_attack, slur, dehumanization of a protected group) |
| `INSULT` | insult |
| `PROFANITY` | profanity |
| `THREAT` | threat |

where insult_or_obscene = max(insult, profanity).

The max keeps the calibration of the label it comes from (a product of complements would
inflate six small probabilities into a large one). SEVERE_TOXICITY counts the labels that
are severe on their own; an identity attack counts as severe only as far as it is also
insulting or obscene, so "X should not be allowed to vote" is an identity attack but not
severe. Dehumanizing a non-protected group ("politicians are parasites") is no identity
attack, as in the policy.

`spanScores` always holds the whole text (`begin=0`, `end=len(text)`) with the summary
score, as that API does; with `spanAnnotations: true` it also holds our evidence spans
for that attribute, each scored with the text's probability of the span's label.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.labels import GROUPS
from app.results import Result

ATTRIBUTES: tuple[str, ...] = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "IDENTITY_ATTACK",
    "INSULT",
    "PROFANITY",
    "THREAT",
)

#: Which attributes a span of each label is evidence for.
SPAN_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "slur": ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK"),
    "dehumanization": ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK"),
    "identity_attack": ("TOXICITY", "IDENTITY_ATTACK"),
    "threat": ("TOXICITY", "SEVERE_TOXICITY", "THREAT"),
    "insult": ("TOXICITY", "INSULT"),
    "profanity": ("TOXICITY", "PROFANITY"),
}


def attribute_values(scores: Mapping[str, float], target: str) -> dict[str, float]:
    """The six attribute probabilities from our label probabilities."""
    dehumanization = scores["dehumanization"] if target in GROUPS else 0.0
    return {
        "TOXICITY": max(scores.values()),
        "SEVERE_TOXICITY": max(
            scores["slur"],
            scores["dehumanization"],
            scores["threat"],
            min(scores["identity_attack"], max(scores["insult"], scores["profanity"])),
        ),
        "IDENTITY_ATTACK": max(scores["identity_attack"], scores["slur"], dehumanization),
        "INSULT": scores["insult"],
        "PROFANITY": scores["profanity"],
        "THREAT": scores["threat"],
    }


def _score(value: float) -> dict[str, object]:
    return {"value": round(float(value), 4), "type": "PROBABILITY"}


def attribute_scores(
    result: Result,
    text_length: int,
    requested: Mapping[str, float | None],
    span_annotations: bool = False,
) -> dict[str, dict[str, object]]:
    """`attributeScores` for the requested attributes (name -> scoreThreshold or None).

    An attribute under its threshold is left out, as that API does.
    """
    values = attribute_values(result.scores, result.target)
    out: dict[str, dict[str, object]] = {}
    for name, threshold in requested.items():
        value = values[name]
        if threshold is not None and value < threshold:
            continue
        spans = [{"begin": 0, "end": text_length, "score": _score(value)}]
        if span_annotations:
            spans += [
                {"begin": s.start, "end": s.end, "score": _score(result.scores[s.label])}
                for s in result.spans
                if name in SPAN_ATTRIBUTES.get(s.label, ())
            ]
        out[name] = {"summaryScore": _score(value), "spanScores": spans}
    return out


def is_english(language: str) -> bool:
    """`en`, `en-US`, `EN_gb`... (the model is trained on English only)."""
    return language.strip().lower().replace("_", "-").split("-")[0] == "en"
