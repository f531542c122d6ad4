"""Praise of a group and a denied attack on it may lower an attack score, never raise it."""

from __future__ import annotations

import numpy as np

from app.classifier import ModerationClassifier
from app.features import TextVectorizer
from app.labels import LABELS
from app.pipeline.signals import SIGNAL_COLUMNS

VALENCE = {"vile": -2, "good": 1, "wonderful": 2, "killed": -2}

# the datasets' pattern: texts that name a group are hateful more often, whatever follows
TRAIN = (
    [["GROUP", "are", "vile"]] * 30
    + [["GROUP", "are", "good"]] * 20  # "good for nothing", in the data's hateful rows
    + [["the", "cat", "is", "good"]] * 30
    + [["GROUP", "are", "NOT_vile"]] * 10
    + [["wonderful", "GROUP", "friends"]] * 10
    + [["GROUP", "were", "killed"]] * 10
)
LABEL = [1] * 30 + [1] * 14 + [0] * 6 + [0] * 30 + [1] * 7 + [0] * 3 + [0] * 10 + [0] * 10


def _vectorizer() -> TextVectorizer:
    return TextVectorizer(
        word_min_df=1, char_min_df=1, group_window=(2, 2), valence=VALENCE,
        neutral_words=("GROUP",),
    ).fit(TRAIN)


def test_lowering_columns_are_praise_and_denied_attacks_next_to_a_group():
    vec = _vectorizer()
    names = {vec.word_vocab_[f]: f for f in vec.word_vocab_}
    lowering = {names[c] for c in vec.lowering_columns()}
    assert {"G>good", "G>V+1", "wonderful<G", "V+2<G", "G>NOT_vile", "G>NOT_V-2"} <= lowering
    # an attack, a victim ("were killed") and words without valence are not among them
    assert not lowering & {"G>vile", "G>V-2", "G>killed", "G>friends", "good", "V+1"}
    assert TextVectorizer(word_min_df=1, char_min_df=1).fit(TRAIN).lowering_columns() == []


def test_a_clipped_head_never_raises_its_score_for_praise_of_a_group():
    vec = _vectorizer()
    X = vec.transform(TRAIN, [[0.0] * len(SIGNAL_COLUMNS)] * len(TRAIN))
    Y = np.zeros((len(TRAIN), len(LABELS)), dtype=np.int8)
    j = LABELS.index("identity_attack")
    Y[:, j] = LABEL
    Y[:5, [k for k in range(len(LABELS)) if k != j]] = 1  # the other heads need two classes
    col = vec.word_vocab_["G>good"]
    free = ModerationClassifier(vec, C=10.0).fit(X, Y, X, Y)
    assert free.coef_[col, j] > 0  # the data alone teaches that praise is an attack
    held = ModerationClassifier(vec, C=10.0, lowering_heads=("identity_attack",)).fit(X, Y, X, Y)
    assert (held.coef_[vec.lowering_columns(), j] <= 0).all()
    assert held.coef_[vec.word_vocab_["G>vile"], j] > 0  # attacks keep their weight
    # heads not listed are fitted as before
    k = LABELS.index("insult")
    np.testing.assert_array_equal(held.coef_[:, k], free.coef_[:, k])
