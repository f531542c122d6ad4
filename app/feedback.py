"""Moderators' verdicts on scored comments, stored with SQLAlchemy (SQLite by default).

A verdict says whether one label applies to one text:

- `correct=True`: the text does have `label` (a confirmed flag, or a miss the model made);
- `correct=False`: the text does not have `label` (a false positive).
- `label="none"` with `correct=True`: the text is clean of every label.

`training.feedback.feedback_rows` turns the stored verdicts into training rows, so
`moderate train --feedback-db URL` learns from them.

    >>> store = FeedbackStore("sqlite://")
    >>> store.add(text="you absolute moron", label="insult", correct=True).label
    'insult'
    >>> len(store.list())
    1
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool

from app.labels import LABELS

#: Labels a verdict may name: the model's labels, or "none" (the text is clean).
FEEDBACK_LABELS: tuple[str, ...] = (*LABELS, "none")


class _Base(DeclarativeBase):
    pass


class FeedbackRecord(_Base):
    """One verdict (table `feedback`)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    comment_id: Mapped[str | None] = mapped_column(String(256), index=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32))
    correct: Mapped[bool] = mapped_column(Boolean)
    community: Mapped[str | None] = mapped_column(String(128))
    model_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Feedback:
    """A stored verdict, detached from the database session."""

    id: int
    comment_id: str | None
    text: str
    label: str
    correct: bool
    community: str | None
    model_version: str | None
    created_at: datetime


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # the API writes from threadpool threads; an in-memory database must be one shared
        # connection or every thread would see its own empty database
        memory = url in ("sqlite://", "sqlite:///:memory:")
        return create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )
    return create_engine(url, pool_pre_ping=True)


class FeedbackStore:
    """The feedback table behind a SQLAlchemy database URL; creates the table if needed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        _Base.metadata.create_all(self.engine)

    def add(
        self,
        text: str,
        label: str,
        correct: bool,
        comment_id: str | None = None,
        community: str | None = None,
        model_version: str | None = None,
    ) -> Feedback:
        """Store one verdict and return it with its id and timestamp."""
        if label not in FEEDBACK_LABELS:
            raise ValueError(f"unknown label {label!r}; expected one of {FEEDBACK_LABELS}")
        record = FeedbackRecord(
            comment_id=comment_id,
            text=text,
            label=label,
            correct=bool(correct),
            community=community,
            model_version=model_version,
            created_at=datetime.now(UTC),
        )
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(record)
            session.commit()
            return _detach(record)

    def list(self, community: str | None = None, limit: int | None = None) -> list[Feedback]:
        """Stored verdicts, oldest first (optionally of one community, at most `limit`)."""
        query = select(FeedbackRecord).order_by(FeedbackRecord.id)
        if community is not None:
            query = query.where(FeedbackRecord.community == community)
        if limit is not None:
            query = query.limit(limit)
        with Session(self.engine) as session:
            return [_detach(r) for r in session.scalars(query)]

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def _detach(record: FeedbackRecord) -> Feedback:
    created = record.created_at
    if created.tzinfo is None:  # SQLite drops the zone; every timestamp is written in UTC
        created = created.replace(tzinfo=UTC)
    return Feedback(
        id=record.id,
        comment_id=record.comment_id,
        text=record.text,
        label=record.label,
        correct=record.correct,
        community=record.community,
        model_version=record.model_version,
        created_at=created,
    )
