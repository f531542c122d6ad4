"""Fixtures for the batch tests: small generated archives and an in-process rescore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.batch import RescoreOptions, RescoreSummary, run_rescore
from training.bench_rescore import generate_comments


@pytest.fixture
def comments() -> Callable[[int], list[dict[str, Any]]]:
    """`comments(n)`: n deterministic generated comments (a third are replies)."""
    return lambda n, seed=13: list(generate_comments(n, seed=seed))


@pytest.fixture
def rescore() -> Callable[..., RescoreSummary]:
    """`rescore(input, output, **options)`: run a job in this process, quietly."""

    def run(input: Path | str, output: Path, **kw: Any) -> RescoreSummary:
        return run_rescore(RescoreOptions(input=str(input), output=output, **kw))

    return run
