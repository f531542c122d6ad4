"""The `moderate score` command: table output, JSON Lines in and out, bad lines."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()


def test_score_texts_prints_a_table():
    result = runner.invoke(app, ["score", "have a lovely day", "you absolute m0r0n"])
    assert result.exit_code == 0, result.output
    assert "allow" in result.output and "review" in result.output


def test_score_jsonl_round_trip_keeps_ids_and_reports_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "have a lovely day", "author": "x", "thread_id": "t"}),
        "{not json",
        json.dumps({"id": "b", "text": 42}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "c", "text": "you absolute moron"}),
    ]
    raw = ("\n".join(lines) + "\n").encode() + b'{"id": "d", "text": "\xff\xfe bad bytes"}\n'
    raw += json.dumps({"text": "no id here"}).encode() + b"\n"
    src.write_bytes(raw)
    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "score", "-i", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "c", 7]
    assert records[0]["author"] == "x" and records[0]["thread_id"] == "t"
    assert records[1]["action"] in ("review", "remove") and "insult" in records[1]["labels"]
    for line_no in (2, 3, 4, 6):
        assert f"line {line_no}:" in result.stderr
    assert "scored 3, rejected 4" in result.stderr


def test_score_stdin_to_stdout():
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "score", "-i", "-", "-o", "-"],
        input=json.dumps({"id": 1, "text": "hello there"}) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.strip())
    assert record["id"] == 1 and record["action"] == "allow"


def test_score_fails_when_nothing_could_be_scored(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text("{oops\n[1, 2]\n")
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "score", "-i", str(src), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "line 1:" in result.stderr and "line 2:" in result.stderr


def test_score_without_input_is_a_usage_error():
    result = runner.invoke(app, ["score"])
    assert result.exit_code != 0


def test_missing_input_file_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "score", "-i", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_train_writes_a_new_versioned_folder_and_never_overwrites_one(tmp_path):
    from app.model_card import MODELS_DIR, default_model_dir
    from training.train import CONFIG_PATH

    shipped = default_model_dir()
    config = json.loads(CONFIG_PATH.read_text())
    config["version"] = shipped.name  # as if the config still named the shipped model
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    result = runner.invoke(app, ["train", "--data", str(tmp_path), "--config", str(config_path)])
    assert result.exit_code == 2
    assert f"{MODELS_DIR / shipped.name} exists" in result.stderr
    assert str(config_path) in result.stderr and "--force" in result.stderr
    assert (shipped / "classifier.npz").is_file()  # untouched
