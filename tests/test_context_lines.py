"""Thread contexts of several parents: when their lines alone prove no group is named.

`Moderator._resolve_with_context` skips parsing a joined context ("parent\\ngrandparent")
when every line belongs to a text of the same batch that cannot name a protected group.
These tests check the reasoning behind that shortcut against real parses.
"""

from __future__ import annotations

import random

from app.moderator import _cannot_name_group, _lines_name_no_group, group_named
from app.pipeline.lexicon import entry_forms

# Lines chosen to sit at a newline boundary awkwardly: leet symbols, spaced letters, slurs
# cut in two, identity words, pronouns and blank lines.
_LINES = [
    "Muslim families moved into the flats near the station.",
    "The council meets on Tuesday to talk about the bins.",
    "f a",
    "g",
    "g g o t",
    "n i",
    "@",
    "x@",
    "$",
    "hit",
    "fag",
    "igger",
    "they are vermin",
    "what a lovely morning!",
    "",
    " ",
    "I met some Jews and some gay men at the market",
    "Shut up, nobody asked you.",
    "trans",
    "people are here",
    "women",
    "-",
    "*",
    "ck",
]


def test_no_lexicon_phrase_can_match_across_a_newline(moderator):
    """The shortcut's premise: newlines become whitespace tokens no phrase contains."""
    nlp = moderator.nlp
    lexicon = nlp.get_pipe("moderate_lexicon")
    for entry in lexicon.entries:
        for form in entry_forms(entry):
            assert not any(t.norm_.isspace() or not t.norm_ for t in nlp.make_doc(form)), form
    for text in ("a\nb", "a\n\nb", "a \n b", "a\r\nb", "a.\nb", "@\nb"):
        doc = moderator.docs([text])[0]
        gaps = [t for t in doc if t.is_space]
        assert gaps and all(t.norm_.isspace() for t in gaps), text


def test_a_context_of_group_free_lines_names_no_group(moderator):
    rng = random.Random(3)
    docs = moderator.docs(_LINES)
    in_batch = {text: i for i, text in enumerate(_LINES)}
    memo: dict[int, bool] = {}

    def names_none(*lines: str) -> bool:
        return _lines_name_no_group("\n".join(lines), in_batch, docs, memo)

    assert not names_none("Muslim families moved into the flats near the station.")
    assert not names_none("@")  # a leet symbol could pair with the next line's first word
    assert not names_none("a line of no text in the batch")
    assert names_none("The council meets on Tuesday to talk about the bins.", "", " ")
    shortcut = 0
    for _ in range(400):
        lines = [rng.choice(_LINES) for _ in range(rng.choice((2, 2, 3, 4)))]
        context = "\n".join(lines)
        truth = group_named(moderator.docs([context])[0])
        if names_none(*lines):
            shortcut += 1
            assert truth == (None, None), lines
    assert shortcut > 50  # the property was exercised, not skipped


def test_multi_parent_contexts_score_as_when_parsed_whole(moderator):
    parents = [
        "The council meets on Tuesday to talk about the bins.",
        "what a lovely morning!",
        "Muslim families moved into the flats near the station.",
    ]
    replies = ["they should all be sent back", "those people are a disease", "nice flats"]
    contexts = ["\n".join(parents[:2]), "\n".join(parents[1:]), "\n".join(parents[:2])]
    moderator._context_groups.clear()
    in_one_call = moderator.score(parents + replies, contexts=[None] * 3 + contexts)[3:]
    assert moderator._context_groups[contexts[0]] == (None, None)
    moderator._context_groups.clear()
    apart = [moderator.score([r], contexts=[c])[0] for r, c in zip(replies, contexts, strict=True)]
    assert in_one_call == apart
    assert in_one_call[1].target == "muslims" and in_one_call[1].hateful
    assert in_one_call[0].target != "muslims"


def test_docs_with_a_leet_symbol_are_never_counted_group_free(moderator):
    doc = moderator.docs(["what a day $"])[0]
    assert not _cannot_name_group(doc)


def test_replies_are_reread_with_the_thread_group(moderator):
    from app.moderator import reread_with_group

    cases = {
        "they are vermin": "Muslims are vermin",
        "kill them!": "kill Muslims !",  # a glued pronoun gets a space
        "they'll never fit in": "Muslims 'll never fit in",
        "nice flats": None,
    }
    docs = moderator.docs(list(cases))
    for (text, expected), doc in zip(cases.items(), docs, strict=True):
        assert reread_with_group(doc, "Muslims", text) == expected
        assert reread_with_group(doc, "Muslims") == expected  # text from the doc
    people = reread_with_group(moderator.docs(["send these people home"])[0], "Muslims")
    assert people is not None and people.startswith("send Muslims") and "people" not in people
    attack = reread_with_group(moderator.docs(["what vermin"])[0], "Muslims")
    assert attack == "what vermin (Muslims)"
