"""`moderate serve` refuses bad settings and broken models with one line, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.model_card import read_card, write_card
from app.model_io import record_artifacts

SECRET = "hunter2-short"  # a too-short key: refused, and never printed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MODERATE_")}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(_free_port()), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # no .env file there
        env={**clean, "MODERATE_FEEDBACK_URL": f"sqlite:///{tmp_path / 'f.db'}", **env},
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MODERATE_API_KEY": SECRET}, "MODERATE_API_KEY must have at least 16 characters"),
        ({"MODERATE_MAX_CHARS": "0", "MODERATE_API_KEY": SECRET}, "MODERATE_MAX_CHARS"),
        ({"MODERATE_LOG_LEVEL": "loud"}, "MODERATE_LOG_LEVEL must be"),
    ],
)
def test_invalid_settings_exit_2_without_echoing_values(tmp_path, env, expected):
    res = _serve(tmp_path, **env)
    assert res.returncode == 2
    assert expected in res.stderr
    assert SECRET not in res.stderr + res.stdout and "loud" not in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


@pytest.fixture
def model_copy(moderator, tmp_path) -> Path:
    dest = tmp_path / "model"
    shutil.copytree(moderator.path, dest)
    return dest


def test_a_tampered_model_stops_serve_before_start_with_exit_2(tmp_path, model_copy):
    (model_copy / "classifier.npz").write_bytes(b"PK\x03\x04 not the model")
    res = _serve(tmp_path, "--model", str(model_copy))
    assert res.returncode == 2
    assert "classifier.npz has" in res.stderr and "Traceback" not in res.stderr


def test_a_model_that_fails_while_loading_exits_3_with_one_log_line(tmp_path, model_copy):
    meta = json.loads((model_copy / "classifier.json").read_text())
    meta["labels"] = meta["labels"][::-1]  # hashes recomputed below: only loading can tell
    (model_copy / "classifier.json").write_text(json.dumps(meta))
    write_card(model_copy, record_artifacts(model_copy, read_card(model_copy)))
    res = _serve(tmp_path, "--model", str(model_copy))
    assert res.returncode == 3
    assert "cannot load model:" in res.stderr and "classifier.json does not fit" in res.stderr
    assert "Traceback" not in res.stderr
