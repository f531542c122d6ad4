"""Where chunks get scored: in this process (`local`) or on a Dask cluster (`dask`).

Both engines run the same :func:`app.batch.scoring.score_chunk` on the same chunks, so
their outputs are byte-identical. An engine only maps tasks to results; reading inputs,
thread context, part files and resume stay in the driver (:mod:`app.batch.rescore`).

Why futures rather than `dask.dataframe.map_partitions`: a rescore must know, chunk by
chunk, what is durably written (resume), keep bad rows with their line numbers (rejects),
and see parents in other partitions (thread context). The driver streams chunks to the
workers with a bounded number in flight, so memory stays flat on both sides, and results
come back to the driver, so workers need no shared file system, only the model folder.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from app.batch.scoring import Item, score_chunk, warm

#: `(chunk key, items)` in, `(chunk key, score_chunk result)` out.
Task = tuple[str, list[Item]]
Done = tuple[str, tuple[bytes, dict[str, Any]]]


class Engine(Protocol):
    """Scores chunks; results may come back in any order."""

    name: str

    def run(self, tasks: Iterable[Task]) -> Iterator[Done]: ...

    def close(self) -> None: ...


class LocalEngine:
    """Scores chunks one after another in this process (the model is loaded once)."""

    name = "local"

    def __init__(self, model_path: str, policy_json: str | None) -> None:
        self.model_path = model_path
        self.policy_json = policy_json
        warm(model_path, policy_json)

    def run(self, tasks: Iterable[Task]) -> Iterator[Done]:
        for key, items in tasks:
            yield key, score_chunk(self.model_path, self.policy_json, items)

    def close(self) -> None:
        """Nothing to release (the cached model stays for the process)."""


class DaskEngine:
    """Scores chunks on a Dask cluster: a new `LocalCluster` or an existing scheduler.

    Parameters
    ----------
    model_path : str
        The model folder; it must exist at this path on every worker.
    policy_json : str or None
        Canonical policy overrides (small), sent with each task.
    scheduler : str, optional
        Address of a running scheduler (`tcp://host:8786`); None starts a `LocalCluster`.
    workers : int, default=2
        Worker processes of the `LocalCluster` (one thread each: scoring holds the GIL).
    in_flight : int, optional
        Chunks submitted but not yet written; default two per worker thread.
    """

    name = "dask"

    def __init__(
        self,
        model_path: str,
        policy_json: str | None,
        scheduler: str | None = None,
        workers: int = 2,
        in_flight: int | None = None,
    ) -> None:
        from dask.distributed import Client, LocalCluster

        self.model_path = model_path
        self.policy_json = policy_json
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
            self.client.run(warm, model_path, policy_json)
            threads = sum(self.client.nthreads().values())
        except BaseException:
            self.close()
            raise
        self.workers = threads
        self.in_flight = in_flight or max(2, 2 * threads)

    def run(self, tasks: Iterable[Task]) -> Iterator[Done]:
        from dask.distributed import as_completed

        pending = iter(tasks)
        keys: dict[str, str] = {}
        queue = as_completed()

        def submit_next() -> bool:
            task = next(pending, None)
            if task is None:
                return False
            key, items = task
            future = self.client.submit(
                score_chunk,
                self.model_path,
                self.policy_json,
                items,
                key=f"rescore-{key}-{uuid.uuid4().hex[:12]}",
                pure=False,
            )
            keys[future.key] = key
            queue.add(future)
            return True

        for _ in range(self.in_flight):
            if not submit_next():
                break
        for future in queue:
            result = future.result()
            key = keys.pop(future.key)
            future.release()
            submit_next()
            yield key, result

    def close(self) -> None:
        """Disconnect, and stop the cluster if this engine started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(
    name: str,
    model_path: str,
    policy_json: str | None,
    scheduler: str | None = None,
    workers: int = 2,
) -> Engine:
    """An engine by name (`local` or `dask`)."""
    if name == "local":
        return LocalEngine(model_path, policy_json)
    if name == "dask":
        return DaskEngine(model_path, policy_json, scheduler=scheduler, workers=workers)
    raise ValueError(f"unknown engine {name!r} (expected local or dask)")
