"""The spaCy preprocessing pipeline: a blank English tokenizer plus rule-based components.

Importing this package registers the `moderate_*` factories with spaCy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from app.pipeline import lexicon, normalizer, signals  # noqa: F401  (registers factories)
from app.pipeline.extensions import register_extensions

PIPE_NAMES: tuple[str, ...] = ("moderate_normalizer", "moderate_lexicon", "moderate_signals")


def build_nlp(entries: list[dict[str, Any]], glue_allowlist: list[str]) -> Language:
    """A fresh pipeline on `spacy.blank("en")` holding the given lexicon.

    Rule-based components on a blank pipeline, no tagger or parser: those cost many times
    the tokenizer and the classifier does not need them.
    """
    register_extensions()
    nlp = spacy.blank("en")
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    nlp.get_pipe("moderate_lexicon").set_entries(entries, glue_allowlist)
    return nlp


def load_nlp(path: str | Path) -> Language:
    """Load a pipeline saved with `nlp.to_disk` (what `spacy.load` would do)."""
    register_extensions()
    return spacy.load(Path(path))
