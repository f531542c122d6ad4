"""`moderate rescore` and `moderate diff` from the command line."""

from __future__ import annotations

import json

from rescore_helpers import write_jsonl
from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()


def test_rescore_cli_missing_input_exits_2_with_a_message(tmp_path):
    res = runner.invoke(app, ["rescore", str(tmp_path / "nope.jsonl"), str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2
    assert "no such file" in res.stderr


def test_rescore_cli_unknown_extensions_exit_2(tmp_path):
    (tmp_path / "in.txt").write_text("hello\n")
    res = runner.invoke(app, ["rescore", str(tmp_path / "in.txt"), str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "unknown input extension" in res.stderr
    (tmp_path / "in.jsonl").write_text('{"text": "hello"}\n')
    res = runner.invoke(app, ["rescore", str(tmp_path / "in.jsonl"), str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "unknown output extension" in res.stderr


def test_rescore_cli_csv_without_text_column_exits_2(tmp_path):
    (tmp_path / "in.csv").write_text("id,body\n1,hello\n")
    res = runner.invoke(app, ["rescore", str(tmp_path / "in.csv"), str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "no 'text' column" in res.stderr


def test_rescore_cli_compare_and_diff_report_changes(tmp_path, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(60))
    res = runner.invoke(app, ["rescore", str(src), str(tmp_path / "old.jsonl")])
    assert res.exit_code == 0, res.stderr
    assert "rescored 60 comments" in res.stderr
    policy = tmp_path / "p.json"
    policy.write_text(
        json.dumps({"default": {"blocklist": ["ceasefire"], "review": {"insult": 0.99}}})
    )
    res = runner.invoke(app, ["rescore", str(src), str(tmp_path / "new.parquet"), "--policy",
                              str(policy), "--compare", str(tmp_path / "old.jsonl")])
    assert res.exit_code == 0, res.stderr
    report = json.loads((tmp_path / "new.parquet.diff.json").read_text())
    assert report["compared"] == 60 and report["matched_by"] == "position"
    assert report["action_changed"] > 0
    assert sum(report["action_transitions"].values()) == report["action_changed"]
    some_change = next(iter(report["action_transitions"]))
    assert report["examples"][f"action:{some_change}"]
    assert report["label_crossings"]["insult"]["down"] >= 0
    res = runner.invoke(app, ["diff", str(tmp_path / "old.jsonl"), str(tmp_path / "new.parquet"),
                              "--json", str(tmp_path / "d.json")])
    assert res.exit_code == 0 and "action changed" in res.stdout
    assert json.loads((tmp_path / "d.json").read_text()) == report


def test_diff_matches_by_id_when_the_order_differs(tmp_path):
    from app.batch.diff import diff_outputs

    base = {"scores": {}, "labels": [], "hateful": False, "reasons": [], "spans": [],
            "target": "none", "model_version": "1"}
    old = [{"id": i, **base, "action": "allow"} for i in range(4)]
    new = [{"id": i, **base, "action": "review" if i == 2 else "allow",
            "labels": ["insult"] if i == 2 else []} for i in (3, 2, 1, 5)]
    for name, rows in (("old", old), ("new", new)):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = diff_outputs(tmp_path / "old.jsonl", tmp_path / "new.jsonl")
    assert report["matched_by"] == "id"
    assert (report["compared"], report["only_in_old"], report["only_in_new"]) == (3, 1, 1)
    assert report["action_transitions"] == {"allow->review": 1}
    assert report["label_crossings"]["insult"] == {"up": 1, "down": 0}
    assert report["examples"]["action:allow->review"] == ["2"]


def test_rescore_cli_shared_fs_needs_a_scheduler(tmp_path):
    (tmp_path / "in.jsonl").write_text('{"text": "hello"}\n')
    res = runner.invoke(app, ["rescore", str(tmp_path / "in.jsonl"), str(tmp_path / "o.jsonl"),
                              "--engine", "dask", "--shared-fs"])
    assert res.exit_code == 2 and "--shared-fs goes with --scheduler" in res.stderr
    assert not (tmp_path / "o.jsonl").exists()
