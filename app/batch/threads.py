"""Thread context across chunks: which comments are parents, and what they say.

A reply is scored with its chain of parents as context, as `POST /v1/threads:score` does
(:meth:`app.Moderator.score_thread`), but a parent may sit in any chunk or file. Two quick
passes before scoring build an index:

1. collect every `parent_id` that some record names (and count the rows of each file);
2. keep `id -> (text, parent_id)` for just those ids.

The first pass also records where every chunk of the job starts in its file (see
:class:`app.batch.sources.ChunkSpec`), so a chunk can later be read on its own, by the
driver or by a Dask worker, without scanning the file from the top.

Only comments that are somebody's parent are stored, and they are stored in a SQLite file
in the job's work dir rather than in memory, so the driver's memory does not grow with the
archive: each chunk looks up just its own ancestors. Ids are compared as strings (`7` and
`"7"` match). When an id occurs twice, its last occurrence is the parent, as in
`score_thread`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from app.batch.atomic import atomic_target
from app.batch.sources import (
    DEFAULT_CHUNK_SIZE,
    UNSURE,
    ChunkSpec,
    Position,
    Record,
    Source,
    chunk_key,
    open_reader,
)
from app.threads import context_text, id_key, parent_chain

#: id -> (text, parent_id); None marks an id known not to be in the index.
Parents = Mapping[str, tuple[str, str | None] | None]

_BATCH = 5000
_SQL_VARS = 500


parent_key = id_key


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def build_thread_index(
    sources: Sequence[Source], path: Path, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> None:
    """Write the index of `sources` (cut into chunks of `chunk_size` rows) to `path`, atomically."""
    with atomic_target(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("""
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE wanted (id TEXT PRIMARY KEY) WITHOUT ROWID;
                CREATE TABLE parents (id TEXT PRIMARY KEY, text TEXT, parent_id TEXT)
                    WITHOUT ROWID;
                CREATE TABLE chunks (key TEXT PRIMARY KEY, file_index INTEGER,
                    start_a INTEGER, start_b INTEGER, rows INTEGER) WITHOUT ROWID;
            """)
            rows = []
            for fi, source in enumerate(sources):
                counter = [0]
                starts: list[Position] = []
                for batch in _batches(_parent_ids(source, counter, chunk_size, starts), _BATCH):
                    con.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", batch)
                rows.append(counter[0])
                con.executemany(
                    "INSERT INTO chunks VALUES (?, ?, ?, ?, ?)",
                    (
                        (chunk_key(fi, ci), fi, a, b, min(chunk_size, counter[0] - ci * chunk_size))
                        for ci, (a, b) in enumerate(starts)
                    ),
                )
            if con.execute("SELECT 1 FROM wanted LIMIT 1").fetchone():
                for source in sources:
                    for batch in _batches(_comments(source, con), _BATCH):
                        con.executemany(
                            "INSERT OR REPLACE INTO parents SELECT ?1, ?2, ?3 "
                            "WHERE EXISTS (SELECT 1 FROM wanted WHERE id = ?1)",
                            batch,
                        )
            con.execute("INSERT INTO meta VALUES ('rows', ?)", (json.dumps(rows),))
            con.execute("INSERT INTO meta VALUES ('chunk_size', ?)", (str(chunk_size),))
            con.commit()
        finally:
            con.close()


def index_usable(path: Path, chunk_size: int) -> bool:
    """Whether `path` is a complete index cut into chunks of `chunk_size` rows.

    An index left by an older version (no chunk table) or another chunk size is rebuilt
    rather than trusted; it is only a cache of the inputs.
    """
    if not path.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'chunk_size'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == str(chunk_size)


def _parent_ids(
    source: Source, counter: list[int], chunk_size: int, starts: list[Position]
) -> Iterator[tuple[str]]:
    reader = open_reader(source)
    for _, raw, pos in reader.scan():
        if counter[0] % chunk_size == 0:
            starts.append(pos)
        counter[0] += 1
        if reader.may_have_parent(raw):
            # read without a parse when the row allows; an invalid row may then add an id
            # no valid row names, which only stores a parent nobody looks up
            pid = reader.quick_key(raw, "parent_id")
            if pid is UNSURE:
                rec, _ = reader.parse(raw)
                pid = parent_key(rec.get("parent_id")) if rec is not None else None
            if pid is not None:
                yield (pid,)


def _comments(source: Source, con: sqlite3.Connection) -> Iterator[tuple[str, str, str | None]]:
    """`(id, text, parent_id)` of the rows that may be parents: only rows whose id is
    wanted (or cannot be read without a parse) are parsed."""
    reader = open_reader(source)
    for batch in _batches(reader.raw(), _BATCH):
        keys = [reader.quick_key(raw, "id") for _, raw in batch]
        wanted = _wanted(con, sorted({k for k in keys if isinstance(k, str)}))
        for (_, raw), key in zip(batch, keys, strict=True):
            if key is None or (isinstance(key, str) and key not in wanted):
                continue  # no id, or one no row names as its parent
            rec, _ = reader.parse(raw)
            if rec is not None and (cid := parent_key(rec.get("id"))) is not None:
                yield cid, rec["text"], parent_key(rec.get("parent_id"))


def _wanted(con: sqlite3.Connection, ids: list[str]) -> set[str]:
    """Those of `ids` that some row names as its parent."""
    return {cid for (cid,) in _select_in(con, "SELECT id FROM wanted WHERE id IN ({})", ids)}


def _select_in(con: sqlite3.Connection, query: str, ids: list[str]) -> Iterator[tuple[Any, ...]]:
    """Rows of `query` (whose `{}` is the IN list) for `ids`, a bounded number per query."""
    for i in range(0, len(ids), _SQL_VARS):
        part = ids[i : i + _SQL_VARS]
        yield from con.execute(query.format(",".join("?" * len(part))), part)


class ThreadIndex:
    """Read side of the index: row counts per source, and contexts for a chunk's records."""

    def __init__(self, path: Path) -> None:
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.rows: list[int] = json.loads(
            self._con.execute("SELECT value FROM meta WHERE key = 'rows'").fetchone()[0]
        )

    def close(self) -> None:
        self._con.close()

    def chunks(self, sources: Sequence[Source]) -> list[ChunkSpec]:
        """Every chunk of the job, in output order."""
        return [
            ChunkSpec(key, fi, sources[fi], (a, b), rows)
            for key, fi, a, b, rows in self._con.execute(
                "SELECT key, file_index, start_a, start_b, rows FROM chunks ORDER BY key"
            )
        ]

    def _fetch(self, ids: list[str]) -> dict[str, tuple[str, str | None]]:
        query = "SELECT id, text, parent_id FROM parents WHERE id IN ({})"
        return {cid: (text, pid) for cid, text, pid in _select_in(self._con, query, ids)}

    def ancestors(self, records: Sequence[Record]) -> dict[str, tuple[str, str | None] | None]:
        """Every ancestor of `records` found in the index (None for ids that are not)."""
        known: dict[str, tuple[str, str | None] | None] = {}
        frontier = {pid for rec in records if (pid := parent_key(rec.get("parent_id")))}
        while frontier:
            todo = sorted(frontier - known.keys())
            found = self._fetch(todo)
            frontier = set()
            for cid in todo:
                known[cid] = found.get(cid)
                if known[cid] is not None and (pid := known[cid][1]) and pid not in known:
                    frontier.add(pid)
        return known

    def contexts(self, records: Sequence[Record]) -> list[str | None]:
        """The thread context of each record (see :func:`thread_context`)."""
        parents = self.ancestors(records)
        return [thread_context(rec, parents) for rec in records]


def thread_context(record: Record, parents: Parents) -> str | None:
    """The parents' texts, nearest first, joined by newlines (None for a top-level comment).

    The same chain as :meth:`app.Moderator.score_thread` (without an article).
    """
    return context_text(parent_chain(record.get("parent_id"), parents.get))
