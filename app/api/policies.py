"""Per-community policies of the service (`MODERATE_POLICY_FILE`).

The file format, its validation and :class:`PolicyBook` live in :mod:`app.policy_file`,
shared with `moderate rescore` and `moderate score`; this module re-exports them for the
service's code.
"""

from __future__ import annotations

from app.policy_file import (
    DEFAULT,
    PolicyBook,
    PolicyError,
    UnknownCommunity,
    build_policy_book,
    load_policy_book,
)

__all__ = [
    "DEFAULT",
    "PolicyBook",
    "PolicyError",
    "UnknownCommunity",
    "build_policy_book",
    "load_policy_book",
]
