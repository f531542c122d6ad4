"""Helpers shared by the batch tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

#: Lines that must end up in the rejects file, each with the reason fragment expected.
BAD_LINES: list[tuple[bytes, str]] = [
    (b'{"id": "bad-json", "text": "unterminated\n', "malformed JSON"),
    (b'{"id": "no-text"}\n', "missing 'text'"),
    (b'{"id": "int-text", "text": 42}\n', "'text' must be a string"),
    (b'{"id": "latin1", "text": "caf\xe9"}\n', "undecodable bytes"),
    (b'["not", "an", "object"]\n', "expected a JSON object"),
    (b'{"id": "surrogate", "text": "bad \\udc80 char"}\n', "undecodable bytes"),
]


def write_jsonl(path: Path, records: list[dict[str, Any]],
                bad_every: int = 0) -> tuple[Path, list[int]]:
    """Write records as JSON Lines, inserting a bad line every `bad_every` records.

    Returns the path and the line numbers of the bad lines.
    """
    bad_lines = []
    line = 0
    with open(path, "wb") as fh:
        for i, rec in enumerate(records):
            if bad_every and i % bad_every == bad_every - 1:
                raw, _ = BAD_LINES[(i // bad_every) % len(BAD_LINES)]
                fh.write(raw)
                line += 1
                bad_lines.append(line)
            fh.write(json.dumps(rec, ensure_ascii=False).encode() + b"\n")
            line += 1
    return path, bad_lines


def kill_part_way(cmd: list[str], parts: Path, min_done: int, timeout: float = 60.0) -> int:
    """Run `cmd`, SIGKILL it (and any processes it started) once `min_done` chunks are
    done, and return how many chunks were done by then."""
    import psutil

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("*-*.json"))) >= min_done:
            break
        time.sleep(0.005)
    assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
    family = psutil.Process(proc.pid).children(recursive=True)  # e.g. a Dask cluster
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # children notice their parent is gone and stop; never leave one behind in any case
    _gone, alive = psutil.wait_procs(family, timeout=20)
    for child in alive:
        child.kill()
    return len(list(parts.glob("*-*.json")))


def rerun_resumes(cmd: list[str], timeout: float) -> None:
    """Run `cmd` again to completion and check it resumed the killed job."""
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stderr
