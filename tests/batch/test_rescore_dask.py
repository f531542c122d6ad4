"""`--engine dask` on real clusters with two worker processes equals the local engine.

Covers both ways of using workers: worker IO (a `LocalCluster` started by the job, or an
existing scheduler with `shared_fs`), where workers read, score and write their own chunks,
and driver IO (an existing scheduler without `shared_fs`), where only items and results
travel. Also a driver SIGKILLed part-way through a Dask run, then resumed.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from rescore_helpers import kill_part_way, rerun_resumes, write_jsonl

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
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(3000), bad_every=97)
    rescore(src, tmp_path / "baseline.jsonl", chunk_size=30)
    baseline = _files(tmp_path / "baseline.jsonl")

    out = tmp_path / "killed.jsonl"
    parts = tmp_path / "killed.jsonl.parts"
    cmd = [MODERATE, "rescore", str(src), str(out), "--chunk-size", "30", "--quiet",
           "--engine", "dask", "--workers", "2"]
    done_before = kill_part_way(cmd, parts, min_done=6, timeout=120)
    assert not out.exists() and 6 <= done_before < 101  # really killed part-way

    rerun_resumes(cmd, timeout=300)
    assert _files(out) == baseline
    assert not parts.exists()
