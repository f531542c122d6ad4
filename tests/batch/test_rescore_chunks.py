"""Chunk specs: a chunk read from its recorded position equals the one a full scan cuts.

Workers read their own chunks from `(file, position, rows)`; these tests hold every input
format to "same rows, same line numbers, same parse" against the sequential reader, with
the awkward cases placed right at chunk boundaries.
"""

from __future__ import annotations

import csv
import json

import pytest

from app.batch.sources import discover_inputs, iter_chunks, read_chunk
from app.batch.threads import ThreadIndex, build_thread_index, index_usable


def _by_key_sequential(sources, size):
    return {c.key: [(line, c.reader.parse(raw)) for line, raw in c.raw]
            for c in iter_chunks(sources, size)}


def _by_key_positioned(sources, size, index_path):
    build_thread_index(sources, index_path, size)
    index = ThreadIndex(index_path)
    try:
        specs = index.chunks(sources)
    finally:
        index.close()
    out = {}
    for spec in specs:
        chunk = read_chunk(spec)
        assert len(chunk.raw) == spec.rows
        out[spec.key] = [(line, chunk.reader.parse(raw)) for line, raw in chunk.raw]
    return out


def _jsonl(path):
    with open(path, "wb") as fh:
        fh.write(b'\xef\xbb\xbf{"id": "bom", "text": "first"}\n')
        for i in range(40):
            if i % 6 == 0:
                fh.write(b"\n   \n")  # blank lines: not rows, but they move byte offsets
            if i % 9 == 4:
                fh.write(b'{"id": "bad", "text": \n')
            fh.write(json.dumps({"id": i, "parent_id": i - 1 if i else None,
                                 "text": f"comment {i} \u00e9\u4e2d"}).encode() + b"\n")
        fh.write(b'{"id": "no-newline-at-end", "text": "last"}')
    return path


def _csv(path):
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:  # BOM before the header
        writer = csv.writer(fh)
        writer.writerow(["id", "parent_id", "text"])
        for i in range(40):
            text = f"line one {i}\nline two, \"quoted\"" if i % 4 == 1 else f"comment {i}"
            writer.writerow([i, i - 1 if i % 3 else "", text])
            if i % 7 == 3:
                writer.writerow([f"short{i}"])  # wrong number of fields
    with open(path, "ab") as fh:
        fh.write(b"\r\n99,,caf\xe9\r\n100,,after a bad byte\r\n")
    return path


def _parquet(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": f"p{i}", "text": None if i % 11 == 5 else f"comment {i}",
             "parent_id": f"p{i - 1}" if i % 2 else None} for i in range(53)]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=8)
    return path


@pytest.mark.parametrize("make", [_jsonl, _csv, _parquet], ids=["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("size", [1, 3, 7, 8, 50, 1000])
def test_positioned_chunks_equal_sequential_chunks(tmp_path, make, size):
    name = {"_jsonl": "in.jsonl", "_csv": "in.csv", "_parquet": "in.parquet"}[make.__name__]
    sources = discover_inputs(str(make(tmp_path / name)))
    sequential = _by_key_sequential(sources, size)
    positioned = _by_key_positioned(sources, size, tmp_path / "index.sqlite")
    assert positioned == sequential
    rows = [row for chunk in positioned.values() for row in chunk]
    assert any(rec is None for _, (rec, _) in rows)  # bad rows are among them
    assert index_usable(tmp_path / "index.sqlite", size)
    assert not index_usable(tmp_path / "index.sqlite", size + 1)  # another chunking: rebuild


def test_chunks_of_several_files_keep_their_file(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl")
    _csv(tmp_path / "b.csv")
    sources = discover_inputs(str(tmp_path))
    assert [s.path for s in sources] == [a.resolve(), (tmp_path / "b.csv").resolve()]
    assert _by_key_positioned(sources, 6, tmp_path / "ix.sqlite") == \
        _by_key_sequential(sources, 6)
