"""The same records get the same verdicts through `moderate score -i`, `moderate rescore`
and HTTP: usernames (`kind`), `context`, communities' policies and block lists, authors
(`--score-authors` / `score_authors`) and languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api.main import create_app
from app.batch import RescoreOptions, run_rescore
from app.batch.sinks import iter_results
from app.cli import app
from app.config import Settings

runner = CliRunner()

POLICIES = {
    "default": {},
    "news-site": {"blocklist": ["headchopper"]},
    "es-ok": {"unsupported_language": "allow"},
}

#: (record, what its verdict must be)
CASES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"text": "xX_n1gg3rSlayer_Xx", "kind": "username"},
     {"action": "remove", "reason": "username", "span": "n1gg3r"}),
    ({"text": "KillAllMuslims", "kind": "username"}, {"action": "remove", "reason": "username"}),
    ({"text": "KillAllJews88", "kind": "username"}, {"action": "remove", "target": "jews"}),
    ({"text": "WhitePowerDan88", "kind": "username"}, {"action": "remove"}),
    ({"text": "HitlerWasRight", "kind": "username"}, {"action": "remove"}),
    ({"text": "ZionismIsEvil", "kind": "username"}, {"not": "allow", "span": "Evil"}),
    ({"text": "Grandma Jo", "kind": "username"}, {"action": "allow", "target": "none"}),
    ({"text": "Auntie Rosa", "kind": "username"}, {"action": "allow"}),
    ({"text": "Dave1987", "kind": "username"}, {"action": "allow"}),
    ({"text": "they should all be sent back", "context": "Refugees arrived today."},
     {"not": "allow", "hateful": True}),
    # without the thread, nothing says whom: model 1.2.0 flags it for review, never removes
    ({"text": "they should all be sent back"}, {"not": "remove"}),
    *[({"text": text, "community": "news-site"},
       {"action": "remove", "reason": "blocklist:headchopper", "block": True})
      for text in ("headchoppers", "head chopper", "h e a d c h o p p e r",
                   "h.e.a.d.c.h.o.p.p.e.r", "h3adch0pper")],
    ({"text": "TheHeadchopper99", "kind": "username", "community": "news-site"},
     {"action": "remove", "reason": "blocklist:headchopper", "block": True}),
    ({"text": "Todos los inmigrantes son ratas y hay que echarlos del país"},
     {"action": "review", "reason": "unsupported_language", "language": "es"}),
    ({"text": "Die Ausländer sind Ungeziefer und sollten alle verschwinden"},
     {"action": "review", "reason": "unsupported_language", "language": "de"}),
    ({"text": "Todos los inmigrantes son ratas y hay que echarlos del país",
      "community": "es-ok"}, {"action": "allow", "language": "es"}),
    ({"text": "lol"}, {"action": "allow", "languages": ("en", "und")}),
    ({"text": "ok"}, {"action": "allow", "languages": ("en", "und")}),
    ({"text": "have a lovely day", "author": "HitlerWasRight"},
     {"action": "allow", "language": "en", "author": "remove"}),
    ({"text": "nice one", "author": "Grandma Jo"}, {"action": "allow", "author": "allow"}),
]
RESULT_FIELDS = ("scores", "labels", "hateful", "action", "reasons", "spans", "target",
                 "language", "model_version")


def _records() -> list[dict[str, Any]]:
    return [{"id": f"r{i}", **record} for i, (record, _) in enumerate(CASES)]


def _verdict(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: record[k] for k in RESULT_FIELDS}
    if "author_result" in record:
        out["author_result"] = {k: record["author_result"][k] for k in RESULT_FIELDS}
    return out


def _check(record: dict[str, Any], text: str, expected: dict[str, Any]) -> None:
    where = (text, record["action"], record["reasons"])
    if "action" in expected:
        assert record["action"] == expected["action"], where
    if "not" in expected:
        assert record["action"] != expected["not"], where
    if "reason" in expected:
        assert expected["reason"] in record["reasons"], where
    if "target" in expected:
        assert record["target"] == expected["target"], where
    if "hateful" in expected:
        assert record["hateful"] is expected["hateful"], where
    if "language" in expected:
        assert record["language"] == expected["language"], where
    if "languages" in expected:
        assert record["language"] in expected["languages"], where
    if "span" in expected:
        assert expected["span"] in [s["text"] for s in record["spans"]], where
    for span in record["spans"]:
        assert text[span["start"]:span["end"]] == span["text"], where
    if expected.get("block"):
        assert [s["term"] for s in record["spans"] if s["label"] == "blocklist"] == [
            "headchopper"], where
    if "author" in expected:
        assert record["author_result"]["action"] == expected["author"], where


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("everywhere")
    src = folder / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in _records()))
    policy = folder / "policies.json"
    policy.write_text(json.dumps(POLICIES))
    return src, policy


@pytest.fixture(scope="module")
def via_score(files) -> list[dict[str, Any]]:
    src, policy = files
    out = src.with_name("scored.jsonl")
    result = runner.invoke(app, ["score", "-i", str(src), "-o", str(out), "--policy",
                                 str(policy), "--score-authors"])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.fixture(scope="module")
def via_rescore(files) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    src, policy = files
    out = src.with_name("rescored.jsonl")
    run_rescore(RescoreOptions(input=str(src), output=out, policy=policy, score_authors=True))
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    return list(iter_results(out)), manifest


@pytest.fixture(scope="module")
def via_http(moderator, files, tmp_path_factory) -> list[dict[str, Any]]:
    _, policy = files
    folder = tmp_path_factory.mktemp("http")
    settings = Settings(_env_file=None, policy_file=policy,
                        feedback_url=f"sqlite:///{folder / 'f.db'}")
    out: dict[str, dict[str, Any]] = {}
    with TestClient(create_app(settings, moderator=moderator)) as client:
        records = _records()
        for community in {r.get("community", "default") for r in records}:
            batch = [r for r in records if r.get("community", "default") == community]
            comments = [{k: r[k] for k in ("id", "text", "kind", "context", "author") if k in r}
                        for r in batch]
            answer = client.post("/v1/score", json={"comments": comments,
                                                   "community": community,
                                                   "score_authors": True})
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["policy"] == community and body["community"] == community
            out.update((r["id"], r) for r in body["results"])
    return [out[r["id"]] for r in _records()]


@pytest.mark.parametrize("path", ["score", "rescore", "http"])
def test_each_example_gets_its_verdict(path, via_score, via_rescore, via_http):
    got = {"score": via_score, "rescore": via_rescore[0], "http": via_http}[path]
    assert [r["id"] for r in got] == [r["id"] for r in _records()]
    for (record, expected), result in zip(CASES, got, strict=True):
        _check(result, record["text"], expected)
        if "author" in expected:
            name = record["author"]
            for span in result["author_result"]["spans"]:
                assert name[span["start"]:span["end"]] == span["text"]


def test_the_three_paths_agree_exactly(via_score, via_rescore, via_http):
    for a, b, c in zip(via_score, via_rescore[0], via_http, strict=True):
        assert _verdict(a) == _verdict(b) == _verdict(c), a["id"]


def test_batch_records_name_the_policy_applied(via_score, via_rescore):
    for records in (via_score, via_rescore[0]):
        assert {r["policy"] for r in records} == {"default", "news-site", "es-ok"}
        assert all(r["policy"] == r.get("community", "default") for r in records)


def test_the_manifest_counts_communities_and_authors(files, via_rescore):
    _, policy = files
    _, manifest = via_rescore
    counts = manifest["counts"]
    expected = {"default": 0, "news-site": 0, "es-ok": 0}
    for record, _ in CASES:
        expected[record.get("community", "default")] += 1
    assert counts["communities"] == expected
    assert counts["authors"]["scored"] == 2 and counts["authors"]["actions"]["remove"] == 1
    assert manifest["policy"]["file"] == str(policy)
    assert len(manifest["policy"]["file_sha256"]) == 64
    assert set(manifest["policy"]["effective"]) == {"default", "news-site", "es-ok"}
    assert manifest["policy"]["effective"]["news-site"]["blocklist"] == ["headchopper"]


def test_unknown_communities_are_rejected_unless_the_default_is_allowed(tmp_path, files):
    _, policy = files
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "hello", "community": "sports"}) + "\n"
                   + json.dumps({"id": 2, "text": "hello"}) + "\n"
                   + json.dumps({"id": 3, "text": "hi", "kind": "avatar"}) + "\n"
                   + json.dumps({"id": 4, "text": "hi", "context": 7}) + "\n")
    out = tmp_path / "out.jsonl"
    summary = run_rescore(RescoreOptions(input=str(src), output=out, policy=policy))
    rejects = [json.loads(line) for line in
               out.with_name("out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert summary.counts["scored"] == 1 and summary.counts["rejected"] == 3
    assert [r["line"] for r in rejects] == [1, 3, 4]
    assert "unknown community 'sports'" in rejects[0]["reason"]
    assert "'kind' must be" in rejects[1]["reason"]
    assert "'context' must be a string" in rejects[2]["reason"]
    result = runner.invoke(app, ["score", "-i", str(src), "--policy", str(policy)])
    assert result.exit_code == 0 and "line 1: unknown community 'sports'" in result.stderr
    fallback = tmp_path / "fallback.jsonl"
    summary = run_rescore(RescoreOptions(input=str(src), output=fallback, policy=policy,
                                         unknown_community="default"))
    assert summary.counts["scored"] == 2
    assert [r["policy"] for r in iter_results(fallback)] == ["default", "default"]
    forced = tmp_path / "forced.jsonl"
    summary = run_rescore(RescoreOptions(input=str(src), output=forced, policy=policy,
                                         community="news-site"))
    assert [r["policy"] for r in iter_results(forced)] == ["news-site", "news-site"]


def test_http_unknown_community_is_422_unless_the_operator_allows_the_default(
        moderator, files, tmp_path):
    _, policy = files
    body = {"comments": [{"text": "hello"}], "community": "sports"}
    for mode, status in (("reject", 422), ("default", 200)):
        settings = Settings(_env_file=None, policy_file=policy, unknown_community=mode,
                            feedback_url=f"sqlite:///{tmp_path / 'f.db'}")
        with TestClient(create_app(settings, moderator=moderator)) as client:
            answer = client.post("/v1/score", json=body)
            thread = client.post("/v1/threads:score", json={**body, "comments": [
                {"id": 1, "text": "hello"}]})
            perspective = client.post("/v1alpha1/comments:analyze", json={
                "comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}},
                "communityId": "sports"})
        assert answer.status_code == status and thread.status_code == status
        assert perspective.status_code == (400 if mode == "reject" else 200)
        if status == 422:
            assert "unknown community 'sports'" in answer.json()["error"]["message"]
        else:
            assert answer.json()["policy"] == "default"


def test_threads_score_authors_and_languages(moderator, files, tmp_path):
    _, policy = files
    settings = Settings(_env_file=None, policy_file=policy,
                        feedback_url=f"sqlite:///{tmp_path / 'f.db'}")
    with TestClient(create_app(settings, moderator=moderator)) as client:
        answer = client.post("/v1/threads:score", json={"score_authors": True, "comments": [
            {"id": "a", "text": "Refugees arrived today.", "author": "Grandma Jo"},
            {"id": "b", "parent_id": "a", "text": "they should all be sent back",
             "author": "KillAllMuslims"},
            {"id": "c", "text": "Die Ausländer sind Ungeziefer und sollten alle verschwinden"},
        ]})
        plain = client.post("/v1/threads:score", json={"comments": [
            {"id": "a", "text": "hello", "author": "KillAllMuslims"}]})
        spanish = client.post("/v1alpha1/comments:analyze", json={
            "comment": {"text": "Todos los inmigrantes son ratas y hay que echarlos del país"},
            "requestedAttributes": {"TOXICITY": {}}})
        german = client.post("/v1alpha1/comments:analyze", json={
            "comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}},
            "languages": ["de"]})
    a, b, c = answer.json()["results"]
    assert a["author_result"]["action"] == "allow" and a["language"] == "en"
    assert b["author_result"]["action"] == "remove" and b["hateful"]
    assert "author_result" not in c and c["language"] == "de"
    assert "unsupported_language" in c["reasons"]
    assert "author_result" not in plain.json()["results"][0]
    assert spanish.status_code == 200 and spanish.json()["detectedLanguages"] == ["es"]
    assert german.status_code == 400 and "does not support request languages: de" in (
        german.json()["error"]["message"])
