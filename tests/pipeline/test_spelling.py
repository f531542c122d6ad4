"""Spelling repairs (app.pipeline.spelling) on small word lists written for these tests.

Each test checks one mechanism: corrections one edit away, splits of glued words, spaced
letters collapsed into words, and the second readings of leet characters.
"""

from __future__ import annotations

import pytest

from app.pipeline.normalize import deobfuscate, leet_alternatives
from app.pipeline.spelling import Spelling, read_vocabulary, write_vocabulary

# most frequent first: the rank is the index
WORDS = [
    "the", "a", "i", "and", "to", "of", "is", "are", "when", "men", "then", "them", "all",
    "garden", "gardens", "hello", "house", "horse", "more", "mouse", "people", "rabbit",
    "table", "tables", "water", "weather", "bugs", "eat", "grow", "sun", "day", "night",
    "bed", "red", "ant", "ants", "hum", "ming", "bird", "birds",
]  # fmt: skip
TERMS = ["pests", "weeds", "vermin"]


@pytest.fixture(scope="module")
def spelling() -> Spelling:
    return Spelling(WORDS, TERMS, rare=["gardenia", "hummingbirds", "rabbitt"], protected=["lol"])


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("gardn", "garden"),  # a letter missing
        ("gadren", "garden"),  # two neighbours swapped
        ("gardeen", "garden"),  # a letter too many
        ("wtaer", "water"),
        ("peple", "people"),
        ("tabel", "table"),
        ("vermni", "vermin"),  # lexicon forms are words too
    ],
)
def test_corrects_one_edit(spelling, typo, word):
    assert spelling.fix(typo) == word


def test_missing_letter_beats_more_frequent_replacement(spelling):
    # "mhen" is one replacement from the more frequent "when" and "then", one missing
    # letter from nothing; "wmen" is one missing letter from "women" only when it exists
    words = ["when", "then", "women"]
    assert Spelling(words).fix("wmen") == "women"
    assert Spelling(["when", "then"]).fix("wmen") is None  # 4 letters: no replacements


def test_known_short_and_odd_words_are_left_alone(spelling):
    assert spelling.fix("garden") is None  # known
    assert spelling.fix("gardenia") is None  # a rare known word, not a typo
    assert spelling.fix("lolz") is None  # unknown, and nothing one edit away
    assert spelling.fix("lol") is None  # protected (and short)
    assert spelling.fix("tbe") is None  # too short to correct
    assert spelling.fix("gard3n") is None  # not plain letters (the normalizer decodes leet)
    assert Spelling([], TERMS).fix("vermni") is None  # no vocabulary: no repairs


@pytest.mark.parametrize(
    ("glued", "pieces"),
    [
        ("thepestsarebugs", "the pests are bugs"),
        ("allweeds", "all weeds"),
        ("ihatevermin", None),  # "hate" is not in this list: no split
        ("themousehouse", None),  # known words but no lexicon term
    ],
)
def test_segments_glued_words_with_a_lexicon_term(spelling, glued, pieces):
    assert spelling.fix(glued) == pieces


def test_segment_refuses_improbable_splits():
    # every piece is a known word and one a lexicon term, but rare pieces make the split
    # less probable than one unknown word
    rare = [f"filler{i}" for i in range(5000)] + ["ant", "ing", "pests"]
    spelling = Spelling(rare, ["pests"])
    assert spelling.segment("pestsanting") is None
    assert Spelling(["ant", "pests"], ["pests"]).segment("pestsant") == ["pests", "ant"]


def test_short_pieces_must_be_english_words():
    spelling = Spelling(["ed", "bed", "weeds", "we"], ["weeds"])
    assert spelling.segment("weedsed") is None  # "ed" is a fragment, not a word
    assert spelling.segment("weweeds") == ["we", "weeds"]


def test_camel_case_pieces_are_checked_like_a_split(spelling):
    assert spelling.split_words(["the", "pests"]) == ["the", "pests"]
    assert spelling.split_words(["the", "bugs"]) is None  # no lexicon term
    assert spelling.split_words(["xq", "pests"]) is None  # unknown piece


def _known(spelling: Spelling):
    return lambda s: s.lower() if spelling.known(s.lower()) else None


@pytest.mark.parametrize(
    ("letters", "words"),
    [
        ("garden", [(0, 6, "garden")]),
        ("igarden", [(1, 7, "garden")]),  # a leftover letter stays a letter
        ("redants", [(0, 3, "red"), (3, 7, "ants")]),
        ("xyz", []),
        ("hummingbirds", [(0, 12, "hummingbirds")]),  # one known word beats three
        ("ahouse", [(1, 6, "house")]),  # "a" is a word: "a" + "house", not "ah" + "ouse"
    ],
)
def test_collapse_spaced_letters(spelling, letters, words):
    assert spelling.collapse(list(letters), _known(spelling)) == words


def test_collapse_prefers_words_to_leftover_letters(spelling):
    # "bedant" -> "bed" + "ant" (no leftovers), not "bed" + leftovers a, n, t
    assert spelling.collapse(list("bedant"), _known(spelling)) == [(0, 3, "bed"), (3, 6, "ant")]


def test_rare_words_are_repaired_only_into_far_more_frequent_words():
    common = ["that", "what"] + [f"w{i}" for i in range(60_000)] + ["thatch"]
    rare = ["taht", "thatchers"] + [f"r{i}" for i in range(60_000)] + ["thatches"]
    spelling = Spelling(common, rare=rare, protected=["whta"])
    assert spelling.fix("taht") == "that"  # a rare spelling next to a frequent word
    assert spelling.fix("thatches") is None  # "thatch" is rare too: not worth the edit
    assert spelling.fix("whta") is None  # protected
    assert spelling.fix("thatch") is None  # ranked words are never repaired
    assert Spelling(common, rare=rare).fix("whta") == "what"


def test_vocabulary_file_round_trips(tmp_path):
    path = tmp_path / "vocabulary.txt"
    write_vocabulary(path, WORDS)
    assert read_vocabulary(path) == WORDS


@pytest.mark.parametrize(
    ("word", "usual", "others"),
    [
        ("6ird", "gird", ["bird"]),
        ("be11", "beii", ["bell"]),
        ("l8r", "lbr", ["later", "leatr"]),
        ("sixty", "sixty", []),  # no leet characters
        ("1966", "1966", []),  # no letters: a number
    ],
)
def test_leet_alternatives(word, usual, others):
    assert deobfuscate(word) == usual
    assert leet_alternatives(word) == others
