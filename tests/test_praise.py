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


def test_praise_shrink_lowers_only_praise(moderator: Moderator, tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(moderator.path, folder)
    card_path = folder / "model_card.json"
    card = json.loads(card_path.read_text())
    card["praise_shrink"] = {"identity_attack": 0.25, "dehumanization": 0.25, "threat": 0.25}
    card_path.write_text(json.dumps(card))
    shrunk = Moderator.load(folder)
    texts = ["Old people are wise.", "Old people are useless."]
    before = moderator.score(texts)
    after = shrunk.score(texts)
    praise, attack = before[0].scores["identity_attack"], after[0].scores["identity_attack"]
    assert attack == pytest.approx(praise * 0.25, rel=1e-5)
    assert after[1].scores == pytest.approx(before[1].scores)  # an attack is not praise
    assert not after[0].hateful
