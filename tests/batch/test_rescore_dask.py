"""`--engine dask` on real clusters with two worker processes equals the local engine.

Covers both ways of using workers: worker IO (a `LocalCluster` started by the job, or an
existing scheduler with `shared_fs`), where workers read, score and write their own chunks,
and driver IO (an existing scheduler without `shared_fs`), where only items and results
travel. Also a driver SIGKILLed part-way through a Dask run, then resumed.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rescore_helpers import write_jsonl

from app.batch import chunks, engines

MODERATE = str(Path(sys.executable).with_name("moderate"))


def _files(out: Path) -> tuple[bytes, bytes]:
    return out.read_bytes(), out.with_name(out.name + ".rejects.jsonl").read_bytes()


def test_dask_local_cluster_output_equals_local_engine(tmp_path, rescore, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(400), bad_every=50)
    local = rescore(src, tmp_path / "local.jsonl", chunk_size=25)
    dask = rescore(src, tmp_path / "dask.jsonl", chunk_size=25, engine="dask", workers=2)
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "dask.jsonl.rejects.jsonl").read_bytes() == \
        (tmp_path / "local.jsonl.rejects.jsonl").read_bytes()
    assert dask.counts == local.counts
    manifest = json.loads((tmp_path / "dask.jsonl.manifest.json").read_text())
    assert manifest["engine"]["name"] == "dask" and manifest["engine"]["workers"] == 2
    assert manifest["engine"]["worker_io"] is True


@pytest.fixture(scope="module")
def cluster():
    """A running cluster the jobs connect to by address, as `--scheduler` does."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as running:
        yield running


def test_existing_scheduler_driver_io_and_shared_fs_worker_io_equal_local(
        tmp_path, rescore, comments, cluster, monkeypatch):
    src, bad = write_jsonl(tmp_path / "in.jsonl", comments(300), bad_every=40)
    rescore(src, tmp_path / "local.jsonl", chunk_size=25)
    expected = _files(tmp_path / "local.jsonl")
    n_chunks = -(-(300 + len(bad)) // 25)

    # count the chunks this (driver) process commits; workers run their own, unpatched copy
    committed: list[str] = []
    real_commit = chunks.commit_chunk

    def counting(paths, key, *args, **kw):
        committed.append(key)
        return real_commit(paths, key, *args, **kw)

    monkeypatch.setattr(chunks, "commit_chunk", counting)
    monkeypatch.setattr(engines, "commit_chunk", counting)

    address = cluster.scheduler_address
    rescore(src, tmp_path / "driver.jsonl", chunk_size=25, engine="dask", scheduler=address)
    assert len(committed) == n_chunks  # driver IO: the driver wrote every chunk
    assert _files(tmp_path / "driver.jsonl") == expected

    committed.clear()
    rescore(src, tmp_path / "workers.jsonl", chunk_size=25, engine="dask", scheduler=address,
            shared_fs=True)
    assert committed == []  # worker IO: the workers wrote every chunk
    assert _files(tmp_path / "workers.jsonl") == expected

    io = {name: json.loads((tmp_path / f"{name}.jsonl.manifest.json").read_text())["engine"]
          for name in ("driver", "workers")}
    assert io["driver"]["worker_io"] is False and io["workers"]["worker_io"] is True
    assert io["workers"]["scheduler"] == address
    assert len(cluster.scheduler_info["workers"]) == 2  # an existing cluster is left running


def test_dask_driver_sigkilled_part_way_then_rerun_is_exact(tmp_path, rescore, comments):
    import psutil

    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(3000), bad_every=97)
    rescore(src, tmp_path / "baseline.jsonl", chunk_size=30)
    baseline = _files(tmp_path / "baseline.jsonl")

    out = tmp_path / "killed.jsonl"
    parts = tmp_path / "killed.jsonl.parts"
    cmd = [MODERATE, "rescore", str(src), str(out), "--chunk-size", "30", "--quiet",
           "--engine", "dask", "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("*-*.json"))) >= 6:
            break
        time.sleep(0.005)
    assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
    family = psutil.Process(proc.pid).children(recursive=True)  # the cluster's processes
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # workers notice their parent is gone and stop; never leave one behind in any case
    _gone, alive = psutil.wait_procs(family, timeout=20)
    for child in alive:
        child.kill()
    done_before = len(list(parts.glob("*-*.json")))
    assert not out.exists() and 6 <= done_before < 101  # really killed part-way

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stderr
    assert _files(out) == baseline
    assert not parts.exists()
