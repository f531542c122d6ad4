"""Word valence (how positive or negative a word is) from the VADER sentiment lexicon.

Why: the word clusters come from GloVe, whose vectors put antonyms side by side ("great"
and "horrible" share their contexts), so what the model learns about "disgusting" reaches
"wonderful" as easily as "vile". A valence bucket per word says which way a word leans, so
"GROUP are vile" can read like "GROUP are disgusting" and unlike "GROUP are wonderful"
even where the data never showed "vile".

VADER's lexicon (Hutto & Gilbert 2014, MIT licence) ships inside the registry wheel
`vaderSentiment` (a training extra). It is read at train time only; a model keeps its own
word -> bucket table in `classifier.json`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: bucket ids: strongly / mildly negative, mildly / strongly positive
BUCKETS = (-2, -1, 1, 2)


def lexicon_path() -> Path:
    """`vader_lexicon.txt` inside the installed `vaderSentiment` package (not imported:
    its module pulls in `requests` for nothing we use)."""
    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "word valence needs the VADER lexicon: pip install -e '.[train]' "
            "(the `vaderSentiment` wheel)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "vader_lexicon.txt"


def read_lexicon(path: Path | None = None) -> dict[str, float]:
    """word -> mean valence (−4 .. +4) of every alphabetic entry of the lexicon."""
    out: dict[str, float] = {}
    with open(path or lexicon_path(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            word = parts[0].strip().lower()
            if not word.replace("'", "").replace("-", "").isalpha():
                continue  # emoticons and abbreviations with digits
            try:
                out[word] = float(parts[1])
            except ValueError:
                continue
    return out


def build_valence(
    min_abs: float = 1.0, strong: float = 2.0, skip: frozenset[str] = frozenset()
) -> dict[str, int]:
    """word -> bucket (see `BUCKETS`) for words of |valence| >= `min_abs`; strong from
    `strong` up. Words in `skip` (function words: "no", "like") get no bucket."""
    table: dict[str, int] = {}
    for word, value in read_lexicon().items():
        if abs(value) < min_abs or word in skip:
            continue
        size = 2 if abs(value) >= strong else 1
        table[word] = size if value > 0 else -size
    return dict(sorted(table.items()))
