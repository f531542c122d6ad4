"""Where the seed thread is read from: the comment thread the product was specified from.

The shared fixture (`../shared/fixtures/seed_thread.json`) when it is beside the repo,
else the copy the tests keep (`tests/fixtures/seed_thread.json`), so evaluation and the
benchmarks' generated comments also work on a clone without `../shared`.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEED_THREAD = ROOT.parent / "shared" / "fixtures" / "seed_thread.json"
TESTS_SEED_THREAD = ROOT / "tests" / "fixtures" / "seed_thread.json"


def seed_thread_path() -> Path:
    """The shared seed thread, else the tests' copy (else the shared path, which is missing)."""
    for path in (SHARED_SEED_THREAD, TESTS_SEED_THREAD):
        if path.exists():
            return path
    return SHARED_SEED_THREAD
