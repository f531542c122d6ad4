"""`--engine dask` on a real LocalCluster with two worker processes equals the local engine."""

from __future__ import annotations

import json

from rescore_helpers import write_jsonl


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
