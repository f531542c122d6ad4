"""The protocol's fits give the same results in forked processes as in one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.protocol import fit_groups, run_protocol, summarize_runs
from training.train import CONFIG_PATH

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_fit_groups_deal_every_fit_once():
    names = ["all", "a", "b", "c", "d"]
    groups = fit_groups(names, 2)
    assert groups == [["all", "b", "d"], ["a", "c"]]
    assert fit_groups(names, 9) == [[n] for n in names]  # never an empty process
    assert fit_groups(names, 1) == [names]


def test_summary_scores_each_real_dataset_left_out():
    runs = {
        "all": {"datasets": {"a": 0.7, "b": 0.6}},
        "a": {"datasets": {"a": 0.5, "b": 0.6}},
        "b": {"datasets": {"a": 0.7, "b": 0.3}},
        "synthetic": {"datasets": {"a": 0.7, "b": 0.6}},
    }
    summary = summarize_runs(runs, {"protocol": {"x": 1}}, "dev", ["a", "b", "synthetic"])
    assert summary["lodo"] == {"datasets": {"a": 0.5, "b": 0.3}, "mean": 0.4}
    assert summary["config"] == {"x": 1} and summary["eval_split"] == "dev"


@pytest.mark.skipif(
    not DATA.is_dir(), reason=f"needs the labelled datasets of ../shared/data ({DATA} not found)"
)
def test_two_processes_give_the_fits_of_one():
    from training.corpus import build_corpus, load_rows
    from training.train import build_pipeline, training_vocabulary

    config = json.loads(CONFIG_PATH.read_text())
    config["datasets"] = ["toxigen", "stormfront"]
    config["synthetic"]["n_per_pattern"] = 1
    config["clusters"] = {**config["clusters"], "n_words": 3000, "n_clusters": 40}
    rows = load_rows(DATA, config)
    nlp = build_pipeline(training_vocabulary(config, rows))
    corpus = build_corpus(nlp, rows, config)
    only = ["all", "toxigen", "stormfront"]
    one = run_protocol(nlp, corpus, config, None, only=only, eval_split="dev")
    two = run_protocol(nlp, corpus, config, None, only=only, eval_split="dev", jobs=2)
    for run in (*one["runs"].values(), *two["runs"].values()):
        run.pop("seconds")
    assert two == one
    assert set(one["runs"]) == set(only)
