"""Compare two rescore outputs: which comments changed action or crossed a label threshold.

Outputs of the same inputs list records in the same order, so the comparison streams both
files side by side in constant memory. If the ids stop lining up (different inputs, or a
reordered file), it falls back to matching by id, holding the OLD side's verdicts (not
texts) in memory.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from app.batch.sinks import iter_results
from app.labels import LABELS

Verdict = tuple[str, frozenset[str], bool, dict[str, float], str]


def _verdict(rec: dict[str, Any]) -> Verdict:
    return (
        rec.get("action", ""),
        frozenset(rec.get("labels") or ()),
        bool(rec.get("hateful")),
        rec.get("scores") or {},
        str(rec.get("model_version", "")),
    )


def _key(rec: dict[str, Any]) -> str:
    return str(rec.get("id"))


class _Tally:
    """Accumulates the differences between pairs of verdicts."""

    def __init__(self, examples: int) -> None:
        self.examples = examples
        self.compared = 0
        self.action_changed = 0
        self.hateful_changed = 0
        self.transitions: Counter[str] = Counter()
        self.crossed_up: Counter[str] = Counter()
        self.crossed_down: Counter[str] = Counter()
        self.delta_sum: Counter[str] = Counter()
        self.samples: dict[str, list[str]] = {}
        self.versions: tuple[set[str], set[str]] = (set(), set())

    def _sample(self, bucket: str, key: str) -> None:
        ids = self.samples.setdefault(bucket, [])
        if len(ids) < self.examples:
            ids.append(key)

    def add(self, key: str, old: Verdict, new: Verdict) -> None:
        self.compared += 1
        self.versions[0].add(old[4])
        self.versions[1].add(new[4])
        if old[0] != new[0]:
            self.action_changed += 1
            change = f"{old[0]}->{new[0]}"
            self.transitions[change] += 1
            self._sample(f"action:{change}", key)
        if old[2] != new[2]:
            self.hateful_changed += 1
            self._sample("hateful", key)
        for label in new[1] - old[1]:
            self.crossed_up[label] += 1
            self._sample(f"label:{label}:up", key)
        for label in old[1] - new[1]:
            self.crossed_down[label] += 1
            self._sample(f"label:{label}:down", key)
        for label in LABELS:
            self.delta_sum[label] += abs(new[3].get(label, 0.0) - old[3].get(label, 0.0))


def _aligned(old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]], tally: _Tally) -> bool:
    """Compare position by position; False as soon as ids disagree (then discard `tally`)."""
    for a, b in itertools.zip_longest(old, new):
        if a is None or b is None or _key(a) != _key(b):
            return False
        tally.add(_key(a), _verdict(a), _verdict(b))
    return True


def diff_outputs(old: Path, new: Path, examples: int = 5) -> dict[str, Any]:
    """A report of what changed between two rescore outputs (JSON Lines or Parquet).

    Returns a JSON-ready dict: counts compared, `action_changed` with transitions
    (`"allow->review": n`), `hateful_changed`, per-label threshold crossings (`up`: the label
    is newly flagged, `down`: no longer flagged), mean absolute score change per label,
    records only in one file, and up to `examples` ids per kind of change.
    """
    tally = _Tally(examples)
    only_old = only_new = 0
    matching = "position"
    if not _aligned(iter_results(old), iter_results(new), tally):
        matching = "id"
        tally = _Tally(examples)
        old_verdicts: dict[str, Verdict] = {_key(r): _verdict(r) for r in iter_results(old)}
        seen: set[str] = set()
        for rec in iter_results(new):
            key = _key(rec)
            if key in old_verdicts:
                if key not in seen:
                    seen.add(key)
                    tally.add(key, old_verdicts[key], _verdict(rec))
            else:
                only_new += 1
        only_old = len(old_verdicts) - len(seen)
    n = max(tally.compared, 1)
    return {
        "old": str(old),
        "new": str(new),
        "matched_by": matching,
        "model_versions": {"old": sorted(tally.versions[0]), "new": sorted(tally.versions[1])},
        "compared": tally.compared,
        "only_in_old": only_old,
        "only_in_new": only_new,
        "action_changed": tally.action_changed,
        "action_transitions": dict(sorted(tally.transitions.items())),
        "hateful_changed": tally.hateful_changed,
        "label_crossings": {
            label: {"up": tally.crossed_up[label], "down": tally.crossed_down[label]}
            for label in LABELS
        },
        "mean_abs_score_change": {label: round(tally.delta_sum[label] / n, 5) for label in LABELS},
        "examples": dict(sorted(tally.samples.items())),
    }


def format_report(report: dict[str, Any]) -> Iterator[str]:
    """Human-readable lines for a :func:`diff_outputs` report."""
    versions = report["model_versions"]
    yield (
        f"compared {report['compared']} comments (matched by {report['matched_by']}; "
        f"model {','.join(versions['old']) or '-'} -> {','.join(versions['new']) or '-'})"
    )
    if report["only_in_old"] or report["only_in_new"]:
        yield f"only in old: {report['only_in_old']}, only in new: {report['only_in_new']}"
    yield f"action changed: {report['action_changed']}"
    for change, count in report["action_transitions"].items():
        ids = report["examples"].get(f"action:{change}", [])
        yield f"  {change:<16}{count:>8}  e.g. {', '.join(ids)}"
    yield f"hateful changed: {report['hateful_changed']}"
    yield "label threshold crossings (up = newly flagged, down = no longer flagged):"
    for label, c in report["label_crossings"].items():
        delta = report["mean_abs_score_change"][label]
        line = f"  {label:<16}up {c['up']:>7}  down {c['down']:>7}  mean |score change| {delta}"
        ids = report["examples"].get(f"label:{label}:up", []) + report["examples"].get(
            f"label:{label}:down", []
        )
        yield line + (f"  e.g. {', '.join(ids[:5])}" if ids else "")
