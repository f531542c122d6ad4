"""The shipped model's card keeps the floors of its held-out bias and sources.

These tests check that the card's identity-bias power means on real test rows stay at or
above the floors this model reached (a retrained model that loses them fails here), that
generated examples stay a minor share of the training weight, and, with the datasets
present, that the card's held-out metrics are what the shipped model measures now. The
leave-one-dataset-out protocol (`moderate evaluate --protocol --write-card`, about an hour)
is asserted here too: the card must hold it complete (a LODO score per real dataset, an
ablation per source) at or above its floors.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from app.labels import GROUPS

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"needs the labelled datasets of ../shared/data ({DATA} not found)"
)

#: floors a little under what the shipped model measured (test splits): leave-one-dataset-
#: out mean 0.6024 for model 1.2.0, 0.5992 for 1.2.1 (the same fits read under its hate rules,
#: re-run 2026-12-03; its `denied_unflags` costs toxigen's 64 test rows 0.033: 0.592 ->
#: 0.559), 0.5981 for 1.2.2 (re-run 2026-12-04 under its counter-speech rule: counterspeech
#: 0.689, online_misogyny 0.596, gab_hate_corpus 0.662), 0.5989 for 1.3.0 (word valence and
#: the clip: convabuse 0.577 -> 0.556 and counterspeech 0.689 -> 0.668, lowered here in the
#: open for a higher mean; README "Model 1.3.0"), bias power means 0.709 / 0.568 / 0.879
LODO_MEAN_FLOOR = 0.59
LODO_FLOORS: dict[str, float] = {
    "context_toxicity": 0.54,
    "convabuse": 0.55,
    "counterspeech": 0.66,
    "davidson2017": 0.51,
    "edos": 0.59,
    "gab_hate_corpus": 0.66,
    "hatexplain": 0.56,
    "implicit_hate": 0.58,
    "mlma": 0.48,
    "online_misogyny": 0.59,
    "stormfront": 0.67,
    "toxic_spans": 0.64,
    "toxigen": 0.55,
}
BIAS_FLOORS = {"subgroup_auc": 0.70, "bpsn_auc": 0.56, "bnsp_auc": 0.87}
#: generated examples may not become the main teacher again
MAX_GENERATED_WEIGHT_SHARE = 0.2


@pytest.fixture(scope="module")
def card(moderator) -> dict:
    return moderator.card


def test_card_holds_the_whole_protocol(card):
    protocol = card["metrics"]["protocol"]
    assert protocol["eval_split"] == "test"
    real = [name for name, s in card["sources"].items() if not s["generated"]]
    # a LODO score for every real dataset, and an ablation for every source
    assert set(protocol["lodo"]["datasets"]) == set(real)
    assert set(protocol["ablation"]) == set(card["sources"])
    for entry in protocol["ablation"].values():
        assert entry["mean_delta"] is not None and entry["bias_power_means"]


def test_lodo_keeps_its_floors(card):
    lodo = card["metrics"]["protocol"]["lodo"]
    assert lodo["mean"] >= LODO_MEAN_FLOOR
    for name, floor in LODO_FLOORS.items():
        assert lodo["datasets"][name] >= floor, name


def test_bias_on_real_rows_keeps_its_floors(card):
    bias = card["metrics"]["bias"]
    assert bias["groups"] and set(bias["groups"]) <= set(GROUPS)
    for metric, floor in BIAS_FLOORS.items():
        value = bias["power_means"][metric]
        assert not math.isnan(value) and value >= floor, metric


def test_generated_examples_are_not_the_main_teacher(card):
    sources = card["sources"]
    assert sum(s["weight_share"] for s in sources.values()) == pytest.approx(1.0, abs=1e-3)
    generated = sum(s["weight_share"] for s in sources.values() if s["generated"])
    assert generated <= MAX_GENERATED_WEIGHT_SHARE


@needs_data
def test_card_metrics_are_what_the_shipped_model_measures(moderator, card):
    from training.evaluate import evaluate_model
    from training.train import load_config

    config = load_config()
    assert config["version"] == card["version"]
    measured = evaluate_model(moderator, DATA, config)
    assert measured["test"]["datasets"] == card["metrics"]["test"]["datasets"]
    assert measured["bias"]["power_means"] == card["metrics"]["bias"]["power_means"]
