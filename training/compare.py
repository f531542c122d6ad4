"""Compare two models on the same held-out rows: per-dataset macro-F1 and its paired
bootstrap interval.

    python -m training.compare models/1.1.0 models/1.2.0 [--data ../shared/data]

"Not significantly worse" (issue 13) means: the 95% interval of the difference (new - old)
reaches 0 or above. Resampling is paired, the same rows for both models, 2,000 times with a
fixed seed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.data import DEFAULT_DATA


def _macro_f1_from_counts(counts: np.ndarray) -> np.ndarray:
    """Binary macro-F1 from confusion counts (..., 4) in the order code = 2*gold + pred.

    Like `sklearn.metrics.f1_score(average="macro", zero_division=0)`: a class that is in
    neither the gold nor the predictions of a sample is not averaged.
    """
    tn, fp, fn, tp = (counts[..., k].astype(np.float64) for k in range(4))
    f1 = []
    for hit, miss in ((tp, fp + fn), (tn, fp + fn)):
        denom = 2 * hit + miss
        f1.append(np.divide(2 * hit, denom, out=np.zeros_like(denom), where=denom > 0))
    present_pos = (tp + fp + fn) > 0
    present_neg = (tn + fp + fn) > 0
    n_present = present_pos.astype(int) + present_neg.astype(int)
    total = f1[0] * present_pos + f1[1] * present_neg
    return np.divide(total, n_present, out=np.zeros_like(total), where=n_present > 0)


def paired_bootstrap(
    y: np.ndarray, old: np.ndarray, new: np.ndarray, n: int = 2000, seed: int = 13
) -> dict[str, float]:
    """Macro-F1 of both prediction vectors, their difference and its 95% interval.

    Each resample's macro-F1 comes from its confusion counts (a bincount), so 2,000
    resamples of 10,000 rows take well under a second.
    """
    y, old, new = (np.asarray(a, dtype=np.int64) for a in (y, old, new))
    codes = np.stack([2 * y + old, 2 * y + new])  # (2, rows): which confusion cell
    f_old, f_new = _macro_f1_from_counts(np.stack([np.bincount(c, minlength=4) for c in codes]))
    rng = np.random.default_rng(seed)
    diffs = np.empty(n)
    chunk = max(1, min(n, 4_000_000 // max(1, y.size)))  # bounded memory per draw
    for start in range(0, n, chunk):
        k = min(chunk, n - start)
        idx = rng.integers(0, y.size, (k, y.size))
        counts = np.zeros((2, k, 4), dtype=np.int64)
        for m in range(2):
            cells = codes[m][idx] + 4 * np.arange(k)[:, None]
            counts[m] = np.bincount(cells.ravel(), minlength=4 * k).reshape(k, 4)
        f = _macro_f1_from_counts(counts)
        diffs[start : start + k] = f[1] - f[0]
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return {
        "old": round(float(f_old), 4),
        "new": round(float(f_new), 4),
        "diff": round(float(f_new - f_old), 4),
        "ci95": [round(float(lo), 4), round(float(hi), 4)],
        "not_worse": bool(hi >= 0),
        "disagree": int((old != new).sum()),
    }


def compare_models(
    old_dir: Path, new_dir: Path, data_dir: Path, split: str = "test"
) -> dict[str, Any]:
    """Per dataset of the current config: the paired bootstrap on its `split` rows."""
    from app.moderator import Moderator
    from training.corpus import load_rows
    from training.evaluate import dataset_task_arrays, score_rows
    from training.train import load_config

    rows = [r for r in load_rows(data_dir, load_config()) if r.split == split]
    results = {}
    for name, path in (("old", old_dir), ("new", new_dir)):
        results[name] = score_rows(Moderator.load(path), rows)
    out: dict[str, Any] = {}
    for dataset in sorted({r.dataset for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.dataset == dataset]
        subset = [rows[i] for i in idx]
        task, y, old = dataset_task_arrays(dataset, subset, [results["old"][i] for i in idx])
        _, _, new = dataset_task_arrays(dataset, subset, [results["new"][i] for i in idx])
        out[dataset] = {"task": task, "n": int(y.size), **paired_bootstrap(y, old, new)}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    table = compare_models(args.old, args.new, args.data, args.split)
    for name, row in table.items():
        print(
            f"{name:<18} {row['task']:<28} n={row['n']:>5} old {row['old']:.4f} "
            f"new {row['new']:.4f} diff {row['diff']:+.4f} "
            f"95% [{row['ci95'][0]:+.4f}, {row['ci95'][1]:+.4f}] "
            f"{'ok' if row['not_worse'] else 'WORSE'}"
        )
    if args.json:
        args.json.write_text(json.dumps(table, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
