"""`Moderator`: the one Python API. Text in, typed results out.

>>> from app import Moderator
>>> moderator = Moderator.load()
>>> [r.action for r in moderator.score(["have a nice day"])]
['allow']
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from spacy.language import Language
from spacy.tokens import Doc

from app.classifier import ModerationClassifier
from app.features import doc_norms
from app.labels import GROUPS, LABELS
from app.model_card import CLASSIFIER_FILE, NLP_DIR, ModelCardError, read_card
from app.pipeline import load_nlp
from app.pipeline.lexicon import SPAN_KEY, longest_spans
from app.pipeline.signals import ANAPHORS
from app.policy import Policy
from app.results import Result, Span

#: Where the shipped models live (a repo checkout or an editable install).
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MODEL_ENV = "MODERATE_MODEL_PATH"

# Lexicon category -> the label a span of it is evidence for.
_SPAN_LABEL = {
    "slur": "slur",
    "dehumanization": "dehumanization",
    "contempt": "identity_attack",
    "violence": "threat",
    "insult": "insult",
    "profanity": "profanity",
}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|[_.]+")


def default_model_dir() -> Path:
    """The model to load when none is named: `$MODERATE_MODEL_PATH`, else the newest in models/."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    candidates = sorted(
        (p for p in MODELS_DIR.glob("*") if (p / "model_card.json").exists()),
        key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"[.-]", p.name)],
    )
    if not candidates:
        raise ModelCardError(
            f"no model found in {MODELS_DIR}; set {MODEL_ENV} or run `moderate train`"
        )
    return candidates[-1]


@dataclass(frozen=True)
class Moderator:
    """A loaded model: spaCy pipeline, classifier, model card and default policy.

    Only :meth:`load` reads from disk; scoring has no side effects and is thread-safe.
    """

    nlp: Language
    classifier: ModerationClassifier
    card: dict[str, Any]
    policy: Policy
    path: Path

    @classmethod
    def load(cls, path: str | Path | None = None) -> Moderator:
        """Load a model folder (default: :func:`default_model_dir`).

        Raises :class:`ModelCardError` when the folder is incomplete or was trained with a
        different scikit-learn version (its pickle would not be trustworthy).
        """
        model_dir = Path(path) if path is not None else default_model_dir()
        card = read_card(model_dir)
        trained_with = card["versions"].get("scikit-learn")
        if trained_with and trained_with != sklearn.__version__:
            raise ModelCardError(
                f"model {model_dir} was trained with scikit-learn {trained_with}, "
                f"this is {sklearn.__version__}; retrain with `moderate train`"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("error", category=sklearn.exceptions.InconsistentVersionWarning)
            classifier = joblib.load(model_dir / CLASSIFIER_FILE)
        nlp = load_nlp(model_dir / NLP_DIR)
        return cls(
            nlp=nlp, classifier=classifier, card=card, policy=Policy.from_card(card), path=model_dir
        )

    @property
    def version(self) -> str:
        """The model version every result names."""
        return str(self.card["version"])

    # -- scoring ----------------------------------------------------------------------------
    def _docs(self, texts: Sequence[str], batch_size: int) -> list[Doc]:
        return list(self.nlp.pipe(texts, batch_size=batch_size))

    def probabilities(self, docs: Sequence[Doc]) -> np.ndarray:
        """Calibrated probabilities for processed docs, shape (n, len(LABELS))."""
        X = self.classifier.transform([doc_norms(d) for d in docs], [d._.signals for d in docs])
        return self.classifier.predict_proba(X)

    def score(
        self,
        texts: Sequence[str],
        contexts: Sequence[str | None] | None = None,
        policy: Policy | None = None,
        batch_size: int = 512,
    ) -> list[Result]:
        """Score texts; results come back in input order.

        Parameters
        ----------
        texts : sequence of str
            The comments (any length; empty text is allowed and is allowed through).
        contexts : sequence of str or None, optional
            For each text, the thread around it (parent comments, article title), used to
            resolve pronouns: "they should all be sent back" is judged by who "they" are.
        policy : Policy, optional
            A community's policy; defaults to the model card's thresholds.
        """
        if isinstance(texts, str):
            raise TypeError("score() takes a list of texts, not a single string")
        policy = policy or self.policy
        texts = [policy.mask_allowed(t) for t in texts]
        docs = self._docs(texts, batch_size)
        scored_docs = list(docs)
        if contexts is not None:
            if len(contexts) != len(texts):
                raise ValueError("contexts must have one entry per text")
            for i, resolved in self._resolve_with_context(docs, contexts, batch_size).items():
                scored_docs[i] = resolved
        probs = self.probabilities(scored_docs)
        results = []
        version = self.version
        for doc, scored, row in zip(docs, scored_docs, probs, strict=True):
            scores = {label: float(p) for label, p in zip(LABELS, row, strict=True)}
            target = scored._.target or "none"
            blocked = (
                policy.blocked_terms(doc.text, (t.norm_ for t in doc)) if policy.blocklist else []
            )
            decision = policy.decide(scores, target, blocked)
            results.append(
                Result(
                    scores=scores,
                    hateful=decision.hateful,
                    action=decision.action,
                    reasons=decision.reasons,
                    spans=self._spans(doc, decision.labels),
                    target=target if (decision.labels or target in GROUPS) else "none",
                    model_version=version,
                    labels=decision.labels,
                )
            )
        return results

    def score_usernames(self, names: Sequence[str], policy: Policy | None = None) -> list[Result]:
        """Score display names like comments ("ZionismIsEvil" is split into words first).

        A name that is not allowed carries the reason `username`.
        """
        split = [_CAMEL.sub(" ", name or "") for name in names]
        results = self.score(split, policy=policy)
        out = []
        for name, res in zip(names, results, strict=True):
            spans = [
                Span(s.start, s.end, (name or "")[s.start : s.end], s.label, s.normalized, s.usage)
                for s in res.spans
            ]
            reasons = res.reasons + (["username"] if res.action != "allow" else [])
            out.append(
                Result(
                    res.scores,
                    res.hateful,
                    res.action,
                    reasons,
                    spans,
                    res.target,
                    res.model_version,
                    res.labels,
                )
            )
        return out

    def score_thread(
        self,
        comments: Sequence[Mapping[str, Any]],
        article: Mapping[str, Any] | None = None,
        policy: Policy | None = None,
    ) -> list[Result]:
        """Score a thread: each comment with its chain of parents and the article as context.

        `comments` are mappings with `id`, `text` and optional `parent_id`.
        """
        by_id = {str(c.get("id")): c for c in comments if c.get("id") is not None}
        title = ""
        if article:
            title = " ".join(str(article.get(k) or "") for k in ("title",)).strip()
        contexts: list[str | None] = []
        for comment in comments:
            chain: list[str] = []
            parent = comment.get("parent_id")
            seen: set[str] = set()
            while parent is not None and str(parent) in by_id and str(parent) not in seen:
                seen.add(str(parent))
                node = by_id[str(parent)]
                chain.append(str(node.get("text") or ""))
                parent = node.get("parent_id")
            if title:
                chain.append(title)
            contexts.append("\n".join(chain) if chain else None)
        return self.score([str(c.get("text") or "") for c in comments], contexts, policy)

    # -- helpers ----------------------------------------------------------------------------
    def _resolve_with_context(
        self, docs: Sequence[Doc], contexts: Sequence[str | None], batch_size: int
    ) -> dict[int, Doc]:
        """Docs whose group-less pronouns ("they") are replaced by the group the context names.

        A small rule-based coreference step: only a reply that names no group itself but
        points back with "they/them/these/those" is rewritten, with the context's most
        mentioned protected group (its first surface form), and then scored as rewritten.
        """
        todo = [
            i
            for i, (doc, ctx) in enumerate(zip(docs, contexts, strict=True))
            if ctx and doc._.target not in GROUPS and any(t.norm_ in ANAPHORS for t in doc)
        ]
        if not todo:
            return {}
        ctx_docs = self._docs([contexts[i] or "" for i in todo], batch_size)
        rewritten: dict[int, str] = {}
        for i, ctx_doc in zip(todo, ctx_docs, strict=True):
            group = ctx_doc._.target
            if group not in GROUPS:
                continue
            surface = next(
                (
                    s.text
                    for s in ctx_doc.spans[SPAN_KEY]
                    if s.label_ in ("identity", "slur") and (s._.entry or {}).get("group") == group
                ),
                None,
            )
            if surface:
                rewritten[i] = _replace_anaphors(docs[i], surface)
        if not rewritten:
            return {}
        keys = list(rewritten)
        return dict(zip(keys, self._docs([rewritten[k] for k in keys], batch_size), strict=True))

    def _spans(self, doc: Doc, flagged: Sequence[str]) -> list[Span]:
        spans = doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else []
        keep = []
        for span in spans:
            label = _SPAN_LABEL.get(span.label_)
            if label is None:
                continue
            # slur spans always come out (with their usage); other evidence only when its
            # label was flagged, so a dashboard highlights what drove the verdict
            if (
                label == "slur"
                or label in flagged
                or (label == "profanity" and "insult" in flagged and span._.normalized)
            ):
                if span._.negated and label != "slur":
                    continue
                keep.append(span)
        out = []
        for span in longest_spans(keep):
            label = _SPAN_LABEL[span.label_]
            if (
                label == "profanity"
                and span._.normalized
                and " " in span._.normalized
                and "insult" in flagged
            ):
                label = "insult" if "profanity" not in flagged else "profanity"
            out.append(
                Span(
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
                    label=label,
                    normalized=span._.normalized,
                    usage=span._.usage if span.label_ == "slur" else None,
                )
            )
        return out


def _replace_anaphors(doc: Doc, surface: str) -> str:
    parts = []
    for tok in doc:
        if tok.norm_ in ("they", "them"):
            parts.append(surface)
            if tok.whitespace_ == "" and tok.i + 1 < len(doc):
                parts.append(" ")
        else:
            parts.append(tok.text)
        parts.append(tok.whitespace_)
    return "".join(parts)
