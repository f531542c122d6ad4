"""The rescore job in-process: records, thread context, rejects, formats, no-op and --force."""

from __future__ import annotations

import csv
import json

import pytest
from rescore_helpers import BAD_LINES, write_jsonl

from app.batch import RescoreError
from app.batch.sinks import iter_results
from app.batch.sources import chunk_keys, discover_inputs, iter_chunks
from app.batch.threads import ThreadIndex, build_thread_index

RESULT_FIELDS = {"scores", "labels", "hateful", "action", "reasons", "spans", "target", "language",
                 "model_version"}


def test_rescore_scores_replies_like_threads_score(tmp_path, rescore, moderator, seed_thread):
    records = [{**c, "thread_id": seed_thread["thread_id"]} for c in seed_thread["comments"]]
    src, _ = write_jsonl(tmp_path / "thread.jsonl", records)
    # chunk size 1: every parent sits in another chunk than its reply
    summary = rescore(src, tmp_path / "out.jsonl", chunk_size=1)
    out = list(iter_results(tmp_path / "out.jsonl"))
    expected = moderator.score_thread(records)
    assert [r["id"] for r in out] == [c["id"] for c in records]
    for rec, src_rec, res in zip(out, records, expected, strict=True):
        assert {k: rec[k] for k in RESULT_FIELDS} == res.to_dict()
        for key in ("thread_id", "parent_id", "author"):
            assert rec[key] == src_rec[key]
    assert summary.counts["scored"] == len(records)
    assert summary.counts["rejected"] == 0


def test_thread_index_keeps_only_parents_and_follows_chains(tmp_path):
    records = [{"id": 1, "text": "root"}, {"id": "2", "parent_id": 1, "text": "child"},
               {"id": 3, "parent_id": "2", "text": "grandchild"},
               {"id": "a", "parent_id": "b", "text": "A"},
               {"id": "b", "parent_id": "a", "text": "B"}, {"id": "x", "text": "alone"}]
    src, _ = write_jsonl(tmp_path / "t.jsonl", records)
    build_thread_index(discover_inputs(str(src)), tmp_path / "index.sqlite")
    index = ThreadIndex(tmp_path / "index.sqlite")
    try:
        assert index.rows == [6]
        ancestors = index.ancestors(records)
        assert {k for k, v in ancestors.items() if v} == {"1", "2", "a", "b"}
        # nearest parent first; a cycle stops instead of looping
        assert index.contexts(records) == [None, "root", "child\nroot", "B\nA", "A\nB", None]
    finally:
        index.close()


def test_rescore_rejects_bad_rows_and_goes_on(tmp_path, rescore, comments):
    src, bad_lines = write_jsonl(tmp_path / "in.jsonl", comments(60), bad_every=10)
    with open(src, "ab") as fh:
        fh.write(b"\n   \n")  # blank lines are neither comments nor rejects
    summary = rescore(src, tmp_path / "out.jsonl", chunk_size=7)
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").open()]
    assert [r["line"] for r in rejects] == bad_lines
    for rej, (_, reason) in zip(rejects, BAD_LINES, strict=True):
        assert reason in rej["reason"]
        assert rej["file"] == str(src.resolve())
        assert set(rej) == {"file", "line", "reason"}  # no comment text in rejects
    out = list(iter_results(tmp_path / "out.jsonl"))
    assert [r["id"] for r in out] == [c["id"] for c in comments(60)]
    assert summary.counts["scored"] == 60 and summary.counts["rejected"] == len(BAD_LINES)
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert manifest["counts"]["rejected"] == len(BAD_LINES)
    assert sum(manifest["counts"]["actions"].values()) == 60


def test_rescore_reads_csv_with_bad_rows(tmp_path, rescore):
    path = tmp_path / "in.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "parent_id", "author", "text"])
        writer.writerow(["a", "", "ann", "first comment"])
        writer.writerow(["b", "a", "", "a reply\nover two lines"])
        writer.writerow(["c", "a"])  # too few fields
    with open(path, "ab") as fh:
        fh.write(b"d,,bob,caf\xe9 au lait\n")
        fh.write(b"e,,,last one\n")
    summary = rescore(path, tmp_path / "out.jsonl")
    out = list(iter_results(tmp_path / "out.jsonl"))
    assert [r["id"] for r in out] == ["a", "b", "e"]
    assert out[1]["parent_id"] == "a" and "author" not in out[1]  # empty cell = absent
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").open()]
    assert [(r["line"], r["reason"].split(" ")[0]) for r in rejects] == [
        (5, "expected"), (6, "undecodable")]
    assert summary.counts["scored"] == 3


def test_parquet_round_trip(tmp_path, rescore, comments):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = comments(50)
    rows[3]["text"] = None  # a null text is a reject
    table = pa.Table.from_pylist([{**r, "created_at": None} if i % 7 == 0 else r
                                  for i, r in enumerate(rows)])
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=16)
    rescore(tmp_path / "in.parquet", tmp_path / "out.parquet", chunk_size=9)
    rescore(tmp_path / "in.parquet", tmp_path / "out.jsonl", chunk_size=9)
    from_parquet = list(iter_results(tmp_path / "out.parquet"))
    from_jsonl = list(iter_results(tmp_path / "out.jsonl"))
    assert len(from_parquet) == 49
    assert from_parquet == from_jsonl  # string ids: nothing is lost by the Parquet schema
    rejects = [json.loads(x) for x in (tmp_path / "out.parquet.rejects.jsonl").open()]
    assert rejects == [{"file": str((tmp_path / "in.parquet").resolve()), "line": 4,
                        "reason": "missing 'text'"}]
    assert pq.read_schema(tmp_path / "out.parquet").field("scores").type.num_fields == 6


def test_rescore_reads_a_directory_and_a_glob_in_sorted_order(tmp_path, rescore, comments):
    rows = comments(30)
    folder = tmp_path / "archive"
    folder.mkdir()
    write_jsonl(folder / "b.jsonl", rows[15:])
    write_jsonl(folder / "a.jsonl", rows[:15])
    (folder / "notes.txt").write_text("not an input")
    rescore(folder, folder / "out.jsonl")  # the output inside the input folder is not read
    rescore(str(folder / "*.jsonl"), tmp_path / "glob.jsonl")
    ids = [r["id"] for r in iter_results(folder / "out.jsonl")]
    assert ids == [r["id"] for r in rows]
    assert (folder / "out.jsonl").read_bytes() == (tmp_path / "glob.jsonl").read_bytes()
    assert rescore(folder, folder / "out.jsonl").status == "up-to-date"


def test_rescore_again_is_a_noop_unless_forced(tmp_path, rescore, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(20))
    out = tmp_path / "out.jsonl"
    assert rescore(src, out).status == "done"
    stamp = out.stat().st_mtime_ns
    again = rescore(src, out, chunk_size=3)  # the chunk size does not change the output
    assert again.status == "up-to-date" and again.counts["scored"] == 20
    assert out.stat().st_mtime_ns == stamp
    assert rescore(src, out, force=True).status == "done"
    assert not (tmp_path / "out.jsonl.parts").exists()
    first = out.read_bytes()
    rescore(src, out, force=True, chunk_size=3)
    assert out.read_bytes() == first  # the chunk size never changes the output


def test_rescore_refuses_to_overwrite_another_jobs_output(tmp_path, rescore, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(10))
    out = tmp_path / "out.jsonl"
    rescore(src, out)
    write_jsonl(src, comments(11))
    with pytest.raises(RescoreError, match="--force"):
        rescore(src, out)
    assert rescore(src, out, force=True).counts["scored"] == 11


def test_policy_file_changes_actions_and_the_manifest(tmp_path, rescore, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(40))
    policy = tmp_path / "strict.json"
    policy.write_text(json.dumps({"default": {"blocklist": ["ceasefire"]}}))
    rescore(src, tmp_path / "default.jsonl")
    rescore(src, tmp_path / "strict.jsonl", policy=policy)
    strict = list(iter_results(tmp_path / "strict.jsonl"))
    blocked = [r for r in strict if "blocklist:ceasefire" in r["reasons"]]
    assert blocked and all(r["action"] == "remove" for r in blocked)
    m1 = json.loads((tmp_path / "default.jsonl.manifest.json").read_text())
    m2 = json.loads((tmp_path / "strict.jsonl.manifest.json").read_text())
    assert m1["policy"]["sha256"] != m2["policy"]["sha256"]
    assert m1["model"]["artifact_sha256"] == m2["model"]["artifact_sha256"]
    assert m2["inputs"][0]["sha256"] and m2["inputs"][0]["bytes"] == src.stat().st_size


def test_chunks_cut_the_same_way_when_some_are_skipped(tmp_path, comments):
    src, _ = write_jsonl(tmp_path / "in.jsonl", comments(23))
    sources = discover_inputs(str(src))
    every = {c.key: [line for line, _ in c.raw] for c in iter_chunks(sources, 5)}
    assert list(every) == chunk_keys([23], 5)
    done = {"00000-0000001", "00000-0000003"}
    rest = {c.key: [line for line, _ in c.raw]
            for c in iter_chunks(sources, 5, skip=done.__contains__)}
    assert rest == {k: v for k, v in every.items() if k not in done}
