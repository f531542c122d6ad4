"""Output side of a rescore job: the final file from part files, and reading results back.

Part files are always JSON Lines (what workers return). The final OUTPUT is JSON Lines or
Parquet, chosen by extension, and is assembled part by part, so memory stays bounded.

Parquet has one type per column, so the pass-through fields (`id`, `thread_id`,
`parent_id`, `author`, `created_at`, `community`, `kind`) and `policy` are stored as
strings there (`7` becomes `"7"`); JSON Lines keeps them exactly as they came in.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.batch.atomic import atomic_target, write_atomic
from app.batch.sources import PASS_THROUGH
from app.labels import LABELS

OUTPUT_FORMATS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
HEAD_FIELDS: tuple[str, ...] = ("id", *PASS_THROUGH, "policy")
PARQUET_ROWS_PER_GROUP = 50_000


def output_format(path: Path) -> str:
    """The output format from the extension, or ValueError."""
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"{path}: unknown output extension {path.suffix!r} "
            "(expected .jsonl, .ndjson or .parquet)"
        )
    return fmt


def concat_files(parts: Sequence[Path], dest: Path) -> None:
    """Concatenate files byte for byte into `dest`, atomically."""

    def copy(fh: Any) -> None:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)

    write_atomic(dest, copy)


# -- Parquet -----------------------------------------------------------------------------------
def parquet_schema() -> Any:
    """The Arrow schema of a Parquet OUTPUT."""
    import pyarrow as pa

    span = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("label", pa.string()),
            ("normalized", pa.string()),
            ("usage", pa.string()),
            ("term", pa.string()),
        ]
    )
    result = [
        ("scores", pa.struct([(label, pa.float64()) for label in LABELS])),
        ("labels", pa.list_(pa.string())),
        ("hateful", pa.bool_()),
        ("action", pa.string()),
        ("reasons", pa.list_(pa.string())),
        ("spans", pa.list_(span)),
        ("target", pa.string()),
        ("language", pa.string()),
        ("model_version", pa.string()),
    ]
    return pa.schema(
        [(name, pa.string()) for name in HEAD_FIELDS]
        + result
        + [("author_result", pa.struct(result))]
    )


def _as_string(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _parquet_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {name: _as_string(record.get(name)) for name in HEAD_FIELDS}
    row.update({k: v for k, v in record.items() if k not in HEAD_FIELDS})
    return row


def parts_to_parquet(parts: Sequence[Path], dest: Path) -> None:
    """Convert JSON Lines parts into one Parquet file, atomically, a few parts at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    with atomic_target(dest) as tmp:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            rows: list[dict[str, Any]] = []
            for part in parts:
                with open(part, "rb") as fh:
                    rows.extend(_parquet_row(json.loads(line)) for line in fh)
                if len(rows) >= PARQUET_ROWS_PER_GROUP:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    rows = []
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def write_output(parts: Sequence[Path], dest: Path) -> None:
    """Assemble OUTPUT from the part files in the format its extension names."""
    if output_format(dest) == "parquet":
        parts_to_parquet(parts, dest)
    else:
        concat_files(parts, dest)


# -- reading results back (diff, tests) ------------------------------------------------------
def _clean_spans(rec: dict[str, Any]) -> None:
    rec["spans"] = [
        {k: v for k, v in s.items() if v is not None or k in ("start", "end")}
        for s in rec.get("spans") or []
    ]


def _clean_parquet_record(rec: dict[str, Any]) -> dict[str, Any]:
    for name in (*HEAD_FIELDS, "author_result"):
        if rec.get(name) is None:
            rec.pop(name, None)
    _clean_spans(rec)
    if "author_result" in rec:
        _clean_spans(rec["author_result"])
    return rec


def iter_results(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a rescore OUTPUT (JSON Lines or Parquet), in file order."""
    if output_format(path) == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            for rec in batch.to_pylist():
                yield _clean_parquet_record(rec)
        return
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
