"""What the scoring routes share: limits, mixed comment/username batches, logging."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from app.api.errors import ApiError
from app.api.schemas import CommentIn
from app.config import Settings
from app.moderator import Moderator
from app.policy import Policy
from app.policy_file import PolicyBook, UnknownCommunity
from app.results import Result

log = logging.getLogger("app.api")

T = TypeVar("T")

#: Requests with at most this many characters of text are scored on the event loop.
#: Scoring is CPU-bound and holds the GIL, so the threadpool adds no concurrency to one
#: worker; for a short comment its thread hop is pure cost (measured in-process: +0.3 ms
#: p50, +0.7 ms p99 on a 1.1 ms score). Longer requests still go to the threadpool so that
#: health probes and small requests are answered while a big batch is scored. 2,000
#: characters score in about 5 ms (p50, a loaded machine), the longest the loop is held.
INLINE_MAX_CHARS = 2_000


async def run_sized(work: Callable[[], T], chars: int) -> T:
    """Run `work` inline when the request holds at most `INLINE_MAX_CHARS` characters of
    text, else in the threadpool."""
    if chars <= INLINE_MAX_CHARS:
        return work()
    return await run_in_threadpool(work)


def text_chars(*texts: Iterable[str | None]) -> int:
    """Characters of all the texts a request asks to score (None counts as 0)."""
    return sum(len(t) for group in texts for t in group if t)


def check_limits(texts: Sequence[str | None], settings: Settings, what: str = "comment") -> None:
    """413 when there are too many texts or one is too long."""
    if len(texts) > settings.max_comments:
        raise ApiError(
            413, f"{len(texts)} {what}s in one request; the limit is {settings.max_comments}"
        )
    for i, text in enumerate(texts):
        if text is not None and len(text) > settings.max_chars:
            raise ApiError(
                413, f"{what} {i} has {len(text)} characters; the limit is {settings.max_chars}"
            )


def resolve_policy(
    policies: PolicyBook, community: str | None, settings: Settings, status: int = 422
) -> Policy:
    """The policy of a request's community; a community the policy file does not name is
    an error (`status`) unless MODERATE_UNKNOWN_COMMUNITY=default."""
    try:
        return policies.resolve(community, fallback=settings.unknown_community == "default")
    except UnknownCommunity as exc:
        raise ApiError(
            status,
            f"{exc} (MODERATE_UNKNOWN_COMMUNITY=default would apply the default policy)",
        ) from exc


def score_authors(
    moderator: Moderator, authors: Sequence[str | None], policy: Policy
) -> list[Result | None]:
    """Each author's verdict as a display name (None where there is no author); each
    distinct name is scored once."""
    names = list(dict.fromkeys(a for a in authors if a and a.strip()))
    if not names:
        return [None] * len(authors)
    verdicts = dict(zip(names, moderator.score_usernames(names, policy), strict=True))
    return [verdicts.get(a) if a else None for a in authors]


def score_comments(
    moderator: Moderator, comments: Sequence[CommentIn], policy: Policy
) -> list[Result]:
    """Score comments and usernames of one request; results in input order."""
    results: list[Result | None] = [None] * len(comments)
    plain = [i for i, c in enumerate(comments) if c.kind == "comment"]
    names = [i for i, c in enumerate(comments) if c.kind == "username"]
    if plain:
        contexts = [comments[i].context for i in plain]
        scored = moderator.score(
            [comments[i].text for i in plain], contexts if any(contexts) else None, policy
        )
        for i, result in zip(plain, scored, strict=True):
            results[i] = result
    if names:
        scored = moderator.score_usernames([comments[i].text for i in names], policy)
        for i, result in zip(names, scored, strict=True):
            results[i] = result
    return [r for r in results if r is not None]


def log_scored(
    endpoint: str,
    results: Sequence[Result],
    seconds: float,
    settings: Settings,
    texts: Iterable[str] = (),
) -> None:
    """One log line per request: counts, actions, latency, model; text only if allowed."""
    actions = {a: sum(r.action == a for r in results) for a in ("allow", "review", "remove")}
    version = results[0].model_version if results else "-"
    log.info(
        "%s scored=%d allow=%d review=%d remove=%d ms=%.1f model=%s",
        endpoint,
        len(results),
        actions["allow"],
        actions["review"],
        actions["remove"],
        seconds * 1000,
        version,
    )
    if settings.log_text:
        for text, result in zip(texts, results, strict=False):
            log.info(
                "%s text=%r action=%s labels=%s",
                endpoint,
                text,
                result.action,
                ",".join(result.labels),
            )
