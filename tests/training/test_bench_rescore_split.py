"""The benchmark's split run: its input parts and its side-by-side shell command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from training.bench_rescore import side_by_side, split_lines


def test_split_lines_keeps_every_line_once_in_order(tmp_path: Path) -> None:
    lines = [f'{{"id": {i}, "text": "t{i}"}}\n'.encode() for i in range(7)]
    data = tmp_path / "comments.jsonl"
    data.write_bytes(b"".join(lines))
    parts = split_lines(data, 3)
    assert [len(p.read_bytes().splitlines()) for p in parts] == [3, 3, 1]
    assert b"".join(p.read_bytes() for p in parts) == data.read_bytes()


def test_side_by_side_runs_all_and_fails_when_any_fails(tmp_path: Path) -> None:
    ok = side_by_side([["touch", str(tmp_path / "a")], ["touch", str(tmp_path / "b c")]])
    assert subprocess.run(ok).returncode == 0
    assert (tmp_path / "a").exists() and (tmp_path / "b c").exists()  # quoting holds
    for failing in (["false"], ["sh", "-c", "exit 3"]):
        cmd = side_by_side([failing, ["touch", str(tmp_path / "d")]])
        assert subprocess.run(cmd).returncode != 0
    assert (tmp_path / "d").exists()  # the other command still ran
