"""Praise of a group: a comment that says only good things of the group it names.

Why: the linear heads learn from the public datasets that naming a group is itself evidence
of an attack (a third of their rows that name a group are attacks), so "Old people are
wise." or "Women are just as smart as men." score over the identity-attack review
threshold whatever is said of the group. Model 1.3.0 already clips praise features so they
cannot raise a score, but the group's prior stays. A model card's `praise_shrink` (label ->
factor, read by `Moderator.probabilities`) multiplies the scores of the comments this
reading finds.

The reading is the model's own: the word valence table of its vectorizer (VADER buckets,
see `training.valence`) and the group-context window its features read. It fires only when
nothing in the comment leans negative, so "Muslims are great at lying" (a negative word) or
"Jews are not good people" (a negator) are not praise.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.features import TextVectorizer, scope_split
from app.pipeline.words import NEGATORS

#: words that turn a compliment into a stereotype or a denial: a negator anywhere ("Don't
#: tell me they are generous. They aren't."), "only" ("women only get promoted by ...")
_NOT_PRAISE = NEGATORS | {"only"}
#: groups whose praise is not read as support: in the public datasets praise of the white
#: race is a genre of white-supremacist posts ("you are saving the white race")
UNREAD_GROUPS = frozenset({"white_people"})

_QUOTED = "Q_"  # the pipeline's quotation mark on a norm (see `scope_split`)


def praises_group(vectorizer: TextVectorizer, norms: Sequence[str]) -> bool:
    """Whether a comment's norms (`app.features.doc_norms`) praise the group they name, or
    name it as the writer's own (:func:`describes_self`).

    True when a self-description or a positive-valence word that is neither negated nor
    quoted sits in a group's context window ("GROUP are wise", "wonderful GROUP"), and no
    word of the comment leans negative (no negative-valence word that is not quoted) and
    none is a negator or "only". False for a question, for a model without a valence
    table and for a comment that names no group.
    """
    valence = vectorizer.valence
    if not _plainly_positive(valence, norms):
        return False
    if describes_self(norms, valence):
        return True
    return any(
        feature.startswith("G>V+") or (feature.startswith("V+") and feature.endswith("<G"))
        for feature in vectorizer.group_context(norms)
    )


def _plainly_positive(valence: dict[str, int], norms: Sequence[str]) -> bool:
    """Whether a comment names a group and nothing in it leans negative: no question, no
    negator or "only", no negative-valence word that is not quoted."""
    words = {scope_split(n)[1] for n in norms}
    # a question is not an assertion, and a loaded one is a known form of hate ("Why are
    # Jews so good with money?")
    if not valence or "GROUP" not in words or "?" in words or words & _NOT_PRAISE:
        return False
    for norm in norms:
        mark, word = scope_split(norm)
        value = valence.get(word)
        if value is not None and value < 0 and mark != _QUOTED:
            return False
    return True


#: what may stand between "I am" / "we are" / "as" and the group it names ("I am a proud
#: GROUP", "we are a group of GROUP"); positive-valence words may too
_SELF_FILLERS = frozenset({"a", "an", "the", "group", "of", "bunch", "couple", "family"})
#: the two words before a self-description's fillers ("i am", "we're"), or the one
_SELF_HEADS = frozenset({("i", "am"), ("i", "'m"), ("i", "’m"), ("we", "are"), ("we", "'re")})
_SELF_HEAD_WORDS = frozenset({"im", "as"})
#: "I like GROUP": the valence table leaves "like" out (mostly a preposition), so the verb is
#: read only right after the writer ("i like", "we like", "i really like")
_LIKING_HEADS = frozenset({("i", "like"), ("we", "like"), ("really", "like")})


def describes_self(norms: Sequence[str], valence: dict[str, int]) -> bool:
    """Whether a group is named as the writer's own ("I am GROUP", "We are a group of
    GROUP", "As a GROUP, ..."): a self-description, which names a group without saying
    anything of it; or as one the writer likes ("I like GROUP"). (`praises_group` holds the
    checks that nothing else leans negative.)"""
    for p, norm in enumerate(norms):
        if scope_split(norm)[1] != "GROUP":
            continue
        j = p - 1
        while j >= 0 and (norms[j] in _SELF_FILLERS or valence.get(norms[j], 0) > 0):
            j -= 1
        if j >= 0 and norms[j] in _SELF_HEAD_WORDS:
            return True
        if j >= 1 and (norms[j - 1], norms[j]) in _SELF_HEADS | _LIKING_HEADS:
            return True
    return False


def praised_rows(
    vectorizer: TextVectorizer,
    norms: Sequence[Sequence[str]],
    signals: Sequence[Sequence[float] | None],
    targets: Sequence[str | None],
    attack_columns: Sequence[int],
    supported: Sequence[bool] | None = None,
) -> list[int]:
    """Indices of the texts that praise their group (:func:`praises_group`) or support it
    (`supported`, the caller's reading of the lexicon's support cues such as "deserve equal
    rights", with nothing in the text that leans negative), whose group (`targets`, the
    pipeline's) is not one of `UNREAD_GROUPS`, and that have no live attack word of the
    lexicon (a non-zero `signals` entry at `attack_columns`: a slur, a dehumanizing or
    violent word, an insult, a negated support cue)."""
    return [
        i
        for i, (row_norms, row_signals, target) in enumerate(
            zip(norms, signals, targets, strict=True)
        )
        if target not in UNREAD_GROUPS
        and not (row_signals and any(row_signals[k] for k in attack_columns))
        and (
            praises_group(vectorizer, row_norms)
            or (
                supported is not None
                and supported[i]
                and _plainly_positive(vectorizer.valence, row_norms)
            )
        )
    ]
