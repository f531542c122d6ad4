"""The praise / self-description reading (`app.praise`) and the card's `praise_shrink`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app import Moderator
from app.features import doc_norms
from app.praise import praises_group


@pytest.fixture(scope="module")
def moderator() -> Moderator:
    return Moderator.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Old people are wise.", True),
        ("Sikhs are kind and generous.", True),
        ("We are a group of trans women.", True),
        ("I am a Sikh.", True),
        ("I like gay people.", True),  # "like" is read only after the writer
        ("I like Muslims dead.", False),  # a negative word
        ("Sikhs are vile.", False),  # a negative word
        ("Jews are not good people.", False),  # a negator
        ("Why are Jews so good with money?", False),  # a question
        ("Women only get promoted because they are pretty.", False),  # "only"
        ("The weather is wonderful today.", False),  # no group
    ],
)
def test_praise_reading(moderator: Moderator, text: str, expected: bool) -> None:
    doc = moderator.docs([text])[0]
    assert praises_group(moderator.classifier.vectorizer, doc_norms(doc)) is expected


def _with_shrink(source: Path, folder: Path, shrink: dict[str, float] | None) -> Moderator:
    """A copy of the model at `source` whose card sets `praise_shrink` to `shrink` (or
    leaves it out)."""
    shutil.copytree(source, folder)
    card_path = folder / "model_card.json"
    card = json.loads(card_path.read_text())
    card.pop("praise_shrink", None)
    if shrink is not None:
        card["praise_shrink"] = shrink
    card_path.write_text(json.dumps(card))
    return Moderator.load(folder)


SHRINK = {"identity_attack": 0.25, "dehumanization": 0.25, "threat": 0.25}


@pytest.mark.parametrize(
    ("text", "lowered"),
    [
        ("Old people are wise.", True),
        ("Gay people deserve equal rights.", True),  # a support cue, not praise words
        ("Old people are useless.", False),  # an attack is not praise
        ("Do gay people even deserve rights?", False),  # support asked about
        ("Muslims deserve rights but they are terrorists.", False),  # a negative word
    ],
)
def test_praise_shrink_lowers_only_praise_and_support(
    moderator: Moderator, tmp_path: Path, text: str, lowered: bool
) -> None:
    plain = _with_shrink(moderator.path, tmp_path / "plain", None)
    shrunk = _with_shrink(moderator.path, tmp_path / "shrunk", SHRINK)
    before, after = plain.score([text])[0], shrunk.score([text])[0]
    if lowered:
        expected = before.scores["identity_attack"] * 0.25
        assert after.scores["identity_attack"] == pytest.approx(expected, rel=1e-5)
        assert not after.hateful
    else:
        assert after.scores == pytest.approx(before.scores)
