"""A space put inside a lexicon word ("sc um", "wom en") is read as the word it splits.

These use the shipped model's pipeline: whether a piece is "a word of its own" depends on
its real vocabulary.
"""

from __future__ import annotations

import pytest

from app.features import doc_norms
from app.pipeline.extensions import X_MATCHES


def _words(moderator, text: str) -> list[str]:
    return doc_norms(moderator.docs([text])[0])


def _found(moderator, text: str) -> list[tuple[str, str]]:
    doc = moderator.docs([text])[0]
    return [(doc[m.start : m.end].text, m.label) for m in doc.user_data.get(X_MATCHES) or []]


@pytest.mark.parametrize(
    ("text", "pieces", "word"),
    [
        ("they are sc um, all of them", "sc um", "scum"),
        ("All wom en belong in the kitchen", "wom en", "GROUP"),
        ("I really hate mu slims", "mu slims", "GROUP"),
        ("you filthy ani mals", "ani mals", "animals"),
        ("I hate blac k people", "blac k", "GROUP"),  # a letter that is no word of its own
        ("gay people make me sic k.", "sic k.", "sick"),  # the letter keeps its full stop
    ],
)
def test_a_split_lexicon_word_is_one_word_with_offsets_into_the_text(
    moderator, text, pieces, word
):
    doc = moderator.docs([text])[0]
    assert doc.text == text
    assert word in _words(moderator, text)
    spans = [doc[m.start : m.end] for m in doc.user_data[X_MATCHES]]
    hit = next(s for s in spans if s.text == pieces)
    assert text[hit.start_char : hit.end_char] == pieces


@pytest.mark.parametrize(
    "text",
    [
        "I am interested in sects and cults.",  # both pieces are words: "insects" is not meant
        "The para sites were closed for the winter.",
        "It was JBL who re-started the match.",  # "re" belongs to "re-started"
        "Let's go ok?",  # "gook" would be a slur
        "There is a co-op on the corner.",
        "My grandfather was a SS soldier.",  # "a" is a word: not "ass"
        "He trained with a bo staff.",  # not "abo"
        "that wasn ’ t it fam",  # a contraction's letter: not "tit"
    ],
)
def test_two_words_that_happen_to_spell_a_lexicon_form_stay_two_words(moderator, text):
    assert _found(moderator, text) == []


def test_a_compound_written_with_a_space_keeps_its_two_words(moderator):
    # "sand" is a word and "nigger" a lexicon form: nothing was broken, nothing is joined
    words = _words(moderator, "some sand nigger said it")
    assert "sand" in words and "sandnigger" not in words


def test_a_split_attack_word_makes_the_comment_hateful(moderator):
    split, whole = moderator.score(["Immigrants are sc um.", "Immigrants are scum."])
    assert split.hateful and whole.hateful
    assert split.labels == whole.labels
    assert abs(split.scores["insult"] - whole.scores["insult"]) < 0.05
