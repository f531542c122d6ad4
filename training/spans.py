"""Train the span extractor into a model folder, choose its decoding on dev, measure it.

    python -m training.spans --model models/1.2.0 [--data ../shared/data]

`moderate train` calls :func:`train_spans` on the model folder it has just written. The
command above (re)trains only the span model of an existing folder: run it after the
document classifier changed, since the classifier's word weights and probabilities are
features of the span model. It replaces `spans.npz`/`spans.json` and the card's
`metrics.spans` and `spans` entries. Deterministic: a fixed seed, the hash split of
:func:`training.spans_data.span_split`, liblinear/lbfgs solvers and a fixed grid.

Decoding settings (threshold, bridging, phrase completion, fallback) are chosen on the dev
posts for the character F1 a user gets with the default policy, through the same decoding
code that scores; the test posts are only scored once the model is saved.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.model_card import read_card, write_card
from app.model_io import record_artifacts
from app.moderator import Moderator
from app.pipeline.extensions import X_MATCHES
from app.spans.decode import DEFAULT_DECODE, decode_spans
from app.spans.model import SpanModel
from training.data import DEFAULT_DATA, file_sha256
from training.spans_data import SPANS_FILE, char_f1, load_span_posts
from training.spans_eval import evaluate_spans, suite_evidence
from training.spans_fit import DEFAULT_SETTINGS, Featurized, build_model, featurize

log = logging.getLogger("moderate.train.spans")
ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "functional" / "suite.jsonl"

#: decoding settings tried on dev (every combination)
#: (`complete_phrases` and `flagged_phrases` are not searched: keeping "should be shot" and
#: "go back where you came from" whole is the product's choice; measured on model 1.1.0's
#: dev posts, `complete_phrases` cost 0.0008 of F1)
DECODE_GRID: dict[str, list[Any]] = {
    "threshold": [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4],
    "bridge_ratio": [None, 0.5],
    "fallback_token": [0.0, 0.05, 0.1, 0.15, 0.2],
}
#: thresholds tried for texts that need no evidence (allowed texts, policy "always")
OPTIONAL_THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]


def _grid() -> list[dict[str, Any]]:
    out = []
    keys = list(DECODE_GRID)
    for values in itertools.product(*(DECODE_GRID[k] for k in keys)):
        choice = dict(zip(keys, values, strict=True))
        ratio = choice.pop("bridge_ratio")
        choice["bridge"] = None if ratio is None else round(ratio * choice["threshold"], 4)
        out.append({**DEFAULT_DECODE, **choice})
    return out


def choose_decode(
    moderator: Moderator, model: SpanModel, dev: Featurized
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The decoding settings with the best dev F1 under the default policy, then the
    `threshold_optional` with the best dev F1 with spans always; every setting tried is
    returned with its F1 figure(s)."""
    results = moderator.score([p.text for p in dev.posts])
    scores = model.score(dev.docs, dev.probs)
    items = list(zip(dev.posts, dev.docs, scores, results, strict=True))
    allowed_chars = []  # what `Moderator.score` gives an allowed text: the lexicon's slurs
    for post, doc, _tok, res in items:
        matches = doc.user_data.get(X_MATCHES) if res.action == "allow" else None
        lex = moderator._spans(doc, post.text, matches, ()) if matches else []
        allowed_chars.append(_chars(lex))

    def decoded(settings: dict[str, Any], flagged: bool) -> list[dict[int, str] | None]:
        return [
            _chars(decode_spans(tok, doc, post.text, settings, res.labels, res.scores, True))
            if flagged and res.action != "allow"
            else (
                _chars(decode_spans(tok, doc, post.text, settings, res.labels, res.scores))
                if not flagged and res.action == "allow"
                else None
            )
            for post, doc, tok, res in items
        ]

    tried = []
    for settings in _grid():
        got = decoded(settings, True)
        default = [g if g is not None else a for g, a in zip(got, allowed_chars, strict=True)]
        tried.append(
            {"decode": settings, "dev_default_policy": char_f1(default, dev.posts)["overall"]}
        )
    best = dict(max(tried, key=lambda t: t["dev_default_policy"])["decode"])
    flagged_chars = decoded(best, True)
    optional = []
    for threshold in OPTIONAL_THRESHOLDS:
        settings = {**best, "threshold_optional": threshold}
        got = decoded(settings, False)
        always = [g if g is not None else f for g, f in zip(got, flagged_chars, strict=True)]
        f1 = char_f1(always, dev.posts)["overall"]
        optional.append({"threshold_optional": threshold, "dev_spans_always": f1})
    top = max(optional, key=lambda t: t["dev_spans_always"])
    best["threshold_optional"] = top["threshold_optional"]
    return best, tried + optional


def _chars(spans) -> dict[int, str]:
    return {c: s.label for s in spans for c in range(s.start, s.end)}


def train_spans(
    model_dir: Path,
    data_dir: Path | None = None,
    settings: dict[str, Any] | None = None,
    seed: int | None = None,
    decode_only: bool = False,
) -> dict[str, Any]:
    """Train the span model of `model_dir` on the toxic-spans posts, save it there and
    record its metrics in the card. Returns the card's `spans` entry.

    With `decode_only` the saved weights are kept and only the decoding is chosen again.
    """
    started = time.perf_counter()
    data_dir = Path(data_dir or DEFAULT_DATA)
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    card = read_card(model_dir)
    seed = int(card.get("seed", 13) if seed is None else seed)
    moderator = Moderator.load(model_dir)
    posts = load_span_posts(data_dir)
    split = {name: [p for p in posts if p.split == name] for name in ("train", "dev", "test")}
    train_posts = split["train"]
    if settings.get("max_train_posts"):
        train_posts = train_posts[: int(settings["max_train_posts"])]
    previous = read_card(model_dir).get("spans") or {}
    if decode_only and moderator.span_model is not None:
        model = moderator.span_model
        fitted = float(previous.get("fit_seconds", 0.0))
        settings = dict(previous.get("settings") or settings)
        used = int((previous.get("data") or {}).get("train_posts_used") or 0)
        train_posts = train_posts[: used or None]
    else:
        model = build_model(moderator, featurize(moderator, train_posts), settings, seed)
        fitted = time.perf_counter() - started
        log.info("span model fitted in %.1fs", fitted)
    decode, tried = choose_decode(moderator, model, featurize(moderator, split["dev"]))
    model.decode = decode
    model.config["decode"] = decode
    model.save(model_dir)
    card = read_card(model_dir)
    record_artifacts(model_dir, card)  # the span files are part of the folder now
    write_card(model_dir, card)

    moderator = Moderator.load(model_dir)
    metrics = {
        "test": evaluate_spans(moderator, split["test"]),
        "dev": evaluate_spans(moderator, split["dev"]),
    }
    if SUITE.exists():
        metrics["suite_missing_evidence"] = suite_evidence(moderator, SUITE)
    entry = {
        "data": {
            "path": SPANS_FILE,
            "sha256": file_sha256(data_dir / SPANS_FILE),
            "posts": {name: len(rows) for name, rows in split.items()},
            "train_posts_used": len(train_posts),
        },
        "gold": "characters marked by more than half of a post's annotators; type: the "
        "most voted among them (Other Toxicity -> insult)",
        "split": "training.spans_data.span_split: hash_split(near_duplicate_key(text))",
        "metric": "per-post character F1 (both empty = 1, one empty = 0), averaged over "
        "posts; per type over the posts whose gold or prediction has the type",
        "settings": settings,
        "seed": seed,
        "decode": decode,
        "decode_grid_dev": tried,
        "n_features": int(model.keys.size),
        "fit_seconds": round(fitted, 1),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    card = read_card(model_dir)
    card.setdefault("metrics", {})["spans"] = metrics
    card["spans"] = entry
    write_card(model_dir, card)
    return entry


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m training.spans --model DIR`: retrain the span model of a model folder."""
    from training.spans_eval import format_span_report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="model folder to update")
    parser.add_argument("--data", type=Path, default=None, help="the shared datasets folder")
    parser.add_argument(
        "--config",
        type=Path,
        default=ROOT / "training" / "config.json",
        help="training config whose `spans` entry holds the settings",
    )
    parser.add_argument(
        "--decode-only",
        action="store_true",
        help="keep the saved weights, only choose the decoding on dev again",
    )
    args = parser.parse_args(argv)
    if not (args.model / "model_card.json").exists():
        parser.error(f"{args.model} is not a model folder (no model_card.json)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = json.loads(args.config.read_text()).get("spans") or {}
    entry = train_spans(args.model, args.data, settings, decode_only=args.decode_only)
    metrics = read_card(args.model)["metrics"]["spans"]
    print(f"span model written to {args.model} in {entry['train_seconds']}s")
    print(f"decoding chosen on dev: {entry['decode']}")
    print("test split:\n" + format_span_report(metrics["test"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
