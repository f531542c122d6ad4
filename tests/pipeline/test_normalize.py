"""Table-driven tests for app.pipeline.normalize (token de-obfuscation).

The slurs and profanity below are test data: the module exists to detect them.
"""

from __future__ import annotations

import random
import string
import unicodedata

import pytest

from app.pipeline.normalize import (
    HOMOGLYPHS,
    MaskResolver,
    _deobfuscate_full,
    deobfuscate,
    join_spaced_letters,
    needs_work,
    resolve_masked,
    split_glued,
    squeeze,
)

# --------------------------------------------------------------------------------------
# deobfuscate
# --------------------------------------------------------------------------------------

UNICODE_CASES = [
    ("ｆｕｃｋ", "fuck"),  # fullwidth
    ("𝐟𝐮𝐜𝐤", "fuck"),  # mathematical bold
    ("𝔣𝔲𝔠𝔨", "fuck"),  # mathematical fraktur
    ("ⓕⓤⓒⓚ", "fuck"),  # circled letters
    ("ﬁlth", "filth"),  # ligature
    ("FUCK", "fuck"),
    ("Straße", "strasse"),  # casefold
    ("ᴄᴜɴᴛ", "cunt"),  # small capitals
]

INVISIBLE_CASES = [
    ("f\u200bu\u200bc\u200bk", "fuck"),  # zero-width space
    ("fu\u200dck", "fuck"),  # zero-width joiner
    ("fu\u00adck", "fuck"),  # soft hyphen
    ("fu\u2060ck", "fuck"),  # word joiner
    ("\ufefffuck", "fuck"),  # BOM
    ("fu\u034fck", "fuck"),  # combining grapheme joiner
    ("fu\ufe0fck", "fuck"),  # variation selector
    ("fu\u202eck", "fuck"),  # right-to-left override (Cf)
    ("fu\x00ck", "fuck"),  # control character (Cc)
]

DIACRITIC_CASES = [
    ("nìgger", "nigger"),
    ("fück", "fuck"),
    ("FÜCK", "fuck"),
    ("cünt", "cunt"),
    ("f̷̢u̸c̶k", "fuck"),  # zalgo
    ("ñigger", "nigger"),
]

HOMOGLYPH_CASES = [
    ("nіgger", "nigger"),  # Cyrillic і
    ("fаg", "fag"),  # Cyrillic а
    ("соck", "cock"),  # Cyrillic с, о
    ("ѕһіт", "shit"),  # entirely Cyrillic lookalikes
    ("рау", "pay"),  # entirely Cyrillic lookalikes
    ("nιggεr", "nigger"),  # Greek ι, ε
    ("ΝΙGGΕR", "nigger"),  # Greek capitals mixed with Latin
    ("fαggοt", "faggot"),  # Greek α, ο
    ("nїgger", "nigger"),  # Cyrillic ї: lookalike base + diaeresis
    # genuine words with non-lookalike letters stay untouched
    ("привет", "привет"),
    ("Привет", "привет"),
    ("мой", "мой"),
    ("ёлка", "ёлка"),
    ("καλημέρα", "καλημέρα"),
    ("ΚΑΛΗΜΈΡΑ", "καλημέρα"),
]

LEET_CASES = [
    ("n1gg3r", "nigger"),
    ("f4g", "fag"),
    ("sh!t", "shit"),
    ("@ss", "ass"),
    ("b!tch", "bitch"),
    ("h0m0", "homo"),
    ("$hit", "shit"),
    ("1d10t", "idiot"),
    ("l33t", "leet"),
    ("c0ck", "cock"),
    ("5lu7", "slut"),
    ("8itch", "bitch"),
    ("ni99er", "nigger"),
    ("sh|t", "shlt"),
    ("€vil", "evil"),
    ("¡diot", "idiot"),
    ("s+upid", "stupid"),
    ("fu(k", "fuck"),
    ("sh!!t", "shiit"),
    # no ASCII letter: untouched
    ("2020", "2020"),
    ("100", "100"),
    ("$5", "$5"),
    ("4:30", "4:30"),
    ("100%", "100%"),
    ("!!!", "!!!"),
    # punctuation at the edge of a word is not leet
    ("wow!", "wow!"),
    ("what?", "what?"),
    ("#fuck", "#fuck"),
    # numbers with unit/ordinal suffixes and versions
    ("1st", "1st"),
    ("10pm", "10pm"),
    ("90s", "90s"),
    ("v1.2.3", "v1.2.3"),
    # URLs and e-mail addresses
    ("user@example.com", "user@example.com"),
    ("https://example.com/a1b3", "https://example.com/a1b3"),
]

SEPARATOR_CASES = [
    ("n.i.g.g.e.r", "nigger"),
    ("f-a-g", "fag"),
    ("f_u_c_k", "fuck"),
    ("f*u*c*k", "fuck"),
    ("f~u~c~k", "fuck"),
    ("f'a'g", "fag"),
    ("s`h`i`t", "shit"),
    ("c,u,n,t", "cunt"),
    ("c:u:n:t", "cunt"),
    ("f--u--c--k", "fuck"),
    ("f.u-c_k", "fuck"),
    ("n.1.g.g.3.r", "nigger"),  # leet then separators
    ("f#u#c#k", "fuck"),  # mask characters as separators
    ("*f*u*c*k*", "fuck"),
    ("U.S.A.", "usa"),
    ("well-known", "well-known"),
    ("e-mail", "e-mail"),
    ("x-ray", "x-ray"),
    ("can't", "can't"),
    ("i'm", "i'm"),
    ("rock'n'roll", "rock'n'roll"),
]

REPEAT_CASES = [
    ("fuuuuck", "fuuck"),
    ("fuuck", "fuuck"),
    ("FUUUCK", "fuuck"),
    ("fUuUck", "fuuck"),
    ("shiiiiiit", "shiit"),
    ("niggggger", "nigger"),
    ("f-u-u-u-c-k", "fuuck"),
    ("1000000", "1000000"),  # digits are not letters
    ("hmm!!!", "hmm!!!"),
]

MASK_CASES = [
    ("f*ck", "f*ck"),
    ("n***er", "n***er"),
    ("sh*t", "sh*t"),
    ("c*nt", "c*nt"),
    ("f**k", "f**k"),
    ("f#ck", "f*ck"),
    ("f%ck", "f*ck"),
    ("wh?t", "wh*t"),
    ("F#CK", "f*ck"),
    ("sh#t!", "sh*t!"),
]

PASSTHROUGH_CASES = [
    ("", ""),
    ("Erdogan", "erdogan"),
    ("hello", "hello"),
    ("日本語", "日本語"),
    ("😀", "😀"),
    ("👍🏽", "👍🏽"),
    ("naïve", "naive"),
    ("...", "..."),
]

ALL_DEOBFUSCATE_CASES = (
    UNICODE_CASES
    + INVISIBLE_CASES
    + DIACRITIC_CASES
    + HOMOGLYPH_CASES
    + LEET_CASES
    + SEPARATOR_CASES
    + REPEAT_CASES
    + MASK_CASES
    + PASSTHROUGH_CASES
)


@pytest.mark.parametrize(("word", "expected"), ALL_DEOBFUSCATE_CASES)
def test_deobfuscate(word: str, expected: str) -> None:
    assert deobfuscate(word) == expected


@pytest.mark.parametrize(("word", "expected"), ALL_DEOBFUSCATE_CASES)
def test_deobfuscate_full_path_agrees(word: str, expected: str) -> None:
    """The slow path alone must give the same answer as the fast-path-first entry point."""
    assert _deobfuscate_full(word) == expected


@pytest.mark.parametrize(
    "word",
    ["n1gg3r", "f.u.c.k", "fuuuuck", "ｆｕｃｋ", "nіgger", "f#ck", "sh!t", "привет", "日本語"],
)
def test_deobfuscate_is_idempotent(word: str) -> None:
    once = deobfuscate(word)
    assert deobfuscate(once) == once


def test_homoglyph_table_keys_survive_nfkc() -> None:
    """The table is applied after NFKC, so keys NFKC would rewrite could never match."""
    for key, value in HOMOGLYPHS.items():
        assert unicodedata.normalize("NFKC", key) == key, key
        assert value.isascii() and value.isalpha() and value.islower(), key


# --------------------------------------------------------------------------------------
# squeeze
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("fuuck", "fuck"),
        ("niggger", "niger"),
        ("shiit", "shit"),
        ("fuck", "fuck"),
        ("aaa", "a"),
        ("1000", "1000"),
        ("", ""),
    ],
)
def test_squeeze(word: str, expected: str) -> None:
    assert squeeze(word) == expected


# --------------------------------------------------------------------------------------
# needs_work
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("hello", False),
        ("Erdogan", False),
        ("can't", False),
        ("i'm", False),
        ("", False),
        ("fuuuck", True),
        ("fuUUck", True),
        ("f'a'g", True),
        ("f4g", True),
        ("f*ck", True),
        ("n.i.g", True),
        ("fück", True),
        ("привет", True),
        ("well-known", True),
    ],
)
def test_needs_work(word: str, expected: bool) -> None:
    assert needs_work(word) is expected


def _generated_words(n: int = 200, seed: int = 1234) -> list[str]:
    rng = random.Random(seed)
    pools = [
        string.ascii_letters,
        string.ascii_lowercase + "'",
        "aAbB'",  # provokes repeated runs and apostrophe-separated letters
        "fuck'" + "FUCK",
        string.ascii_lowercase + "013457@$!*.-",
        "abcаеосіο'",  # Latin mixed with Cyrillic/Greek lookalikes
        "abcü\u200bé",
    ]
    words = ["", "'", "''", "a'b'c", "'a'b'c'", "aaa", "AaA", "a'a'a", "ab'c'd"]
    while len(words) < n:
        pool = rng.choice(pools)
        words.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 9))))
    return words


@pytest.mark.parametrize("word", _generated_words())
def test_needs_work_never_skips_real_work(word: str) -> None:
    if not needs_work(word):
        assert _deobfuscate_full(word) == word.lower()


# --------------------------------------------------------------------------------------
# MaskResolver / resolve_masked
# --------------------------------------------------------------------------------------

VOCAB = ["fuck", "funk", "shit", "cunt", "nigger", "bitch", "twat", "x-ray", "Fuck", "fuck"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("f*ck", "fuck"),
        ("sh*t", "shit"),
        ("c*nt", "cunt"),
        ("n***er", "nigger"),
        ("b*tch", "bitch"),
        ("b***h", "bitch"),
        ("tw*t", "twat"),
        ("f**k", None),  # fuck / funk: ambiguous
        ("fu*k", None),  # fuck / funk: ambiguous
        ("*uck", None),  # first letter masked
        ("fuc*", None),  # last letter masked
        ("fuck", None),  # nothing masked
        ("f*ckk", None),  # no entry of that length
        ("d*ck", None),  # no entry with that first letter
        ("x*ray", None),  # '*' must stand for a letter, not '-'
        ("F*CK", "fuck"),
    ],
)
def test_mask_resolver(word: str, expected: str | None) -> None:
    assert MaskResolver(VOCAB)(word) == expected
    assert resolve_masked(word, VOCAB) == expected


def test_mask_resolver_duplicates_are_not_ambiguous() -> None:
    assert resolve_masked("f*ck", ["fuck", "FUCK", "fuck"]) == "fuck"


def test_mask_resolver_large_vocabulary() -> None:
    rng = random.Random(7)
    vocab = {"".join(rng.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(2000)}
    vocab.add("nigger")
    resolver = MaskResolver(vocab)
    assert resolver("n***er") == "nigger"
    for entry in list(vocab)[:200]:
        masked = entry[0] + "*" * (len(entry) - 2) + entry[-1]
        hit = resolver(masked)
        assert hit is None or hit == entry


def test_mask_resolver_composes_with_deobfuscate() -> None:
    resolver = MaskResolver(VOCAB)
    assert resolver(deobfuscate("F#CK")) == "fuck"
    assert resolver(deobfuscate("n1**3r")) == "nigger"


# --------------------------------------------------------------------------------------
# join_spaced_letters
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["you", "f", "a", "g"], [(1, 4, "fag")]),
        (["n", "i", "g", "g", "e", "r"], [(0, 6, "nigger")]),
        (["F", "U", "C", "K", "off"], [(0, 4, "fuck")]),
        (["n", "1", "g", "g", "3", "r"], [(0, 6, "nigger")]),
        (["$", "h", "i", "t"], [(0, 4, "shit")]),
        (["f", "u", "c", "k", "this", "s", "h", "i", "t"], [(0, 4, "fuck"), (5, 9, "shit")]),
        (["!", "f", "a", "g", "!"], [(1, 4, "fag")]),
        (["f", "u", "u", "u", "u", "c", "k"], [(0, 7, "fuuck")]),
        (["ｆ", "ｕ", "ｃ", "ｋ"], [(0, 4, "fuck")]),
        (["f\u200b", "а", "g"], [(0, 3, "fag")]),
        (["f", "a"], []),
        (["I", "am", "a", "cat"], []),
        (["1", "2", "3"], []),
        (["wow", "!", "!", "!"], []),
        (["f", ".", "a", ".", "g"], []),
        ([], []),
    ],
)
def test_join_spaced_letters(tokens: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert join_spaced_letters(tokens) == expected


# --------------------------------------------------------------------------------------
# split_glued
# --------------------------------------------------------------------------------------

STEMS = {"cunt", "fuck", "shit", "ass", "asshole", "cock"}
ALLOW = {"cocktail", "morass", "assassin"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("erdocunt", ("cunt", "erdo")),
        ("fuckface", ("fuck", "face")),
        ("FuckFace", ("fuck", "face")),
        ("shithead", ("shit", "head")),
        ("dumbass", ("ass", "dumb")),
        ("assholeface", ("asshole", "face")),  # longest stem wins
        ("fuckers", ("fuck", "ers")),
        ("cunt", None),  # stem alone
        ("scunthorpe", None),  # stem only inside the word
        ("classy", None),
        ("cocktail", None),  # allowlisted
        ("morass", None),  # allowlisted
        ("assassin", None),  # allowlisted
        ("fucked", None),  # rest too short
        ("bass", None),  # rest too short
        ("shit123", None),  # rest not alphabetic
        ("fuck-face", None),  # rest not alphabetic
        ("", None),
    ],
)
def test_split_glued(word: str, expected: tuple[str, str] | None) -> None:
    assert split_glued(word, STEMS, ALLOW) == expected


def test_split_glued_min_rest_and_sequence_stems() -> None:
    assert split_glued("fucked", ["fuck"], [], min_rest=2) == ("fuck", "ed")
    assert split_glued("fuckface", ["fuck"], ()) == ("fuck", "face")
    assert split_glued("fuckface", {"fuck"}, {"fuckface"}) is None
