"""`language` on every result; text the model cannot read gets `review`, unless allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.language import detect_language, iso_639_1, unpack_facts, word_facts

SUITE = Path(__file__).parent / "functional" / "suite.jsonl"

FOREIGN = [
    ("Todos los inmigrantes son ratas y hay que echarlos del país", "es"),
    ("Die Ausländer sind Ungeziefer und sollten alle verschwinden", "de"),
    ("Todos los inmigrantes son ratas y hay que echarlos del pais", "es"),  # no accent
    ("Merci beaucoup, c'est très gentil de ta part", "fr"),
    ("Это обычный комментарий, спасибо большое", "ru"),
]
ENGLISH = ["you absolute moron", "have a nice day", "I love tacos and the fiesta was muy bueno",
           "great article, thanks", "𝐓𝐡𝐞 𝐧𝐞𝐰𝐬 𝐭𝐨𝐝𝐚𝐲 𝐢𝐬 𝐠𝐨𝐨𝐝"]
SHORT = ["lol", "ok", "", "!!!", "😀😀", "Scheiße"]


@pytest.mark.parametrize(("text", "language"), FOREIGN)
def test_foreign_text_is_reviewed_as_unsupported(moderator, text, language):
    result = moderator.score([text])[0]
    assert result.language == language
    assert result.action == "review" and "unsupported_language" in result.reasons
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ENGLISH)
def test_english_stays_english(moderator, text):
    result = moderator.score([text])[0]
    assert result.language == "en" and "unsupported_language" not in result.reasons


@pytest.mark.parametrize("text", SHORT)
def test_short_texts_are_english_or_undetermined_and_unaffected(moderator, text):
    result = moderator.score([text])[0]
    assert result.language in ("en", "und")
    assert "unsupported_language" not in result.reasons


def test_a_community_may_allow_unsupported_languages(moderator):
    policy = moderator.policy.with_overrides({"unsupported_language": "allow"}, name="es-ok")
    result = moderator.score([FOREIGN[0][0]], policy=policy)[0]
    assert result.language == "es" and result.action == "allow"


def test_the_functional_suite_is_read_as_english(moderator):
    texts = [json.loads(line)["text"] for line in SUITE.read_text().splitlines()]
    languages = {r.language for r in moderator.score(texts)}
    assert languages <= {"en", "und"}


def test_word_facts_count_words_english_words_and_foreign_letters():
    assert unpack_facts(word_facts("the")) == (1, 1, 0)
    assert unpack_facts(word_facts("Ausländer")) == (1, 0, 1)
    assert unpack_facts(word_facts("und")) == (1, 0, 1)  # a German function word
    assert unpack_facts(word_facts("grusse", raw="Grüße")) == (1, 0, 2)
    assert unpack_facts(word_facts("FBI")) == (0, 0, 0)  # an acronym is no language
    assert unpack_facts(word_facts("h")) == (0, 0, 0)
    assert unpack_facts(word_facts("THE")) == (1, 1, 0)
    assert iso_639_1("arz") == "ar" and iso_639_1("grc") == "und" and iso_639_1("de") == "de"
