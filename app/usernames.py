"""Display names: split into words with an offset map, and the rules a name is read by.

A display name is not a comment. "ZionismIsEvil", "xX_n1gg3rSlayer_Xx" and "KillAllJews88"
are glued words, kinship and honorific words are part of a name ("Grandma Jo" names a
person, not women), and the worst names are coded ("HitlerWasRight", "WhitePowerDan88").
So before a name is scored like a comment (:meth:`app.Moderator.score_usernames`):

1. :func:`split_name` cuts it into words (camelCase, `_`/`.` separators, a number at the
   end or start of a word: "Jews88" -> "Jews 88", but never inside leetspeak such as
   "n1gg3r"), and keeps a map back to the original string, so every span of the split
   text points at the right characters of the name.
2. :class:`NameRules` (data in `app/username_rules.json`, no retraining needed) finds
   hate codes (hate figures and slogans, matched glued like a block list: "hitler",
   "sieg heil", "white power"; number codes "1488", and "88"/"14"/"18" next to another
   code), kinship and honorific words, and a violent verb aimed at a group ("kill all X").
3. Hate codes and (in a name that attacks nobody) kinship words are blanked before the
   name is scored, so "white" in "White Power" or "grandma" in "Grandma Jo" are not read
   as naming a group. A hate code then lifts `identity_attack`, and a violent verb before a
   group lifts `threat` (with that group as the target), to the rules' `floor` (0.9) or
   the policy's remove threshold if higher, like the card's lexical floors do for insults.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.blocklist import BlockList
from app.labels import GROUPS
from app.language import UNDETERMINED
from app.pipeline.extensions import X_MATCHES
from app.results import Result, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULES_FILE = Path(__file__).with_name("username_rules.json")
_SEPARATORS = frozenset("_.")
#: lexicon categories whose match means a name attacks someone
_ATTACKS = frozenset({"slur", "dehumanization", "contempt", "violence", "insult", "profanity"})
#: tokens a violent verb may skip before the group it is aimed at ("kill ALL jews")
_QUANTIFIERS = frozenset({"all", "the", "every", "more", "em", "them", "those", "these"})


@dataclass(frozen=True)
class SplitName:
    """A display name cut into words: `text` and, per character of it, its index in the
    original name (`origin`; an inserted space points at the character after it)."""

    name: str
    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original name of the split text's `start:end` (non-empty)."""
        return self.origin[start], self.origin[end - 1] + 1


def _digit_run_end(name: str, i: int) -> int:
    j = i
    while j < len(name) and name[j].isdigit():
        j += 1
    return j


def _boundary_before(name: str, i: int) -> bool:
    """Whether a word starts at `name[i]` though nothing separates it from `name[i-1]`."""
    prev, c = name[i - 1], name[i]
    if prev.islower() and c.isupper():  # camelCase: "zionismIs"
        return True
    if prev.isupper() and c.isupper() and i + 1 < len(name) and name[i + 1].islower():
        return True  # an acronym before a word: "KKKMember"
    if prev.isalpha() and c.isdigit():
        # a number that ends a word ("Jews88", "Dave1987"), not leetspeak ("n1gg3r")
        end = _digit_run_end(name, i)
        return end == len(name) or not name[end].islower()
    if prev.isdigit() and c.isupper():
        return True  # "88Kill"
    return False


def split_name(name: str) -> SplitName:
    """Cut a display name into words, keeping the map back to the original string.

    >>> split_name("ZionismIsEvil").text
    'Zionism Is Evil'
    >>> split_name("xX_n1gg3rSlayer_Xx").text
    'x X n1gg3r Slayer Xx'
    """
    out: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(name):
        if c in _SEPARATORS:
            if out and out[-1] != " ":
                out.append(" ")
                origin.append(i)
            continue
        if i and out and out[-1] != " " and _boundary_before(name, i):
            out.append(" ")
            origin.append(i)
        out.append(c)
        origin.append(i)
    return SplitName(name, "".join(out), origin)


@dataclass(frozen=True)
class CodeHit:
    """A hate code found in a name: offsets into the split text and its canonical form."""

    start: int
    end: int
    code: str


@dataclass
class NameReading:
    """What the rules found in one name (offsets into its split text).

    `masked` is the split text with hate codes and (when the name attacks nobody) kinship
    words blanked; `floors` maps a label to the score it is lifted to; `target` is the
    group a violent verb is aimed at.
    """

    split: SplitName
    masked: str
    codes: list[CodeHit] = field(default_factory=list)
    floors: dict[str, float] = field(default_factory=dict)
    target: str | None = None


@cache
def load_rules(path: Path = RULES_FILE) -> NameRules:
    """The shipped username rules (read once per process)."""
    return NameRules(json.loads(path.read_text(encoding="utf-8")))


class NameRules:
    """Kinship words, hate codes and number codes of display names (see the module doc)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.kinship = frozenset(w.lower() for w in data["kinship"])
        self.codes = BlockList(data["hate_codes"])
        numeric = data.get("numeric_codes", {})
        self.numbers_always = frozenset(re.sub(r"\D", "", n) for n in numeric.get("always", ()))
        self.numbers_paired = frozenset(numeric.get("with_another_code", ()))
        self.floor = float(data.get("floor", 0.9))

    def read(self, split: SplitName, doc: Doc) -> NameReading:
        """Apply the rules to a name's split text and its processed doc (`doc.text` is
        `split.text`)."""
        text = split.text
        codes = [CodeHit(h.start, h.end, h.term) for h in self.codes.find(doc, text, glued=True)]
        codes += self._number_codes(text, bool(codes))
        blank = [(c.start, c.end) for c in codes]
        matches = doc.user_data.get(X_MATCHES) or ()
        if not any(m.label in _ATTACKS for m in matches):
            blank += [(t.idx, t.idx + len(t.text)) for t in doc if t.norm_ in self.kinship]
        masked = list(text)
        for start, end in blank:
            masked[start:end] = " " * (end - start)
        reading = NameReading(split, "".join(masked), codes)
        if codes:
            reading.floors["identity_attack"] = self.floor
        group = _group_threatened(doc)
        if group is not None:
            reading.floors["threat"] = self.floor
            reading.target = group
        return reading

    def _number_codes(self, text: str, other_code: bool) -> list[CodeHit]:
        """ "1488" (or "14 88", "14/88") always; "88", "14", "18" beside another code."""
        runs = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\d+", text)]
        hits: list[CodeHit] = []
        i = 0
        while i < len(runs):
            start, end, digits = runs[i]
            if i + 1 < len(runs) and runs[i + 1][0] - end <= 1:
                joined = digits + runs[i + 1][2]
                if joined in self.numbers_always:
                    hits.append(CodeHit(start, runs[i + 1][1], joined))
                    i += 2
                    continue
            if digits in self.numbers_always:
                hits.append(CodeHit(start, end, digits))
            elif other_code and digits in self.numbers_paired:
                hits.append(CodeHit(start, end, digits))
            i += 1
        if hits and not other_code:
            # an always-code makes the paired numbers count too ("1488 18")
            return self._number_codes(text, True)
        return hits


def _group_threatened(doc: Doc) -> str | None:
    """The group a violent verb is aimed at ("Kill All Jews"), or None."""
    matches = sorted(doc.user_data.get(X_MATCHES) or (), key=lambda m: m.start)
    for i, verb in enumerate(matches):
        if verb.label != "violence" or (verb.entry or {}).get("kind") != "verb" or verb.negated:
            continue
        for other in matches[i + 1 :]:
            group = (other.entry or {}).get("group")
            if other.label not in ("identity", "slur") or group not in GROUPS:
                continue
            between = [t.norm_ for t in doc[verb.end : other.start] if not t.is_space]
            if all(w in _QUANTIFIERS for w in between) and len(between) <= 2:
                return group
            break
    return None


def read_names(
    rules: NameRules, splits: Sequence[SplitName], docs: Sequence[Doc]
) -> list[NameReading]:
    """:meth:`NameRules.read` for each name."""
    return [rules.read(s, d) for s, d in zip(splits, docs, strict=True)]


def as_username_result(reading: NameReading, result: Result) -> Result:
    """A display name's result: spans mapped back from the split text to the name, the hate
    codes that lifted `identity_attack` as its spans, and the reason `username`."""
    split = reading.split
    name = split.name

    def span(start: int, end: int, label: str, **extra: Any) -> Span:
        a, b = split.span(start, end)
        return Span(a, b, name[a:b], label, **extra)

    spans = [
        span(s.start, s.end, s.label, normalized=s.normalized, usage=s.usage, term=s.term)
        for s in result.spans
    ]
    if "identity_attack" in result.labels:
        spans += [span(c.start, c.end, "identity_attack", normalized=c.code) for c in reading.codes]
        spans.sort(key=lambda s: (s.start, s.end))
    reasons = result.reasons + (["username"] if result.action != "allow" else [])
    return Result(
        result.scores,
        result.hateful,
        result.action,
        reasons,
        spans,
        result.target,
        result.model_version,
        result.labels,
        UNDETERMINED,
    )
