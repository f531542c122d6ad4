"""Hashes that identify a rescore job, and the manifest written next to its OUTPUT.

The *job fingerprint* (inputs, model artifact, policy, chunk size, output format) decides
whether a work dir may be resumed and whether a finished OUTPUT is up to date. The
*manifest* (`<OUTPUT>.manifest.json`) adds counts, times and throughput for people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.batch.sources import Source
from app.model_io import file_sha256, folder_files
from app.policy import Policy
from app.policy_file import DEFAULT, PolicyBook

#: Bump when the output of the same inputs and model would change (record layout, chunking).
#: 2: results carry `language`; records may carry `policy`, `community`, `kind` and
#: `author_result`.
FORMAT_VERSION = 2


def artifact_sha256(model_dir: Path) -> str:
    """sha256 over the model artifact: every file of the model folder but its card
    (`classifier.npz`, `classifier.json`, every file under `nlp/`, any further part).

    Each file contributes `relative/path NUL sha256 NL`, in sorted path order, so the hash
    changes when any artifact byte or file name changes and nothing else does.
    """
    digest = hashlib.sha256()
    for rel in folder_files(model_dir):
        digest.update(f"{rel}\0{file_sha256(model_dir / rel)}\n".encode())
    return digest.hexdigest()


def policy_spec(policy: Policy) -> dict[str, Any]:
    """The effective policy as plain JSON (thresholds after overrides, term lists).

    The policy's name is left out: renaming a policy file does not change any verdict.
    """
    return {
        "review": dict(sorted(policy.review.items())),
        "remove": dict(sorted(policy.remove.items())),
        "blocklist": list(policy.blocklist),
        "allowlist": list(policy.allowlist),
        "unsupported_language": policy.unsupported_language,
    }


def book_spec(book: PolicyBook) -> dict[str, Any]:
    """Every community's effective policy (`default` included), as plain JSON."""
    spec = {DEFAULT: policy_spec(book.default)}
    spec.update((name, policy_spec(policy)) for name, policy in sorted(book.communities.items()))
    return spec


def json_sha256(value: Any) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def describe_inputs(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """Path, format, size and sha256 of each input file."""
    return [
        {
            "path": str(s.path),
            "format": s.fmt,
            "bytes": s.path.stat().st_size,
            "sha256": file_sha256(s.path),
        }
        for s in sources
    ]


def _add_tallies(bucket: dict[str, int], part: Mapping[str, Any]) -> None:
    for name, n in part.items():
        bucket[name] = bucket.get(name, 0) + int(n)


def merge_counts(total: dict[str, Any], part: Mapping[str, Any]) -> dict[str, Any]:
    """Add one chunk's counts (scored, rejected, rows, hateful, actions, labels, records per
    community, and the scored authors) into `total`."""
    for key in ("rows", "scored", "rejected", "hateful"):
        total[key] = total.get(key, 0) + int(part.get(key, 0))
    for key in ("actions", "labels", "communities"):
        _add_tallies(total.setdefault(key, {}), part.get(key, {}))
    if "authors" in part:
        authors = total.setdefault("authors", {"scored": 0, "hateful": 0, "actions": {}})
        for key in ("scored", "hateful"):
            authors[key] = authors.get(key, 0) + int(part["authors"].get(key, 0))
        _add_tallies(authors.setdefault("actions", {}), part["authors"].get("actions", {}))
    return total
