"""Resumable and exact: a job killed at any moment finishes identically when run again."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rescore_helpers import kill_part_way, rerun_resumes, write_jsonl

from app.batch import atomic

MODERATE = str(Path(sys.executable).with_name("moderate"))


def _job_files(out: Path) -> dict[str, bytes]:
    """The job's results: OUTPUT and its rejects (the manifest holds times, so it differs)."""
    rejects = out.with_name(out.name + ".rejects.jsonl")
    return {"output": out.read_bytes(), "rejects": rejects.read_bytes()}


def test_sigkill_part_way_then_rerun_gives_the_uninterrupted_output(tmp_path, rescore,
                                                                    comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(2000), bad_every=97)
    rescore(src, tmp_path / "baseline.jsonl", chunk_size=40)
    baseline = _job_files(tmp_path / "baseline.jsonl")

    out = tmp_path / "killed.jsonl"
    parts = tmp_path / "killed.jsonl.parts"
    cmd = [MODERATE, "rescore", str(src), str(out), "--chunk-size", "40", "--quiet"]
    done_before = kill_part_way(cmd, parts, min_done=8)
    assert not out.exists() and 8 <= done_before < 51  # really killed part-way

    rerun_resumes(cmd, timeout=120)
    assert _job_files(out) == baseline
    assert not parts.exists()
    noop = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert noop.returncode == 0 and "up to date" in noop.stderr


def test_ctrl_c_says_that_rerunning_resumes_and_a_rerun_does(tmp_path, rescore, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(1200))
    rescore(src, tmp_path / "baseline.jsonl", chunk_size=30)
    out = tmp_path / "out.jsonl"
    parts = tmp_path / "out.jsonl.parts"
    cmd = [MODERATE, "rescore", str(src), str(out), "--chunk-size", "30", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("*-*.json"))) >= 5:
            break
        time.sleep(0.005)
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGINT)  # what Ctrl-C in a terminal sends
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted:" in stderr and "run the same command again to resume" in stderr
    assert str(parts) in stderr and "Traceback" not in stderr
    assert not out.exists()

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "resumed" in again.stderr
    assert out.read_bytes() == (tmp_path / "baseline.jsonl").read_bytes()


class Crash(Exception):
    """Stands for a SIGKILL at one commit point."""


def test_crash_at_every_commit_point_then_rerun_is_exact(tmp_path, rescore, comments,
                                                         monkeypatch):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(45), bad_every=11)
    rescore(src, tmp_path / "baseline.jsonl", chunk_size=12)
    baseline = _job_files(tmp_path / "baseline.jsonl")
    real_rename = atomic._rename
    commits = 0

    def counting(src_path: Path, dst: Path) -> None:
        nonlocal commits
        commits += 1
        real_rename(src_path, dst)

    monkeypatch.setattr(atomic, "_rename", counting)
    rescore(src, tmp_path / "count.jsonl", chunk_size=12)
    total = commits
    assert total >= 12  # job, index, 4 chunks x 2-3 files, output, rejects, manifest

    for crash_at in range(1, total + 1):
        out = tmp_path / f"crash{crash_at}.jsonl"
        calls = 0

        def crashing(src_path: Path, dst: Path, crash_at: int = crash_at) -> None:
            nonlocal calls
            calls += 1
            if calls == crash_at:
                raise Crash  # the temp file is written, the rename never happens
            real_rename(src_path, dst)

        monkeypatch.setattr(atomic, "_rename", crashing)
        with pytest.raises(Crash):
            rescore(src, out, chunk_size=12)
        # what a SIGKILL leaves that an exception unwinds: a half-written temp file
        parts = out.with_name(out.name + ".parts")
        if parts.is_dir():
            (parts / f".00000-0000001.jsonl{atomic.TMP_MARK}99999").write_bytes(b'{"trunc')
        monkeypatch.setattr(atomic, "_rename", real_rename)
        summary = rescore(src, out, chunk_size=12)
        assert _job_files(out) == baseline, f"crash at commit {crash_at}"
        assert summary.counts["scored"] == 45 and summary.counts["rejected"] == 4
        assert not parts.exists()
        assert not list(tmp_path.glob(f".crash{crash_at}.jsonl*"))  # no temp files left
