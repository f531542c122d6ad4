"""`moderate evaluate`: held-out metrics per dataset and label, and the seed thread's verdicts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score

from app.labels import LABELS
from app.moderator import Moderator
from app.seed_thread import seed_thread_path
from training.data import Row

ROOT = Path(__file__).resolve().parent.parent
SEED_THREAD = seed_thread_path()  # shared fixture, else the tests' copy


def _binary(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    return {
        "n": int(y.size),
        "positives": int(y.sum()),
        "macro_f1": round(float(f1_score(y, pred, average="macro", zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
    }


def evaluate_rows(moderator: Moderator, rows: Sequence[Row]) -> dict[str, Any]:
    """Held-out metrics of `moderator` on labelled rows.

    - `datasets.<name>`: `hateful` against the dataset's own hate verdict (macro-F1 etc.);
      for context_toxicity, "any label flagged" against its binary toxic label.
    - `labels.<label>`: F1/precision/recall/AUPRC over rows whose dataset annotates that
      label by hand (lexicon-derived weak labels are excluded; so is synthetic data).
    """
    results = moderator.score([r.text for r in rows], contexts=[r.parent for r in rows])
    by_dataset: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_dataset[row.dataset].append(i)
    datasets: dict[str, Any] = {}
    for name, idx in sorted(by_dataset.items()):
        if name == "context_toxicity":
            y = np.array([rows[i].meta["toxic"] for i in idx])
            pred = np.array([bool(results[i].labels) for i in idx])
            datasets[name] = {"task": "toxic (any label flagged)", **_binary(y, pred)}
            continue
        have = [i for i in idx if rows[i].hateful is not None]
        y = np.array([rows[i].hateful for i in have])
        pred = np.array([results[i].hateful for i in have])
        datasets[name] = {"task": "hateful", **_binary(y, pred)}
        if name == "synthetic":
            datasets[name]["note"] = "template-generated; held out by text, so optimistic"
    return {
        "datasets": datasets,
        "labels": _label_metrics(
            rows, results, lambda r: r.dataset not in ("synthetic", "feedback")
        ),
        "labels_synthetic": _label_metrics(rows, results, lambda r: r.dataset == "synthetic"),
    }


def _label_metrics(
    rows: Sequence[Row], results: Sequence[Any], keep: Callable[[Row], bool]
) -> dict[str, Any]:
    """Per-label metrics over the kept rows whose label value is a given 0/1."""
    labels: dict[str, Any] = {}
    for label in LABELS:
        idx = [i for i, r in enumerate(rows) if keep(r) and r.labels[label] in (0, 1)]
        y = np.array([rows[i].labels[label] for i in idx])
        if y.size == 0 or y.sum() == 0:
            labels[label] = {"n": int(y.size), "note": "no hand-annotated positives held out"}
            continue
        scores = np.array([results[i].scores[label] for i in idx])
        pred = np.array([label in results[i].labels for i in idx])
        labels[label] = {
            **_binary(y, pred),
            "auprc": round(float(average_precision_score(y, scores)), 4),
        }
    return labels


def seed_thread_report(moderator: Moderator, path: Path = SEED_THREAD) -> dict[str, Any]:
    """Verdicts on the seed thread next to the fixture's expectations."""
    fixture = json.loads(Path(path).read_text())
    expected = fixture["expected"]
    comments = fixture["comments"]
    results = moderator.score_thread(comments, article=fixture.get("article"))
    report: dict[str, Any] = {"comments": {}, "authors": {}, "article": {}}
    passed = 0
    total = 0
    for comment, res in zip(comments, results, strict=True):
        exp = expected[comment["id"]]
        ok = (
            res.action in exp["action"]
            and sorted(res.labels) == sorted(exp["labels"])
            and res.hateful == exp["hateful"]
            and all(any(s.text == want for s in res.spans) for want in exp.get("spans", []))
        )
        report["comments"][comment["id"]] = {
            "action": res.action,
            "labels": res.labels,
            "hateful": res.hateful,
            "spans": [s.text for s in res.spans],
            "expected": exp["action"],
            "pass": ok,
        }
        passed += ok
        total += 1
    names = list(expected["authors"])
    for name, res in zip(names, moderator.score_usernames(names), strict=True):
        ok = res.action in expected["authors"][name]["action"]
        report["authors"][name] = {"action": res.action, "labels": res.labels, "pass": ok}
        passed += ok
        total += 1
    article = fixture["article"]
    res = moderator.score([f"{article['title']}\n\n{article['body']}"])[0]
    ok = res.action in expected["article"]["action"]
    report["article"] = {"action": res.action, "labels": res.labels, "pass": ok}
    passed += ok
    total += 1
    report["passed"] = passed
    report["total"] = total
    return report
