"""The shared datasets, one loader each: name -> (files hashed into the card, loader).

Loaders read `../shared/data` at train time; nothing from it is copied into the repo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from training.datasets import dialogue, public_hate, sexism, toxic_spans
from training.rows import Row

Loader = Callable[[Path], Iterator[Row]]

_MODULES = (public_hate, sexism, dialogue, toxic_spans)
#: dataset name -> its loader
LOADERS: dict[str, Loader] = {name: fn for m in _MODULES for name, fn in m.LOADERS.items()}
#: dataset name -> the files (relative to the data folder) it reads
DATASET_FILES: dict[str, tuple[str, ...]] = {
    name: files for m in _MODULES for name, files in m.FILES.items()
}

__all__ = ["DATASET_FILES", "LOADERS", "Loader"]
