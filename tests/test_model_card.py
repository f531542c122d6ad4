"""The shipped model's card: what a user and an auditor rely on."""

from __future__ import annotations

import json
import time

from app import LABELS, Moderator
from app.model_card import CARD_FILE


def test_card_has_thresholds_hashes_and_held_out_metrics(moderator):
    card = json.loads((moderator.path / CARD_FILE).read_text())
    assert card["labels"] == list(LABELS)
    for kind in ("review", "remove"):
        assert set(card["thresholds"][kind]) == set(LABELS)
        assert all(0.0 < v < 1.0 for v in card["thresholds"][kind].values())
    assert card["data"] and all(len(d["sha256"]) == 64 for d in card["data"])
    datasets = card["metrics"]["test"]["datasets"]
    for name in ("davidson2017", "hatexplain", "gab_hate_corpus", "implicit_hate", "stormfront"):
        assert 0.5 < datasets[name]["macro_f1"] <= 1.0
    assert card["metrics"]["seed_thread"]["passed"] == card["metrics"]["seed_thread"]["total"]
    assert card["versions"]["scikit-learn"]


def test_model_is_small_and_loads_fast(moderator):
    size = sum(p.stat().st_size for p in moderator.path.rglob("*") if p.is_file())
    assert size < 50 * 1024 * 1024
    started = time.perf_counter()
    Moderator.load(moderator.path)
    # generous bound for a loaded CI machine; `moderate bench` measures the real figure
    assert time.perf_counter() - started < 10


def test_nlp_is_loadable_with_spacy(moderator):
    import spacy

    import app.pipeline  # noqa: F401  (registers the factories)

    nlp = spacy.load(moderator.path / "nlp")
    assert nlp.pipe_names == ["moderate_normalizer", "moderate_lexicon", "moderate_signals"]
