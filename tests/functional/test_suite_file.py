"""Validate the hand-written functional evaluation suite (tests/functional/suite.jsonl).

These tests check the *file*, not the model: schema, ids, labels, coverage.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

SUITE = Path(__file__).with_name("suite.jsonl")

HATEFUL_TYPES = {
    "derogation_emotion",
    "derogation_attribute",
    "dehumanization",
    "implicit_derogation",
    "threat_direct",
    "threat_normative",
    "slur_hateful",
    "profanity_hateful",
    "negated_positive",
    "hate_question",
    "hate_opinion",
    "pronoun_reference",
    "spelling_hateful",
    "thread_hateful",
}
NONHATEFUL_TYPES = {
    "profanity_nonhate",
    "insult_individual",
    "abuse_object",
    "abuse_nonprotected",
    "identity_neutral",
    "identity_positive",
    "slur_reclaimed",
    "slur_homonym",
    "counter_quote",
    "counter_reference",
    "negated_hate",
    "spelling_nonhateful",
    "thread_nonhateful",
}
CASE_TYPES = HATEFUL_TYPES | NONHATEFUL_TYPES
GROUPS = {
    "women",
    "trans_people",
    "gay_people",
    "black_people",
    "disabled_people",
    "muslims",
    "jews",
    "immigrants",
}
REQUIRED_KEYS = {"id", "case_type", "group", "text", "hateful"}
OPTIONAL_KEYS = {"parent", "note"}

# Types that need >= 3 cases for each of the eight groups.
PER_GROUP_TYPES = (HATEFUL_TYPES - {"thread_hateful"}) | {
    "identity_neutral",
    "identity_positive",
    "counter_quote",
    "counter_reference",
    "negated_hate",
}
# Types that target no group.
GROUPLESS_TYPES = {"profanity_nonhate", "insult_individual", "abuse_object", "abuse_nonprotected"}


def _load() -> list[dict]:
    cases = []
    with SUITE.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            assert line.strip(), f"blank line at {lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                pytest.fail(f"line {lineno} is not valid JSON: {exc}")
            assert isinstance(obj, dict), f"line {lineno} is not a JSON object"
            obj["_line"] = lineno
            cases.append(obj)
    return cases


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return _load()


def test_file_exists():
    assert SUITE.is_file()


def test_keys_and_types(cases):
    for c in cases:
        keys = set(c) - {"_line"}
        where = f"line {c['_line']}"
        assert REQUIRED_KEYS <= keys, f"{where}: missing {REQUIRED_KEYS - keys}"
        unknown = keys - REQUIRED_KEYS - OPTIONAL_KEYS
        assert not unknown, f"{where}: unknown keys {unknown}"
        assert isinstance(c["id"], str) and c["id"], where
        assert isinstance(c["text"], str) and c["text"].strip(), where
        assert c["text"] == c["text"].strip(), f"{where}: surrounding whitespace"
        assert isinstance(c["hateful"], bool), where
        if "parent" in c:
            assert isinstance(c["parent"], str) and c["parent"].strip(), where
        if "note" in c:
            assert isinstance(c["note"], str), where


def test_ids_unique(cases):
    dup = [i for i, n in Counter(c["id"] for c in cases).items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"


def test_texts_unique_within_parent(cases):
    seen = Counter((c.get("parent"), c["text"].strip().lower()) for c in cases)
    dup = [k for k, n in seen.items() if n > 1]
    assert not dup, f"duplicate texts: {dup}"


def test_case_type_allowed(cases):
    bad = {c["case_type"] for c in cases} - CASE_TYPES
    assert not bad, f"unknown case types: {bad}"


def test_gold_polarity(cases):
    for c in cases:
        expected = c["case_type"] in HATEFUL_TYPES
        assert c["hateful"] is expected, f"{c['id']}: hateful={c['hateful']} for {c['case_type']}"


def test_group_allowed(cases):
    for c in cases:
        assert c["group"] is None or c["group"] in GROUPS, f"{c['id']}: bad group {c['group']!r}"


def test_hateful_cases_name_a_group(cases):
    for c in cases:
        if c["hateful"]:
            assert c["group"] in GROUPS, f"{c['id']}: hateful case without a group"


def test_groupless_types_have_null_group(cases):
    for c in cases:
        if c["case_type"] in GROUPLESS_TYPES:
            assert c["group"] is None, f"{c['id']}: expected group null"


def test_parent_only_on_thread_cases(cases):
    for c in cases:
        is_thread = c["case_type"].startswith("thread_")
        assert ("parent" in c) == is_thread, f"{c['id']}: parent presence mismatch"


def test_total_size(cases):
    assert len(cases) >= 800


def test_group_sizes(cases):
    counts = Counter(c["group"] for c in cases if c["group"] is not None)
    assert set(counts) == GROUPS
    small = {g: n for g, n in counts.items() if n < 40}
    assert not small, f"groups with < 40 cases: {small}"


def test_per_group_coverage(cases):
    counts = Counter((c["case_type"], c["group"]) for c in cases)
    missing = [
        (t, g, counts[(t, g)])
        for t in sorted(PER_GROUP_TYPES)
        for g in sorted(GROUPS)
        if counts[(t, g)] < 3
    ]
    assert not missing, f"(type, group, count) below 3: {missing}"


def test_minimum_type_counts(cases):
    counts = Counter(c["case_type"] for c in cases)
    for t in GROUPLESS_TYPES:
        assert counts[t] >= 30, t
    assert counts["spelling_hateful"] >= 60
    assert counts["spelling_nonhateful"] >= 30
    assert counts["thread_hateful"] >= 40
    assert counts["thread_nonhateful"] >= 40
    assert counts["slur_reclaimed"] > 0
    assert counts["slur_homonym"] > 0


def test_thread_pairs(cases):
    """Every thread_hateful reply has a thread_nonhateful twin with the same text and a
    different parent, and vice versa."""
    by_text: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for c in cases:
        if c["case_type"].startswith("thread_"):
            by_text[c["text"]][c["case_type"]].append(c)
    assert by_text, "no thread cases"
    for text, kinds in by_text.items():
        hate, benign = kinds.get("thread_hateful", []), kinds.get("thread_nonhateful", [])
        assert hate and benign, f"unpaired thread reply: {text!r}"
        hate_parents = {c["parent"] for c in hate}
        benign_parents = {c["parent"] for c in benign}
        assert not hate_parents & benign_parents, f"twin shares a parent: {text!r}"
