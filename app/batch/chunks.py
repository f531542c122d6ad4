"""One chunk of a rescore job, end to end: read, parse, thread context, score, commit.

Every engine runs these same functions, so the output is byte-identical whichever process
does the reading and writing:

* **worker IO** (`--engine local`, and Dask whenever the workers see the job's files):
  :func:`process_chunk` does everything where it runs, from a small
  :class:`~app.batch.sources.ChunkSpec`, and returns only the chunk's counts. On Dask this
  keeps the driver almost idle, which matters when it shares the CPUs with the workers.
* **driver IO** (Dask workers without a shared file system): the driver runs
  :func:`prepare_chunk`, a worker runs :func:`app.batch.scoring.score_chunk` on the items,
  and the driver runs :func:`commit_chunk` with what comes back.

A chunk's files are written to temporary names and renamed, its meta file last, so a chunk
is either done (meta present, parts complete) or redone by the next run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.batch import atomic
from app.batch.scoring import score_chunk
from app.batch.sources import PASS_THROUGH, Chunk, ChunkSpec, Record, read_chunk
from app.batch.threads import ThreadIndex
from app.records import Item, RecordRules


@dataclass(frozen=True)
class JobPaths:
    """Every path a job writes."""

    output: Path

    @property
    def parts(self) -> Path:
        return self.output.with_name(self.output.name + ".parts")

    @property
    def rejects(self) -> Path:
        return self.output.with_name(self.output.name + ".rejects.jsonl")

    @property
    def manifest(self) -> Path:
        return self.output.with_name(self.output.name + ".manifest.json")

    @property
    def job(self) -> Path:
        return self.parts / "job.json"

    @property
    def index(self) -> Path:
        return self.parts / "index.sqlite"

    def part(self, key: str) -> Path:
        return self.parts / f"{key}.jsonl"

    def part_rejects(self, key: str) -> Path:
        return self.parts / f"{key}.rejects.jsonl"

    def part_meta(self, key: str) -> Path:
        return self.parts / f"{key}.json"


@dataclass(frozen=True)
class ChunkJob:
    """What any process needs to do a chunk: the model, the policies, how records are read
    (`rules`: communities, authors) and the job's paths.

    Small and picklable: it travels with every Dask task (the model is loaded once per
    worker process from `model_path`, see :mod:`app.batch.scoring`).
    """

    model_path: str
    policy_json: str | None
    paths: JobPaths
    rules: RecordRules = RecordRules()


@dataclass
class Prepared:
    """A chunk read and parsed: the items to score and its bad rows (already as JSON Lines)."""

    key: str
    items: list[Item]
    rejects: bytes
    n_rejected: int


def dump_json(value: Any) -> bytes:
    """Indented, sorted JSON with a final newline (meta, job and manifest files)."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def prepare_chunk(chunk: Chunk, index: ThreadIndex, rules: RecordRules) -> Prepared:
    """Parse a chunk's rows, set bad ones aside (also records of an unknown community or
    a wrong `kind`, see :class:`app.records.RecordRules`), and attach each reply's thread
    context."""
    good: list[tuple[int, Record]] = []
    rejects = []

    def reject(line: int, reason: str | None) -> None:
        # file, line and reason only: a rejects file never holds comment text
        rejects.append(
            json.dumps(
                {"file": str(chunk.source.path), "line": line, "reason": reason},
                ensure_ascii=False,
            )
        )

    for line, rec, reason in chunk.parsed():
        if rec is None:
            reject(line, reason)
        else:
            good.append((line, rec))
    contexts = index.contexts([rec for _, rec in good])
    items = []
    for (line, rec), context in zip(good, contexts, strict=True):
        head = {"id": rec.get("id", line)}
        head.update((key, rec[key]) for key in PASS_THROUGH if key in rec)
        item = rules.item(head, rec, context)
        if isinstance(item, str):
            reject(line, item)
        else:
            items.append(item)
    data = ("\n".join(rejects) + "\n").encode() if rejects else b""
    return Prepared(chunk.key, items, data, len(rejects))


def commit_chunk(
    paths: JobPaths,
    key: str,
    data: bytes,
    counts: dict[str, Any],
    rejects: bytes,
    n_rejected: int,
) -> dict[str, Any]:
    """Write a chunk's files; the meta file goes last and marks the chunk done."""
    atomic.write_atomic(paths.part(key), data)
    if n_rejected:
        atomic.write_atomic(paths.part_rejects(key), rejects)
    meta = {**counts, "rejected": n_rejected, "rows": counts["scored"] + n_rejected}
    atomic.write_atomic(paths.part_meta(key), dump_json(meta))
    return meta


def process_chunk(
    job: ChunkJob, spec: ChunkSpec, index: ThreadIndex | None = None
) -> dict[str, Any]:
    """Read, score and commit one chunk where this runs; returns the chunk's counts.

    `index` is the job's open thread index; None opens the index file read-only for just
    this chunk (a Dask worker: SQLite handles concurrent readers, and nothing stays open
    after the job's work dir is removed).
    """
    own = index is None
    idx = ThreadIndex(job.paths.index) if index is None else index
    try:
        prepared = prepare_chunk(read_chunk(spec), idx, job.rules)
    finally:
        if own:
            idx.close()
    data, counts = score_chunk(job.model_path, job.policy_json, prepared.items)
    return commit_chunk(job.paths, spec.key, data, counts, prepared.rejects, prepared.n_rejected)
