"""Model folder files without pickles: named NumPy arrays (`.npz`) plus JSON, hashed in the card.

A model folder (format version 2) holds only data that this project's own code parses:

    model_card.json        the card; `format_version` and `artifacts` (sha256 and size of
                           every other file in the folder) are written by this module
    classifier.npz/.json   the linear heads and the vectorizer (see `app.classifier_io`)
    nlp/                   the spaCy pipeline exactly as `nlp.to_disk` writes it (JSON,
                           msgpack and `.npy`-style arrays read with pickles refused)
    <name>.npz/.json       any further part saved with :func:`save_arrays`

Every file is checked against the card before anything is parsed: a missing, truncated,
altered or unlisted file is a :class:`ModelCardError` naming it. A `.npz` is read with
``allow_pickle=False`` and only plain numeric or boolean arrays are accepted, so a model
folder can hold numbers and strings but never code.

Adding a part (a span model, a word-vector table, another head)::

    save_arrays(out_dir, "vectors", {"table": table.astype(np.float16)}, {"words": words})
    record_artifacts(out_dir, card)          # after the last file is written
    write_card(out_dir, card)
    ...
    arrays, meta = load_arrays(model_dir, "vectors")   # after verify_artifacts(model_dir, card)

A folder of format 1 (a joblib pickle, `classifier.joblib`) is refused with a pointer to
`moderate convert`, the one command that still unpickles (see `app.convert`).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from app.model_card import CARD_FILE, ModelCardError

#: The layout this code writes and reads. 1 was the pickled `classifier.joblib`.
FORMAT_VERSION = 2
LEGACY_CLASSIFIER_FILE = "classifier.joblib"
#: dtype kinds an array may have: bool, signed and unsigned integers, floats
_ARRAY_KINDS = frozenset("biuf")
_META_KEY = "arrays"  # in a part's JSON: name -> {"dtype", "shape"} of its arrays


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _is_ignored(rel: str) -> bool:
    """Files that are never part of a model: the card itself and hidden files."""
    return rel == CARD_FILE or any(part.startswith(".") for part in rel.split("/"))


def folder_files(model_dir: Path) -> list[str]:
    """Relative paths (posix) of every file of the model but the card, sorted."""
    model_dir = Path(model_dir)
    rels = (p.relative_to(model_dir).as_posix() for p in model_dir.rglob("*") if p.is_file())
    return sorted(rel for rel in rels if not _is_ignored(rel))


def record_artifacts(model_dir: str | Path, card: dict[str, Any]) -> dict[str, Any]:
    """Put `format_version` and the sha256 and size of every file of the folder in `card`.

    Call it after the last artifact is written and before :func:`app.model_card.write_card`.
    """
    model_dir = Path(model_dir)
    card["format_version"] = FORMAT_VERSION
    card["artifacts"] = {
        rel: {"sha256": file_sha256(model_dir / rel), "bytes": (model_dir / rel).stat().st_size}
        for rel in folder_files(model_dir)
    }
    return card


def check_format(model_dir: Path, card: Mapping[str, Any]) -> None:
    """Refuse a card of another format version (a pickled model or a newer layout)."""
    version = card.get("format_version")
    if version is None:
        if (model_dir / LEGACY_CLASSIFIER_FILE).exists():
            raise ModelCardError(
                f"{model_dir} is a pickled model (format 1, {LEGACY_CLASSIFIER_FILE}), which "
                "is never loaded: convert it with `moderate convert OLD_DIR NEW_DIR`"
            )
        raise ModelCardError(f"{model_dir / CARD_FILE} has no format_version")
    if version != FORMAT_VERSION:
        raise ModelCardError(
            f"{model_dir / CARD_FILE} has format_version {version!r}; this comment-moderator "
            f"reads format {FORMAT_VERSION}"
        )
    if not isinstance(card.get("artifacts"), Mapping) or not card["artifacts"]:
        raise ModelCardError(f"{model_dir / CARD_FILE} lists no artifacts")


def verify_artifacts(model_dir: str | Path, card: Mapping[str, Any]) -> None:
    """Check every file of the folder against the card's `artifacts` before anything reads it.

    Raises :class:`ModelCardError` naming the first file that is missing, has another size
    (truncated), another sha256 (altered), or is not listed in the card at all (spaCy or a
    later part could read a file nobody hashed).
    """
    model_dir = Path(model_dir)
    check_format(model_dir, card)
    listed: Mapping[str, Any] = card["artifacts"]
    for rel in sorted(listed):
        _check_file(model_dir, rel, listed[rel])
    extra = [rel for rel in folder_files(model_dir) if rel not in listed]
    if extra:
        raise ModelCardError(
            f"{model_dir / extra[0]} is not listed in the model card's artifacts"
            + (f" (nor are {len(extra) - 1} more files)" if len(extra) > 1 else "")
        )


def artifacts_sha256(card: Mapping[str, Any]) -> str:
    """One sha256 over the card's artifacts (`path NUL sha256 NL` in sorted path order)."""
    digest = hashlib.sha256()
    for rel in sorted(card["artifacts"]):
        digest.update(f"{rel}\0{card['artifacts'][rel]['sha256']}\n".encode())
    return digest.hexdigest()


# -- named arrays + JSON --------------------------------------------------------------------
def save_arrays(
    model_dir: str | Path, name: str, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]
) -> list[Path]:
    """Write `<name>.npz` (the arrays, uncompressed: it loads faster) and `<name>.json`.

    `meta` is any JSON object (vocabularies, settings); the JSON also records each array's
    dtype and shape under `"arrays"`, which :func:`load_arrays` checks. Only numeric and
    boolean arrays are allowed (no object or string arrays: they would need pickles).
    Returns the two paths; record them with :func:`record_artifacts` afterwards.
    """
    model_dir = Path(model_dir)
    if _META_KEY in meta:
        raise ValueError(f"meta must not have a key {_META_KEY!r} (it describes the arrays)")
    described = {}
    for key, arr in arrays.items():
        arr = np.asarray(arr)
        if arr.dtype.kind not in _ARRAY_KINDS:
            raise ValueError(f"array {key!r} has dtype {arr.dtype}: only numbers and booleans")
        described[key] = {"dtype": arr.dtype.str, "shape": list(arr.shape)}
    npz_path = model_dir / f"{name}.npz"
    json_path = model_dir / f"{name}.json"
    np.savez(npz_path, **{key: np.asarray(arr) for key, arr in arrays.items()})
    # ASCII JSON: any string survives, lone surrogates included
    json_path.write_text(
        json.dumps({**meta, _META_KEY: described}, ensure_ascii=True, separators=(",", ":")) + "\n",
        encoding="ascii",
    )
    return [npz_path, json_path]


def load_arrays(
    model_dir: str | Path, name: str, card: Mapping[str, Any] | None = None
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read `<name>.npz` and `<name>.json` written by :func:`save_arrays`.

    With `card`, both files are first checked against its artifacts (use this for a part
    loaded on its own; `Moderator.load` verifies the whole folder once instead). Every array
    the JSON describes must be in the npz with that dtype and shape, and no other.
    Raises :class:`ModelCardError` naming the file at fault.
    """
    model_dir = Path(model_dir)
    npz_path = model_dir / f"{name}.npz"
    json_path = model_dir / f"{name}.json"
    if card is not None:
        _verify_listed(model_dir, card, [npz_path, json_path])
    meta = read_json(json_path)
    described = meta.pop(_META_KEY, None)
    if not isinstance(described, dict):
        raise ModelCardError(f"{json_path} does not describe its arrays ({_META_KEY!r})")
    try:
        data = npz_path.read_bytes()
    except OSError as exc:
        raise ModelCardError(f"{npz_path} cannot be read: {exc.strerror or exc}") from exc
    arrays: dict[str, np.ndarray] = {}
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            if sorted(npz.files) != sorted(described):
                raise ModelCardError(
                    f"{npz_path} holds arrays {sorted(npz.files)}, {json_path.name} describes "
                    f"{sorted(described)}"
                )
            for key, want in described.items():
                arr = npz[key]
                if arr.dtype.kind not in _ARRAY_KINDS or [arr.dtype.str, list(arr.shape)] != [
                    want.get("dtype"),
                    want.get("shape"),
                ]:
                    raise ModelCardError(
                        f"{npz_path}: array {key!r} is {arr.dtype.str} {list(arr.shape)}, "
                        f"{json_path.name} says {want.get('dtype')} {want.get('shape')}"
                    )
                arrays[key] = arr
    except ModelCardError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError, AttributeError) as exc:
        # a truncated or foreign file; object arrays are refused by allow_pickle=False
        raise ModelCardError(f"{npz_path} is not a readable array file: {exc}") from exc
    return arrays, meta


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from a model file, or a :class:`ModelCardError` naming the file."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelCardError(f"{path} is missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelCardError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ModelCardError(f"{path} does not hold a JSON object")
    return value


def _verify_listed(model_dir: Path, card: Mapping[str, Any], paths: list[Path]) -> None:
    """Check these files alone against the card (see :func:`verify_artifacts`)."""
    check_format(model_dir, card)
    for path in paths:
        rel = path.relative_to(model_dir).as_posix()
        if rel not in card["artifacts"]:
            raise ModelCardError(f"{path} is not listed in the model card's artifacts")
        _check_file(model_dir, rel, card["artifacts"][rel])


def _check_file(model_dir: Path, rel: str, entry: Any) -> None:
    """One listed file: present, of the recorded size, with the recorded sha256."""
    if not isinstance(entry, Mapping) or ".." in Path(rel).parts or Path(rel).is_absolute():
        raise ModelCardError(f"{model_dir / CARD_FILE}: bad artifacts entry for {rel!r}")
    path = model_dir / rel
    if not path.is_file():
        raise ModelCardError(f"{path} is missing (the model card lists it)")
    size = path.stat().st_size
    if size != entry.get("bytes"):
        raise ModelCardError(
            f"{path} has {size} bytes, the model card records {entry.get('bytes')}: "
            "the file is truncated or was changed"
        )
    if file_sha256(path) != entry.get("sha256"):
        raise ModelCardError(
            f"{path} does not match the sha256 in the model card: the file was changed"
        )
