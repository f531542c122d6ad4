"""An adjective the lexicon lists only before "people" ("old people", "straight person")
names that group after "being" too ("Being old is ...")."""

from __future__ import annotations

import pytest

from app.pipeline.extensions import X_MATCHES, X_TARGET
from app.pipeline.lexicon import being_words


def _groups(moderator, text: str) -> list[tuple[str, str]]:
    doc = moderator.docs([text])[0]
    return [
        (doc[m.start : m.end].text, m.entry.get("group"))
        for m in doc.user_data[X_MATCHES]
        if m.label == "identity"
    ]


def test_being_words_come_from_forms_before_a_word_for_people():
    entries = [
        {"term": "old people", "variants": ["old person"], "group": "older_people",
         "category": "identity"},
        {"term": "gay", "variants": ["gay people"], "group": "gay_people", "category": "identity"},
        {"term": "old", "variants": [], "category": "contempt"},
    ]
    words = being_words(entries)
    # "gay" names the group by itself already; a contempt entry is no group
    assert list(words) == ["old"]
    assert words["old"]["group"] == "older_people"


@pytest.mark.parametrize(
    ("text", "word", "group"),
    [
        ("Being old is vile.", "old", "older_people"),
        ("Being straight is wonderful.", "straight", "straight_people"),
        ("being younger than everyone here is hard", "younger", "young_people"),
    ],
)
def test_being_and_an_adjective_of_a_group_names_the_group(moderator, text, word, group):
    assert (word, group) in _groups(moderator, text)
    assert moderator.docs([text])[0].user_data[X_TARGET] == group


@pytest.mark.parametrize(
    "text",
    ["Stop being little bitches about it.", "The old car is being repaired.", "I am old."],
)
def test_other_uses_name_no_group(moderator, text):
    assert _groups(moderator, text) == []


def test_an_age_group_is_scored_like_any_other_group(moderator):
    # before, "old" was no group here and the attack scored 0.06 against 0.27 for "sikh"
    old, sikh = moderator.score(["Being old is vile.", "Being sikh is vile."])
    assert abs(max(old.scores.values()) - max(sikh.scores.values())) < 0.05
