"""Load the shared datasets, map their labels to ours, split them deterministically.

Reads `../shared/data` at train time; nothing here is copied into the repository. The row
type, label values and split live in `training.rows`; one loader per dataset in
`training.datasets`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from training.datasets import DATASET_FILES, LOADERS
from training.rows import (  # noqa: F401  (re-exported: the names training code imports)
    HATE,
    LEX,
    NONE,
    OFFENSIVE,
    WEAK,
    ZERO_UNLESS_OTHER_GROUP,
    Row,
    hash_split,
    label_values,
    make_row,
    near_duplicate_key,
)

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_manifest(data_dir: Path, datasets: list[str]) -> list[dict]:
    """Path, sha256 and size of every file read, for the model card."""
    out = []
    for name in datasets:
        for rel in DATASET_FILES[name]:
            path = data_dir / rel
            out.append({"path": rel, "sha256": file_sha256(path), "bytes": path.stat().st_size})
    return out


def load_all(data_dir: Path, datasets: list[str] | None = None) -> list[Row]:
    """Every row of the named datasets (default: all), in a stable order."""
    rows: list[Row] = []
    for name in datasets or list(LOADERS):
        rows.extend(LOADERS[name](data_dir))
    return rows
