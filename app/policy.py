"""A community's policy: thresholds per label, block and allow lists -> hateful, action, reasons.

Thresholds default to the model card's (chosen on held-out dev data); a community may
override any of them, ignore a label (threshold `null`), block terms (always `remove`,
matched as :mod:`app.blocklist` explains), allow terms (known false positives such as a
town's name, blanked out before scoring), say what happens to text in a language the
model does not read, and choose which texts carry evidence spans (`spans`: see
:data:`app.policy_schema.SPAN_MODES`). Overrides are checked by
:func:`app.policy_schema.validate_overrides`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.labels import GROUPS, HATE_LABELS, LABELS
from app.policy_schema import validate_overrides

if TYPE_CHECKING:  # app.blocklist reads spaCy docs; a batch driver never imports it
    from app.blocklist import BlockHit, BlockList

#: the reason a text confidently in a language the model does not read carries
UNSUPPORTED_LANGUAGE = "unsupported_language"

#: values of a card's `hate_rules.needs_group` (see `Policy._hate_without_group`)
HATE_NEEDS_GROUP = ("never", "individual", "unless_certain", "always")
#: labels a denied or opposed text does not flag below their remove threshold
#: (`Policy.denied_unflags`)
_UNFLAGGED_WHEN_DENIED = ("identity_attack", "dehumanization", "threat")
#: values of a card's `hate_rules.opposed`: which cues of opposition make hate not hate
#: (`support`: a cue of support for a group in a text with no live attack word;
#: `support_or_counter`: also any counter-speech or reported-speech cue)
HATE_OPPOSED = ("never", "support", "support_or_counter")


@dataclass(frozen=True)
class Decision:
    """What a policy concludes from one text's scores."""

    hateful: bool
    action: str
    reasons: list[str]
    labels: list[str]


def _term_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive matcher of terms on the raw text (allow lists)."""
    terms = [t.strip() for t in terms if t and t.strip()]
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """Thresholds and term lists of one community.

    Parameters
    ----------
    review : dict[str, float | None]
        A label at or above its review threshold is reported in `labels` and makes the
        action at least `review`. `None` ignores the label.
    remove : dict[str, float | None]
        A hateful text, or a threat, at or above this threshold is removed.
    blocklist : tuple[str, ...]
        Terms that always lead to `remove` (reason `blocklist:<term>`), matched on the
        normalized text with simple inflections (see :mod:`app.blocklist`).
    allowlist : tuple[str, ...]
        Terms blanked out before scoring, so they can never cause a flag.
    unsupported_language : str
        `review` (default): text confidently in a language the model does not read is at
        least `review`, with the reason `unsupported_language`; `allow`: it is judged by
        its scores alone.
    spans : str
        Which texts carry evidence spans, one of :data:`app.policy_schema.SPAN_MODES`.
    """

    review: dict[str, float | None]
    remove: dict[str, float | None]
    blocklist: tuple[str, ...] = ()
    allowlist: tuple[str, ...] = ()
    name: str = "default"
    unsupported_language: str = "review"
    spans: str = "flagged"
    #: when hate needs a protected group the text (or its thread) names, from the model
    #: card's `hate_rules.needs_group` (see `HATE_NEEDS_GROUP`)
    hate_needs_group: str = "never"
    #: which cues of opposition undo hate, from the card's `hate_rules.opposed`
    #: (see `HATE_OPPOSED`)
    hate_opposed: str = "never"
    #: an identity attack needs an identity: `identity_attack` below its remove threshold
    #: is not flagged in a text read in a thread where neither it nor the thread names a
    #: protected group (`require_group`), from the card's `hate_rules.identity_needs_group`
    identity_needs_group: bool = False
    #: a denied or opposed text (see `decide`'s `denied`) flags no hate label below its
    #: remove threshold, so "Gay people deserve equal rights." is allowed, not sent to
    #: review; from the card's `hate_rules.denied_unflags`
    denied_unflags: bool = False
    _blocks: BlockList | None = field(default=None, repr=False, compare=False)
    _allow_re: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _review_order: tuple[tuple[str, float | None], ...] = field(
        default=(), repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_allow_re", _term_pattern(self.allowlist))
        # (label, review threshold) in LABELS order, read for every scored text
        object.__setattr__(
            self, "_review_order", tuple((label, self.review.get(label)) for label in LABELS)
        )

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> Policy:
        """The default policy of a model: its card's review and remove thresholds."""
        thresholds = card["thresholds"]
        rules = card.get("hate_rules") or {}
        return cls(
            review={k: float(v) for k, v in thresholds["review"].items()},
            remove={k: float(v) for k, v in thresholds["remove"].items()},
            hate_needs_group=str(rules.get("needs_group", "never")),
            hate_opposed=str(rules.get("opposed", "never")),
            identity_needs_group=bool(rules.get("identity_needs_group", False)),
            denied_unflags=bool(rules.get("denied_unflags", False)),
        )

    def with_overrides(self, overrides: Mapping[str, Any], name: str = "custom") -> Policy:
        """A copy with a community's settings applied.

        `overrides` may hold `review` and `remove` (label -> threshold or null),
        `blocklist` and `allowlist` (lists of terms), `unsupported_language` (`review` or
        `allow`) and `spans` (one of :data:`app.policy_schema.SPAN_MODES`); anything else raises
        :class:`app.policy_schema.PolicyError` (a `ValueError`) with a one-line message.
        """
        checked = validate_overrides(overrides, name)
        review = dict(self.review)
        remove = dict(self.remove)
        review.update(checked.get("review", {}))
        remove.update(checked.get("remove", {}))
        return Policy(
            review=review,
            remove=remove,
            blocklist=tuple(dict.fromkeys((*checked.get("blocklist", ()), *self.blocklist))),
            allowlist=tuple(dict.fromkeys((*checked.get("allowlist", ()), *self.allowlist))),
            name=name,
            unsupported_language=checked.get("unsupported_language", self.unsupported_language),
            spans=checked.get("spans", self.spans),
            hate_needs_group=self.hate_needs_group,
            hate_opposed=self.hate_opposed,
            identity_needs_group=self.identity_needs_group,
            denied_unflags=self.denied_unflags,
        )

    def mask_allowed(self, text: str) -> str:
        """Blank allow-listed terms with spaces of the same length (offsets are kept)."""
        if self._allow_re is None:
            return text
        return self._allow_re.sub(lambda m: " " * len(m.group(0)), text)

    def block_hits(self, doc: Any, text: str, glued: bool = False) -> list[BlockHit]:
        """Block-listed terms in a processed text, with their spans (see
        :meth:`app.blocklist.BlockList.find`; `glued` for display names)."""
        if not self.blocklist:
            return []
        blocks = self._blocks
        if blocks is None:  # compiled on first use (two threads may both build it: harmless)
            from app.blocklist import BlockList

            blocks = BlockList(self.blocklist)
            object.__setattr__(self, "_blocks", blocks)
        return blocks.find(doc, text, glued=glued)

    def opposes(self, support: bool, counter: bool) -> bool:
        """Whether a text's cues of opposition make its hate flags not hate (`hate_opposed`).

        `support`: a cue of support for a group ("deserve equal rights") and no live attack
        word; `counter`: a counter-speech or reported-speech cue ("calling them rats is
        racist"). Slurs stay hate (see `decide`'s `denied`).
        """
        rule = self.hate_opposed
        return (rule != "never" and support) or (rule == "support_or_counter" and counter)

    def _certain(self, label: str, scores: Mapping[str, float]) -> bool:
        """Whether a label's score reaches its remove threshold (a label the policy never
        removes for is never certain): the flags the hate rules may not drop."""
        return scores[label] >= (self.remove.get(label) or 1.0)

    def _hate_without_group(
        self, hate_flags: Sequence[str], scores: Mapping[str, float], target: str
    ) -> bool:
        """Whether flags of a text that names no protected group still make it hateful.

        A derogatory slur names its group itself. Otherwise, by `hate_needs_group`:
        `never` keeps the flags; `individual` drops them when the text addresses or insults
        one person ("go kill yourself" is a personal attack); `unless_certain` keeps only
        flags at or above their remove threshold; `always` drops them.
        """
        rule = self.hate_needs_group
        if "slur" in hate_flags or rule == "never":
            return True
        if rule == "individual":
            return target != "individual"
        if rule == "unless_certain":
            return any(
                (cut := self.remove.get(label)) is not None and scores[label] >= cut
                for label in hate_flags
            )
        return False

    def decide(
        self,
        scores: Mapping[str, float],
        target: str,
        blocked: Sequence[str] = (),
        require_group: bool = False,
        denied: bool = False,
        unsupported_language: bool = False,
        hate_symbol: bool = False,
    ) -> Decision:
        """hateful, action, reasons and flagged labels for one text's scores.

        `require_group` is set when a text was read in its thread and neither it nor the
        thread names a protected group: then nothing in it can be aimed at one. `denied` is
        set when every attack word in the text is negated or called false ("immigrants are
        not criminals"): hate that is denied is not hate. `unsupported_language` is set
        when the text is confidently in a language the model does not read: unless this
        policy allows that, the action is at least `review` (reason `unsupported_language`).
        `hate_symbol` is set for a display name with a hate code: its `identity_attack` at
        the remove threshold removes it, whatever it targets (a community that sets that
        threshold to null gets the name reviewed instead).
        """
        flagged = [
            label
            for label, threshold in self._review_order
            if threshold is not None and scores[label] >= threshold
        ]
        if (
            self.identity_needs_group
            and require_group
            and "identity_attack" in flagged
            and "slur" not in flagged
            and not self._certain("identity_attack", scores)
        ):
            # read in a thread, and nothing there names an identity to attack ("Turkey
            # could have the zone in its own territory" under an article on Idlib); a
            # certain score (at the remove threshold) still counts
            flagged.remove("identity_attack")
        if denied and self.denied_unflags and flagged and "slur" not in flagged:
            # hate that is denied or opposed is no reason to review the text either; a
            # score at the remove threshold, an insult or an obscenity still is
            flagged = [
                label
                for label in flagged
                if label not in _UNFLAGGED_WHEN_DENIED or self._certain(label, scores)
            ]
        unreadable = unsupported_language and self.unsupported_language == "review"
        if not flagged and not blocked and not unreadable:
            # the common case: nothing passed a threshold (hate needs a flagged label)
            return Decision(hateful=False, action="allow", reasons=[], labels=flagged)
        group_target = target in GROUPS
        hate_flags = [label for label in HATE_LABELS if label in flagged]
        # Dehumanization of a non-protected group ("politicians are parasites") is not hate;
        # a slur or an identity attack is hate by definition.
        if "dehumanization" in hate_flags and not group_target and len(hate_flags) == 1:
            hate_flags = []
        if (
            hate_flags == ["identity_attack"]
            and target == "individual"
            and ("threat" in flagged or "insult" in flagged)
        ):
            # "I will kill you", "you moron": a personal attack, not an attack on a group
            hate_flags = []
        if not group_target and hate_flags and (
            require_group or not self._hate_without_group(hate_flags, scores, target)
        ):
            hate_flags = []
        if denied and "slur" not in hate_flags:
            hate_flags = []
        if "threat" in flagged and group_target:
            hate_flags.append("threat")
        hateful = bool(hate_flags)
        reasons = list(flagged)
        action = "review" if flagged else "allow"
        remove_hits = [
            label
            for label in flagged
            if self.remove.get(label) is not None
            and scores[label] >= self.remove[label]
            and (
                label in hate_flags
                or label == "threat"
                # a hate symbol (a display name's hate figure, slogan or number code) is
                # removed even when it names no group that `hateful` could point at
                or (hate_symbol and label == "identity_attack")
            )
        ]
        if remove_hits:
            action = "remove"
        if blocked:
            action = "remove"
            reasons.extend(f"blocklist:{term}" for term in blocked)
        if hateful:
            reasons.append("hateful")
        if unreadable:
            # the scores come from an English model that could not read the text
            reasons.append(UNSUPPORTED_LANGUAGE)
            if action == "allow":
                action = "review"
        return Decision(hateful=hateful, action=action, reasons=reasons, labels=flagged)
