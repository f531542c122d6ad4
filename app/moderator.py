"""`Moderator`: the one Python API. Text in, typed results out.

>>> from app import Moderator
>>> moderator = Moderator.load()
>>> [r.action for r in moderator.score(["have a nice day"])]
['allow']
"""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from app.blocklist import blocked_terms, with_block_spans
from app.classifier import ModerationClassifier
from app.classifier_io import load_classifier
from app.features import doc_norms
from app.gc_pause import collector_paused
from app.labels import GROUPS, LABELS
from app.language import SUPPORTED, UNDETERMINED, languages_of
from app.model_card import (  # noqa: F401  (default_model_dir & co. re-exported)
    MODEL_ENV,
    MODELS_DIR,
    NLP_DIR,
    ModelCardError,
    default_model_dir,
    read_card,
)
from app.model_io import verify_artifacts
from app.pipeline import load_nlp, process
from app.pipeline.extensions import (
    X_MATCHES,
    X_SIGNALS,
    X_TARGET,
    X_TOKEN_FACTS,
    X_WORD_FACTS,
    doc_norm_ids,
)
from app.pipeline.lexicon import LexMatch, longest_spans
from app.pipeline.normalizer import F_SYMBOL
from app.pipeline.signals import SIGNAL_COLUMNS, questioned_support
from app.policy import Policy
from app.praise import praised_rows
from app.results import Result, Span
from app.spans import SpanModel, decode_spans, whole_text_span
from app.threads import context_text, id_key, parent_chain
from app.usernames import NameReading, as_username_result, load_rules, split_name

# Lexicon category -> the label a span of it is evidence for.
_SPAN_LABEL = {
    "slur": "slur",
    "dehumanization": "dehumanization",
    "contempt": "identity_attack",
    "violence": "threat",
    "insult": "insult",
    "profanity": "profanity",
}
_DENIED = SIGNAL_COLUMNS.index("denied")
_SUPPORT = SIGNAL_COLUMNS.index("cue_positive")
_COUNTER = (SIGNAL_COLUMNS.index("cue_counter"), SIGNAL_COLUMNS.index("cue_reported"))
#: live attack words: a text with one of them is not read as support for a group
_ATTACK_WORDS = tuple(
    SIGNAL_COLUMNS.index(name)
    for name in (
        "slur_derogatory", "slur_unknown", "slur_severe", "dehum", "dehum_group", "contempt",
        "contempt_group", "exclusion_group", "violence", "violence_group", "violence_wish",
        "profanity_strong", "insult", "insult_strong", "cue_positive_negated",
    )
)
#: label -> the signal column whose presence lifts it to the card's lexical floor
_FLOOR_EVIDENCE = {"insult": "insult_strong", "profanity": "profanity_strong"}


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
    #: the span extractor (`spans.npz`/`spans.json`), None for a model folder without one
    span_model: SpanModel | None = field(default=None, repr=False, compare=False)
    #: thread context text -> (group it names, that group's first surface form); replies
    #: to one parent share their context, so it is read once (bounded, see _CONTEXT_CACHE)
    _context_groups: dict[str, tuple[str | None, str | None]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def load(cls, path: str | Path | None = None) -> Moderator:
        """Load a model folder (default: :func:`default_model_dir`).

        Raises :class:`ModelCardError`, naming the file, when the folder is of another
        format (a pickled model: see `moderate convert`), or a file is missing, truncated,
        changed or not listed in the card. Nothing in the folder is unpickled or executed:
        every file is checked against the card's sha256 first, the classifier is NumPy
        arrays and JSON (:mod:`app.classifier_io`), and spaCy reads its folder's JSON,
        msgpack and arrays with pickles refused.

        Loading calls :func:`gc.freeze`: the objects alive at that point (imported libraries,
        the model) are never scanned by the cyclic garbage collector again.
        """
        model_dir = Path(path) if path is not None else default_model_dir()
        card = read_card(model_dir)
        verify_artifacts(model_dir, card)
        classifier = load_classifier(model_dir)
        nlp = _load_pipeline(model_dir / NLP_DIR)
        moderator = cls(
            nlp=nlp,
            classifier=classifier,
            card=card,
            policy=Policy.from_card(card),
            path=model_dir,
            span_model=SpanModel.load(model_dir, classifier),
        )
        # Importing spaCy, SciPy and NumPy leaves ~100k long-lived Python objects, which every
        # full garbage collection would walk again (~0.1 s each, about 10% of scoring time).
        # They and the model live as long as the process, so they leave the collector's view.
        gc.freeze()
        return moderator

    @property
    def version(self) -> str:
        """The model version every result names."""
        return str(self.card["version"])

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the model reads (its card's `languages`, else English only)."""
        return tuple(self.card.get("languages") or SUPPORTED)

    # -- scoring ----------------------------------------------------------------------------
    def docs(self, texts: Sequence[str], batch_size: int = 512) -> list[Doc]:
        """Run the pipeline over `texts` (see :func:`app.pipeline.process`)."""
        return process(self.nlp, texts, batch_size)

    def probabilities(self, docs: Sequence[Doc]) -> np.ndarray:
        """Calibrated probabilities for processed docs, shape (n, len(LABELS)).

        Insult and profanity are close to lexical by definition, so a model card may set
        `lexical_floors`: a live (not negated, not quoted) strong insult or a strong
        obscenity found by the lexicon lifts that label's score to at least the floor. A
        long comment then cannot dilute "the moron Erdogan" below the review threshold.

        The other way, a card may set `praise_shrink` (label -> factor): a text that only
        praises the group it names (:func:`app.praise.praises_group`) or supports it (a
        support cue of the lexicon that is not asked about, and nothing that leans
        negative), with no live attack word of the lexicon, has those labels' scores
        multiplied by the factor, because the heads read naming a group as evidence of an
        attack whatever is said of it ("Old people are wise.": identity_attack 0.35, over its
        review threshold).
        """
        signals = [d.user_data.get(X_SIGNALS) for d in docs]
        norms = [doc_norms(d) for d in docs]
        probs = self.classifier.predict_proba(self.classifier.transform(norms, signals))
        shrink = self.card.get("praise_shrink") or {}
        if shrink and len(docs):
            vectorizer = self.classifier.vectorizer
            targets = [d.user_data.get(X_TARGET) for d in docs]
            # a support cue ("deserve equal rights") that is not asked about reads as praise
            supported = [
                bool(s and s[_SUPPORT]) and not questioned_support(d)
                for s, d in zip(signals, docs, strict=True)
            ]
            rows = praised_rows(vectorizer, norms, signals, targets, _ATTACK_WORDS, supported)
            for label, factor in shrink.items():
                probs[rows, LABELS.index(label)] *= float(factor)
        floors = self.card.get("lexical_floors") or {}
        if floors and len(docs):
            rows = np.asarray(signals, dtype=np.float32)
            for label, column in _FLOOR_EVIDENCE.items():
                floor = floors.get(label)
                if floor:
                    j = LABELS.index(label)
                    hit = rows[:, SIGNAL_COLUMNS.index(column)] > 0
                    probs[hit, j] = np.maximum(probs[hit, j], float(floor))
        return probs

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

        The cyclic garbage collector is paused during the call (see :mod:`app.gc_pause`).
        """
        if isinstance(texts, str):
            raise TypeError("score() takes a list of texts, not a single string")
        if contexts is not None and len(contexts) != len(texts):
            raise ValueError("contexts must have one entry per text")
        with collector_paused():
            return self._score(texts, contexts, policy or self.policy, batch_size)

    def _score(
        self,
        texts: Sequence[str],
        contexts: Sequence[str | None] | None,
        policy: Policy,
        batch_size: int,
        names: Sequence[NameReading] | None = None,
    ) -> list[Result]:
        """Score texts; `names` (display names only) carries each name's rule readings."""
        # spans quote the texts as given; the pipeline reads them cleaned and masked (both
        # keep every offset)
        originals = list(texts)
        texts = [policy.mask_allowed(_clean(t)) for t in texts]
        docs = self.docs(texts, batch_size)
        # a display name is not prose: its language is not told
        languages = _languages(texts, docs) if names is None else None
        readable = self.languages
        scored_docs = list(docs)
        probs = self.probabilities(docs)
        group_in_context: list[bool] | None = None
        if contexts is not None:
            # Only replies whose verdict the thread can change are read with it: those that
            # point back ("they") or attack, or that could be hateful without naming a group.
            could_hate = _could_be_hateful(probs, policy)
            candidates = [
                ctx if ctx and (could_hate[i] or _needs_referent(doc)) else None
                for i, (doc, ctx) in enumerate(zip(docs, contexts, strict=True))
            ]
            resolved, group_in_context = self._resolve_with_context(
                texts, docs, candidates, batch_size
            )
            if resolved:
                keys = list(resolved)
                for i in keys:
                    scored_docs[i] = resolved[i]
                probs[keys] = self.probabilities([resolved[i] for i in keys])
        version = self.version
        decide = policy.decide
        rows = probs.tolist()  # Python floats once for the batch, not per label
        verdicts = []
        extras = []  # per text: its signal row, block-list hits and language
        for i, (text, doc, scored, row) in enumerate(
            zip(texts, docs, scored_docs, rows, strict=True)
        ):
            scores = dict(zip(LABELS, row, strict=True))
            target = scored.user_data.get(X_TARGET) or "none"
            reading = names[i] if names is not None else None
            if reading is not None:
                # the username rules lift labels the way the card's lexical floors do: a
                # hate code is certain, so to the floor or the policy's remove threshold
                for label, floor in reading.floors.items():
                    cut = policy.remove.get(label)
                    scores[label] = max(scores[label], floor, cut if cut is not None else 0.0)
                target = reading.target or target
            # read in a thread that names no protected group anywhere: no group can be hit
            require_group = group_in_context is not None and not group_in_context[i]
            # display names glue words together, so a block-listed term may sit inside one
            hits = policy.block_hits(doc, text, glued=reading is not None)
            row_signals = scored.user_data.get(X_SIGNALS)
            denied = bool(row_signals[_DENIED]) if row_signals else False
            if row_signals and not denied and policy.hate_opposed != "never":
                denied = policy.opposes(
                    support=bool(row_signals[_SUPPORT])
                    and not any(row_signals[k] for k in _ATTACK_WORDS)
                    and not questioned_support(scored),
                    counter=any(row_signals[k] for k in _COUNTER),
                )
            language = languages[i] if languages is not None else UNDETERMINED
            decision = decide(
                scores,
                target,
                blocked_terms(hits) if hits else (),
                require_group=require_group,
                denied=denied,
                unsupported_language=language != UNDETERMINED and language not in readable,
                hate_symbol=reading is not None and bool(reading.codes),
            )
            verdicts.append((scores, target, decision))
            extras.append((row_signals, hits, language))
        spans = self._evidence(originals, docs, probs, verdicts, policy.spans == "always")
        results = []
        for (scores, target, decision), text_spans, (row_signals, hits, language), original in zip(
            verdicts, spans, extras, originals, strict=True
        ):
            flagged = decision.labels
            if hits:
                # a block-listed term is its own evidence; a removal for it alone shows
                # only the term
                text_spans = with_block_spans(text_spans if flagged else [], hits, original)
            results.append(
                Result(
                    scores,
                    decision.hateful,
                    decision.action,
                    decision.reasons,
                    text_spans,
                    _reported_target(decision.hateful, flagged, target, row_signals),
                    version,
                    flagged,
                    language,
                )
            )
        return results

    def _evidence(
        self,
        texts: Sequence[str],
        docs: Sequence[Doc],
        probs: np.ndarray,
        verdicts: Sequence[tuple[dict[str, float], str, Any]],
        always: bool,
    ) -> list[list[Span]]:
        """Evidence spans of each text (`texts` are the original strings).

        A text that is not allowed (or every text, with `always`) gets the span model's
        spans, and at least one span when it has any visible character; an allowed text
        otherwise keeps only the slurs the lexicon found, with their usage.
        """
        out: list[list[Span]] = [[] for _ in texts]
        todo = [i for i, v in enumerate(verdicts) if always or v[2].action != "allow"]
        extracted = set(todo)
        for i, doc in enumerate(docs):
            matches = doc.user_data.get(X_MATCHES)
            if matches and (self.span_model is None or i not in extracted):
                # no span model (an older model folder): the lexicon's evidence, as before
                flagged = verdicts[i][2].labels if i in extracted else ()
                out[i] = self._spans(doc, texts[i], matches, flagged)
        if self.span_model is None:
            for i in todo:
                if not out[i] and verdicts[i][2].action != "allow":
                    whole = whole_text_span(texts[i], verdicts[i][2].labels, verdicts[i][0])
                    out[i] = [whole] if whole is not None else []
            return out
        if not todo:
            return out
        settings = self.span_model.decode
        token_scores = self.span_model.score([docs[i] for i in todo], probs[todo])
        for i, scored in zip(todo, token_scores, strict=True):
            scores, _target, decision = verdicts[i]
            out[i] = decode_spans(
                scored,
                docs[i],
                texts[i],
                settings,
                decision.labels,
                scores,
                require=decision.action != "allow",
            )
        return out

    def score_usernames(self, names: Sequence[str], policy: Policy | None = None) -> list[Result]:
        """Score display names ("ZionismIsEvil" is split into words first).

        Names are read with the rules of :mod:`app.usernames` (kinship words are part of a
        name, hate codes and "kill all X" are not allowed), block-listed terms match inside
        glued words, spans point into the original names, and `language` is `und`. A name
        that is not allowed carries the reason `username`.
        """
        if isinstance(names, str):
            raise TypeError("score_usernames() takes a list of names, not a single string")
        policy = policy or self.policy
        rules = load_rules()
        splits = [split_name(_clean(name or "")) for name in names]
        with collector_paused():
            readings = [
                rules.read(split, doc)
                for split, doc in zip(splits, self.docs([s.text for s in splits]), strict=True)
            ]
            results = self._score([r.masked for r in readings], None, policy, 512, readings)
        return [as_username_result(r, res) for r, res in zip(readings, results, strict=True)]

    def score_thread(
        self,
        comments: Sequence[Mapping[str, Any]],
        article: Mapping[str, Any] | None = None,
        policy: Policy | None = None,
    ) -> list[Result]:
        """Score a thread: each comment with its chain of parents and the article as context.

        `comments` are mappings with `id`, `text` and optional `parent_id`.
        """
        nodes = {
            key: (str(c.get("text") or ""), c.get("parent_id"))
            for c in comments
            if (key := id_key(c.get("id"))) is not None
        }
        title = str((article or {}).get("title") or "").strip()
        contexts = [
            context_text(parent_chain(c.get("parent_id"), nodes.get), title) for c in comments
        ]
        return self.score([str(c.get("text") or "") for c in comments], contexts, policy)

    # -- helpers ----------------------------------------------------------------------------
    def _resolve_with_context(
        self,
        texts: Sequence[str],
        docs: Sequence[Doc],
        contexts: Sequence[str | None],
        batch_size: int,
    ) -> tuple[dict[int, Doc], list[bool]]:
        """Re-read replies in the light of their thread.

        A small rule-based coreference step: a reply that names no protected group itself
        but points back with "they/them/these people" has those words replaced by the group
        its context names most (its first surface form); a reply that attacks without any
        pronoun gets the group appended. Those rewritten replies are scored as rewritten.

        Returns the rewritten docs by index, and for every text whether it or its context
        names a protected group.
        """
        has_group = [doc.user_data.get(X_TARGET) in GROUPS for doc in docs]
        todo = [
            i
            for i, (doc, ctx) in enumerate(zip(docs, contexts, strict=True))
            if ctx and not has_group[i]
        ]
        if not todo:
            return {}, [g or c is None for g, c in zip(has_group, contexts, strict=True)]
        # each distinct context is parsed once; `found` keeps this call's answers even if
        # another thread clears the shared cache meanwhile
        cache = self._context_groups
        found = {ctx: cache.get(ctx) for ctx in dict.fromkeys(contexts[i] or "" for i in todo)}
        unread = [ctx for ctx, hit in found.items() if hit is None]
        if len(cache) + len(unread) > _CONTEXT_CACHE:
            cache.clear()
        if unread:
            # a reply's context is often just its parent's text, and the parent is often
            # in this same batch: its doc is the context's doc, already parsed
            in_batch = {text: i for i, text in enumerate(texts)}
            for ctx in unread:
                if (i := in_batch.get(ctx)) is not None:
                    found[ctx] = cache[ctx] = group_named(docs[i])
            # a context of several parents, each a text of this batch that cannot name a
            # group, names none either (see `_cannot_name_group`)
            group_free: dict[int, bool] = {}
            for ctx in unread:
                if found[ctx] is None and _lines_name_no_group(ctx, in_batch, docs, group_free):
                    found[ctx] = cache[ctx] = (None, None)
            unread = [ctx for ctx in unread if found[ctx] is None]
        for ctx, ctx_doc in zip(unread, self.docs(unread, batch_size), strict=True):
            found[ctx] = cache[ctx] = group_named(ctx_doc)
        rewritten: dict[int, str] = {}
        for i in todo:
            group, surface = found[contexts[i] or ""]
            if group is None:
                continue
            has_group[i] = True
            text = reread_with_group(docs[i], surface, texts[i]) if surface else None
            if text is not None:
                rewritten[i] = text
        # a text read without context keeps its own judgement
        known = [g or c is None for g, c in zip(has_group, contexts, strict=True)]
        if not rewritten:
            return {}, known
        keys = list(rewritten)
        new_docs = self.docs([rewritten[k] for k in keys], batch_size)
        return dict(zip(keys, new_docs, strict=True)), known

    def _spans(
        self, doc: Doc, text: str, matches: Sequence[LexMatch], flagged: Sequence[str]
    ) -> list[Span]:
        """Evidence spans of `doc`, whose text is `text` (passed in: `doc.text` re-joins
        every token)."""
        keep = []
        for match in matches:
            label = _SPAN_LABEL.get(match.label)
            if label is None or (match.negated and label != "slur"):
                continue
            # slur spans always come out (with their usage); other evidence only when its
            # label was flagged, so a dashboard highlights what drove the verdict
            if (
                label == "slur"
                or label in flagged
                or (label == "profanity" and "insult" in flagged and match.normalized)
            ):
                keep.append(match)
        if not keep:
            return []
        out = []
        for match in longest_spans(keep):
            label = _SPAN_LABEL[match.label]
            glued = bool(match.normalized and " " in match.normalized)
            if label == "profanity" and glued and "profanity" not in flagged:
                label = "insult"  # "Erdocunt": the glued obscenity is the insult
            start, end = match.char_span(doc)
            out.append(
                Span(
                    start=start,
                    end=end,
                    text=text[start:end],
                    label=label,
                    normalized=match.normalized,
                    usage=match.usage if match.label == "slur" else None,
                )
            )
        return out


def _load_pipeline(path: Path) -> Language:
    """The spaCy pipeline of a verified model folder; any failure is a ModelCardError."""
    try:
        return load_nlp(path)
    except Exception as exc:  # spaCy raises many kinds (IOError, ValueError, KeyError...)
        raise ModelCardError(f"{path}: spaCy cannot load it: {exc}") from exc


def _languages(texts: Sequence[str], docs: Sequence[Doc]) -> list[str]:
    """The language of each text, from the word facts its doc's normalizer counted."""
    return languages_of(texts, [doc.user_data.get(X_WORD_FACTS) for doc in docs])


_SURROGATES = re.compile("[\ud800-\udfff]")
_ATTACK_CATEGORIES = frozenset({"slur", "dehumanization", "contempt", "violence", "insult"})
# pronouns as token NORM ids; "these/those/such" are replaced only when "people" follows
_THEY_IDS = frozenset(hash_string(word) for word in ("they", "them"))
_ANAPHOR_IDS = _THEY_IDS | frozenset(hash_string(word) for word in ("these", "those"))
_PRONOUN_IDS = _ANAPHOR_IDS | {hash_string("such")}
_PEOPLE_ID = hash_string("people")


def _clean(text: str) -> str:
    """Replace lone surrogates (not encodable text) with U+FFFD; offsets are kept."""
    if not isinstance(text, str):
        raise TypeError(f"texts must be str, got {type(text).__name__}")
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


_CONTEXT_CACHE = 50_000  # distinct thread contexts remembered by a Moderator
#: labels of the lexicon matches whose entry names a group: what `group_named` reads a
#: context's surface form from, and what `_cannot_name_group` must find absent
_GROUP_LABELS = ("identity", "slur")


def group_named(ctx_doc: Doc) -> tuple[str | None, str | None]:
    """The protected group a thread context names most, and its first surface form there."""
    group = ctx_doc.user_data.get(X_TARGET)
    if group not in GROUPS:
        return None, None
    surface = next(
        (
            ctx_doc[s.start : s.end].text
            for s in ctx_doc.user_data.get(X_MATCHES) or ()
            if s.label in _GROUP_LABELS and s.entry.get("group") == group
        ),
        None,
    )
    return group, surface


def _cannot_name_group(doc: Doc) -> bool:
    """Whether no text joined from this doc's lines and other such lines by newlines can
    name a protected group (so :func:`group_named` of the joined text is `(None, None)`).

    Why this holds: the tokenizer always splits at a newline, which becomes a whitespace
    token, so the joined text's tokens (and their norms, a property of each string) are the
    lines' own. No lexicon phrase contains a whitespace token, and a spaced-letter run
    ("f a g") cannot cross one, so every group-naming match of the joined text lies inside
    one line and is found in that line alone too; a line of this doc has none when the doc
    has none. The one scan that pairs a token with the next one whatever it is (a leet
    symbol glued to a word: "$hit") runs only when some token is such a symbol, so docs
    with one are never counted as group-free.
    """
    facts = doc.user_data.get(X_TOKEN_FACTS)
    if facts is None or facts[0] & F_SYMBOL:
        return False
    return not any(
        m.label in _GROUP_LABELS and (m.entry or {}).get("group") in GROUPS
        for m in doc.user_data.get(X_MATCHES) or ()
    )


def _lines_name_no_group(
    context: str, in_batch: Mapping[str, int], docs: Sequence[Doc], memo: dict[int, bool]
) -> bool:
    """Whether every line of `context` is blank or a text of the batch (`in_batch` maps
    text to index into `docs`) that cannot name a group; `memo` caches per index."""
    for line in context.split("\n"):
        if not line or line.isspace():
            continue
        i = in_batch.get(line)
        if i is None:
            return False
        free = memo.get(i)
        if free is None:
            free = memo[i] = _cannot_name_group(docs[i])
        if not free:
            return False
    return True


_SECOND_PERSON = SIGNAL_COLUMNS.index("second_person")


def _reported_target(
    hateful: bool, flagged: Sequence[str], target: str, signals: Sequence[float] | None
) -> str:
    """`target` is who is attacked: the group of a hateful text; `individual` when a text
    that is not hateful attacks someone it addresses or insults; `none` otherwise (an
    allowed text attacks nobody, whatever groups it names)."""
    if hateful:
        return target if target in GROUPS else "none"
    if not flagged:
        return "none"
    if target == "individual" or (signals is not None and signals[_SECOND_PERSON]):
        return "individual"
    return "none"


def _could_be_hateful(probs: np.ndarray, policy: Policy) -> np.ndarray:
    """Rows where some hate label or threat passes its review threshold."""
    hit = np.zeros(len(probs), dtype=bool)
    for label in ("slur", "dehumanization", "identity_attack", "threat"):
        threshold = policy.review.get(label)
        if threshold is not None:
            hit |= probs[:, LABELS.index(label)] >= threshold
    return hit


def _needs_referent(doc: Doc) -> bool:
    """A reply that points back with a pronoun or attacks someone it does not name."""
    if _attacks(doc):
        return True
    return not _ANAPHOR_IDS.isdisjoint(doc_norm_ids(doc))


def reread_with_group(doc: Doc, surface: str, text: str | None = None) -> str | None:
    """How a reply is re-read under a thread that names a group (`surface`, its first form
    there): "they/them/these people" become `surface`, or a reply that attacks without a
    pronoun gets it appended in parentheses; None when neither applies.

    `text` is the doc's text when the caller has it (`doc.text` re-joins every token).
    Training reads generated thread replies through this same function, so the classifier
    learns from the text it will see at scoring time.
    """
    text = doc.text if text is None else text
    rewritten = _replace_anaphors(doc, surface, text)
    if rewritten is None and _attacks(doc):
        rewritten = f"{text} ({surface})"
    return rewritten


def _attacks(doc: Doc) -> bool:
    return any(m.label in _ATTACK_CATEGORIES for m in doc.user_data.get(X_MATCHES) or ())


def _replace_anaphors(doc: Doc, surface: str, text: str) -> str | None:
    """The doc's text with "they/them" and "these/those/such people" replaced by `surface`,
    or None when it has no such pronoun. A replaced "they" glued to the next token gets a
    space after it; "these people" becomes `surface` plus the space after "these"."""
    norm_ids = doc_norm_ids(doc)
    if _PRONOUN_IDS.isdisjoint(norm_ids):
        return None
    n = len(norm_ids)
    offsets = doc.to_array([IDX, LENGTH, SPACY]).tolist()
    pieces: list[str] = []
    pos = 0
    skip = -1
    for i, norm in enumerate(norm_ids):
        if i == skip or norm not in _PRONOUN_IDS:
            continue
        start, length, spaced = offsets[i]
        if norm in _THEY_IDS:
            end = start + length
            replacement = surface if spaced or i + 1 == n else surface + " "
        elif i + 1 < n and norm_ids[i + 1] == _PEOPLE_ID:
            nxt_start, nxt_length, _ = offsets[i + 1]
            end = nxt_start + nxt_length
            replacement = surface + (" " if spaced else "")
            skip = i + 1
        else:
            continue
        pieces.append(text[pos:start])
        pieces.append(replacement)
        pos = end
    if not pieces:
        return None
    pieces.append(text[pos:])
    return "".join(pieces)
