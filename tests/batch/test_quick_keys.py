"""The index passes read `id` and `parent_id` without a JSON parse where that is safe.

Whatever `JsonlReader.quick_key` answers must be what a full parse gives, or UNSURE.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from app.batch.sources import UNSURE, JsonlReader, Source
from app.threads import id_key

_LINES = [
    '{"id": "c1", "text": "hi"}',
    '{"id":"c1","parent_id":"c0","text":"hi"}',
    '{"id": 7, "parent_id": -0, "text": "x"}',
    '{"id": 12345678901234567890123, "text": "x"}',
    '{"id": 7.5, "text": "x"}',
    '{"id": 1e3, "text": "x"}',
    '{"id": null, "parent_id": null, "text": "x"}',
    '{"id": "", "parent_id": "", "text": "x"}',
    '{"id": true, "text": "x"}',
    '{"id": ["a"], "text": "x"}',
    '{"id": {"id": "inner"}, "text": "x"}',
    '{"meta": {"id": "inner"}, "text": "x"}',
    '{"meta": {"id": "inner"}, "id": "outer", "text": "x"}',
    '{"\\u0069d": "escaped-key", "text": "x"}',
    '{"meta": {"id": "inner"}, "\\u0069d": "escaped-key", "text": "x"}',
    '{"id": "a\\"b", "text": "x"}',
    '{"id": "caf\\u00e9", "text": "x"}',
    '{"id": "café", "text": "x"}',
    '{"id": "a", "id": "b", "text": "x"}',
    '{"text": "my \\"id\\": \\"fake\\" and \\"parent_id\\": \\"p\\"", "id": "real"}',
    '{"text": "id: 5, parent_id: 6"}',
    '{ "id" : "spaced" , "parent_id" :\t"p1" , "text" : "x" }',
    '{"id": "c2", "parent_id": 3, "text": "x"}',
    '{"id": 0, "parent_id": 0123, "text": "x"}',
]


@pytest.fixture
def reader(tmp_path: Path) -> JsonlReader:
    path = tmp_path / "x.jsonl"
    path.write_text("")
    return JsonlReader(Source(path, "jsonl"))


def _agrees(reader: JsonlReader, raw: bytes) -> tuple[int, int]:
    """(answered, unsure) over both fields; asserts every answer matches a full parse."""
    try:
        rec = json.loads(raw)
    except json.JSONDecodeError:
        rec = None
    answered = unsure = 0
    for field in ("id", "parent_id"):
        quick = reader.quick_key(raw, field)
        if quick is UNSURE:
            unsure += 1
            continue
        answered += 1
        if isinstance(rec, dict):
            assert quick == id_key(rec.get(field)), (raw, field)
    return answered, unsure


def test_quick_keys_match_a_full_parse_on_awkward_rows(reader):
    answered = unsure = 0
    for line in _LINES:
        a, u = _agrees(reader, line.encode("utf-8"))
        answered, unsure = answered + a, unsure + u
    assert answered >= 25 and unsure >= 8  # both paths are exercised
    assert reader.quick_key(b'{"id": "x", "\\u0069d": "y", "text": ""}', "id") is UNSURE
    assert reader.quick_key(b'{"meta": {"id": 1}, "id": 2, "text": ""}', "id") is UNSURE
    assert reader.quick_key(b'{"id": 7, "text": ""}', "id") == "7"


def test_quick_keys_match_a_full_parse_on_generated_rows(reader):
    rng = random.Random(11)
    values = [None, "", "c1", "7", 7, -3, 0, 2.5, True, "a b", "ünï", 'q"t', "back\\slash", [1]]
    texts = ['plain', 'with "id": "x"', '"parent_id": 9', "\\u0069d", "}{", "ü"]
    checked = 0
    for _ in range(2000):
        rec = {"text": rng.choice(texts)}
        for field in ("id", "parent_id", "thread_id"):
            if rng.random() < 0.8:
                rec[field] = rng.choice(values)
        if rng.random() < 0.1:
            rec["meta"] = {"id": rng.choice(values)}
        items = list(rec.items())
        rng.shuffle(items)
        line = json.dumps(
            dict(items),
            ensure_ascii=rng.random() < 0.5,
            separators=rng.choice(((",", ":"), (", ", ": "), (" , ", " : "))),
        )
        a, _ = _agrees(reader, line.encode("utf-8"))
        checked += a
    assert checked > 1000
