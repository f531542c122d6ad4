"""Training end to end on a small slice: deterministic, and the card is complete."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from training.data import hash_split, near_duplicate_key
from training.train import CONFIG_PATH, train

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="module")
def small_config(tmp_path_factory) -> Path:
    config = json.loads(CONFIG_PATH.read_text())
    config["datasets"] = ["toxigen", "stormfront"]
    config["synthetic"]["n_per_pattern"] = 1
    config["spans"]["max_train_posts"] = 300  # the span model on a slice of its posts
    path = tmp_path_factory.mktemp("cfg") / "config.json"
    path.write_text(json.dumps(config))
    return path


def test_split_is_deterministic_and_groups_near_duplicates():
    a = near_duplicate_key("RT @someone: Immigrants are GREAT!!! http://t.co/x")
    b = near_duplicate_key("immigrants are great")
    assert a == b
    assert hash_split(a) == hash_split(b)
    assert {hash_split(str(i)) for i in range(200)} == {"train", "dev", "test"}


@pytest.mark.skipif(
    not DATA.is_dir(), reason=f"needs the labelled datasets of ../shared/data ({DATA} not found)"
)
def test_same_command_gives_the_same_model(tmp_path, small_config):
    from app import Moderator

    texts = ["you are vermin", "have a nice day", "f a g", "I will find you"]
    cards = []
    probs = []
    for name in ("a", "b"):
        card = train(DATA, tmp_path / name, small_config)
        cards.append(card)
        moderator = Moderator.load(tmp_path / name)
        probs.append(np.array([[r.scores[k] for k in r.scores] for r in moderator.score(texts)]))
    np.testing.assert_array_equal(probs[0], probs[1])
    assert cards[0]["thresholds"] == cards[1]["thresholds"]
    assert cards[0]["metrics"]["test"] == cards[1]["metrics"]["test"]
    assert cards[0]["metrics"]["spans"] == cards[1]["metrics"]["spans"]
    assert cards[0]["spans"]["decode"] == cards[1]["spans"]["decode"]
    for name in ("a", "b"):
        assert (tmp_path / name / "spans.npz").exists()
    spans = [Moderator.load(tmp_path / n).score(texts) for n in ("a", "b")]
    assert [[s.to_dict() for s in r.spans] for r in spans[0]] == [
        [s.to_dict() for s in r.spans] for r in spans[1]
    ]
    card = cards[0]
    assert {d["path"] for d in card["data"]} >= {
        "toxigen_prompts/toxigen_prompt_sentences.csv",
        "stormfront_degibert2018/stormfront_sentences.csv",
    }
    assert "stormfront" in card["metrics"]["test"]["datasets"]
    # the saved pipeline carries no strings from the corpus it processed: its vocab is the
    # one of a freshly built pipeline with the same lexicon
    from app.pipeline import build_nlp
    from app.pipeline.lexicon import read_lexicon_dir
    from training.train import LEXICON_DIR

    build_nlp(*read_lexicon_dir(LEXICON_DIR)).to_disk(tmp_path / "fresh")
    saved = json.loads((tmp_path / "a" / "nlp" / "vocab" / "strings.json").read_text())
    fresh = json.loads((tmp_path / "fresh" / "vocab" / "strings.json").read_text())
    assert set(saved) == set(fresh)


def test_existing_model_is_never_overwritten(tmp_path, small_config):
    (tmp_path / "m").mkdir()
    with pytest.raises(FileExistsError):
        train(DATA, tmp_path / "m", small_config)
