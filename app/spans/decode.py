"""From token probabilities to evidence spans with labels (offsets into the original text).

1. A token is in a span when its probability reaches `threshold` (`threshold_optional`
   for a text that needs no evidence: allowed, with the policy "always"); one token between two
   such tokens joins them when its own reaches `bridge` (a comma in "stupid, lazy").
2. A multi-word lexicon phrase ("should be shot", "go back where you came from") is kept
   whole: when one of its words is in a span, all of them are; in a text that must carry
   evidence and was flagged for the phrase's label, a live (not negated) threat, exclusion
   or dehumanizing phrase is evidence even when the model did not mark it.
3. Runs of span tokens become spans, the whitespace between their words included; each
   gets the type its tokens vote for.
4. A lexicon match inside a span that carries facts of its own (a slur with its usage, an
   obfuscated word with its `normalized` form, a listed insult or obscenity) is cut out as
   its own span with the lexicon's label, so "you f a g" shows "f a g" as the slur.
5. A slur the lexicon found always comes out, with its usage (as before this model).
6. A text that must carry evidence (it is not allowed) but has no span token gets its most
   likely token (before steps 1-2, so a phrase or an obfuscated word comes out whole), or,
   when no token is likely at all (implicit hate: the whole statement is the evidence), a
   span over the whole text with the strongest flagged label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.tokens import Doc

from app.pipeline.lexicon import LexMatch, is_strong
from app.results import Span
from app.spans.features import TokenView
from app.spans.model import SPAN_TYPES, TokenScores

#: lexicon category -> the label its span carries (as the lexicon-only spans had)
LEXICON_LABELS = {
    "slur": "slur",
    "dehumanization": "dehumanization",
    "contempt": "identity_attack",
    "violence": "threat",
    "insult": "insult",
    "profanity": "profanity",
}
#: categories of multi-word matches kept whole
_PHRASE_CATEGORIES = frozenset({"violence", "contempt", "dehumanization", "insult", "slur"})

DEFAULT_DECODE: dict[str, Any] = {
    "threshold": 0.5,
    "threshold_optional": None,
    "bridge": 0.3,
    "complete_phrases": True,
    "flagged_phrases": True,
    "cut": ["slur", "obfuscated", "insult", "profanity", "dehumanization"],
    "lexicon_labels": ["slur", "dehumanization", "profanity"],
    "fallback_token": 0.1,
}


def decode_spans(
    scores: TokenScores,
    doc: Doc,
    text: str,
    settings: Mapping[str, Any],
    flagged: Sequence[str] = (),
    label_scores: Mapping[str, float] | None = None,
    require: bool = False,
) -> list[Span]:
    """Evidence spans of one doc whose original text is `text`.

    `flagged` are the labels the policy flagged and `label_scores` the doc's scores; with
    `require` the text gets at least one span when it has any non-space character.
    """
    view = scores.view
    n = len(view)
    prob = scores.prob
    threshold = float(settings.get("threshold", 0.5))
    if not require:  # a text that needs no evidence may have its own, higher bar
        threshold = float(settings.get("threshold_optional") or threshold)
    on = (prob >= threshold).tolist() if n else []
    if require and n and not any(on):
        best = int(np.argmax(prob))
        if prob[best] >= float(settings.get("fallback_token", 0.0)):
            on[best] = True  # evidence is due: the most likely token
    bridge = settings.get("bridge")
    if bridge is not None and n > 2:
        for k in range(1, n - 1):
            if not on[k] and on[k - 1] and on[k + 1] and prob[k] >= bridge:
                on[k] = True
    matches = scores.matches
    cut = _frozen(tuple(settings.get("cut", ())))
    phrases = bool(settings.get("complete_phrases", True))
    live_phrases = bool(settings.get("flagged_phrases")) and require
    for m in matches:
        if m.end - m.start < 2:
            continue
        ks = _view_positions(m, view)
        # a phrase, or a match that becomes a span of its own ("f a g"), is kept whole
        whole = (phrases and m.label in _PHRASE_CATEGORIES) or _own_span(m, cut)
        if (whole and any(on[k] for k in ks)) or (
            # a live attack phrase of the label the text was flagged for is evidence
            live_phrases and _live_phrase(m) and LEXICON_LABELS[m.label] in flagged
        ):
            for k in ks:
                on[k] = True
    runs = _runs(on)
    spans: list[Span] = []
    covered: set[int] = set()
    lexicon_labels = _frozen(tuple(settings.get("lexicon_labels", ())))
    by_start = _matches_by_position(matches, view) if runs and matches else {}
    for a, b in runs:
        # the type its tokens vote for (summed probabilities; one token: its own best)
        best = scores.best_type[a] if b - a == 1 else int(scores.types[a:b].sum(axis=0).argmax())
        label = SPAN_TYPES[best]
        spans += _cut_run(a, b, label, by_start, cut, lexicon_labels, view, text, doc, flagged)
        covered.update(range(a, b))
    for m in matches:
        if m.label == "slur":
            ks = _view_positions(m, view)
            if ks and not covered.intersection(ks):
                spans.append(_match_span(m, view, ks[0], ks[-1] + 1, text, doc, flagged))
    if require:
        # the lexicon's live matches of a flagged label come before a span over the whole
        # text; a strong one ("Erdocunt" beside "puppet") is evidence even beside the span
        # model's spans (all of them beside those cost 0.014 of test span F1)
        model_spans = bool(spans)  # read once: the matches added here do not count
        for m in matches:
            label = LEXICON_LABELS.get(m.label)
            if (
                label is None
                or m.negated
                or not (label in flagged or (label == "profanity" and "insult" in flagged))
            ):
                continue
            if model_spans and not is_strong(m.entry):
                continue
            ks = _view_positions(m, view)
            if ks and not covered.intersection(ks):
                spans.append(_match_span(m, view, ks[0], ks[-1] + 1, text, doc, flagged))
                covered.update(ks)
    if not spans and require:
        whole = whole_text_span(text, flagged, label_scores)
        if whole is not None:
            spans.append(whole)
    spans.sort(key=lambda s: (s.start, s.end))
    return spans


def _view_positions(m: LexMatch, view: TokenView) -> list[int]:
    """The span model's positions of a lexicon match's tokens (tokens it skips are left out)."""
    return [k for i in range(m.start, m.end) if (k := view.pos(i)) is not None]


@lru_cache(maxsize=64)
def _frozen(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(items)


def _live_phrase(m: LexMatch) -> bool:
    """A multi-word threat, exclusion or dehumanizing phrase, not negated: evidence on its
    own in a text flagged for its label ("go back where they came from"). Contempt phrases
    of other kinds ("tired of", "the problem") are not."""
    if m.negated:
        return False
    if m.label == "contempt":
        return (m.entry or {}).get("kind") == "exclusion"
    return m.label in ("violence", "dehumanization")


def _runs(on: Sequence[bool]) -> list[tuple[int, int]]:
    runs = []
    start = None
    for k, v in enumerate(on):
        if v and start is None:
            start = k
        elif not v and start is not None:
            runs.append((start, k))
            start = None
    if start is not None:
        runs.append((start, len(on)))
    return runs


def _matches_by_position(matches: Sequence[LexMatch], view) -> dict[int, tuple[LexMatch, int]]:
    """First view position of each match -> (match, end position)."""
    out = {}
    for m in matches:
        ks = _view_positions(m, view)
        if ks:
            out[ks[0]] = (m, ks[-1] + 1)
    return out


def _own_span(m: LexMatch, cut: frozenset[str]) -> bool:
    """Whether a match inside a span is cut out as a span of its own."""
    if m.label in cut:
        return True
    return "obfuscated" in cut and m.normalized is not None and m.label in LEXICON_LABELS


def _cut_run(
    a: int,
    b: int,
    label: str,
    by_start: Mapping[int, tuple[LexMatch, int]],
    cut: frozenset[str],
    lexicon_labels: frozenset[str],
    view,
    text: str,
    doc: Doc,
    flagged: Sequence[str],
) -> list[Span]:
    pieces: list[Span] = []
    k = a
    rest = a
    while k < b:
        hit = by_start.get(k)
        if hit is not None and hit[1] <= b and _own_span(hit[0], cut):
            m, end = hit
            if rest < k:
                pieces.append(_plain(rest, k, label, view, text))
            own = _match_span(m, view, k, end, text, doc, flagged)
            if m.label not in lexicon_labels and own.label != "slur":
                own = Span(own.start, own.end, own.text, label, own.normalized, own.usage)
            pieces.append(own)
            k = rest = end
            continue
        k += 1
    if rest < b:
        pieces.append(_plain(rest, b, label, view, text))
    return pieces


def _plain(a: int, b: int, label: str, view, text: str) -> Span:
    start, end = view.char_span(a, b)
    return Span(start, end, text[start:end], label)


def _match_span(
    m: LexMatch, view, a: int, b: int, text: str, doc: Doc, flagged: Sequence[str]
) -> Span:
    label = LEXICON_LABELS.get(m.label, "insult")
    glued = bool(m.normalized and " " in m.normalized)
    if label == "profanity" and glued and "profanity" not in flagged:
        label = "insult"  # "Erdocunt": the glued obscenity is the insult
    start, end = view.char_span(a, b)
    return Span(
        start,
        end,
        text[start:end],
        label,
        normalized=m.normalized,
        usage=m.usage if m.label == "slur" else None,
    )


def whole_text_span(
    text: str, flagged: Sequence[str], label_scores: Mapping[str, float] | None
) -> Span | None:
    """A span over the whole text (surrounding whitespace left out)."""
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if end <= start:
        return None
    if flagged:
        label = max(flagged, key=lambda lab: (label_scores or {}).get(lab, 0.0))
    else:
        label = "insult"
    return Span(start, end, text[start:end], label)
