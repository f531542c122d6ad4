"""Comment records of a batch (`moderate score -i`, `moderate rescore`): what a record may
say about how it is scored, and scoring a batch of them.

Besides `text`, a record may carry:

* `kind`: `"comment"` (default) or `"username"` (scored as a display name, like
  `--usernames` and the HTTP `kind`);
* `context`: text around the comment (its parent, the article title), read like the HTTP
  `context`; `rescore` adds it after the record's thread parents;
* `community`: whose policy applies (a community of the policy file; `--community NAME`
  overrides it for every record). A community the file does not name rejects the record
  (reason `unknown community ...`) unless the operator allows the default policy for it
  (`--unknown-community default`);
* `author`: passed through, and with `--score-authors` also scored as a display name, its
  verdict in `author_result`.

A record whose `kind`, `context` or `community` has the wrong type or value is rejected
with a reason, like a record without `text`; it never stops the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from app.policy_file import DEFAULT, UNKNOWN_COMMUNITY_MODES

if TYPE_CHECKING:
    from app.moderator import Moderator
    from app.policy_file import PolicyBook
    from app.results import Result

KINDS: tuple[str, ...] = ("comment", "username")
#: Fields copied from an input record to its output record when present (INTERFACE.md's
#: five, plus the record's `community` and `kind`).
PASS_THROUGH: tuple[str, ...] = (
    "thread_id",
    "parent_id",
    "author",
    "created_at",
    "community",
    "kind",
)


class Item(NamedTuple):
    """One record to score: the output record's leading fields, its text, its context,
    its kind, the community whose policy applies, and its author (when authors are
    scored)."""

    head: dict[str, Any]
    text: str
    context: str | None
    kind: str = "comment"
    community: str = DEFAULT
    author: str | None = None


@dataclass(frozen=True)
class RecordRules:
    """How a batch reads the records' `kind`, `context`, `community` and `author`.

    `communities` are the ids the policy file names (`default` included); `community`
    forces one for every record; `unknown_community` is `reject` or `default`;
    `named_policy` says whether output records carry the name of the policy applied (a
    policy file was given, or a community forced).
    """

    communities: frozenset[str] = frozenset({DEFAULT})
    community: str | None = None
    unknown_community: str = "reject"
    score_authors: bool = False
    named_policy: bool = False

    def __post_init__(self) -> None:
        if self.unknown_community not in UNKNOWN_COMMUNITY_MODES:
            raise ValueError(
                f"unknown-community must be {' or '.join(UNKNOWN_COMMUNITY_MODES)}, "
                f"got {self.unknown_community!r}"
            )

    @classmethod
    def for_book(
        cls,
        book: PolicyBook,
        community: str | None = None,
        unknown_community: str = "reject",
        score_authors: bool = False,
    ) -> RecordRules:
        """The rules of a policy book; raises `UnknownCommunity` for a forced community
        the book does not name."""
        if community is not None:
            book.resolve(community)
        return cls(
            frozenset(book.names),
            community,
            unknown_community,
            score_authors,
            named_policy=book.path is not None or community is not None,
        )

    def item(
        self, head: dict[str, Any], rec: Mapping[str, Any], context: str | None = None
    ) -> Item | str:
        """The item to score for a parsed record, or why the record is rejected.

        `context` is the record's thread context (rescore), joined before its own.
        """
        kind = rec.get("kind", "comment")
        if kind is None:
            kind = "comment"
        if kind not in KINDS:
            return f"'kind' must be 'comment' or 'username', got {_show(kind)}"
        own = rec.get("context")
        if own is not None and not isinstance(own, str):
            return f"'context' must be a string, got {type(own).__name__}"
        named = rec.get("community")
        if named is not None and not isinstance(named, str):
            return f"'community' must be a string, got {type(named).__name__}"
        community = self.community or named or DEFAULT
        if community not in self.communities:
            if self.unknown_community != "default":
                return (
                    f"unknown community {_show(community)} (not in the policy file; "
                    "--unknown-community default applies the default policy to it)"
                )
            community = DEFAULT
        if self.named_policy or named is not None:
            head = {**head, "policy": community}
        author = rec.get("author") if self.score_authors else None
        joined = "\n".join(c for c in (context, own) if c) or None
        return Item(
            head,
            rec["text"],
            None if kind == "username" else joined,
            kind,
            community,
            author if isinstance(author, str) and author.strip() else None,
        )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class Scored:
    """The results of a batch of items, in item order, and their tallies."""

    results: list[Result]
    authors: list[Result | None]
    communities: dict[str, int] = field(default_factory=dict)


def score_items(moderator: Moderator, book: PolicyBook, items: Sequence[Item]) -> Scored:
    """Score items: comments with their contexts and usernames as display names, each
    with its community's policy; each distinct author once per policy."""
    results: list[Result | None] = [None] * len(items)
    groups: dict[tuple[str, str], list[int]] = {}
    communities: dict[str, int] = {}
    for i, item in enumerate(items):
        groups.setdefault((item.community, item.kind), []).append(i)
        communities[item.community] = communities.get(item.community, 0) + 1
    for (community, kind), indices in groups.items():
        policy = book.resolve(community, fallback=True)
        texts = [items[i].text for i in indices]
        if kind == "username":
            scored = moderator.score_usernames(texts, policy)
        else:
            contexts = [items[i].context for i in indices]
            scored = moderator.score(
                texts, contexts if any(c is not None for c in contexts) else None, policy
            )
        for i, result in zip(indices, scored, strict=True):
            results[i] = result
    authors: list[Result | None] = [None] * len(items)
    by_author: dict[tuple[str, str], list[int]] = {}
    for i, item in enumerate(items):
        if item.author is not None:
            by_author.setdefault((item.community, item.author), []).append(i)
    for community in {c for c, _ in by_author}:
        keys = [key for key in by_author if key[0] == community]
        scored = moderator.score_usernames(
            [author for _, author in keys], book.resolve(community, fallback=True)
        )
        for key, result in zip(keys, scored, strict=True):
            for i in by_author[key]:
                authors[i] = result
    return Scored([r for r in results if r is not None], authors, communities)


def output_record(item: Item, result: Result, author: Result | None) -> dict[str, Any]:
    """The output record of one item: its leading fields, the result, `author_result`."""
    record = dict(item.head)
    record.update(result.to_dict())
    if author is not None:
        record["author_result"] = author.to_dict()
    return record
