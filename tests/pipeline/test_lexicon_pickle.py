"""A pickled pipeline reads obfuscated lexicon words as the original does."""

from __future__ import annotations

import pickle

from app.pipeline.extensions import X_MATCHES


def _matches(nlp, text: str) -> list[tuple[int, int, str, str | None]]:
    doc = nlp(text)
    return [(m.start, m.end, m.label, m.normalized) for m in doc.user_data.get(X_MATCHES) or []]


def test_a_pickled_pipeline_finds_the_same_matches(moderator):
    # the entries' forms were keyed by id(entry): after unpickling every lookup of an
    # obfuscated match raised KeyError
    texts = ["what a f@ggot", "fa66ots are disgusting", "Immigrants are sc um", "hello there"]
    copy = pickle.loads(pickle.dumps(moderator.nlp))
    for text in texts:
        assert _matches(copy, text) == _matches(moderator.nlp, text), text
    assert any(m[3] for m in _matches(copy, "what a f@ggot"))  # an obfuscated match
