"""The protocol's bias metrics and the reweighting against group-mention bias."""

from __future__ import annotations

import numpy as np
import pytest

from training.protocol import identity_bias, power_mean


def test_power_mean_is_pulled_down_by_the_worst_value():
    assert power_mean([0.9, 0.9, 0.9]) == pytest.approx(0.9)
    assert power_mean([0.99, 0.99, 0.5]) < 0.65  # p = -5 punishes one bad group
    assert np.isnan(power_mean([]))


def test_identity_bias_sees_a_model_that_scores_group_mentions():
    rng = np.random.default_rng(0)
    n = 400
    y = rng.integers(0, 2, n)
    groups = [frozenset({"muslims"}) if i % 2 else frozenset() for i in range(n)]
    named = np.array([bool(g) for g in groups])
    fair = y + rng.normal(0, 0.3, n)  # the label, plus noise: no group effect
    biased = fair + 1.5 * named  # naming the group raises the score
    fair_m = identity_bias(fair, y, groups)["groups"]["muslims"]
    biased_m = identity_bias(biased, y, groups)["groups"]["muslims"]
    assert fair_m["bpsn_auc"] > 0.9 and fair_m["bnsp_auc"] > 0.9
    # background positive, subgroup negative: harmless mentions now outscore hate
    assert biased_m["bpsn_auc"] < 0.5 < biased_m["bnsp_auc"]
    assert biased_m["subgroup_auc"] == pytest.approx(fair_m["subgroup_auc"])


def test_identity_bias_skips_groups_with_too_few_rows():
    y = np.array([1, 0] * 5)
    groups = [frozenset({"jews"})] * 10
    assert identity_bias(np.linspace(0, 1, 10), y, groups)["groups"] == {}


@pytest.mark.parametrize(
    ("gold", "pred"),
    [([0, 0], [0, 0]), ([1, 1], [1, 0]), ([0, 1], [1, 0]), ([0, 0, 1], [0, 1, 1]), ([1], [0])],
)
def test_macro_f1_from_counts_is_sklearns_on_edge_cases(gold, pred):
    from sklearn.metrics import f1_score

    from training.compare import _macro_f1_from_counts

    counts = np.bincount(2 * np.array(gold) + np.array(pred), minlength=4)
    expected = f1_score(gold, pred, average="macro", zero_division=0)
    assert _macro_f1_from_counts(counts) == pytest.approx(expected)


def test_paired_bootstrap_matches_resampling_with_sklearn():
    from sklearn.metrics import f1_score

    from training.compare import paired_bootstrap

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    old = y ^ (rng.random(400) < 0.35)
    new = y ^ (rng.random(400) < 0.2)
    result = paired_bootstrap(y, old, new, n=200, seed=5)
    draws = np.random.default_rng(5)
    diffs = []
    for _ in range(200):  # the same resamples, scored one at a time by sklearn
        idx = draws.integers(0, y.size, y.size)
        diffs.append(
            f1_score(y[idx], new[idx], average="macro")
            - f1_score(y[idx], old[idx], average="macro")
        )
    assert result["ci95"] == [round(float(v), 4) for v in np.percentile(diffs, [2.5, 97.5])]
    assert result["diff"] > 0 and result["not_worse"]
