"""Thread context: the chain of parents a reply is read with.

Shared by `Moderator.score_thread` (`POST /v1/threads:score`) and batch re-scoring, so a
comment gets the same context whichever way it is scored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: id -> (text, parent id) of a comment, or None when the id is unknown.
ParentLookup = Callable[[str], "tuple[str, Any] | None"]


def id_key(value: Any) -> str | None:
    """The string an id is compared by (None for a missing or empty id)."""
    return None if value is None or value == "" else str(value)


#: How many parents a reply is read with: "they" points to something near, and a deep
#: thread's whole chain would cost more than it tells.
MAX_PARENTS = 3


def parent_chain(parent_id: Any, lookup: ParentLookup, max_parents: int = MAX_PARENTS) -> list[str]:
    """The nearest `max_parents` parents' texts, nearest first (cycles stop the walk)."""
    chain: list[str] = []
    seen: set[str] = set()
    parent = id_key(parent_id)
    while (
        parent is not None
        and len(chain) < max_parents
        and parent not in seen
        and (node := lookup(parent))
    ):
        seen.add(parent)
        text, parent_of_parent = node
        chain.append(text or "")
        parent = id_key(parent_of_parent)
    return chain


def context_text(chain: list[str], title: str = "") -> str | None:
    """The context string a reply is scored with: its parents, then the article title."""
    parts = chain + ([title] if title else [])
    return "\n".join(parts) if parts else None
