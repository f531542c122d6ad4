"""Span quality as a user sees it: character F1 through `Moderator.score`.

The spans of a post are the characters of every span `Moderator.score` returns with the
default policy, so a post the classifier allows gets none (unless a slur was found); the
same is measured with the policy `"spans": "always"`, which gives every post its spans, to
show how much the classifier's verdicts cost. Also: how many texts that are not allowed
carry no span at all (the product promises evidence for every one of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.moderator import Moderator
from app.results import Result
from training.spans_data import SpanPost, char_f1


def span_chars(result: Result) -> dict[int, str]:
    """Character offset -> label of every span of a result (later spans win overlaps)."""
    return {c: s.label for s in result.spans for c in range(s.start, s.end)}


def missing_evidence(results: Sequence[Result]) -> dict[str, Any]:
    """How many results that are not `allow` have no span."""
    flagged = [r for r in results if r.action != "allow"]
    missing = sum(1 for r in flagged if not r.spans)
    return {
        "not_allowed": len(flagged),
        "without_span": missing,
        "rate": round(missing / len(flagged), 4) if flagged else 0.0,
    }


def evaluate_spans(moderator: Moderator, posts: Sequence[SpanPost]) -> dict[str, Any]:
    """Character F1 of the posts' spans with the default policy and with spans always,
    and the share of flagged posts without evidence."""
    texts = [p.text for p in posts]
    default = moderator.score(texts)
    always_policy = moderator.policy.with_overrides({"spans": "always"}, name="spans-always")
    always = moderator.score(texts, policy=always_policy)
    return {
        "default_policy": char_f1([span_chars(r) for r in default], posts),
        "spans_always": char_f1([span_chars(r) for r in always], posts),
        "missing_evidence": missing_evidence(default),
        "allowed": sum(r.action == "allow" for r in default),
    }


def suite_evidence(moderator: Moderator, suite: Path) -> dict[str, Any]:
    """Missing evidence on a functional suite (thread cases read with their parent)."""
    from training.suite import load_suite

    cases = load_suite(suite)
    results = moderator.score([c["text"] for c in cases], contexts=[c.get("parent") for c in cases])
    return missing_evidence(results)


def format_span_report(report: dict[str, Any]) -> str:
    """A plain-text table of an :func:`evaluate_spans` report."""
    lines = [f"{'spans (char F1)':<24}{'overall':>9}" + "".join(
        f"{t:>17}" for t in report["default_policy"]["types"]
    )]
    for key in ("default_policy", "spans_always"):
        m = report[key]
        lines.append(
            f"{key:<24}{m['overall']:>9.3f}"
            + "".join(f"{v['f1']:>10.3f} ({v['n_posts']:>4})" for v in m["types"].values())
        )
    miss = report["missing_evidence"]
    lines.append(
        f"not allowed without a span: {miss['without_span']}/{miss['not_allowed']} "
        f"({100 * miss['rate']:.1f}%)"
    )
    return "\n".join(lines)
