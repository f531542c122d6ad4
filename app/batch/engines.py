"""Where chunks get done: in this process (`local`) or on a Dask cluster (`dask`).

Every engine runs the functions of :mod:`app.batch.chunks` on the same chunk specs, so
their outputs are byte-identical. An engine maps chunk specs to chunk counts (each chunk's
files are durably written before its counts come back); planning, resume and assembling
OUTPUT stay in the driver (:mod:`app.batch.rescore`).

Two ways to use Dask workers:

* **worker IO** (a `LocalCluster`, or `--scheduler` with `--shared-fs`): a task carries a
  chunk *description* (file, byte offset, row count); the worker reads and parses the
  rows, looks up parents in the job's read-only SQLite index, scores, writes the chunk's
  part files (temp + rename, meta last) and returns the counts. The driver only
  coordinates, so on a small machine both CPUs go to the workers.
* **driver IO** (`--scheduler` without `--shared-fs`): the driver reads the chunk, sends
  the parsed items, gets JSON Lines bytes back and writes the parts. Workers then need no
  shared file system, only the model folder.

Why futures rather than `dask.dataframe.map_partitions`: a rescore must know, chunk by
chunk, what is durably written (resume), keep bad rows with their line numbers (rejects),
and see parents in other partitions (thread context). The driver keeps a bounded number of
chunks in flight, so memory stays flat on both sides.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from app.batch.chunks import ChunkJob, commit_chunk, prepare_chunk, process_chunk
from app.batch.scoring import score_chunk, warm
from app.batch.sources import ChunkSpec, read_chunk
from app.batch.threads import ThreadIndex

#: A chunk's counts as written to its meta file (`scored`, `rejected`, `rows`, ...).
Meta = dict[str, Any]


class Engine(Protocol):
    """Does chunks; their counts may come back in any order."""

    name: str

    def run(self, specs: Iterable[ChunkSpec], index: ThreadIndex) -> Iterator[Meta]: ...

    def close(self) -> None: ...


class LocalEngine:
    """Does chunks one after another in this process (the model is loaded once)."""

    name = "local"

    def __init__(self, job: ChunkJob) -> None:
        self.job = job
        warm(job.model_path, job.policy_json)

    def run(self, specs: Iterable[ChunkSpec], index: ThreadIndex) -> Iterator[Meta]:
        for spec in specs:
            yield process_chunk(self.job, spec, index)

    def close(self) -> None:
        """Nothing to release (the cached model stays for the process)."""


class DaskEngine:
    """Does chunks on a Dask cluster: a new `LocalCluster` or an existing scheduler.

    Parameters
    ----------
    job : ChunkJob
        Model path, policy and the job's paths; the model folder must exist at this path
        on every worker.
    scheduler : str, optional
        Address of a running scheduler (`tcp://host:8786`); None starts a `LocalCluster`.
    workers : int, default=2
        Worker processes of the `LocalCluster` (one thread each: scoring holds the GIL).
    worker_io : bool, optional
        Workers read inputs and write parts themselves (they must see the input files and
        OUTPUT's folder at the same paths as the driver). Default: True for a
        `LocalCluster` (same machine), False for `--scheduler`.
    in_flight : int, optional
        Chunks submitted but not yet done; default two per worker thread.
    """

    name = "dask"

    def __init__(
        self,
        job: ChunkJob,
        scheduler: str | None = None,
        workers: int = 2,
        worker_io: bool | None = None,
        in_flight: int | None = None,
    ) -> None:
        from dask.distributed import Client, LocalCluster

        self.job = job
        self.worker_io = scheduler is None if worker_io is None else worker_io
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        try:
            # load the model on every worker now: a wrong path fails fast, and timing is fair
            self.client.run(warm, job.model_path, job.policy_json)
            threads = sum(self.client.nthreads().values())
        except BaseException:
            self.close()
            raise
        self.workers = threads
        self.in_flight = in_flight or max(2, 2 * threads)

    def run(self, specs: Iterable[ChunkSpec], index: ThreadIndex) -> Iterator[Meta]:
        from dask.distributed import as_completed

        pending = iter(specs)
        # future key -> what the driver still has to write when it completes (driver IO)
        waiting: dict[str, Any] = {}
        queue = as_completed()

        def submit_next() -> bool:
            spec = next(pending, None)
            if spec is None:
                return False
            name = f"rescore-{spec.key}-{uuid.uuid4().hex[:12]}"
            if self.worker_io:
                future = self.client.submit(process_chunk, self.job, spec, key=name, pure=False)
                waiting[future.key] = None
            else:
                prepared = prepare_chunk(read_chunk(spec), index)
                future = self.client.submit(
                    score_chunk,
                    self.job.model_path,
                    self.job.policy_json,
                    prepared.items,
                    key=name,
                    pure=False,
                )
                prepared.items = []  # sent; keep only the rejects until the commit
                waiting[future.key] = prepared
            queue.add(future)
            return True

        for _ in range(self.in_flight):
            if not submit_next():
                break
        for future in queue:
            result = future.result()
            prepared = waiting.pop(future.key)
            future.release()
            submit_next()
            if prepared is None:
                yield result
            else:
                data, counts = result
                yield commit_chunk(
                    self.job.paths,
                    prepared.key,
                    data,
                    counts,
                    prepared.rejects,
                    prepared.n_rejected,
                )

    def close(self) -> None:
        """Disconnect, and stop the cluster if this engine started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(
    name: str,
    job: ChunkJob,
    scheduler: str | None = None,
    workers: int = 2,
    shared_fs: bool | None = None,
) -> Engine:
    """An engine by name (`local` or `dask`)."""
    if name == "local":
        return LocalEngine(job)
    if name == "dask":
        return DaskEngine(job, scheduler=scheduler, workers=workers, worker_io=shared_fs)
    raise ValueError(f"unknown engine {name!r} (expected local or dask)")


class EngineStart:
    """Start an engine in a background thread while the driver does other work.

    A Dask cluster takes seconds to come up and each worker seconds more to load the model;
    the driver meanwhile builds the thread index. :meth:`get` waits and returns the engine
    (or raises what starting it raised); :meth:`close` also stops an engine never used.
    """

    def __init__(self, factory: Callable[[], Engine], background: bool = True) -> None:
        self._engine: Engine | None = None
        self._error: BaseException | None = None

        def start() -> None:
            try:
                self._engine = factory()
            except BaseException as exc:  # re-raised in the driver's thread by get()
                self._error = exc

        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=start, name="rescore-engine", daemon=True)
            self._thread.start()
        else:  # the local engine loads the model in this thread: no other CPU to overlap
            start()

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def get(self) -> Engine:
        """The started engine (waits for it)."""
        self._wait()
        if self._error is not None:
            raise self._error
        assert self._engine is not None
        return self._engine

    def close(self) -> None:
        """Stop the engine (waiting for its start first); safe to call more than once."""
        self._wait()
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()
