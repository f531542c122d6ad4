"""Input side of a rescore job: find the files, read them row by row, cut them into chunks.

Formats are chosen by extension: JSON Lines (`.jsonl`, `.ndjson`), CSV (`.csv`, with a
header row that has a `text` column) and Parquet (`.parquet`, `.pq`, with a string `text`
column). INPUT may be one file, a directory (its files with those extensions, not
recursive) or a glob pattern. Files are always read in sorted order, so chunk keys, and so
the output, are the same on every run.

Every reader yields `(line, raw)` pairs cheaply and parses a row only on request
(:meth:`Reader.parse`), so a resumed job can skip finished chunks without parsing them.
A reader can also start at a :data:`Position` recorded by an earlier pass
(:meth:`Reader.scan`), so any process can read just one chunk (:func:`read_chunk`):
that is how Dask workers read their own rows instead of receiving them from the driver.
`line` is the 1-based line of the row in its file (the row's first physical line for CSV,
the row number for Parquet). Bad rows are never fatal: `parse` returns a reason instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import glob
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from app.io_jsonl import parse_line
from app.records import PASS_THROUGH

Record = dict[str, Any]
Parsed = tuple[Record | None, str | None]
#: Where a row starts in its file, so a reader can begin there: `(byte offset, physical
#: lines before it)` for JSON Lines and CSV, `(rows before it, 0)` for Parquet.
Position = tuple[int, int]

#: Rows per chunk unless `--chunk-size` says otherwise: the unit of work, resume and memory.
DEFAULT_CHUNK_SIZE = 2000

#: Columns read from CSV and Parquet rows besides `text` and `id` (`context` is read, not
#: passed through); see :mod:`app.records`.
READ_FIELDS: tuple[str, ...] = (*PASS_THROUGH, "context")


INPUT_FORMATS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}


class Unsure:
    """The type of :data:`UNSURE`."""

    def __repr__(self) -> str:
        return "UNSURE"


#: What :meth:`Reader.quick_key` returns when a row must be parsed to know.
UNSURE = Unsure()


def _quick_pattern(field: str) -> tuple[bytes, re.Pattern[bytes]]:
    key = b'"' + field.encode() + b'"'
    return key, re.compile(
        re.escape(key) + rb'\s*:\s*(?:"([^"\\]*)"|(-?(?:0|[1-9][0-9]*))\s*[,}]|null\s*[,}])'
    )


_QUICK_PATTERNS = {field: _quick_pattern(field) for field in ("id", "parent_id")}


class InputError(ValueError):
    """The job's input cannot be used at all (missing, unknown format, no `text` column)."""


@dataclass(frozen=True)
class Source:
    """One input file and its format."""

    path: Path
    fmt: str


def input_format(path: Path) -> str:
    """The format of an input file from its extension, or :class:`InputError`."""
    fmt = INPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(INPUT_FORMATS))
        raise InputError(f"{path}: unknown input extension {path.suffix!r} (expected {known})")
    return fmt


def discover_inputs(spec: str, exclude: Iterable[Path] = ()) -> list[Source]:
    """The input files named by `spec`: a file, a directory or a glob pattern.

    `exclude` lists paths never to read (the job's own output, rejects and manifest, which
    may sit in the input directory).
    """
    skip = {p.resolve() for p in exclude}
    path = Path(spec)
    if path.is_file():
        candidates = [path]
    elif path.is_dir():
        candidates = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in INPUT_FORMATS
        )
        if not candidates:
            raise InputError(f"{spec}: directory holds no .jsonl, .csv or .parquet files")
    elif glob.has_magic(spec):
        candidates = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
        if not candidates:
            raise InputError(f"{spec}: no files match")
    else:
        raise InputError(f"{spec}: no such file or directory")
    sources = [Source(p.resolve(), input_format(p)) for p in candidates if p.resolve() not in skip]
    if not sources:
        raise InputError(f"{spec}: no input files left (only the job's own outputs match)")
    for src in sources:
        open_reader(src).check()
    return sources


# -- value normalisation ---------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    """A JSON-ready form of a value read from CSV/Parquet (timestamps become ISO strings)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | bytes):
        return str(value)
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_record(rec: Record) -> str | None:
    """Why a parsed row is not a usable comment, or None.

    Besides a missing or non-string `text`, strings that cannot be written back as UTF-8
    (bytes undecodable in a CSV row, or unpaired surrogates such as a JSON "\\udc80") are
    rejected here rather than failing the output write later.
    """
    if "text" not in rec or rec["text"] is None:
        return "missing 'text'"
    if not isinstance(rec["text"], str):
        return f"'text' must be a string, got {type(rec['text']).__name__}"
    for key in ("text", "id", *READ_FIELDS):
        value = rec.get(key)
        if isinstance(value, str) and not _encodable(value):
            return f"undecodable bytes (not UTF-8) in {key!r}"
    return None


# -- readers -----------------------------------------------------------------------------------
class Reader:
    """Reads one source as `(line, raw)` pairs; :meth:`parse` turns a raw row into a record."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def check(self) -> None:
        """Raise :class:`InputError` if the file cannot be read as this format at all."""

    def scan(self, start: Position | None = None) -> Iterator[tuple[int, Any, Position]]:
        """`(line, raw, position)` of every row from `start` (default: the first row).

        `position` is where that row starts; passing it back as `start` later (in any
        process) reads the same rows with the same line numbers from there on.
        """
        raise NotImplementedError  # pragma: no cover - abstract

    def raw(self, start: Position | None = None) -> Iterator[tuple[int, Any]]:
        """`(line, raw)` of every row from `start` (default: the first row)."""
        for line, raw, _ in self.scan(start):
            yield line, raw

    def parse(self, raw: Any) -> Parsed:  # pragma: no cover - abstract
        raise NotImplementedError

    def may_have_parent(self, raw: Any) -> bool:
        """A cheap pre-filter for the parent-id pass (True when unsure)."""
        return True

    def quick_key(self, raw: Any, field: str) -> str | None | Unsure:
        """The id-like `field` of a raw row as :func:`app.threads.id_key` gives it, read
        without parsing the row, or :data:`UNSURE` when only a full parse can tell.

        Only for the index passes: the row may still turn out to be invalid.
        """
        return UNSURE


class JsonlReader(Reader):
    """JSON Lines; blank lines are skipped (they are neither comments nor errors)."""

    def scan(self, start: Position | None = None) -> Iterator[tuple[int, bytes, Position]]:
        offset, line_no = start or (0, 0)
        with open(self.source.path, "rb") as fh:
            if offset:
                fh.seek(offset)
            for raw in fh:
                line_no += 1
                if raw.strip():
                    yield line_no, raw, (offset, line_no - 1)
                offset += len(raw)

    def raw(self, start: Position | None = None) -> Iterator[tuple[int, bytes]]:
        # the hot loop of the index passes: no positions to compute
        if start is not None:
            yield from super().raw(start)
            return
        with open(self.source.path, "rb") as fh:
            for line_no, raw in enumerate(fh, 1):
                if raw.strip():
                    yield line_no, raw

    def parse(self, raw: bytes) -> Parsed:
        # parse_line already rejects a missing or non-string text and, when the line has a
        # \u escape, unpaired surrogates; text decoded from valid UTF-8 is always encodable,
        # so validate_record would find nothing more (and it cost a third of the parse).
        rec, reason = parse_line(raw)
        return (None, reason) if rec is None else (rec, None)

    def may_have_parent(self, raw: bytes) -> bool:
        return b"parent_id" in raw

    def quick_key(self, raw: bytes, field: str) -> str | None | Unsure:
        # Inside a JSON string every '"' is escaped, so `"id"` followed by a colon is a key
        # wherever it occurs. A row with one '{' has no nested object, so that key is a
        # top-level one; with no \u escapes (which could spell another "id") and exactly
        # one such key, a plain string or integer value is the row's id. Anything else
        # (floats, escapes, nested objects, repeated keys) is UNSURE.
        if raw.count(b"{") != 1 or b"\\u" in raw:
            return UNSURE
        key, value = _QUICK_PATTERNS[field]
        keys = raw.count(key)  # the quoted name as a key or (then UNSURE) as a value
        if keys == 0:
            return None
        if keys > 1 or (found := value.match(raw, raw.find(key))) is None:
            return UNSURE
        text, number = found.groups()
        if number is not None:
            return str(int(number))  # "-0" is the integer 0
        if text is None or not text:
            return None  # null, or "" (no id)
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError:
            return UNSURE


class CsvReader(Reader):
    """CSV with a header row. Empty cells of the pass-through fields count as absent.

    Lines are decoded with `surrogateescape`, so one bad byte rejects one row rather than
    the whole file.
    """

    def __init__(self, source: Source) -> None:
        super().__init__(source)
        self.header: list[str] = []

    def _lines(
        self, fh: Any, consumed: list[int] | None = None, first: bool = True
    ) -> Iterator[str]:
        """Decoded lines; `consumed[0]` counts the bytes handed out (for positions)."""
        for raw in fh:
            if consumed is not None:
                consumed[0] += len(raw)
            line = raw.decode("utf-8", "surrogateescape")
            if first:
                line, first = line.lstrip("\ufeff"), False
            yield line

    def _read_header(self, fh: Any) -> list[str] | None:
        header = next(csv.reader(self._lines(fh)), None)
        return None if header is None else [h.strip() for h in header]

    def check(self) -> None:
        with open(self.source.path, "rb") as fh:
            header = self._read_header(fh)
        if not header or "text" not in header:
            raise InputError(f"{self.source.path}: CSV header has no 'text' column")

    def scan(
        self, start: Position | None = None
    ) -> Iterator[tuple[int, list[str] | str, Position]]:
        offset, lines_before = start or (0, 0)
        with open(self.source.path, "rb") as fh:
            if offset:
                # a later chunk: the header comes from the top, the rows from `offset`
                self.header = self._read_header(fh) or []
                fh.seek(offset)
            # csv.reader pulls one line at a time and never reads ahead of the row it
            # returns, so the bytes handed out so far are exactly where the next row starts
            consumed = [offset]
            reader = csv.reader(self._lines(fh, consumed, first=not offset))
            if not offset:
                try:
                    self.header = [h.strip() for h in next(reader)]
                except StopIteration:
                    return
            last = reader.line_num
            while True:
                pos = (consumed[0], lines_before + last)
                first_line = lines_before + last + 1
                try:
                    fields: list[str] | str = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    fields = f"malformed CSV: {exc}"
                    if reader.line_num == last:  # no progress: give up on the rest
                        yield first_line, fields, pos
                        return
                last = reader.line_num
                if fields == []:
                    continue
                yield first_line, fields, pos

    def parse(self, raw: list[str] | str) -> Parsed:
        if isinstance(raw, str):
            return None, raw
        if len(raw) != len(self.header):
            return None, f"expected {len(self.header)} fields, got {len(raw)}"
        rec: Record = {}
        for key, value in zip(self.header, raw, strict=True):
            if key == "text" or value != "":
                rec[key] = value
        reason = validate_record(rec)
        return (None, reason) if reason else (rec, None)


class ParquetReader(Reader):
    """Parquet, read one record batch at a time; the row number is the line."""

    BATCH = 4096

    def check(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            schema = pq.read_schema(self.source.path)
        except (OSError, pa.ArrowInvalid) as exc:
            raise InputError(f"{self.source.path}: not a readable Parquet file: {exc}") from exc
        if "text" not in schema.names:
            raise InputError(f"{self.source.path}: Parquet file has no 'text' column")
        kind = schema.field("text").type
        if not (
            pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_string_view(kind)
        ):
            raise InputError(f"{self.source.path}: 'text' column is {kind}, expected a string")

    def scan(self, start: Position | None = None) -> Iterator[tuple[int, Record, Position]]:
        import pyarrow.parquet as pq

        first = start[0] if start else 0
        pf = pq.ParquetFile(self.source.path)
        wanted = [n for n in ("id", "text", *READ_FIELDS) if n in pf.schema_arrow.names]
        # skip whole row groups before `first` without reading them
        row, groups = 0, []
        for g in range(pf.metadata.num_row_groups):
            n = pf.metadata.row_group(g).num_rows
            if groups or row + n > first:
                groups.append(g)
            else:
                row += n
        if not groups:
            return
        for batch in pf.iter_batches(batch_size=self.BATCH, columns=wanted, row_groups=groups):
            if row + batch.num_rows <= first:
                row += batch.num_rows
                continue
            if row < first:
                batch, row = batch.slice(first - row), first
            for rec in batch.to_pylist():
                yield row + 1, rec, (row, 0)
                row += 1

    def parse(self, raw: Record) -> Parsed:
        rec = {k: _json_value(v) for k, v in raw.items() if v is not None}
        reason = validate_record(rec)
        return (None, reason) if reason else (rec, None)


_READERS: dict[str, Callable[[Source], Reader]] = {
    "jsonl": JsonlReader,
    "csv": CsvReader,
    "parquet": ParquetReader,
}


def open_reader(source: Source) -> Reader:
    """The reader for a source's format."""
    return _READERS[source.fmt](source)


# -- chunks ------------------------------------------------------------------------------------
@dataclass
class Chunk:
    """`rows` consecutive rows of one file; `key` names its part files and orders the output."""

    key: str
    file_index: int
    source: Source
    reader: Reader
    raw: list[tuple[int, Any]]

    def parsed(self) -> Iterator[tuple[int, Record | None, str | None]]:
        """`(line, record, None)` for good rows and `(line, None, reason)` for bad ones."""
        for line, raw in self.raw:
            rec, reason = self.reader.parse(raw)
            yield line, rec, reason


@dataclass(frozen=True)
class ChunkSpec:
    """A chunk described rather than carried: which file, where it starts, how many rows.

    Small and picklable, so it is what a Dask task receives when workers read their own
    rows; :func:`read_chunk` turns it into the same :class:`Chunk` :func:`iter_chunks` cuts.
    """

    key: str
    file_index: int
    source: Source
    start: Position
    rows: int


def read_chunk(spec: ChunkSpec) -> Chunk:
    """Read the rows of one chunk (and no others) from its file."""
    reader = open_reader(spec.source)
    rows = reader.raw(spec.start)
    try:
        raw = list(islice(rows, spec.rows))
    finally:
        rows.close()  # closes the file now, not when the generator is collected
    return Chunk(spec.key, spec.file_index, spec.source, reader, raw)


def chunk_key(file_index: int, chunk_index: int) -> str:
    """Zero-padded, so sorting keys sorts chunks in input order."""
    return f"{file_index:05d}-{chunk_index:07d}"


def chunk_keys(rows_per_source: list[int], chunk_size: int) -> list[str]:
    """Every chunk key of a job, in output order."""
    return [
        chunk_key(fi, ci)
        for fi, rows in enumerate(rows_per_source)
        for ci in range(-(-rows // chunk_size))
    ]


def iter_chunks(
    sources: list[Source], chunk_size: int, skip: Callable[[str], bool] = lambda key: False
) -> Iterator[Chunk]:
    """Chunks of `chunk_size` rows (the last of a file may be shorter), except skipped keys.

    Chunk boundaries depend only on the files and `chunk_size`, never on what was done
    before, which is what makes a resumed job write exactly what an uninterrupted one does.
    Rows of skipped chunks are read but never parsed or kept.
    """
    for fi, source in enumerate(sources):
        reader = open_reader(source)
        ci, n = 0, 0
        keep = not skip(chunk_key(fi, ci))
        buf: list[tuple[int, Any]] = []
        for item in reader.raw():
            if keep:
                buf.append(item)
            n += 1
            if n == chunk_size:
                if keep:
                    yield Chunk(chunk_key(fi, ci), fi, source, reader, buf)
                ci, n, buf = ci + 1, 0, []
                keep = not skip(chunk_key(fi, ci))
        if n and keep:
            yield Chunk(chunk_key(fi, ci), fi, source, reader, buf)
