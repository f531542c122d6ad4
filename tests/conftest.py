"""Shared fixtures: the shipped model (loaded once per session) and the seed thread.

The tests stand alone: the seed thread is a copy in tests/fixtures/, and the few tests that
need the labelled datasets of ../shared/data skip (saying so) when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: a copy of ../shared/fixtures/seed_thread.json (a fixture, not a dataset)
SEED_THREAD = ROOT / "tests" / "fixtures" / "seed_thread.json"


@pytest.fixture(scope="session")
def moderator():
    """The shipped default model, as a user gets it from `Moderator.load()`."""
    from app import Moderator

    return Moderator.load()


@pytest.fixture(scope="session")
def seed_thread() -> dict:
    """The comment thread the product was specified from, with the expected verdicts."""
    return json.loads(SEED_THREAD.read_text())
