"""Request and answer bodies of the HTTP API (the shapes of INTERFACE.md).

Models that come in end in `In`/`Request`, models that go out in `Out`/`Response`.
The Perspective-compatible models keep that API's camelCase field names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.feedback import FEEDBACK_LABELS
from app.labels import ACTIONS


def _valid_unicode(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"); they cannot be encoded back to UTF-8
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


Text = Annotated[str, AfterValidator(_valid_unicode)]
CommentId = Annotated[int | Text, Field(description="The caller's id, echoed back.")]

Action = Literal[ACTIONS]  # type: ignore[valid-type]
FeedbackLabel = Literal[FEEDBACK_LABELS]  # type: ignore[valid-type]

# -- /v1/score ----------------------------------------------------------------------------

_COMMUNITY = (
    "Community id whose policy applies (see MODERATE_POLICY_FILE); none: the default "
    "policy. A community the policy file does not name is a 422 unless the operator set "
    "MODERATE_UNKNOWN_COMMUNITY=default. The answer's `policy` names the policy applied."
)
_SCORE_AUTHORS = (
    "Also score each comment's `author` as a display name; its verdict is the result's "
    "`author_result`."
)


class CommentIn(BaseModel):
    """One text to score."""

    id: CommentId | None = None
    text: Text = Field(description="The comment (or display name when kind is `username`).")
    author: Text | None = Field(
        default=None,
        description="The display name of the comment's author; scored as a username "
        "(into `author_result`) when the request sets `score_authors`.",
    )
    parent_id: CommentId | None = Field(default=None, description="Passed through.")
    context: Text | None = Field(
        default=None,
        description="Optional text around the comment (its parent, the article title), used "
        "to resolve who 'they' are.",
    )
    kind: Literal["comment", "username"] = Field(
        default="comment",
        description='`username` scores a display name ("ZionismIsEvil" is split into words '
        "and a name that is not allowed carries the reason `username`).",
    )


class ScoreRequest(BaseModel):
    """Comments to score, with an optional community whose policy applies."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "comments": [
                        {"id": "c1", "text": "Thanks, this was a great read."},
                        {"id": "c2", "text": "you are a complete moron"},
                        {"id": "u1", "text": "Zionism = EVIL", "kind": "username"},
                        {"id": "c3", "text": "Nice point", "author": "HitlerWasRight"},
                    ],
                    "score_authors": True,
                }
            ]
        }
    )

    comments: list[CommentIn] = Field(description="Scored in order; results keep this order.")
    community: Text | None = Field(default=None, description=_COMMUNITY)
    score_authors: bool = Field(default=False, description=_SCORE_AUTHORS)


class SpanOut(BaseModel):
    """Evidence, with offsets into the original text (Python `str` indices)."""

    start: int
    end: int
    text: str
    label: str
    normalized: str | None = None
    usage: str | None = None
    term: str | None = Field(
        default=None, description="The block-listed term of a `blocklist` span."
    )


class VerdictOut(BaseModel):
    """The verdict on one text (or author name)."""

    scores: dict[str, float]
    labels: list[str]
    hateful: bool
    action: Action
    reasons: list[str]
    spans: list[SpanOut]
    target: str
    language: str = Field(
        description="ISO 639-1 code of the text's language, or `und` (too short to tell, "
        "display names)."
    )
    model_version: str


class ResultOut(VerdictOut):
    """The verdict on one comment."""

    id: int | str | None = None
    parent_id: int | str | None = None
    author_result: VerdictOut | None = Field(
        default=None, description="The author's name scored as a username (`score_authors`)."
    )


class ScoreResponse(BaseModel):
    """Results in input order."""

    model_version: str
    policy: str = Field(description="The policy that was applied.")
    community: str | None = Field(
        default=None, description="The community the request named (null: none)."
    )
    results: list[ResultOut]


# -- /v1/threads:score --------------------------------------------------------------------


class ArticleIn(BaseModel):
    """The article a thread is about."""

    title: Text = ""
    body: Text = ""


class ThreadCommentIn(BaseModel):
    """A comment of a thread; `parent_id` names the comment it replies to."""

    id: CommentId
    text: Text
    parent_id: CommentId | None = None
    author: Text | None = None


class ThreadRequest(BaseModel):
    """A thread: each comment is scored with its chain of parents and the article."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "article": {"title": "Council approves new housing plan", "body": "..."},
                    "comments": [
                        {"id": "c1", "text": "Immigrants are moving into that district."},
                        {"id": "c2", "parent_id": "c1", "text": "they are vermin"},
                    ],
                }
            ]
        }
    )

    article: ArticleIn | None = None
    comments: list[ThreadCommentIn]
    community: Text | None = Field(default=None, description=_COMMUNITY)
    score_authors: bool = Field(default=False, description=_SCORE_AUTHORS)


# -- /v1/feedback -------------------------------------------------------------------------


class FeedbackIn(BaseModel):
    """A moderator's verdict: does `label` apply to `text`?"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "c2",
                    "text": "you are a complete moron",
                    "label": "insult",
                    "correct": True,
                    "community": "news-site",
                }
            ]
        }
    )

    id: CommentId | None = None
    text: Text
    label: FeedbackLabel = Field(
        description="A label, or `none` (with correct=true: the text is clean)."
    )
    correct: bool = Field(
        description="true: the text does have this label; false: it does not (a false flag)."
    )
    community: Text | None = None
    model_version: Text | None = Field(default=None, description="The model that scored it.")


class FeedbackOut(BaseModel):
    """The stored verdict."""

    feedback_id: int
    id: int | str | None
    label: str
    correct: bool
    community: str | None
    created_at: datetime


# -- health, model ------------------------------------------------------------------------


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


class ReadyOut(BaseModel):
    status: Literal["ready", "loading"]
    model_version: str | None = None


class ModelCardOut(BaseModel):
    """The model card (`models/<version>/model_card.json`); more fields may be present."""

    model_config = ConfigDict(extra="allow")

    name: str
    version: str
    labels: list[str]
    thresholds: dict[str, Any]
    metrics: dict[str, Any]
    data: list[Any]
    versions: dict[str, Any]


# -- errors -------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    loc: list[str]
    msg: str
    type: str


class ErrorBody(BaseModel):
    code: int
    status: str
    message: str
    details: list[ErrorDetail] | None = None


class ErrorResponse(BaseModel):
    """Every error answer."""

    error: ErrorBody


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the given error codes."""
    text = {
        400: "Bad request (undecodable body; on the Perspective route, any invalid request).",
        401: "Missing or wrong API key.",
        413: "Body, comment or comment count over the limits.",
        415: "Content-Type is not application/json.",
        422: "Malformed JSON or wrong types.",
        503: "The model or the feedback store is not available.",
    }
    return {code: {"model": ErrorResponse, "description": text[code]} for code in codes}


# -- Perspective API (/v1alpha1/comments:analyze) -----------------------------------------


class PerspectiveText(BaseModel):
    """A text in Perspective's shape."""

    text: Text
    type: str = "PLAIN_TEXT"


class ArticleAndParentComment(BaseModel):
    article: PerspectiveText | None = None
    parentComment: PerspectiveText | None = None


class PerspectiveContext(BaseModel):
    """Either `articleAndParentComment` or `entries` (both are that API's shapes)."""

    articleAndParentComment: ArticleAndParentComment | None = None
    entries: list[PerspectiveText] | None = None


class AttributeParams(BaseModel):
    scoreType: str | None = None
    scoreThreshold: float | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)


class AnalyzeRequest(BaseModel):
    """The Perspective API request; unknown fields are ignored, as that API does."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "comment": {"text": "you are all vermin", "type": "PLAIN_TEXT"},
                    "requestedAttributes": {
                        "TOXICITY": {},
                        "IDENTITY_ATTACK": {"scoreThreshold": 0.5},
                    },
                    "languages": ["en"],
                    "doNotStore": True,
                    "spanAnnotations": True,
                    "clientToken": "abc",
                }
            ]
        }
    )

    comment: PerspectiveText
    context: PerspectiveContext | None = None
    requestedAttributes: dict[str, AttributeParams]
    languages: list[str] | None = None
    doNotStore: bool = False
    spanAnnotations: bool = False
    clientToken: Text | None = None
    sessionId: Text | None = None
    communityId: Text | None = None


class Score(BaseModel):
    value: float
    type: Literal["PROBABILITY"] = "PROBABILITY"


class SpanScore(BaseModel):
    begin: int
    end: int
    score: Score


class AttributeScore(BaseModel):
    summaryScore: Score
    spanScores: list[SpanScore]


class AnalyzeResponse(BaseModel):
    """The Perspective API answer."""

    attributeScores: dict[str, AttributeScore]
    languages: list[str]
    detectedLanguages: list[str]
    clientToken: str | None = None
