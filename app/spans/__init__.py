"""Evidence spans learnt from human moderators' marks (see `training/spans.py`).

:class:`SpanModel` scores every token of a doc (is it part of the evidence, and of which
type); :func:`decode_spans` turns those scores into :class:`app.results.Span` objects whose
offsets point into the original text.
"""

from app.spans.decode import DEFAULT_DECODE, decode_spans, whole_text_span
from app.spans.model import SPAN_TYPES, SPANS_JSON, SPANS_NPZ, SpanModel, TokenScores

__all__ = [
    "DEFAULT_DECODE",
    "SPAN_TYPES",
    "SPANS_JSON",
    "SPANS_NPZ",
    "SpanModel",
    "TokenScores",
    "decode_spans",
    "whole_text_span",
]
