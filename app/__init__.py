"""comment-moderator: fast CPU moderation of comment sections.

from app import Moderator
moderator = Moderator.load()
results = moderator.score(["first comment", "second"])
results[0].scores["slur"], results[0].action, results[0].spans, results[0].model_version
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from app.labels import LABELS
from app.moderator import Moderator
from app.policy import Policy
from app.results import Result, Span

try:
    __version__ = version("comment-moderator")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0"

__all__ = ["LABELS", "Moderator", "Policy", "Result", "Span", "__version__"]
