"""Settings from MODERATE_* variables and the policy file."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from app.api.policies import UnknownCommunity, build_policy_book, load_policy_book
from app.config import Settings


def test_settings_defaults(monkeypatch):
    for name in ("MODERATE_API_KEY", "MODERATE_MAX_CHARS", "MODERATE_LOG_TEXT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert (settings.max_chars, settings.max_comments, settings.max_body_bytes) == (
        10_000, 1_000, 2 * 1024 * 1024)
    assert settings.api_key is None
    assert settings.log_text is False
    assert settings.workers == 1


def test_settings_read_the_environment(monkeypatch, tmp_path):
    policy = tmp_path / "p.json"
    policy.write_text("{}")
    monkeypatch.setenv("MODERATE_MAX_CHARS", "500")
    monkeypatch.setenv("MODERATE_API_KEY", "k" * 20)
    monkeypatch.setenv("MODERATE_LOG_TEXT", "true")
    monkeypatch.setenv("MODERATE_POLICY_FILE", str(policy))
    settings = Settings(_env_file=None)
    assert settings.max_chars == 500
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "k" * 20
    assert "k" * 20 not in repr(settings)
    assert settings.log_text is True
    assert settings.policy_file == policy


@pytest.mark.parametrize(("name", "value"), [
    ("MODERATE_API_KEY", "short"), ("MODERATE_MAX_CHARS", "0"), ("MODERATE_WORKERS", "0"),
    ("MODERATE_POLICY_FILE", "/no/such/file.json"), ("MODERATE_LOG_LEVEL", "loud"),
])
def test_settings_reject_unsafe_values(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_policy_book_builds_communities_on_the_default(moderator):
    book = build_policy_book({
        "default": {"blocklist": ["spam-term"]},
        "news-site": {"review": {"profanity": None}, "allowlist": ["Scunthorpe"]},
    }, moderator.policy)
    news = book.resolve("news-site")
    assert news.name == "news-site"
    assert news.review["profanity"] is None
    assert "spam-term" in news.blocklist
    assert book.resolve(None).name == "default"
    assert book.resolve("unknown", fallback=True) is book.default
    with pytest.raises(UnknownCommunity, match="unknown community 'unknown'"):
        book.resolve("unknown")


@pytest.mark.parametrize("config", [
    [], {"x": []}, {"x": {"colour": "red"}}, {"x": {"review": {"spam": 0.5}}},
    {"x": {"review": {"insult": 2}}}, {"x": {"blocklist": "word"}},
])
def test_policy_book_rejects_bad_files(moderator, config):
    with pytest.raises(ValueError):
        build_policy_book(config, moderator.policy)


def test_policy_book_from_a_file(moderator, tmp_path):
    path = tmp_path / "policies.json"
    path.write_text(json.dumps({"kids": {"review": {"profanity": 0.1}}}))
    assert set(load_policy_book(path, moderator.policy).communities) == {"kids"}
    assert load_policy_book(None, moderator.policy).communities == {}
    path.write_text("{oops")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_policy_book(path, moderator.policy)
