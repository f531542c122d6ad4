"""`moderate rescore`: score archived comments in resumable, exact, bounded-memory chunks.

Layout of a job writing OUTPUT::

    OUTPUT                      the results, in input order (JSON Lines or Parquet)
    OUTPUT.rejects.jsonl        bad rows: {"file", "line", "reason"}
    OUTPUT.manifest.json        model, policy and input hashes, counts, times (written last)
    OUTPUT.parts/               work dir, removed once the manifest is written
        job.json                the job fingerprint this work dir belongs to
        index.sqlite            row counts and parent texts (thread context)
        <key>.jsonl             scored records of one chunk
        <key>.rejects.jsonl     its bad rows (only when it has some)
        <key>.json              its counts: written last, so its presence means "chunk done"

Every file is written to a temporary name and renamed (:mod:`app.batch.atomic`), and chunk
boundaries depend only on the inputs and the chunk size. So a run killed at any moment
(SIGKILL included) and started again with the same command redoes only the chunks without
a `<key>.json`, and assembles the same bytes an uninterrupted run would have.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.batch import atomic
from app.batch.chunks import ChunkJob, JobPaths, dump_json
from app.batch.engines import Engine, EngineStart, make_engine
from app.batch.manifest import (
    FORMAT_VERSION,
    artifact_sha256,
    book_spec,
    describe_inputs,
    json_sha256,
    merge_counts,
)
from app.batch.sinks import concat_files, output_format, write_output
from app.batch.sources import DEFAULT_CHUNK_SIZE, ChunkSpec, InputError, Source, discover_inputs
from app.batch.threads import ThreadIndex, build_thread_index, index_usable
from app.labels import ACTIONS, LABELS
from app.model_card import ModelCardError, read_card
from app.policy import Policy
from app.policy_file import PolicyBook, PolicyError, load_policy_book
from app.records import RecordRules

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "JobPaths",
    "RescoreError",
    "RescoreOptions",
    "RescoreSummary",
    "resolve_job",
    "run_rescore",
]


class RescoreError(Exception):
    """A job that cannot start or continue; the message is meant for the operator."""


@dataclass(frozen=True)
class RescoreOptions:
    """What to rescore, where to, and how (mirrors the `moderate rescore` options)."""

    input: str
    output: Path
    model: Path | None = None
    policy: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    workers: int = 2
    chunk_size: int = DEFAULT_CHUNK_SIZE
    force: bool = False
    progress: bool = False
    #: apply this community's policy to every record (else each record's `community`)
    community: str | None = None
    #: a record of a community the policy file does not name: `reject` or `default`
    unknown_community: str = "reject"
    #: also score each record's `author` as a display name (`author_result`)
    score_authors: bool = False
    #: Dask workers read inputs and write parts themselves; None: yes for a LocalCluster,
    #: no for `scheduler` (workers elsewhere may not see the driver's files).
    shared_fs: bool | None = None

    @property
    def worker_io(self) -> bool:
        """Whether the process that scores a chunk also reads and writes it."""
        if self.engine != "dask":
            return True
        return self.scheduler is None if self.shared_fs is None else self.shared_fs


@dataclass
class RescoreSummary:
    """What a run did. `status` is `done`, or `up-to-date` when nothing needed doing."""

    status: str
    output: Path
    counts: dict[str, Any]
    chunks: int = 0
    chunks_resumed: int = 0
    seconds: float = 0.0
    rate: float = 0.0
    manifest: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        c = self.counts
        actions = ", ".join(f"{a} {c.get('actions', {}).get(a, 0)}" for a in ACTIONS)
        if self.status == "up-to-date":
            return (
                f"{self.output} is up to date ({c.get('scored', 0)} scored, "
                f"{c.get('rejected', 0)} rejected); use --force to redo it"
            )
        resumed = (
            f"; resumed {self.chunks_resumed}/{self.chunks} chunks" if self.chunks_resumed else ""
        )
        return (
            f"rescored {c.get('scored', 0)} comments ({actions}), "
            f"{c.get('rejected', 0)} rejected, in {self.seconds:.1f}s "
            f"({self.rate:,.0f}/s){resumed} -> {self.output}"
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


@contextlib.contextmanager
def _locked(paths: JobPaths) -> Iterator[None]:
    """Hold an exclusive lock on the work dir (released by the OS even on SIGKILL)."""
    paths.parts.mkdir(parents=True, exist_ok=True)
    with open(paths.parts / ".lock", "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RescoreError(f"another rescore is writing {paths.output}") from exc
        yield


def _remove_outputs(paths: JobPaths) -> None:
    for path in (paths.output, paths.rejects, paths.manifest):
        path.unlink(missing_ok=True)
    shutil.rmtree(paths.parts, ignore_errors=True)


# -- set-up ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """A resolved job: inputs, model, policy and the fingerprint they make."""

    paths: JobPaths
    sources: list[Source]
    model_dir: Path
    card: dict[str, Any]
    book: PolicyBook
    rules: RecordRules
    policy_json: str | None
    inputs: list[dict[str, Any]]
    fingerprint: dict[str, Any]


def _load_policies(card: dict[str, Any], opts: RescoreOptions) -> tuple[PolicyBook, RecordRules]:
    """The policy file's policies on the model's default one, and how records pick them."""
    try:
        book = load_policy_book(opts.policy, Policy.from_card(card))
        rules = RecordRules.for_book(
            book, opts.community, opts.unknown_community, opts.score_authors
        )
    except (PolicyError, ValueError) as exc:
        raise RescoreError(str(exc)) from exc
    return book, rules


def resolve_job(opts: RescoreOptions) -> Job:
    """Check the options and hash everything the output depends on."""
    from pydantic import ValidationError

    from app.config import get_settings
    from app.model_card import default_model_dir

    output = opts.output.absolute()
    paths = JobPaths(output)
    try:
        out_fmt = output_format(output)
    except ValueError as exc:
        raise RescoreError(str(exc)) from exc
    if opts.chunk_size < 1:
        raise RescoreError("--chunk-size must be at least 1")
    try:
        sources = discover_inputs(opts.input, exclude=(output, paths.rejects, paths.manifest))
        # one settings object for serving and batch: MODERATE_MODEL_PATH (env or .env)
        model_dir = (opts.model or get_settings().model_path or default_model_dir()).absolute()
        card = read_card(model_dir)
    except (InputError, ModelCardError, ValidationError) as exc:
        raise RescoreError(str(exc)) from exc
    book, rules = _load_policies(card, opts)
    policy_json = book.canonical_json() if opts.policy is not None else None
    inputs = describe_inputs(sources)
    fingerprint = {
        "format_version": FORMAT_VERSION,
        "inputs": [{k: i[k] for k in ("path", "bytes", "sha256")} for i in inputs],
        "model_version": str(card["version"]),
        "artifact_sha256": artifact_sha256(model_dir),
        "policy_sha256": json_sha256(_policy_effect(book, rules)),
        "score_authors": opts.score_authors,
        "output_format": out_fmt,
    }
    return Job(paths, sources, model_dir, card, book, rules, policy_json, inputs, fingerprint)


def _policy_effect(book: PolicyBook, rules: RecordRules) -> dict[str, Any]:
    """Everything about the policies that changes a verdict (renaming the file does not)."""
    return {
        "communities": book_spec(book),
        "community": rules.community,
        "unknown_community": rules.unknown_community,
        "named_policy": rules.named_policy,
    }


# -- chunk work --------------------------------------------------------------------------------
def _engine_start(opts: RescoreOptions) -> EngineStart:
    """The engine for `opts`, not yet connected (see :class:`EngineStart`)."""
    return EngineStart(
        lambda: make_engine(
            opts.engine,
            scheduler=opts.scheduler,
            workers=opts.workers,
            shared_fs=opts.worker_io,
        ),
        background=opts.engine != "local",
    )


def _chunk_job(job: Job) -> ChunkJob:
    return ChunkJob(str(job.model_dir), job.policy_json, job.paths, job.rules)


def _progress_bar(enabled: bool, total: int, initial: int) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit=" comments",
        unit_scale=True,
        file=sys.stderr,
        disable=not enabled,
        smoothing=0.1,
        dynamic_ncols=True,
    )


def _score_chunks(
    opts: RescoreOptions,
    engine: Engine,
    index: ThreadIndex,
    todo: list[ChunkSpec],
    done_rows: int,
) -> tuple[int, float]:
    """Do every chunk in `todo` (each is committed by whoever does it).

    Returns the comments scored and the seconds spent (engine start-up excluded).
    """
    bar = _progress_bar(opts.progress, sum(index.rows), done_rows)
    scored = 0
    t0 = time.perf_counter()
    try:
        for meta in engine.run(todo, index):
            scored += meta["scored"]
            bar.update(meta["rows"])
    finally:
        bar.close()
    return scored, time.perf_counter() - t0


# -- the job -----------------------------------------------------------------------------------
def run_rescore(opts: RescoreOptions) -> RescoreSummary:
    """Run (or resume, or confirm) a rescore job; see the module docstring for the layout.

    Raises :class:`RescoreError` for anything the operator must fix.
    """
    started_at, t0 = _now(), time.perf_counter()
    engine = _engine_start(opts)
    if opts.engine == "dask" and (
        opts.force or not JobPaths(opts.output.absolute()).manifest.exists()
    ):
        # most likely there is work to do: let the cluster come up while the inputs and the
        # model are hashed (a finished job, the usual no-op, starts no cluster)
        engine.connect()
    try:
        return _run(opts, engine, started_at, t0)
    finally:
        engine.close()


def _run(opts: RescoreOptions, engine: EngineStart, started_at: str, t0: float) -> RescoreSummary:
    job = resolve_job(opts)
    paths = job.paths
    manifest = _read_json(paths.manifest)

    if opts.force:
        with _locked(paths):
            _remove_outputs(paths)
    elif manifest and manifest.get("job") == job.fingerprint and paths.output.exists():
        if paths.parts.exists():  # killed while cleaning up after the manifest was written
            with _locked(paths):
                shutil.rmtree(paths.parts, ignore_errors=True)
        return RescoreSummary("up-to-date", paths.output, manifest["counts"], manifest=manifest)
    elif paths.parts.exists() and paths.job.exists():
        if (_read_json(paths.job) or {}).get("fingerprint") != job.fingerprint:
            raise RescoreError(
                f"{paths.parts} belongs to another job (inputs, model or policy changed); "
                "use --force to start over"
            )
    elif paths.output.exists() or paths.manifest.exists():
        raise RescoreError(
            f"{paths.output} already exists and is not this job's result "
            "(inputs, model or policy changed); use --force to replace it"
        )

    with _locked(paths):
        atomic.remove_stale_temps(paths.parts)
        atomic.remove_stale_temps(paths.output.parent, prefix=paths.output.name)
        job_info = _read_json(paths.job)
        if not job_info:
            job_info = {
                "fingerprint": job.fingerprint,
                "chunk_size": opts.chunk_size,
                "created": started_at,
            }
            atomic.write_atomic(paths.job, dump_json(job_info))
        # a resumed job keeps the chunking it started with (the output does not depend on it)
        chunk_size = int(job_info["chunk_size"])
        if not index_usable(paths.index, chunk_size):
            # a new job, so there is work to do: Dask workers load the model while this
            # process reads the inputs for the index (the local engine loads it later)
            if opts.engine != "local":
                engine.begin(_chunk_job(job))
            build_thread_index(job.sources, paths.index, chunk_size)
        index = ThreadIndex(paths.index)
        try:
            specs = index.chunks(job.sources)
            keys = [spec.key for spec in specs]
            done = {k for k in keys if paths.part_meta(k).exists()}
            resumed = len(done)
            done_rows = sum(
                int((_read_json(paths.part_meta(k)) or {}).get("rows", 0)) for k in done
            )
            scored_now, score_seconds = 0, 0.0
            todo = [spec for spec in specs if spec.key not in done]
            if todo:
                engine.begin(_chunk_job(job))
                scored_now, score_seconds = _score_chunks(
                    opts, engine.get(), index, todo, done_rows
                )
        finally:
            index.close()
        # stopping a cluster takes a second or so: let it happen while OUTPUT is assembled
        engine.close(wait=False)
        return _finish(
            job,
            keys,
            job_info,
            started_at,
            t0,
            score_seconds,
            scored_now,
            resumed,
            opts,
            chunk_size,
        )


def _finish(
    job: Job,
    keys: list[str],
    job_info: dict[str, Any],
    started_at: str,
    t0: float,
    score_seconds: float,
    scored_now: int,
    resumed: int,
    opts: RescoreOptions,
    chunk_size: int,
) -> RescoreSummary:
    """Assemble OUTPUT and rejects from the parts, write the manifest, drop the work dir."""
    paths = job.paths
    counts: dict[str, Any] = {
        "rows": 0,
        "scored": 0,
        "rejected": 0,
        "hateful": 0,
        "actions": dict.fromkeys(ACTIONS, 0),
        "labels": dict.fromkeys(LABELS, 0),
        "communities": {},
    }
    if opts.score_authors:
        counts["authors"] = {"scored": 0, "hateful": 0, "actions": dict.fromkeys(ACTIONS, 0)}
    for key in keys:
        meta = _read_json(paths.part_meta(key))
        if meta is None:
            raise RescoreError(f"chunk {key} is missing from {paths.parts}; run again")
        merge_counts(counts, meta)
    write_output([paths.part(k) for k in keys], paths.output)
    reject_parts = [paths.part_rejects(k) for k in keys if paths.part_rejects(k).exists()]
    concat_files(reject_parts, paths.rejects)
    seconds = time.perf_counter() - t0
    rate = scored_now / score_seconds if score_seconds > 0 and scored_now else 0.0
    manifest = {
        "job": job.fingerprint,
        "model": {
            "version": str(job.card["version"]),
            "path": str(job.model_dir),
            "artifact_sha256": job.fingerprint["artifact_sha256"],
        },
        "policy": {
            "sha256": job.fingerprint["policy_sha256"],
            "file": str(opts.policy or ""),
            "file_sha256": job.book.sha256,
            "community": job.rules.community,
            "unknown_community": job.rules.unknown_community,
            "effective": book_spec(job.book),
        },
        "inputs": job.inputs,
        "output": {
            "path": str(paths.output),
            "format": job.fingerprint["output_format"],
            "bytes": paths.output.stat().st_size,
            "rejects": str(paths.rejects),
        },
        "counts": counts,
        "engine": {
            "name": opts.engine,
            "workers": opts.workers if opts.engine == "dask" else 1,
            "scheduler": opts.scheduler,
            "worker_io": opts.worker_io,
            "chunk_size": chunk_size,
            "chunks": len(keys),
            "chunks_resumed": resumed,
        },
        "times": {
            "job_created": job_info.get("created", started_at),
            "run_started": started_at,
            "finished": _now(),
            "run_seconds": round(seconds, 3),
            "scoring_seconds": round(score_seconds, 3),
        },
        "throughput": {"scored_this_run": scored_now, "comments_per_second": round(rate, 1)},
    }
    atomic.write_atomic(paths.manifest, dump_json(manifest))
    shutil.rmtree(paths.parts, ignore_errors=True)
    return RescoreSummary(
        "done",
        paths.output,
        counts,
        chunks=len(keys),
        chunks_resumed=resumed,
        seconds=seconds,
        rate=rate,
        manifest=manifest,
    )
