"""One policy format and one validator: the policy file, `Policy.with_overrides`, and the
command line's one-line errors (exit code 2) for `score`, `rescore` and `serve`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.policy_file import PolicyBook, UnknownCommunity, build_policy_book, load_policy_book
from app.policy_schema import PolicyError, validate_overrides

runner = CliRunner()

README_FILE = {
    "default": {"allowlist": ["Scunthorpe"]},
    "news-site": {"review": {"profanity": None}, "remove": {"threat": 0.8},
                  "blocklist": ["headchopper"], "allowlist": ["Dick Cheney"]},
    "kids-forum": {"review": {"profanity": 0.2, "insult": 0.3}},
}


@pytest.mark.parametrize(("overrides", "message"), [
    ({"reveiw": {"profanity": None}}, "unknown key 'reveiw' (did you mean 'review'?)"),
    ({"review": {"insluts": 0.5}}, "unknown label 'insluts' in review (did you mean 'insult'?)"),
    ({"review": {"insult": 1.5}}, "must be in [0, 1], got 1.5"),
    ({"remove": {"threat": -0.1}}, "must be in [0, 1], got -0.1"),
    ({"review": {"insult": "high"}}, "must be a number in [0, 1] or null, got a string"),
    ({"review": {"insult": True}}, "got a boolean"),
    ({"review": {"insult": float("nan")}}, "must be in [0, 1]"),
    ({"review": ["insult"]}, "review must be an object"),
    ({"blocklist": "badword"}, "blocklist must be a list of strings"),
    ({"allowlist": [1, 2]}, "allowlist must be a list of strings"),
    ({"blocklist": ["  "]}, "blocklist holds an empty term"),
    ({"unsupported_language": "remove"}, "unsupported_language must be 'review' or 'allow'"),
    ([], "must be a JSON object, got a list"),
])
def test_validator_names_what_is_wrong_in_one_line(overrides, message):
    with pytest.raises(PolicyError) as caught:
        validate_overrides(overrides, "news-site")
    text = str(caught.value)
    assert message in text and "policy 'news-site'" in text and "\n" not in text


def test_the_python_api_validates_the_same_way(moderator):
    with pytest.raises(PolicyError, match="unknown key 'reveiw'"):
        moderator.policy.with_overrides({"reveiw": {"profanity": None}})
    policy = moderator.policy.with_overrides(
        {"review": {"profanity": None}, "unsupported_language": "allow"}, name="x")
    assert policy.review["profanity"] is None and policy.unsupported_language == "allow"


def test_the_readme_file_builds_every_community_on_the_default(moderator):
    book = build_policy_book(README_FILE, moderator.policy)
    assert book.names == ["default", "kids-forum", "news-site"]
    news = book.resolve("news-site")
    assert news.name == "news-site" and news.review["profanity"] is None
    assert news.remove["threat"] == 0.8
    assert set(news.allowlist) == {"Dick Cheney", "Scunthorpe"}  # builds on default
    assert book.resolve(None) is book.default and book.resolve("default") is book.default
    with pytest.raises(UnknownCommunity, match="unknown community 'sports'"):
        book.resolve("sports")
    assert book.resolve("sports", fallback=True) is book.default


@pytest.mark.parametrize(("config", "message"), [
    ({"blocklist": ["x"]}, 'wrap these settings as {"default": {...}}'),
    ({"reveiw": {"profanity": None}}, "'reveiw' is read as a community id (did you mean"),
    ({"x": {"colour": "red"}}, "policy 'x' has unknown key 'colour'"),
    ({"": {}}, "empty community id"),
    ([], "must hold a JSON object"),
])
def test_bad_files_are_refused(moderator, config, message):
    with pytest.raises(PolicyError) as caught:
        build_policy_book(config, moderator.policy)
    assert message in str(caught.value)


def test_a_file_is_hashed_and_named_in_its_errors(moderator, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(README_FILE))
    book = load_policy_book(path, moderator.policy)
    assert isinstance(book, PolicyBook) and len(book.sha256 or "") == 64
    path.write_text('{"a": {"review": {"insult": 0.3}')
    with pytest.raises(PolicyError, match=r"p.json is not valid JSON: .* at line 1 column"):
        load_policy_book(path, moderator.policy)
    with pytest.raises(PolicyError, match="cannot read it"):
        load_policy_book(tmp_path / "missing.json", moderator.policy)


@pytest.mark.parametrize("command", [
    ["score", "hello"],
    ["score", "-i", "{input}"],
    ["rescore", "{input}", "{output}"],
])
def test_commands_stop_on_a_bad_policy_file_with_one_line(tmp_path, command):
    bad = tmp_path / "typo.json"
    bad.write_text(json.dumps({"news": {"reveiw": {"profanity": None}}}))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "hello"}) + "\n")
    args = [a.format(input=src, output=tmp_path / "out.jsonl") for a in command]
    result = runner.invoke(app, [*args, "--policy", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown key 'reveiw'" in lines[0], result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_forced_community_must_exist(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(README_FILE))
    result = runner.invoke(app, ["score", "hello", "--policy", str(path), "--community", "nope"])
    assert result.exit_code == 2
    assert "unknown community 'nope'" in result.stderr


def test_serve_stops_on_a_bad_policy_file_with_exit_2_and_one_line(tmp_path):
    bad = tmp_path / "typo.json"
    bad.write_text(json.dumps({"news": {"review": {"profanity": 7}}}))
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "1", "--policy-file", str(bad)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "must be in [0, 1], got 7" in lines[0]
    assert "Traceback" not in done.stderr
