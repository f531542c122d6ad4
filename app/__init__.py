"""comment-moderator: fast CPU moderation of comment sections.

    from app import Moderator
    moderator = Moderator.load()
    results = moderator.score(["first comment", "second"])
    results[0].scores["slur"], results[0].action, results[0].spans, results[0].model_version

The public names are imported lazily, so `import app` (and every `moderate` command that
does not score) does not pay for spaCy and scikit-learn.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: The package version: the one place it is written (pyproject.toml reads it from here, the
#: OpenAPI document and `moderate --version` show it). Models have their own version, in
#: their card (`Moderator.version`).
__version__ = "1.3.0"

__all__ = [
    "LABELS",
    "Moderator",
    "Policy",
    "PolicyBook",
    "PolicyError",
    "Result",
    "Span",
    "__version__",
    "load_policy_book",
]

_LAZY = {
    "LABELS": "app.labels",
    "Moderator": "app.moderator",
    "Policy": "app.policy",
    "PolicyBook": "app.policy_file",
    "PolicyError": "app.policy_schema",
    "load_policy_book": "app.policy_file",
    "Result": "app.results",
    "Span": "app.results",
}

if TYPE_CHECKING:
    from app.labels import LABELS
    from app.moderator import Moderator
    from app.policy import Policy
    from app.policy_file import PolicyBook, load_policy_book
    from app.policy_schema import PolicyError
    from app.results import Result, Span


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'app' has no attribute {name!r}")
