"""Evidence spans of the learnt span model (app/spans) as a user gets them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.labels import LABELS
from app.spans import SPANS_JSON, SPANS_NPZ, SpanModel

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SPANS_DATA = DATA / "toxic_spans_pavlopoulos2022" / "toxic_spans_per_comment.jsonl"
#: floors the shipped model's card must record (model 1.2.0: test split 0.509 with the
#: default policy, 0.507 with spans always; 1.1.0: 0.52 / 0.54; see README)
F1_FLOOR_DEFAULT = 0.50
F1_FLOOR_ALWAYS = 0.50
MISSING_EVIDENCE_CEILING = 0.02


def test_span_model_files_are_arrays_and_json(moderator):
    with np.load(moderator.path / SPANS_NPZ, allow_pickle=False) as arrays:
        assert {"keys", "weights", "intercept", "bin_edges"} <= set(arrays.files)
        assert arrays["keys"].dtype == np.uint64
        assert arrays["weights"].shape == (arrays["keys"].size, 5)
    config = json.loads((moderator.path / SPANS_JSON).read_text())
    assert config["format"] == 1 and config["decode"]["threshold"] > 0
    assert moderator.span_model is not None


def test_a_model_folder_without_span_files_has_no_span_model(tmp_path, moderator):
    assert SpanModel.load(tmp_path, moderator.classifier) is None


@pytest.mark.parametrize(
    ("text", "want", "label"),
    [
        ("you absolute m0r0n", "m0r0n", "insult"),
        ("What a pile of shit, you clueless idiot.", "idiot", "insult"),
        ("they should be shot", "should be shot", "threat"),
        ("immigrants should go back where they came from", "go back where they came from", None),
        ("Muslims are a disease", "disease", "dehumanization"),
        ("shut up you f a g", "f a g", "slur"),
    ],
)
def test_flagged_texts_show_the_words_moderators_mark(moderator, text, want, label):
    res = moderator.score([text])[0]
    assert res.action != "allow", res.scores
    found = [s for s in res.spans if s.text == want]
    assert found, [s.text for s in res.spans]
    if label is not None:
        assert found[0].label == label
    for span in res.spans:
        assert text[span.start : span.end] == span.text
        assert span.label in LABELS


def test_an_obfuscated_word_keeps_its_normalized_form(moderator):
    res = moderator.score(["you absolute m0r0n"])[0]
    span = next(s for s in res.spans if s.text == "m0r0n")
    assert span.normalized == "moron"


def test_every_flagged_text_carries_evidence(moderator):
    texts = [
        "I can't stand black people, never could.",
        "women are inferior and should not vote",
        "they should all be sent back",
        "Jews control the banks, everyone knows it",
        "you people are disgusting",
    ]
    for text, res in zip(texts, moderator.score(texts), strict=True):
        if res.action != "allow":
            assert res.spans, (text, res.labels)


def test_allowed_texts_carry_spans_only_when_the_policy_asks(moderator):
    text = "the villain was a jerk but I loved the film"
    default = moderator.score([text])[0]
    assert default.action == "allow" and default.spans == []
    always = moderator.policy.with_overrides({"spans": "always"}, name="always")
    res = moderator.score([text], policy=always)[0]
    assert res.action == "allow"
    assert [s.text for s in res.spans] == ["jerk"]


def test_policy_rejects_an_unknown_span_mode(moderator):
    with pytest.raises(ValueError, match="spans"):
        moderator.policy.with_overrides({"spans": "sometimes"})


def test_policy_file_accepts_the_span_mode(moderator):
    from app.api.policies import build_policy_book

    book = build_policy_book({"dashboard": {"spans": "always"}}, moderator.policy)
    assert book.resolve("dashboard").spans == "always"
    assert book.resolve(None).spans == "flagged"


def test_allow_listed_text_is_quoted_as_given(moderator):
    text = "Scunthorpe people are idiots"
    policy = moderator.policy.with_overrides(
        {"allowlist": ["Scunthorpe"], "spans": "always"}, name="allow"
    )
    res = moderator.score([text], policy=policy)[0]
    for span in res.spans:
        assert text[span.start : span.end] == span.text
        assert "Scunthorpe" not in span.text


def test_fast_scores_equal_the_training_feature_matrix(moderator):
    """Scoring factors the linear model by word and tag; the explicit feature matrix that
    training builds must give the same logits."""
    from app.spans.model import N_OUT
    from training.spans_data import SpanPost
    from training.spans_fit import _Space, design, featurize

    model = moderator.span_model
    texts = ["you are a clueless idiot", "Muslims are a disease!!", "F*ck off, m0r0n", ""]
    posts = [SpanPost(0, t, {}, "dev", 3, {}) for t in texts]
    feats = featurize(moderator, posts)
    space = _Space()
    rows, cols, n_tok = design(feats, model.cw, space)
    names = {i: s for s, i in space.ids.items()}
    logits = np.tile(model.intercept.astype(np.float64), (n_tok, 1))
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        logits[r] += model._lookup([_key(names[c])])
    fast = model.score(feats.docs, feats.probs)
    prob = np.concatenate([s.prob for s in fast])
    assert logits.shape == (n_tok, N_OUT) and prob.size == n_tok
    np.testing.assert_allclose(prob, 1 / (1 + np.exp(-logits[:, 0])), rtol=1e-4, atol=1e-6)


def _key(name: str) -> int:
    from app.spans.features import feature_key

    return feature_key(name)


def test_card_records_span_quality_above_the_floors(moderator):
    spans = moderator.card["metrics"]["spans"]
    test = spans["test"]
    assert test["default_policy"]["overall"] >= F1_FLOOR_DEFAULT
    assert test["spans_always"]["overall"] >= F1_FLOOR_ALWAYS
    assert test["missing_evidence"]["rate"] <= MISSING_EVIDENCE_CEILING
    assert spans["suite_missing_evidence"]["rate"] <= MISSING_EVIDENCE_CEILING
    assert set(test["default_policy"]["types"]) == {
        "insult", "threat", "identity_attack", "profanity"
    }


@pytest.mark.skipif(not SPANS_DATA.exists(), reason="needs ../shared/data")
def test_card_span_metrics_are_what_the_model_measures(moderator):
    """The card's figures are reproduced by scoring the test split through the API."""
    from training.spans_data import load_span_posts
    from training.spans_eval import evaluate_spans

    posts = [p for p in load_span_posts(DATA) if p.split == "test"]
    assert evaluate_spans(moderator, posts) == moderator.card["metrics"]["spans"]["test"]
