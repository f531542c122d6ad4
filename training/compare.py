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
from sklearn.metrics import f1_score

from training.data import DEFAULT_DATA


def paired_bootstrap(
    y: np.ndarray, old: np.ndarray, new: np.ndarray, n: int = 2000, seed: int = 13
) -> dict[str, float]:
    """Macro-F1 of both prediction vectors, their difference and its 95% interval."""
    rng = np.random.default_rng(seed)
    f_old = f1_score(y, old, average="macro", zero_division=0)
    f_new = f1_score(y, new, average="macro", zero_division=0)
    diffs = np.empty(n)
    for k in range(n):
        idx = rng.integers(0, y.size, y.size)
        diffs[k] = f1_score(y[idx], new[idx], average="macro", zero_division=0) - f1_score(
            y[idx], old[idx], average="macro", zero_division=0
        )
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
