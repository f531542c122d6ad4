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
from training.corpus import GENERATED
from training.data import Row

GENERATED_OR_FEEDBACK = GENERATED | {"feedback"}

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


#: dataset -> what its per-dataset score measures (default: `hateful` against the row's
#: verdict). context_toxicity labels toxicity of any kind; the Toxic Spans posts are all
#: toxic, and their majority `insult` type is the verdict they can score.
DATASET_TASKS = {
    "context_toxicity": "toxic (any label flagged)",
    "toxic_spans": "insult",
}


def dataset_task_arrays(
    name: str, rows: Sequence[Row], results: Sequence[Any]
) -> tuple[str, np.ndarray, np.ndarray]:
    """(task, gold, predicted) of one dataset's rows, as its per-dataset score reads them."""
    task = DATASET_TASKS.get(name, "hateful")
    if task.startswith("toxic"):
        y = [r.meta["toxic"] for r in rows]
        pred = [bool(res.labels) for res in results]
    elif task == "insult":
        keep = [i for i, r in enumerate(rows) if r.meta.get("insult") in (0, 1)]
        y = [rows[i].meta["insult"] for i in keep]
        pred = ["insult" in results[i].labels for i in keep]
    else:
        keep = [i for i, r in enumerate(rows) if r.hateful is not None]
        y = [rows[i].hateful for i in keep]
        pred = [results[i].hateful for i in keep]
    return task, np.asarray(y, dtype=int), np.asarray(pred, dtype=int)


def score_rows(moderator: Moderator, rows: Sequence[Row]) -> list[Any]:
    """Results for rows, each read with its thread context as a user's request would be."""
    return moderator.score([r.text for r in rows], contexts=[r.parent for r in rows])


def evaluate_rows(
    moderator: Moderator, rows: Sequence[Row], results: Sequence[Any] | None = None
) -> dict[str, Any]:
    """Held-out metrics of `moderator` on labelled rows.

    - `datasets.<name>`: the dataset's task (see `DATASET_TASKS`; `hateful` against the
      dataset's own verdict by default): macro-F1, F1, precision, recall;
    - `labels.<label>`: F1/precision/recall/AUPRC over rows whose dataset annotates that
      label by hand (lexicon-derived weak labels are excluded; so is generated data).
    """
    if results is None:
        results = score_rows(moderator, rows)
    by_dataset: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_dataset[row.dataset].append(i)
    datasets: dict[str, Any] = {}
    for name, idx in sorted(by_dataset.items()):
        task, y, pred = dataset_task_arrays(
            name, [rows[i] for i in idx], [results[i] for i in idx]
        )
        datasets[name] = {"task": task, **_binary(y, pred)}
        if name in GENERATED:
            datasets[name]["note"] = "written by this project; held out by text, so optimistic"
    return {
        "datasets": datasets,
        "labels": _label_metrics(rows, results, lambda r: r.dataset not in GENERATED_OR_FEEDBACK),
        "labels_synthetic": _label_metrics(rows, results, lambda r: r.dataset in GENERATED),
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


def real_test_bias(rows: Sequence[Row], results: Sequence[Any], groups) -> dict[str, Any]:
    """Identity bias of one model on the real datasets' test rows (see
    `training.protocol.identity_bias`)."""
    from training.protocol import hate_scores, identity_bias

    keep = [i for i, r in enumerate(rows) if r.dataset not in GENERATED_OR_FEEDBACK
            and r.hateful is not None]
    return identity_bias(
        hate_scores([results[i] for i in keep]),
        np.array([rows[i].hateful for i in keep]),
        [groups[i] for i in keep],
    )


def evaluate_model(
    moderator: Moderator, data_dir: Path, config: dict[str, Any], suite_path: Path | None = None
) -> dict[str, Any]:
    """Everything the card stores about one model on held-out data: per-dataset and
    per-label test metrics, identity bias on the real test rows, the seed thread, and the
    functional suite (a regression test) when `suite_path` is given."""
    from training.corpus import load_rows, named_groups

    rows = [r for r in load_rows(data_dir, config) if r.split == "test"]
    results = score_rows(moderator, rows)
    docs = moderator.docs([r.text for r in rows])
    metrics: dict[str, Any] = {
        "test": evaluate_rows(moderator, rows, results),
        "bias": real_test_bias(rows, results, [named_groups(d) for d in docs]),
        "seed_thread": seed_thread_report(moderator),
    }
    from training.spans_data import SPANS_FILE, load_span_posts

    if (data_dir / SPANS_FILE).exists():
        from training.spans_eval import evaluate_spans

        posts = load_span_posts(data_dir)
        metrics["spans"] = {
            split: evaluate_spans(moderator, [p for p in posts if p.split == split])
            for split in ("test", "dev")
        }
    if suite_path is not None and Path(suite_path).exists():
        from training.spans_eval import suite_evidence
        from training.suite import evaluate_suite, load_suite

        metrics.setdefault("spans", {})["suite_missing_evidence"] = suite_evidence(
            moderator, Path(suite_path)
        )

        report = evaluate_suite(moderator, load_suite(suite_path))
        report.pop("failed_ids", None)
        metrics["functional"] = report
    return metrics


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
