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
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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

    def start(self, job: ChunkJob) -> None: ...

    def run(self, specs: Iterable[ChunkSpec], index: ThreadIndex) -> Iterator[Meta]: ...

    def close(self) -> None: ...


class LocalEngine:
    """Does chunks one after another in this process (the model is loaded once)."""

    name = "local"

    def __init__(self) -> None:
        self.job: ChunkJob | None = None

    def start(self, job: ChunkJob) -> None:
        """Load the model and policy of `job`."""
        warm(job.model_path, job.policy_json)
        self.job = job

    def run(self, specs: Iterable[ChunkSpec], index: ThreadIndex) -> Iterator[Meta]:
        assert self.job is not None, "start() first"
        for spec in specs:
            yield process_chunk(self.job, spec, index)

    def close(self) -> None:
        """Nothing to release (the cached model stays for the process)."""


class DaskEngine:
    """Does chunks on a Dask cluster: a new `LocalCluster` or an existing scheduler.

    Connecting (starting the `LocalCluster`) needs no job, so it can begin before the
    inputs are even hashed; :meth:`start` then loads the job's model on every worker.

    Parameters
    ----------
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
        scheduler: str | None = None,
        workers: int = 2,
        worker_io: bool | None = None,
        in_flight: int | None = None,
    ) -> None:
        from dask.distributed import Client, LocalCluster

        self.job: ChunkJob | None = None
        self.worker_io = scheduler is None if worker_io is None else worker_io
        self.cluster = None
        self._in_flight = in_flight
        self.in_flight = 0
        self.workers = 0
        if scheduler:
            self.client = Client(scheduler)
        else:
            import dask

            settings = {
                # The workers' statistical profiler samples the scoring thread's stack 100
                # times a second for a dashboard this cluster does not have.
                "distributed.worker.profile.enabled": False,
                # Dask sets MALLOC_TRIM_THRESHOLD_ for its workers; setting it at all turns
                # off glibc's dynamic mmap threshold, so every numpy buffer of 128 KiB or
                # more in the feature build is mmap'd and unmapped again per batch. Measured
                # here: 4x the page faults and about 10% more CPU per chunk than the local
                # engine. A worker holds one chunk, so memory stays bounded without it.
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                # Housekeeping timers, made less eager. Every server (scheduler, nannies,
                # workers) checks its event loop's health every 20 ms; each wake-up of a
                # worker's loop takes the GIL from the scoring thread. Measured here on an
                # idle 2-worker cluster, per 10 s: driver 0.61-0.70 -> 0.14 CPU s, each
                # worker 0.26-0.30 -> 0.05 CPU s. The slower timers only feed a dashboard
                # this cluster does not have, and the memory checks (pause/terminate) of a
                # worker that holds one chunk at a time.
                "distributed.admin.tick.interval": "1s",
                "distributed.admin.system-monitor.interval": "5s",
                "distributed.worker.memory.monitor-interval": "1s",
            }
            with dask.config.set(settings):
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = Client(self.cluster)

    def start(self, job: ChunkJob) -> None:
        """Load the model on every worker now: a wrong path fails fast, and timing is fair.

        The model folder must exist at `job.model_path` on every worker.
        """
        self.client.run(warm, job.model_path, job.policy_json)
        self.workers = sum(self.client.nthreads().values())
        self.in_flight = self._in_flight or max(2, 2 * self.workers)
        self.job = job

    def run(self, specs: Iterable[ChunkSpec], index: ThreadIndex) -> Iterator[Meta]:
        from dask.distributed import as_completed

        job = self.job
        assert job is not None, "start() first"
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
                future = self.client.submit(process_chunk, job, spec, key=name, pure=False)
                waiting[future.key] = None
            else:
                prepared = prepare_chunk(read_chunk(spec), index, job.rules)
                future = self.client.submit(
                    score_chunk,
                    job.model_path,
                    job.policy_json,
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
                    job.paths,
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
    scheduler: str | None = None,
    workers: int = 2,
    shared_fs: bool | None = None,
) -> Engine:
    """An engine by name (`local` or `dask`), connected but not started."""
    if name == "local":
        return LocalEngine()
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers, worker_io=shared_fs)
    raise ValueError(f"unknown engine {name!r} (expected local or dask)")


class EngineStart:
    """An engine brought up step by step, in a background thread for Dask.

    On a small machine start-up is a real share of a run: a `LocalCluster` takes a second
    or two to come up and each worker seconds more to load the model. So the driver calls
    :meth:`connect` first (before hashing inputs), :meth:`begin` to load the model as soon
    as the job is known (while it builds the thread index), and only waits in :meth:`get`.
    Steps run in order in one thread; an error surfaces in :meth:`get`.
    :meth:`close` may start stopping the cluster in the background (while the driver
    assembles OUTPUT); :meth:`wait_closed` waits for that.
    """

    def __init__(self, factory: Callable[[], Engine], background: bool) -> None:
        self._factory = factory
        self._pool = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="rescore-engine")
            if background
            else None
        )
        self._created: Future[Engine] | None = None
        self._started: Future[Engine] | None = None
        self._closed: Future[None] | None = None

    def _call(self, fn: Callable[[], Any]) -> Future[Any]:
        if self._pool is not None:
            return self._pool.submit(fn)
        future: Future[Any] = Future()  # the local engine: no other CPU to overlap with
        try:
            future.set_result(fn())
        except BaseException as exc:  # re-raised by result(), as from the thread
            future.set_exception(exc)
        return future

    def connect(self) -> None:
        """Start connecting (a `LocalCluster` starts its workers); no model yet."""
        if self._created is None:
            self._created = self._call(self._factory)

    def begin(self, job: ChunkJob) -> None:
        """Connect if need be, then load `job`'s model; returns at once for Dask."""
        self.connect()
        if self._started is None:
            created = self._created
            assert created is not None

            def start() -> Engine:
                engine = created.result()
                engine.start(job)
                return engine

            self._started = self._call(start)

    def get(self) -> Engine:
        """The engine, once started (waits; raises what connecting or starting raised)."""
        assert self._started is not None, "begin() first"
        return self._started.result()

    def close(self, wait: bool = True) -> None:
        """Stop the engine after any step still running; safe to call more than once."""
        if self._closed is None:
            created = self._created

            def stop() -> None:
                if created is None:
                    return
                try:
                    engine = created.result()
                except BaseException:  # never connected: nothing to stop
                    return
                engine.close()

            self._closed = self._call(stop)
        if wait:
            self.wait_closed()

    def wait_closed(self) -> None:
        """Wait for :meth:`close` (raises what stopping raised)."""
        if self._closed is not None:
            try:
                self._closed.result()
            finally:
                if self._pool is not None:
                    self._pool.shutdown(wait=True)
