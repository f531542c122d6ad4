"""Score one chunk: the single function both engines run (in-process or on Dask workers).

Workers get a model *path* and load it once per process through a `functools.cache`d loader
(the dask "delayed best practices": no large object resent with every task, no global state
beyond the loaded model). The chunk comes back as ready-to-write JSON Lines bytes plus
counts, so serialisation happens on the workers and the driver only writes files.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a model is loaded: a Dask driver never needs spaCy
    from app.moderator import Moderator
    from app.policy import Policy

#: One comment to score: the output record's leading fields, its text, its thread context.
Item = tuple[dict[str, Any], str, str | None]


@functools.cache
def load_moderator(model_path: str) -> Moderator:
    """The model at `model_path`, loaded once per process."""
    from app.moderator import Moderator

    return Moderator.load(model_path)


@functools.cache
def load_policy(model_path: str, policy_json: str | None) -> Policy:
    """The model's policy with a community's overrides (canonical JSON) applied, cached."""
    moderator = load_moderator(model_path)
    if policy_json is None:
        return moderator.policy
    spec = json.loads(policy_json)
    return moderator.policy.with_overrides(spec["overrides"], spec.get("name", "custom"))


def warm(model_path: str, policy_json: str | None) -> str:
    """Load the model and policy now (run on every Dask worker at start); returns the version."""
    load_policy(model_path, policy_json)
    return load_moderator(model_path).version


def new_counts() -> dict[str, Any]:
    """Empty per-chunk counts (see :func:`score_chunk`)."""
    return {"scored": 0, "hateful": 0, "actions": {}, "labels": {}}


def score_chunk(model_path: str, policy_json: str | None, items: list[Item]) -> tuple[bytes, dict]:
    """Score `items` and return `(jsonl_bytes, counts)`.

    Each output line is the item's leading fields followed by `Result.to_dict()`, encoded
    exactly like `moderate score -o`. `counts` has `scored`, `hateful`, and per-action and
    per-label tallies (a label counts when it passed the policy's review threshold).
    """
    if not items:  # a chunk of bad rows only
        return b"", new_counts()
    moderator = load_moderator(model_path)
    policy = load_policy(model_path, policy_json)
    texts = [text for _, text, _ in items]
    contexts = [ctx for _, _, ctx in items]
    results = moderator.score(
        texts, contexts=contexts if any(c is not None for c in contexts) else None, policy=policy
    )
    actions: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    hateful = 0
    lines = []
    for (head, _, _), result in zip(items, results, strict=True):
        record = dict(head)
        record.update(result.to_dict())
        lines.append(json.dumps(record, ensure_ascii=False))
        actions[result.action] += 1
        labels.update(result.labels)
        hateful += result.hateful
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    counts = {
        "scored": len(items),
        "hateful": hateful,
        "actions": dict(actions),
        "labels": dict(labels),
    }
    return data, counts
