"""How robust the pipeline is to spelling attacks, measured on real comments.

    python -m training.spelling_check --model models/1.2.0 --out spelling.json
    python -m training.spelling_check --model M --baseline-nlp M0/nlp   # + false repairs

Takes test-split texts of real datasets (read at run time from ../shared/data, never
stored), picks words in them and perturbs one at a time the ways attackers do: drop a
letter, swap two neighbours, space the letters out, leetspeak, glue two words together,
put one space inside a word.
For each perturbation it reports how often the pipeline's norms of the perturbed word (the
words its tokens spell, see `app.pipeline.word_view`) equal those of the clean word, and
how often the model's verdict (action and hateful) on the perturbed text equals its
verdict on the clean text. Words are drawn from all words of four or more letters and,
separately, from the lexicon's words (what attackers disguise).

With `--baseline-nlp` (the same model's pipeline without its vocabulary, say) it also
counts the tokens of clean texts whose norm differs between the two pipelines: the false
repairs, listed with a sample. The script reads docs through spaCy's API and
`doc.user_data` only, so an older checkout of the code can run it too (for a "before").
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

_WORD = re.compile(r"[A-Za-z]+")
_VIEW_KEY = ("._.", "word_view", None, None)
KINDS = ("drop", "swap", "space", "leet", "glue", "split")
_LEET = {
    "a": "4@",
    "e": "3",
    "i": "1",
    "o": "0",
    "s": "5$",
    "t": "7",
    "g": "96",
    "b": "8",
    "l": "1",
}
DATASETS = ["hatexplain", "gab_hate_corpus"]


# -- perturbations ------------------------------------------------------------------------
def perturb(word: str, kind: str, rng: random.Random) -> str | None:
    """`word` (letters only) perturbed one way, or None when it cannot be."""
    n = len(word)
    if kind == "drop":
        i = rng.randrange(n)
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        spots = [i for i in range(n - 1) if word[i].lower() != word[i + 1].lower()]
        if not spots:
            return None
        i = rng.choice(spots)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "space":
        return " ".join(word)
    if kind == "split":  # one space inside, two letters or more on each side: "wom en"
        if n < 4:
            return None
        i = rng.randrange(2, n - 1)
        return word[:i] + " " + word[i:]
    if kind == "leet":
        letters = sorted({c for c in word.lower() if c in _LEET})
        if not letters:
            return None
        chosen = rng.sample(letters, min(2, len(letters)))
        table = {c: rng.choice(_LEET[c]) for c in chosen}
        return "".join(table.get(c.lower(), c) for c in word)
    raise ValueError(kind)


def targets(text: str, wanted: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Character spans of the words of `text` that `wanted` accepts."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if wanted(m.group())]


def glue_targets(text: str, wanted: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of two words joined by one space, at least one accepted by `wanted`."""
    words = list(_WORD.finditer(text))
    out = []
    for a, b in zip(words, words[1:], strict=False):
        if text[a.end() : b.start()] == " " and (wanted(a.group()) or wanted(b.group())):
            out.append((a.start(), b.end()))
    return out


# -- reading a doc ------------------------------------------------------------------------
def span_norms(doc: Any, start: int, end: int) -> list[str]:
    """The words (norms) the doc spells over characters `start:end`."""
    view = doc.user_data.get(_VIEW_KEY)
    hit = [t.i for t in doc if t.idx < end and t.idx + len(t.text) > start and not t.is_space]
    if not hit:
        return []
    lo, hi = hit[0], hit[-1] + 1
    if view is not None:
        words = [
            w
            for w, s, e in zip(view.words, view.starts, view.ends, strict=True)
            if s < hi and e > lo and not w.isspace()
        ]
    else:
        words = [doc[i].norm_ for i in hit]
    # the word's own norms: punctuation beside it ("e." of a spaced "t h e r e.") is not it
    return [piece for w in words for piece in w.split() if any(c.isalnum() for c in piece)]


# -- the check ----------------------------------------------------------------------------
def robustness(
    moderator: Any, texts: Sequence[str], wanted: Callable[[str], bool], seed: int
) -> dict[str, Any]:
    """Norm and verdict agreement per perturbation kind over `texts`."""
    rng = random.Random(seed)
    # a kind added later draws from its own generator: the other kinds keep their cases
    late_rng = random.Random(seed + 1000)
    cases: list[tuple[str, int, str, tuple[int, int], tuple[int, int]]] = []
    for i, text in enumerate(texts):
        for kind in KINDS:
            draw = late_rng if kind == "split" else rng
            spans = (
                glue_targets(text, wanted)
                if kind == "glue"
                else targets(text, lambda w: len(w) >= 4 and wanted(w))
            )
            if not spans:
                continue
            start, end = draw.choice(spans)
            if kind == "glue":
                new = text[start:end].replace(" ", "", 1)
            else:
                new = perturb(text[start:end], kind, draw)
                if new is None:
                    continue
            perturbed = text[:start] + new + text[end:]
            cases.append((kind, i, perturbed, (start, end), (start, start + len(new))))
    clean_docs = moderator.docs(list(texts))
    new_docs = moderator.docs([c[2] for c in cases])
    clean_results = moderator.score(list(texts))
    new_results = moderator.score([c[2] for c in cases])
    out: dict[str, Any] = {}
    for kind in KINDS:
        rows = [k for k, c in enumerate(cases) if c[0] == kind]
        same_norms = same_verdict = kept_hate = hate = 0
        examples = []
        for k in rows:
            _, i, perturbed, (cs, ce), (ps, pe) = cases[k]
            clean = span_norms(clean_docs[i], cs, ce)
            seen = span_norms(new_docs[k], ps, pe)
            same_norms += clean == seen
            a, b = clean_results[i], new_results[k]
            same_verdict += a.action == b.action and a.hateful == b.hateful
            if a.hateful:
                hate += 1
                kept_hate += b.hateful
            if clean != seen and len(examples) < 5:
                examples.append({"clean": clean, "perturbed": seen})
        n = len(rows)
        out[kind] = {
            "n": n,
            "norms_equal": round(same_norms / n, 4) if n else None,
            "verdict_equal": round(same_verdict / n, 4) if n else None,
            "hateful_clean": hate,
            "hateful_kept": round(kept_hate / hate, 4) if hate else None,
            "norm_misses": examples,
        }
    return out


def false_repairs(
    nlp: Any, baseline: Any, texts: Sequence[str], seed: int, sample: int = 40
) -> dict[str, Any]:
    """Tokens of clean `texts` whose norm (or spaced-letter word) differs between the two
    pipelines, with a sample of the distinct changes."""
    from app.pipeline import process

    docs, base_docs = process(nlp, list(texts)), process(baseline, list(texts))
    tokens = 0
    kinds: Counter[str] = Counter()
    changes: Counter[tuple[str, str, str]] = Counter()
    for doc, base in zip(docs, base_docs, strict=True):
        if len(doc) != len(base):
            kinds["texts tokenized differently"] += 1
            continue
        view = doc.user_data.get(_VIEW_KEY)
        collapsed = view is not None and any(
            e - s > 1 for s, e in zip(view.starts, view.ends, strict=True)
        )
        kinds["texts with collapsed spaced letters"] += collapsed
        for t, b in zip(doc, base, strict=True):
            if t.is_space:
                continue
            tokens += 1
            if t.norm_ != b.norm_:
                kinds["split" if " " in t.norm_ else "corrected"] += 1
                changes[(t.text, b.norm_, t.norm_)] += 1
    items = sorted(changes.items(), key=lambda kv: (-kv[1], kv[0]))
    rng = random.Random(seed)
    picked = rng.sample(items, min(sample, len(items)))
    return {
        "texts": len(texts),
        "tokens": tokens,
        "changed_tokens": kinds["corrected"] + kinds["split"],
        "changed_share": round((kinds["corrected"] + kinds["split"]) / max(tokens, 1), 5),
        "kinds": dict(kinds),
        "distinct_changes": len(items),
        "most_common": [[*k, c] for k, c in items[:30]],
        "sample": [[*k, c] for k, c in picked],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--n", type=int, default=2000, help="texts perturbed")
    parser.add_argument("--clean-n", type=int, default=4000, help="texts for false repairs")
    parser.add_argument("--baseline-nlp", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    from app.moderator import Moderator
    from app.pipeline.lexicon import read_lexicon_dir
    from training.data import DEFAULT_DATA, load_all

    data = args.data or DEFAULT_DATA
    if not data.is_dir():
        print(f"error: no datasets folder {data}")
        return 2
    rows = [r for r in load_all(data, DATASETS) if r.split == "test"]
    rows.sort(key=lambda r: r.text)  # a stable order whatever the loader's
    random.Random(args.seed).shuffle(rows)
    texts = [r.text for r in rows[: args.n]]
    entries, _ = read_lexicon_dir(Path(__file__).resolve().parent / "lexicon")
    lexicon = {
        f
        for e in entries
        if e["category"] != "cue"
        for f in [e["term"], *e.get("variants", [])]
        if f.isalpha()
    }
    moderator = Moderator.load(args.model)
    report: dict[str, Any] = {
        "model": str(args.model),
        "texts": len(texts),
        "datasets": DATASETS,
        "any_word": robustness(moderator, texts, lambda w: True, args.seed),
        "lexicon_word": robustness(moderator, texts, lambda w: w.lower() in lexicon, args.seed + 1),
    }
    if args.baseline_nlp is not None:
        from app.pipeline import load_nlp

        clean = [r.text for r in rows[args.n : args.n + args.clean_n]]
        report["false_repairs"] = false_repairs(
            moderator.nlp, load_nlp(args.baseline_nlp), clean, args.seed
        )
    text = json.dumps(report, indent=1)
    if args.out is not None:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
