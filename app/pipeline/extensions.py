"""Every custom spaCy attribute the product uses, registered once.

Custom attributes are global to spaCy, so they are all declared here behind a guard and
`register_extensions()` is called by each component factory.
"""

from __future__ import annotations

from spacy.attrs import NORM
from spacy.tokens import Doc


def _doc_key(name: str) -> tuple[str, str, None, None]:
    # where spaCy keeps `doc._.<name>` in `doc.user_data`: components read and write these
    # keys directly, which skips building an Underscore object on every access (the hot
    # path touches them a dozen times per comment); `doc._.<name>` still works for users
    return ("._.", name, None, None)


X_MATCHES = _doc_key("matches")
X_SIGNALS = _doc_key("signals")
X_TARGET = _doc_key("target")
X_MARKED_NORMS = _doc_key("marked_norms")
X_TOKEN_FACTS = _doc_key("token_facts")
X_GLUED = _doc_key("glued")
X_NORM_IDS = _doc_key("norm_ids")
X_VIEW = _doc_key("word_view")
X_ORTH_IDS = _doc_key("orth_ids")
X_WORD_FACTS = _doc_key("word_facts")


def doc_norm_ids(doc: Doc) -> list[int]:
    """The doc's token NORM ids: the normalizer's list when it ran, else read from the doc."""
    norm_ids = doc.user_data.get(X_NORM_IDS)
    return doc.to_array(NORM).tolist() if norm_ids is None else norm_ids


def register_extensions() -> None:
    """Register the `Doc._` attributes (idempotent). Per-match facts (normalized form,
    entry, usage, negation) live on `app.pipeline.lexicon.LexMatch`, not on spans."""
    if not Doc.has_extension("matches"):
        # the lexicon's matches (list of app.pipeline.lexicon.LexMatch)
        Doc.set_extension("matches", default=None)
    if not Doc.has_extension("signals"):
        Doc.set_extension("signals", default=None)
    if not Doc.has_extension("target"):
        Doc.set_extension("target", default=None)
    if not Doc.has_extension("marked_norms"):
        # token norms with negation and quotation scope marked, for the classifier
        Doc.set_extension("marked_norms", default=None)
    if not Doc.has_extension("token_facts"):
        # (flag union, uppercase letters, letters, one-character tokens, [(token index,
        # flags) of every token with a flag]), set by the normalizer: later components
        # visit only those tokens instead of building a Token object for every one
        Doc.set_extension("token_facts", default=None)
    if not Doc.has_extension("norm_ids"):
        # the token NORM ids as a list, read by the normalizer together with the ORTH ids
        # (one `to_array` per doc instead of two)
        Doc.set_extension("norm_ids", default=None)
    if not Doc.has_extension("word_view"):
        # the words the doc spells where they differ from its tokens (spaced letters,
        # glued words): an app.pipeline.word_view.WordView set by the lexicon, else None
        Doc.set_extension("word_view", default=None)
    if not Doc.has_extension("orth_ids"):
        # the token ORTH ids as a list, read with the NORM ids (the span model keys its
        # per-word table by them)
        Doc.set_extension("orth_ids", default=None)
    if not Doc.has_extension("word_facts"):
        # the doc's words, English function words and non-ASCII letters, packed in one int
        # (see app.language.word_facts): what language identification reads first
        Doc.set_extension("word_facts", default=None)
    if not Doc.has_extension("glued"):
        # token indices whose text is a profanity glued to another word ("Erdocunt")
        Doc.set_extension("glued", default=None)
