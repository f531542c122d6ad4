"""The generalization protocol: leave-one-dataset-out, source ablations, bias on real rows.

Every number here is held out from the fit that produced it:

- **leave-one-dataset-out (LODO)**: for each real dataset, fit on every other source and
  score that dataset's test split with its task (`training.evaluate.DATASET_TASKS`);
- **ablation**: the same fits read the other way round, since "without dataset d" is LODO
  fold d: each fit is also scored on every other dataset's test split and the functional
  suite; generated sources get fits of their own;
- **bias on real rows** (`identity_bias`): for every group the lexicon finds, the
  subgroup, BPSN and BNSP AUCs of the Civil Comments bias work over the pooled test splits
  of the real datasets, and their power means (p = -5).

The fits use the configuration's `protocol` overrides (a cheaper vectorizer); every run
that is compared uses the same one.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from app.labels import GROUPS, LABELS
from app.moderator import Moderator
from app.policy import Policy
from training.corpus import GENERATED, Corpus
from training.evaluate import dataset_task_arrays, score_rows
from training.fit import fit_classifier

log = logging.getLogger("moderate.protocol")

#: the labels whose maximum is a text's hate score in the bias metrics
HATE_SCORE_LABELS = ("slur", "dehumanization", "identity_attack")
POWER = -5.0
MIN_GROUP_ROWS = 20  # a group needs this many hateful and non-hateful test rows to be scored


def protocol_config(config: dict[str, Any]) -> dict[str, Any]:
    """The configuration with its `protocol` overrides applied (nested dicts merged)."""
    out = copy.deepcopy(config)
    for key, value in (config.get("protocol") or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def in_memory_moderator(nlp, clf, review, remove, config: dict[str, Any]) -> Moderator:
    """A Moderator around a fitted classifier, without writing a model folder."""
    card = {
        "version": f"{config['version']}-protocol",
        "thresholds": {"review": review, "remove": remove},
        "lexical_floors": dict(config.get("lexical_floors", {})),
        "hate_rules": dict(config.get("hate_rules", {})),
    }
    policy = Policy.from_card(card)
    return Moderator(nlp=nlp, classifier=clf, card=card, policy=policy, path=Path("."))


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    return round(float(f1_score(y, pred, average="macro", zero_division=0)), 4)


def power_mean(values: Sequence[float], p: float = POWER) -> float:
    arr = np.asarray([v for v in values if v == v], dtype=np.float64)
    if arr.size == 0:
        return float("nan")
    return round(float(np.mean(arr**p) ** (1.0 / p)), 4)


def identity_bias(
    scores: np.ndarray, y: np.ndarray, groups: Sequence[frozenset[str]]
) -> dict[str, Any]:
    """Subgroup / BPSN / BNSP AUC per group and their power means.

    `scores` are hate scores, `y` the rows' hateful verdicts, `groups` the groups each row
    names. Subgroup AUC: rows naming the group. BPSN (background positive, subgroup
    negative): hateful rows not naming it with harmless rows naming it. BNSP: hateful rows
    naming it with harmless rows not naming it.
    """
    per_group: dict[str, Any] = {}
    for g in GROUPS:
        has = np.array([g in gs for gs in groups])
        pos, neg = y == 1, y == 0
        if (has & pos).sum() < MIN_GROUP_ROWS or (has & neg).sum() < MIN_GROUP_ROWS:
            continue
        per_group[g] = {
            "n": int(has.sum()),
            "positives": int((has & pos).sum()),
            "subgroup_auc": _auc(y[has], scores[has]),
            "bpsn_auc": _auc(*_pair(y, scores, (~has & pos) | (has & neg))),
            "bnsp_auc": _auc(*_pair(y, scores, (has & pos) | (~has & neg))),
        }
    means = {
        metric: power_mean([v[metric] for v in per_group.values()])
        for metric in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
    }
    return {"score": "max(" + ", ".join(HATE_SCORE_LABELS) + ")", "power": POWER,
            "groups": per_group, "power_means": means}


def _pair(y: np.ndarray, s: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return y[mask], s[mask]


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    if len(set(y.tolist())) < 2:
        return float("nan")
    return round(float(roc_auc_score(y, s)), 4)


def hate_scores(results: Sequence[Any]) -> np.ndarray:
    return np.array([max(r.scores[label] for label in HATE_SCORE_LABELS) for r in results])


def evaluate_fit(
    moderator: Moderator, corpus: Corpus, test_idx: np.ndarray, suite: Sequence[dict] | None
) -> dict[str, Any]:
    """Per-dataset metrics, bias on real rows and the suite for one fitted model, over the
    rows `test_idx` (a test split, or a dev split while changes are being chosen)."""
    rows = [corpus.rows[i] for i in test_idx]
    results = score_rows(moderator, rows)
    per_dataset: dict[str, float] = {}
    datasets = sorted({r.dataset for r in rows})
    for name in datasets:
        idx = [k for k, r in enumerate(rows) if r.dataset == name]
        _, y, pred = dataset_task_arrays(name, [rows[k] for k in idx], [results[k] for k in idx])
        per_dataset[name] = macro_f1(y, pred)
    real = [k for k, r in enumerate(rows) if r.dataset not in GENERATED and r.hateful is not None]
    bias = identity_bias(
        hate_scores([results[k] for k in real]),
        np.array([rows[k].hateful for k in real]),
        [corpus.groups[test_idx[k]] for k in real],
    )
    out: dict[str, Any] = {"datasets": per_dataset, "bias_power_means": bias["power_means"]}
    if suite:
        from training.suite import suite_summary

        out["suite"] = suite_summary(moderator, suite)
    return out


#: what the worker processes of a parallel protocol read (inherited through fork)
_SHARED: dict[str, Any] = {}


def fit_groups(names: Sequence[str], jobs: int) -> list[list[str]]:
    """`names` dealt round-robin into at most `jobs` non-empty groups (one per process)."""
    groups = [list(names[k::jobs]) for k in range(max(1, jobs))]
    return [g for g in groups if g]


def _protocol_worker(group: list[str]) -> dict[str, Any]:
    shared = _SHARED
    return run_protocol(
        shared["nlp"], shared["corpus"], shared["config"], shared["suite"],
        only=group, eval_split=shared["eval_split"],
    )["runs"]


def run_protocol(
    nlp,
    corpus: Corpus,
    config: dict[str, Any],
    suite: Sequence[dict] | None = None,
    only: Sequence[str] | None = None,
    eval_split: str = "test",
    jobs: int = 1,
) -> dict[str, Any]:
    """LODO and ablation fits (one per source) plus the all-sources reference fit.

    `only` limits the fits to these left-out sources ("all" = the reference fit);
    `eval_split` is the split scored ("dev" while choosing changes, "test" for the card).
    With `jobs` > 1 the fits run in that many forked processes (each fit is one
    single-threaded liblinear run, so two cores take about half the time); the results are
    the same as one process gives, fit by fit.
    """
    sources = sorted(set(corpus.dataset.tolist()))
    names = [n for n in ["all", *sources] if only is None or n in only]
    if jobs > 1 and len(names) > 1:
        import multiprocessing

        _SHARED.update(nlp=nlp, corpus=corpus, config=config, suite=suite, eval_split=eval_split)
        try:
            groups = fit_groups(names, jobs)
            with multiprocessing.get_context("fork").Pool(len(groups)) as pool:
                parts = pool.map(_protocol_worker, groups)
        finally:
            _SHARED.clear()
        runs = {name: part[name] for part in parts for name in part}
        return summarize_runs({n: runs[n] for n in names}, config, eval_split, sources)
    cfg = protocol_config(config)
    split = corpus.split
    dataset = corpus.dataset
    test_idx = np.flatnonzero(split == eval_split)
    runs: dict[str, Any] = {}
    for left_out in [None, *sources]:
        if only is not None and (left_out or "all") not in only:
            continue
        started = time.perf_counter()
        keep = dataset != left_out if left_out else np.ones(len(dataset), dtype=bool)
        clf, review, remove = fit_classifier(
            corpus, keep & (split == "train"), keep & (split == "dev"), cfg
        )
        moderator = in_memory_moderator(nlp, clf, review, remove, cfg)
        run = runs[left_out or "all"] = evaluate_fit(moderator, corpus, test_idx, suite)
        # the same fit under other hate rules (a policy change needs no refit)
        for k, rules in enumerate(cfg.get("protocol_hate_rules") or ()):
            variant = in_memory_moderator(
                nlp, clf, review, remove, {**cfg, "hate_rules": rules}
            )
            run[f"hate_rules_{k}"] = {"rules": rules, **evaluate_fit(
                variant, corpus, test_idx, suite)}
        run["seconds"] = round(time.perf_counter() - started, 1)
        log.info("protocol fit without %s: %s", left_out or "nothing", runs[left_out or "all"])
    return summarize_runs(runs, config, eval_split, sources)


def summarize_runs(
    runs: dict[str, Any], config: dict[str, Any], eval_split: str, sources: Sequence[str]
) -> dict[str, Any]:
    """The protocol's record of its fits: each real dataset's score when left out, and
    their mean (the fits may come from several processes or runs)."""
    real = [s for s in sources if s not in GENERATED and s != "feedback"]
    lodo = {s: runs[s]["datasets"].get(s) for s in real if s in runs}
    values = [v for v in lodo.values() if v is not None]
    return {
        "config": config.get("protocol") or {},
        "eval_split": eval_split,
        "lodo": {"datasets": lodo, "mean": round(float(np.mean(values)), 4) if values else None},
        "runs": runs,
        "labels": list(LABELS),
    }


def ablation_table(protocol: dict[str, Any]) -> dict[str, Any]:
    """Per left-out source: the change of every other dataset's score against the fit on
    all sources, their mean, and the suite's change (what that source buys)."""
    runs = protocol["runs"]
    ref = runs.get("all")
    if ref is None:
        return {}
    out: dict[str, Any] = {}
    for source, run in runs.items():
        if source == "all":
            continue
        deltas = {
            d: round(v - ref["datasets"][d], 4)
            for d, v in run["datasets"].items()
            if d != source and d in ref["datasets"] and d not in GENERATED
        }
        entry: dict[str, Any] = {
            "delta_per_dataset": deltas,
            "mean_delta": round(float(np.mean(list(deltas.values()))), 4) if deltas else None,
            "bias_power_means": run.get("bias_power_means"),
        }
        if "suite" in run and "suite" in ref:
            overall = run["suite"]["overall"] - ref["suite"]["overall"]
            entry["suite_overall_delta"] = round(overall, 4)
            entry["suite_case_type_deltas"] = {
                k: round(v - ref["suite"]["case_types"].get(k, v), 4)
                for k, v in run["suite"]["case_types"].items()
            }
        out[source] = entry
    return out


def card_protocol(
    data_dir: Path, config: dict[str, Any], suite_path: Path | None, jobs: int = 1
) -> dict[str, Any]:
    """The protocol as the model card stores it: LODO and ablations on the test splits
    (`jobs` processes, see `run_protocol`)."""
    from training.corpus import build_corpus, load_rows
    from training.suite import load_suite
    from training.train import build_pipeline, training_vocabulary

    rows = load_rows(data_dir, config)
    nlp = build_pipeline(training_vocabulary(config, rows))
    corpus = build_corpus(nlp, rows, config)
    suite = load_suite(suite_path) if suite_path is not None and Path(suite_path).exists() else None
    result = run_protocol(nlp, corpus, config, suite, eval_split="test", jobs=jobs)
    result["ablation"] = ablation_table(result)
    return result
