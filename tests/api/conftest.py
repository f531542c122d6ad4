"""API fixtures: apps built on the session's model, so it is loaded once for all tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings

API_KEY = "test-key-0123456789abcdef"


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    """Settings for a test app: nothing read from the environment or a .env file."""
    values: dict[str, Any] = {"feedback_url": f"sqlite:///{tmp / 'feedback.db'}"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def api_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api")


@pytest.fixture(scope="session")
def client(moderator, api_tmp: Path) -> Iterator[TestClient]:
    """A client of an app with default settings (lifespan run once for the session)."""
    app = create_app(make_settings(api_tmp), moderator=moderator)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def make_client(moderator, tmp_path_factory: pytest.TempPathFactory) -> Callable[
        ..., AbstractContextManager[TestClient]]:
    """`with make_client(max_chars=20) as c:` a client of an app with other settings."""

    @contextmanager
    def build(**overrides: Any) -> Iterator[TestClient]:
        settings = make_settings(tmp_path_factory.mktemp("app"), **overrides)
        with TestClient(create_app(settings, moderator=moderator)) as test_client:
            yield test_client

    return build
