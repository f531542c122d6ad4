"""JSON Lines in and out, robust to bad lines.

A malformed line (undecodable bytes, invalid JSON, not an object, missing or non-string
`text`) is reported with its 1-based line number and skipped; it never stops the stream.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

Record = dict[str, Any]
Rejection = tuple[int, str]


def parse_line(raw: bytes) -> tuple[Record | None, str | None]:
    """Parse one raw line into a comment record, or return why it cannot be one."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"undecodable bytes (not UTF-8) at byte {exc.start}"
    line = line.strip().lstrip("\ufeff")
    if not line:
        return None, "empty line"
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(rec, dict):
        return None, f"expected a JSON object, got {type(rec).__name__}"
    if "text" not in rec:
        return None, "missing 'text'"
    if not isinstance(rec["text"], str):
        return None, f"'text' must be a string, got {type(rec['text']).__name__}"
    if "\\u" in line and _has_lone_surrogate(rec):
        return None, "undecodable bytes (an unpaired surrogate escape)"
    return rec, None


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a lone surrogate, which UTF-8 cannot encode."""
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _open_binary(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115


def read_jsonl_records(
    path: str, batch_size: int = 1000
) -> Iterator[tuple[list[tuple[int, Record]], list[Rejection]]]:
    """Yield `(records, rejections)` batches; records carry their 1-based line numbers.

    Blank lines are skipped silently (they are not comments and not errors).
    """
    fh = _open_binary(path)
    try:
        batch: list[tuple[int, Record]] = []
        bad: list[Rejection] = []
        for line_no, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            rec, reason = parse_line(raw)
            if rec is None:
                bad.append((line_no, reason or "invalid"))
            else:
                batch.append((line_no, rec))
            if len(batch) >= batch_size:
                yield batch, bad
                batch, bad = [], []
        if batch or bad:
            yield batch, bad
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


class JsonlSink:
    """Writes one JSON object per line to a file or stdout."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh

    def write(self, record: Record) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def open_sink(path: str) -> Iterator[JsonlSink]:
    """A :class:`JsonlSink` on `path` ('-' = stdout)."""
    if path == "-":
        yield JsonlSink(sys.stdout)
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8") as fh:
        yield JsonlSink(fh)


def write_jsonl(path: str, records: Iterable[Record]) -> None:
    """Write all records to `path` ('-' = stdout)."""
    with open_sink(path) as sink:
        for rec in records:
            sink.write(rec)
