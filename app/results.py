"""Typed results returned by :class:`app.Moderator` (the fields of INTERFACE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence in a text, with offsets into the ORIGINAL string (Python `str` indices).

    `normalized` is set when the surface form was obfuscated ("n1gg3r", "f a g",
    "Erdocunt"); `usage` is set for slur spans (see `app.labels.SLUR_USAGES`). A span of a
    block-listed term has the label `blocklist` and the list's `term` ("headchopper" for
    "h e a d c h o p p e r").
    """

    start: int
    end: int
    text: str
    label: str
    normalized: str | None = None
    usage: str | None = None
    term: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
        }
        if self.normalized is not None:
            out["normalized"] = self.normalized
        if self.usage is not None:
            out["usage"] = self.usage
        if self.term is not None:
            out["term"] = self.term
        return out


@dataclass(frozen=True, slots=True)
class Result:
    """The verdict for one text.

    Attributes
    ----------
    scores : dict[str, float]
        Calibrated probability per label of `app.labels.LABELS`.
    hateful : bool
        The text attacks people for a protected characteristic.
    action : str
        `allow`, `review` or `remove`, from the community policy.
    reasons : list[str]
        Machine-readable codes behind the action (`slur`, `blocklist:<term>`, `username`...).
    spans : list[Span]
        Evidence with offsets into the original text.
    target : str
        A protected group id, `individual` or `none`.
    model_version : str
        The model that produced this result.
    labels : list[str]
        The labels whose score passed the policy's review threshold.
    language : str
        ISO 639-1 code of the text's language, or `und` when it cannot be told (very short
        texts, display names); see :mod:`app.language`.
    """

    scores: dict[str, float]
    hateful: bool
    action: str
    reasons: list[str]
    spans: list[Span]
    target: str
    model_version: str
    labels: list[str] = field(default_factory=list)
    language: str = "und"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the INTERFACE.md field names."""
        return {
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "labels": list(self.labels),
            "hateful": self.hateful,
            "action": self.action,
            "reasons": list(self.reasons),
            "spans": [s.to_dict() for s in self.spans],
            "target": self.target,
            "language": self.language,
            "model_version": self.model_version,
        }
