"""Run a functional test suite (tests/functional/suite.jsonl) and report pass rates.

Each case has `case_type`, `group` (or null), `text`, gold `hateful` and, for thread cases,
a `parent`. Pass rates are reported per case type and per group, and overall for hateful
and non-hateful cases separately, because one accuracy number hides which behaviour fails.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.moderator import Moderator

REQUIRED = ("id", "case_type", "text", "hateful")


def load_suite(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate suite cases."""
    cases = []
    with Path(path).open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            case = json.loads(line)
            missing = [k for k in REQUIRED if k not in case]
            if missing:
                raise ValueError(f"{path}:{line_no}: missing {', '.join(missing)}")
            cases.append(case)
    return cases


def _rate(hits: list[bool]) -> dict[str, Any]:
    return {"n": len(hits), "accuracy": round(sum(hits) / len(hits), 4) if hits else None}


def evaluate_suite(moderator: Moderator, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Score every case (thread cases with their parent as context) and aggregate."""
    results = moderator.score([c["text"] for c in cases], contexts=[c.get("parent") for c in cases])
    by_type: dict[str, list[bool]] = defaultdict(list)
    by_group: dict[str, list[bool]] = defaultdict(list)
    hateful: list[bool] = []
    nonhateful: list[bool] = []
    failures: dict[str, list[str]] = defaultdict(list)
    for case, res in zip(cases, results, strict=True):
        ok = res.hateful == bool(case["hateful"])
        by_type[case["case_type"]].append(ok)
        by_group[case.get("group") or "none"].append(ok)
        (hateful if case["hateful"] else nonhateful).append(ok)
        if not ok:
            failures[case["case_type"]].append(case["id"])
    overall = hateful + nonhateful
    return {
        "overall": _rate(overall),
        "hateful_cases": _rate(hateful),
        "nonhateful_cases": _rate(nonhateful),
        "case_types": {k: _rate(v) for k, v in sorted(by_type.items())},
        "groups": {k: _rate(v) for k, v in sorted(by_group.items())},
        "failed_ids": dict(sorted(failures.items())),
        "model_version": moderator.version,
    }


def suite_summary(moderator: Moderator, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The suite's headline numbers: overall, hateful and non-hateful accuracy, and the
    weakest case type (the protocol stores these per fit, not every case)."""
    report = evaluate_suite(moderator, cases)
    types = {k: v["accuracy"] for k, v in report["case_types"].items()}
    weakest = min(types, key=types.__getitem__) if types else None
    return {
        "overall": report["overall"]["accuracy"],
        "hateful": report["hateful_cases"]["accuracy"],
        "nonhateful": report["nonhateful_cases"]["accuracy"],
        "weakest_type": weakest,
        "weakest_accuracy": types.get(weakest) if weakest else None,
        "case_types": types,
    }


def format_suite_report(report: dict[str, Any]) -> str:
    """A plain-text table of the report."""
    lines = [f"functional suite, model {report['model_version']}"]
    for key in ("overall", "hateful_cases", "nonhateful_cases"):
        r = report[key]
        lines.append(f"{key:<24}{r['n']:>6}{r['accuracy']:>8.3f}")
    lines.append("\ncase type")
    for name, r in report["case_types"].items():
        lines.append(f"  {name:<24}{r['n']:>5}{r['accuracy']:>8.3f}")
    lines.append("\ngroup")
    for name, r in report["groups"].items():
        lines.append(f"  {name:<24}{r['n']:>5}{r['accuracy']:>8.3f}")
    return "\n".join(lines)
