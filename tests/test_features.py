"""The vectorized feature builder against a plain, obviously correct re-implementation."""

from __future__ import annotations

import math
import pickle
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp

from app.features import TextVectorizer, _side_by_side, char_ngrams
from app.pipeline.signals import SIGNAL_COLUMNS

TRAIN = [
    ["the", "cat", "sat", "on", "the", "mat"],
    ["the", "dog", "sat", "on", "a", "log"],
    ["NOT_cats", "are", "GROUP", "."],
    ["dogs", "are", "great", "!", "the", "cat", "sat"],
    ["a", "cat", "and", "a", "dog"],
    ["the", "mat", "sat", "on", "the", "cat"],
]


def reference_rows(vec: TextVectorizer, docs: list[list[str]]) -> np.ndarray:
    """Dense feature rows computed token by token, the slow way."""
    n_words, n_chars = len(vec.word_vocab_), len(vec.char_vocab_)
    out = np.zeros((len(docs), vec.n_features), dtype=np.float64)
    for d, tokens in enumerate(docs):
        words: Counter[int] = Counter()
        chars: Counter[int] = Counter()
        for k, tok in enumerate(tokens):
            if tok in vec.word_vocab_:
                words[vec.word_vocab_[tok]] += 1
            if k and f"{tokens[k - 1]} {tok}" in vec.word_vocab_:
                words[vec.word_vocab_[f"{tokens[k - 1]} {tok}"]] += 1
            if not tok[:1].isupper():
                grams = {g for g in char_ngrams(tok, *vec.char_range) if g in vec.char_vocab_}
                chars.update(vec.char_vocab_[g] for g in grams)
        for counts, idf, offset in ((words, vec.word_idf_, 0), (chars, vec.char_idf_, n_words)):
            values = {c: (1 + math.log(k)) * idf[c] for c, k in counts.items()}
            norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
            for c, v in values.items():
                out[d, offset + c] = v / norm
        out[d, n_words + n_chars :] = 0.5
    return out


@pytest.fixture()
def vec() -> TextVectorizer:
    return TextVectorizer(word_min_df=1, char_min_df=1).fit(TRAIN)


def _signals(n: int) -> list[list[float]]:
    return [[0.5] * len(SIGNAL_COLUMNS) for _ in range(n)]


DOCS = [
    ["the", "cat", "sat", "on", "the", "cat"],  # repeated words and bigrams
    [],
    ["unseen", "words", "only"],
    ["the", "dog", "the", "dog", "the", "dog", "zebra"],
    ["NOT_cats", "are", "GROUP", "cat"],
    ["sat"],
]


def test_transform_matches_the_reference(vec):
    got = vec.transform(DOCS, _signals(len(DOCS))).toarray()
    assert np.allclose(got, reference_rows(vec, DOCS), atol=1e-6)
    # batch boundaries do not matter: one doc at a time gives the same rows
    one_by_one = np.vstack([vec.transform([d], _signals(1)).toarray() for d in DOCS])
    assert np.array_equal(got, one_by_one)


def test_side_by_side_is_what_scipy_hstack_builds():
    rng = np.random.default_rng(3)
    blocks, matrices, offset = [], [], 0
    for width in (7, 1, 12):
        dense = rng.random((9, width)) * (rng.random((9, width)) < 0.3)
        dense[4] = 0  # a row empty in every block
        m = sp.csr_matrix(dense.astype(np.float32))
        matrices.append(m)
        blocks.append((m.indptr.astype(np.int64), m.indices + offset, m.data))
        offset += width
    got = _side_by_side(blocks, offset)
    want = sp.hstack(matrices, format="csr")
    assert got.shape == want.shape and got.dtype == want.dtype
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)
    assert got.has_sorted_indices


def test_zero_signals_are_not_stored(vec):
    signals = _signals(len(DOCS))
    signals[0] = [0.0] * len(SIGNAL_COLUMNS)
    signals[2][3] = 0.0
    got = vec.transform(DOCS, signals)
    assert not (got.data == 0).any()
    n_text = len(vec.word_vocab_) + len(vec.char_vocab_)
    assert got[0, n_text:].nnz == 0
    assert got[2, n_text:].nnz == len(SIGNAL_COLUMNS) - 1
    # the text part does not depend on the signals
    assert np.array_equal(
        got[:, :n_text].toarray(), vec.transform(DOCS, _signals(len(DOCS)))[:, :n_text].toarray()
    )


def test_table_reset_keeps_results_exact(vec, monkeypatch):
    before = vec.transform(DOCS, _signals(len(DOCS))).toarray()
    monkeypatch.setattr(TextVectorizer, "_CACHE_LIMIT", 3)
    fresh = pickle.loads(pickle.dumps(vec))
    for _ in range(3):  # every call overflows the tiny table and resets it
        assert np.array_equal(fresh.transform(DOCS, _signals(len(DOCS))).toarray(), before)


def test_a_norm_with_a_space_still_finds_its_bigrams():
    vec = TextVectorizer(word_min_df=1, char_min_df=1).fit([["erdo cunt", "again"]] * 2)
    assert "erdo cunt again" in vec.word_vocab_
    row = vec.transform([["erdo cunt", "again"]], _signals(1)).toarray()
    assert row[0, vec.word_vocab_["erdo cunt again"]] > 0


def test_pickle_round_trip_keeps_the_bigram_index(vec):
    clone = pickle.loads(pickle.dumps(vec))
    assert np.array_equal(clone._pair_keys, vec._pair_keys)
    assert "_ids" not in clone.__getstate__()  # the per-process table is not saved
    a = clone.transform(DOCS, _signals(len(DOCS)))
    b = vec.transform(DOCS, _signals(len(DOCS)))
    assert (a != b).nnz == 0


# -- word clusters, neutral words and group context ----------------------------------------
CLUSTERS = {"cat": 1, "dog": 1, "cats": 1, "vile": 2, "gross": 2, "sat": 3, "mat": 4}
GROUP_TRAIN = [
    ["GROUP", "are", "vile", "."],
    ["i", "hate", "GROUP", "people"],
    ["the", "GROUP", "sat", "on", "the", "mat"],
    ["NOT_GROUP", "are", "NOT_gross", ",", "GROUP", "are", "fine"],
    ["cats", "are", "gross"],
] * 2


def test_neutral_words_drop_presence_only_features():
    vec = TextVectorizer(word_min_df=1, char_min_df=1, neutral_words=("GROUP", "NOT_GROUP"))
    vec.fit(GROUP_TRAIN)
    vocab = vec.word_vocab_
    # naming a group, alone or next to function words, is no feature
    assert not {"GROUP", "NOT_GROUP", "GROUP are", "the GROUP", "NOT_GROUP are"} & set(vocab)
    # what is said about it still is
    assert {"hate GROUP", "GROUP people", "GROUP sat", "vile"} <= set(vocab)


def test_cluster_tokens_keep_scope_marks_and_treat_groups_as_unclustered():
    vec = TextVectorizer(clusters=CLUSTERS)
    assert vec.cluster_stream(["cat", "NOT_vile", "Q_sat", "zebra", "GROUP", "NOT_GROUP"]) == [
        "K1", "NOT_K2", "Q_K3", "K_", "K_", "NOT_K_",
    ]


def test_clusters_reach_words_never_seen_in_training():
    train = [["cat", "is", "vile"]] * 3 + [["dog", "is", "fine"]] * 3
    vec = TextVectorizer(word_min_df=1, char_min_df=1, clusters=CLUSTERS).fit(train)
    assert "K2" in vec.word_vocab_ and "gross" not in vec.word_vocab_
    row = vec.transform([["cat", "is", "gross"]], _signals(1)).toarray()[0]
    # "gross" was never seen, its cluster (that of "vile") was
    assert row[vec.word_vocab_["K2"]] > 0 and row[vec.word_vocab_["K_ K2"]] > 0
    assert row[vec.word_vocab_["K1 K_"]] > 0  # cat -> K1, "is" has no cluster
    dropped = TextVectorizer(word_min_df=1, char_min_df=1, clusters=CLUSTERS,
                             drop_unclustered=True).fit(train)
    assert "K2" in dropped.word_vocab_ and not [g for g in dropped.word_vocab_ if "K_" in g]
    # the two streams are read apart: no bigram pairs a word with a cluster token
    assert not [g for g in vec.word_vocab_ if " " in g and g.split()[0].islower()
                and g.split()[1].startswith("K")]


def _assert_group_context_matches_the_reference(vec: TextVectorizer, docs) -> None:
    """`transform`'s group-context columns of each doc are `group_context`'s features."""
    X = vec.transform(docs, _signals(len(docs))).tocsr()
    names = vec.feature_names()
    for i, tokens in enumerate(docs):
        got = Counter(
            names[k][2:] for k in X[i].indices if "<G" in names[k] or "G>" in names[k]
        )
        want = Counter(f for f in vec.group_context(tokens) if f in vec.word_vocab_)
        assert set(got) == set(want), (vec.clusters is None, tokens)


def test_group_context_fast_path_matches_the_reference():
    vec = TextVectorizer(
        word_min_df=1, char_min_df=1, clusters=CLUSTERS, group_window=(2, 3),
        neutral_words=("GROUP", "NOT_GROUP"),
    ).fit(GROUP_TRAIN)
    docs = [*GROUP_TRAIN[:5], ["GROUP"], [], ["hate", "hate", "GROUP", "GROUP", "vile", "mat"],
            ["vile", ".", "GROUP", "the", "a", "sat", "mat", "cat"]]
    _assert_group_context_matches_the_reference(vec, docs)
    # the window counts tokens, gives function words no feature, stops at a clause break
    assert vec.group_context(["vile", ".", "GROUP", "the", "a", "sat", "mat", "cat"]) == [
        "G>sat", "G>K3",
    ]
    assert vec.group_context(["the", "GROUP", "sat"])[:2] == ["G>sat", "G>K3"]


def test_group_context_survives_a_growing_and_resetting_table(monkeypatch):
    vec = TextVectorizer(
        word_min_df=1, char_min_df=1, clusters=CLUSTERS, group_window=(2, 2)
    ).fit(GROUP_TRAIN)
    many = [[f"w{i}", "GROUP", "vile", f"x{i}"] for i in range(3000)]  # grows the table
    first = vec.transform(many, _signals(len(many))).toarray()
    monkeypatch.setattr(TextVectorizer, "_CACHE_LIMIT", 50)
    fresh = pickle.loads(pickle.dumps(vec))  # resets on every call now
    assert np.array_equal(fresh.transform(many, _signals(len(many))).toarray(), first)
    assert first[:, vec.word_vocab_["G>vile"]].min() > 0


def test_group_context_counts_repeated_windows_like_any_word_feature():
    vec = TextVectorizer(word_min_df=1, char_min_df=1, group_window=(1, 1)).fit(GROUP_TRAIN)
    once = vec.transform([["i", "hate", "GROUP"]], _signals(1)).toarray()[0]
    twice = vec.transform([["hate", "GROUP", "hate", "GROUP"]], _signals(1)).toarray()[0]
    j = vec.word_vocab_["hate<G"]
    assert once[j] > 0 and twice[j] > 0


def test_one_document_takes_the_short_path_to_the_same_matrix(vec):
    signals = _signals(len(DOCS))
    signals[1] = [0.0] * len(SIGNAL_COLUMNS)
    batch = vec.transform(DOCS, signals)
    for i, doc in enumerate(DOCS):
        one = vec.transform([doc], [signals[i]])
        row = batch[i]
        assert one.dtype == row.dtype and one.indices.dtype == row.indices.dtype
        assert np.array_equal(one.indices, row.indices)
        assert np.array_equal(one.data, row.data)  # bit for bit, not approximately
        assert one.has_sorted_indices


VALENCE = {"vile": -2, "gross": -2, "fine": 1, "great": 2}


def test_valence_tokens_keep_scope_marks_and_reach_unseen_words():
    vec = TextVectorizer(word_min_df=1, char_min_df=1, valence=VALENCE).fit(
        [["cat", "is", "vile"], ["dog", "is", "NOT_fine"]]
    )
    assert vec.valence_token("NOT_fine") == "NOT_V+1" and vec.valence_token("cat") is None
    assert {"V-2", "NOT_V+1"} <= set(vec.word_vocab_)
    row = vec.transform([["cat", "is", "gross"]], _signals(1)).toarray()[0]
    # "gross" was never seen, its valence (that of "vile") was
    assert row[vec.word_vocab_["V-2"]] > 0
    assert row[vec.word_vocab_["V+1"]] == 0 if "V+1" in vec.word_vocab_ else True


def test_valence_group_context_fast_path_matches_the_reference():
    for clusters in (CLUSTERS, None):
        vec = TextVectorizer(
            word_min_df=1, char_min_df=1, clusters=clusters, group_window=(2, 3),
            neutral_words=("GROUP", "NOT_GROUP"), valence=VALENCE,
        ).fit([*GROUP_TRAIN, ["GROUP", "are", "vile"], ["great", "GROUP", "NOT_fine"]])
        docs = [*GROUP_TRAIN[:5], ["GROUP", "is", "gross"], ["great", "great", "GROUP"],
                ["GROUP", "NOT_fine", "."], []]
        _assert_group_context_matches_the_reference(vec, docs)
        assert "G>V-2" in vec.group_context(["GROUP", "is", "gross"])
        assert "V+2<G" in vec.group_context(["great", "GROUP"])


def test_valence_can_be_read_as_a_groups_context_only():
    vec = TextVectorizer(
        word_min_df=1, char_min_df=1, group_window=(2, 2), valence=VALENCE,
        valence_unigrams=False,
    ).fit([["GROUP", "are", "vile"], ["cats", "are", "gross"]])
    assert "G>V-2" in vec.word_vocab_ and "V-2" not in vec.word_vocab_
    row = vec.transform([["GROUP", "is", "gross"]], _signals(1)).toarray()[0]
    assert row[vec.word_vocab_["G>V-2"]] > 0


def test_the_vocabulary_does_not_depend_on_the_order_words_were_counted_in():
    docs = [["a", "b"], ["c", "d"], ["b", "c"], ["d", "a"]]  # every word and n-gram tied
    kept = set()
    for order in (docs, docs[::-1], docs[1:] + docs[:1]):
        vec = TextVectorizer(
            word_min_df=1, word_max_features=3, char_min_df=1, char_max_features=4
        ).fit(order)
        kept.add((tuple(vec.word_vocab_), tuple(vec.char_vocab_)))
    assert len(kept) == 1
    assert list(kept)[0][0] == ("a", "b", "c")  # the most frequent, ties in string order


def test_cluster_valence_splits_antonyms_that_share_a_cluster():
    clusters = {**CLUSTERS, "fine": 2}  # co-occurrence puts "vile" and "fine" together
    vec = TextVectorizer(
        word_min_df=1, char_min_df=1, clusters=clusters, group_window=(2, 3),
        neutral_words=("GROUP", "NOT_GROUP"), valence=VALENCE, cluster_valence=True,
    ).fit([*GROUP_TRAIN, ["GROUP", "are", "gross"], ["GROUP", "are", "NOT_fine"]])
    assert vec.cluster_stream(["vile", "fine", "NOT_fine", "cat", "GROUP"]) == [
        "K2-", "K2+", "NOT_K2+", "K1", "K_",
    ]
    # synonyms of one sign still share their token; the group's context tells them apart
    assert "G>K2-" in vec.group_context(["GROUP", "is", "gross"])
    assert "G>K2+" in vec.group_context(["GROUP", "is", "fine"])
    _assert_group_context_matches_the_reference(
        vec, [*GROUP_TRAIN, ["GROUP", "is", "fine"], ["fine", "GROUP", "NOT_vile"]]
    )
    names = {vec.word_vocab_[f]: f for f in vec.word_vocab_}
    lowering = {names[c] for c in vec.lowering_columns()}
    assert "G>K2+" in lowering  # "GROUP are fine": praise
    assert not {"G>K2-", "G>NOT_K2+"} & lowering  # an attack, a denied compliment
    # without the option the cluster token is the plain one
    plain = TextVectorizer(clusters=clusters, valence=VALENCE)
    assert plain.cluster_stream(["vile", "fine"]) == ["K2", "K2"]
