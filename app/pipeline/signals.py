"""The `moderate_signals` component: what the lexicon matches mean in their context.

For every doc it decides how each slur is used (derogatory, reclaimed, quoted,
counter-speech, homonym), which attack words are negated, who is addressed, which protected
group is targeted, and writes a fixed-order row of numbers (`doc._.signals`, columns
`SIGNAL_COLUMNS`) that the classifier reads beside the n-grams.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from app.pipeline.extensions import register_extensions
from app.pipeline.lexicon import SPAN_KEY

SECOND_PERSON = frozenset(
    {"you", "your", "yours", "yourself", "yourselves", "u", "ur", "ya", "youre", "thou"}
)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "im"})
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "hardly",
        "without",
        "cannot",
        "dont",
        "doesnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "cant",
        "aint",
        "didnt",
        "shouldnt",
        "nt",
    }
)
#: pronouns that point back to a group named elsewhere (in this comment or its parent)
ANAPHORS = frozenset({"they", "them", "their", "theirs", "themselves", "these", "those"})
QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "«", "»", "„", "``", "''"})
MENTION_FRAMES = (
    ("the", "word"),
    ("word",),
    ("called",),
    ("call",),
    ("calling",),
    ("say",),
    ("saying",),
    ("said",),
    ("term",),
    ("like",),
)

SIGNAL_COLUMNS: tuple[str, ...] = (
    "slur_derogatory",
    "slur_unknown",
    "slur_reclaimed",
    "slur_quoted",
    "slur_counter",
    "slur_homonym",
    "slur_severe",
    "slur_you",
    "dehum",
    "dehum_group",
    "dehum_you",
    "dehum_negated",
    "identity",
    "identity_groups",
    "identity_negated",
    "contempt",
    "contempt_group",
    "contempt_negated",
    "exclusion_group",
    "violence",
    "violence_group",
    "violence_you",
    "violence_wish",
    "violence_negated",
    "profanity",
    "profanity_strong",
    "profanity_glued",
    "profanity_you",
    "profanity_group",
    "insult",
    "insult_you",
    "insult_negated",
    "cue_counter",
    "cue_reported",
    "cue_denial",
    "cue_ingroup",
    "cue_positive",
    "cue_positive_negated",
    "anaphor",
    "anaphor_attack",
    "second_person",
    "first_person",
    "question",
    "quotes",
    "caps_ratio",
    "log_tokens",
    "obfuscated",
)
_LETTERS = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-Z]")
_COLUMN_INDEX = {name: i for i, name in enumerate(SIGNAL_COLUMNS)}
ATTACK_CATEGORIES = frozenset({"slur", "dehumanization", "contempt", "violence", "insult"})


def _negated(span: Span, negs: Sequence[int], window: int = 3) -> bool:
    if span[0].norm_ in NEGATORS:
        return False  # the entry itself is a negated phrase ("not human")
    return any(span.start - window <= i < span.start for i in negs)


def _in_quotes(span: Span, quote_positions: Sequence[int]) -> bool:
    before = sum(1 for i in quote_positions if i < span.start)
    after = any(i >= span.end for i in quote_positions)
    return before % 2 == 1 and after


def _mentioned(span: Span, norms: Sequence[str]) -> bool:
    """The slur is talked about as a word: "the word f*g", "called me a f*g"."""
    for frame in MENTION_FRAMES:
        n = len(frame)
        for gap in (0, 1):  # allow an article: "called me a", "like a"
            lo = span.start - n - gap
            if lo >= 0 and tuple(norms[lo : lo + n]) == frame:
                return True
    return False


def slur_usage(
    span: Span,
    norms: Sequence[str],
    normset: set[str],
    cues: Counter,
    quote_positions: Sequence[int],
) -> str:
    """How a slur span is used; see `app.labels.SLUR_USAGES`."""
    entry = span._.entry or {}
    if entry.get("homonym") and normset.intersection(entry.get("homonym_cues", ())):
        return "homonym"
    quoted = _in_quotes(span, quote_positions) or _mentioned(span, norms)
    if cues["counter_speech"]:
        # check counter-speech before derogatory: counter-speech repeats the slur it opposes
        return "counter_speech"
    if quoted or cues["quotation_frame"]:
        return "quoted"
    if entry.get("reclaimable"):
        window = norms[max(0, span.start - 4) : span.start]
        if cues["ingroup"] or FIRST_PERSON.intersection(window):
            return "reclaimed"
        if entry.get("severity") != "severe" and not (normset & SECOND_PERSON):
            # a reclaimable word with no one addressed and no in-group cue: could be either
            return "unknown"
    return "derogatory"


class Signals:
    """Computes `doc._.signals`, `doc._.target` and `span._.usage` / `span._.negated`."""

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else []
        row = [0.0] * len(SIGNAL_COLUMNS)
        col = _COLUMN_INDEX
        n_tokens = len(doc)
        row[col["log_tokens"]] = math.log1p(n_tokens)
        text = doc.text
        letters = len(_LETTERS.findall(text))
        if letters:
            row[col["caps_ratio"]] = len(_UPPER.findall(text)) / letters
        row[col["question"]] = float("?" in text)
        if not n_tokens:
            doc._.signals = row
            doc._.target = "none"
            return doc
        norms = [t.norm_ for t in doc]
        normset = set(norms)
        second = bool(normset & SECOND_PERSON)
        row[col["second_person"]] = float(second)
        row[col["first_person"]] = float(bool(normset & FIRST_PERSON))
        anaphor = bool(normset & ANAPHORS)
        row[col["anaphor"]] = float(anaphor)
        if not spans:
            doc._.signals = row
            doc._.target = "individual" if second else "none"
            return doc

        quote_positions = (
            [t.i for t in doc if t.text in QUOTES] if any(q in text for q in QUOTES) else []
        )
        row[col["quotes"]] = float(bool(quote_positions))
        negs = [i for i, n in enumerate(norms) if n in NEGATORS or n.endswith("n't")]
        cues: Counter = Counter()
        groups: Counter = Counter()
        by_cat: dict[str, list[Span]] = {}
        for span in spans:
            entry = span._.entry or {}
            cat = span.label_
            by_cat.setdefault(cat, []).append(span)
            if cat == "cue":
                kind = entry.get("kind", "")
                cues[kind] += 1
                if kind == "positive_identity" and _negated(span, negs, 2):
                    row[col["cue_positive_negated"]] += 1
            elif cat == "identity":
                groups[entry.get("group")] += 1
                if _negated(span, negs, 2):
                    row[col["identity_negated"]] += 1
            if span._.normalized is not None:
                row[col["obfuscated"]] += 1
        for kind, name in (
            ("counter_speech", "cue_counter"),
            ("reported_speech", "cue_reported"),
            ("denial", "cue_denial"),
            ("ingroup", "cue_ingroup"),
            ("positive_identity", "cue_positive"),
        ):
            row[col[name]] = float(cues[kind])
        row[col["identity"]] = float(sum(groups.values()))
        row[col["identity_groups"]] = float(len(groups))

        for span in by_cat.get("slur", ()):
            entry = span._.entry or {}
            usage = slur_usage(span, norms, normset, cues, quote_positions)
            span._.usage = usage
            row[col[f"slur_{'counter' if usage == 'counter_speech' else usage}"]] += 1
            if usage == "derogatory":
                groups[entry.get("group")] += 1
                if entry.get("severity") == "severe":
                    row[col["slur_severe"]] += 1
                if second:
                    row[col["slur_you"]] += 1
        group_named = bool(groups)
        for cat, base in (
            ("dehumanization", "dehum"),
            ("contempt", "contempt"),
            ("violence", "violence"),
            ("insult", "insult"),
        ):
            for span in by_cat.get(cat, ()):
                negated = _negated(span, negs)
                span._.negated = negated
                if negated and f"{base}_negated" in col:
                    row[col[f"{base}_negated"]] += 1
                    continue
                row[col[base]] += 1
                if group_named and f"{base}_group" in col:
                    row[col[f"{base}_group"]] += 1
                if second and f"{base}_you" in col:
                    row[col[f"{base}_you"]] += 1
                kind = (span._.entry or {}).get("kind")
                if cat == "violence" and kind in ("wish", "phrase"):
                    row[col["violence_wish"]] += 1
                if kind == "exclusion" and group_named:
                    row[col["exclusion_group"]] += 1
                if anaphor and cat != "insult":
                    row[col["anaphor_attack"]] += 1
        for span in by_cat.get("profanity", ()):
            entry = span._.entry or {}
            row[col["profanity"]] += 1
            if entry.get("severity") == "strong":
                row[col["profanity_strong"]] += 1
            if span._.normalized and " " in span._.normalized:
                row[col["profanity_glued"]] += 1
            if second:
                row[col["profanity_you"]] += 1
            if group_named:
                row[col["profanity_group"]] += 1
        doc._.signals = row
        if groups:
            doc._.target = groups.most_common(1)[0][0]
        elif second or by_cat.get("insult") or row[col["profanity_glued"]]:
            doc._.target = "individual"
        else:
            doc._.target = "none"
        return doc


@Language.factory(
    "moderate_signals",
    requires=["doc.spans"],
    assigns=["doc._.signals", "doc._.target"],
    default_config={},
)
def make_signals(nlp: Language, name: str) -> Signals:
    """Factory for :class:`Signals`."""
    register_extensions()
    return Signals()
