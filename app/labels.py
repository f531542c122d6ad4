"""The contract's names, defined once.

Every label, action, usage and group string used anywhere in the product comes from here,
so a typo is an import error rather than a silent mismatch.
"""

from __future__ import annotations

#: The six scored labels of INTERFACE.md, in the order they appear in every output.
LABELS: tuple[str, ...] = (
    "slur",
    "dehumanization",
    "identity_attack",
    "threat",
    "insult",
    "profanity",
)

#: Labels whose presence makes a text hateful (a threat only when aimed at a group).
HATE_LABELS: tuple[str, ...] = ("slur", "dehumanization", "identity_attack")

ACTIONS: tuple[str, ...] = ("allow", "review", "remove")

#: How a slur is used in a text (INTERFACE.md, `spans[].usage`).
SLUR_USAGES: tuple[str, ...] = (
    "derogatory",
    "reclaimed",
    "quoted",
    "counter_speech",
    "homonym",
    "unknown",
)

#: Canonical protected-group ids. Lexicon files, the functional suite and `Result.target`
#: all use these names. `target` may also be "individual" or "none".
GROUPS: tuple[str, ...] = (
    "women",
    "men",
    "trans_people",
    "gay_people",
    "black_people",
    "white_people",
    "asian_people",
    "hispanic_people",
    "indigenous_people",
    "arabs",
    "roma",
    "disabled_people",
    "muslims",
    "jews",
    "christians",
    "hindus",
    "immigrants",
    "older_people",
    "young_people",
    "zionists",
    "sikhs",
    "buddhists",
    "other_religions",
    "atheists",
    "straight_people",
    "nationalities",
)

NON_GROUP_TARGETS: tuple[str, ...] = ("individual", "none")
