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

from app.records import Item, output_record, score_items

if TYPE_CHECKING:  # imported where a model is loaded: a Dask driver never needs spaCy
    from app.moderator import Moderator
    from app.policy_file import PolicyBook

__all__ = ["Item", "load_moderator", "load_policies", "new_counts", "score_chunk", "warm"]


@functools.cache
def load_moderator(model_path: str) -> Moderator:
    """The model at `model_path`, loaded once per process."""
    from app.moderator import Moderator

    return Moderator.load(model_path)


@functools.cache
def load_policies(model_path: str, policy_json: str | None) -> PolicyBook:
    """The job's policies (the policy file as validated canonical JSON, see
    :meth:`app.policy_file.PolicyBook.canonical_json`) on the model's default policy."""
    from app.policy_file import PolicyBook, build_policy_book

    moderator = load_moderator(model_path)
    if policy_json is None:
        return PolicyBook(default=moderator.policy)
    return build_policy_book(json.loads(policy_json), moderator.policy)


def warm(model_path: str, policy_json: str | None) -> str:
    """Load the model and policy now (run on every Dask worker at start); returns the version."""
    load_policies(model_path, policy_json)
    return load_moderator(model_path).version


def new_counts() -> dict[str, Any]:
    """Empty per-chunk counts (see :func:`score_chunk`)."""
    return {"scored": 0, "hateful": 0, "actions": {}, "labels": {}, "communities": {}}


def score_chunk(
    model_path: str, policy_json: str | None, items: list[Item]
) -> tuple[bytes, dict[str, Any]]:
    """Score `items` and return `(jsonl_bytes, counts)`.

    Each output line is the item's leading fields followed by `Result.to_dict()` (and the
    author's verdict as `author_result` when authors are scored), encoded exactly like
    `moderate score -o`. `counts` has `scored`, `hateful`, per-action and per-label tallies
    (a label counts when it passed the policy's review threshold), `communities` (records
    scored under each community's policy) and, when authors were scored, `authors`.
    """
    if not items:  # a chunk of bad rows only
        return b"", new_counts()
    done = score_items(load_moderator(model_path), load_policies(model_path, policy_json), items)
    actions: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    author_actions: Counter[str] = Counter()
    hateful = authors = hateful_authors = 0
    lines = []
    for item, result, author in zip(items, done.results, done.authors, strict=True):
        lines.append(json.dumps(output_record(item, result, author), ensure_ascii=False))
        actions[result.action] += 1
        labels.update(result.labels)
        hateful += result.hateful
        if author is not None:
            authors += 1
            author_actions[author.action] += 1
            hateful_authors += author.hateful
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    counts: dict[str, Any] = {
        "scored": len(items),
        "hateful": hateful,
        "actions": dict(actions),
        "labels": dict(labels),
        "communities": done.communities,
    }
    if authors:
        counts["authors"] = {
            "scored": authors,
            "hateful": hateful_authors,
            "actions": dict(author_actions),
        }
    return data, counts
