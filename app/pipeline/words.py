"""Closed word classes the components share (matched on token norms or texts)."""

from __future__ import annotations

SECOND_PERSON = frozenset(
    {"you", "your", "yours", "yourself", "yourselves", "u", "ur", "ya", "youre", "thou"}
)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "im"})
NEGATORS = frozenset(
    {
        "not",
        "n't",
        "n’t",
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
#: Tokens that end a negation scope.
SCOPE_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "but", "however", "though", "although"})
#: Quotation marks that open or close a quotation (single quotes double as apostrophes).
DOUBLE_QUOTES = frozenset({'"', "“", "”", "«", "»", "„", "``", "''"})
OPENING_QUOTES = frozenset({"“", "«", "„", "``"})
CLOSING_QUOTES = frozenset({"”", "»", "''"})
TOGGLE_QUOTES = frozenset({'"'})
