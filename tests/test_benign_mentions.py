"""Comments that name a group and attack nobody (issue 13 item 6), read by the shipped model.

`tests/fixtures/benign_group_mentions.txt` holds 213 such comments written one by one, under
nine kinds (community life, news, support, self-descriptions, questions, opinions, history,
talk about violence that threatens no one, everyday words that hate speech also uses). It
is an evaluation set that no training source reads. Every comment should be allowed; the
ceilings below are what model 1.2.1 measured (16 of 213 hateful, 7.5%; one removed), so a
later model may not flag more of them. README "Benign comments that name a group" lists
what the misses have in common.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "benign_group_mentions.txt"
MAX_HATEFUL_SHARE = 0.08
MAX_REMOVED = 1


def read_comments(path: Path = FIXTURE) -> list[tuple[str, str]]:
    """(text, kind) per comment: one per line, under `## kind` headings; `#` lines are
    comments."""
    out: list[tuple[str, str]] = []
    kind = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("##"):
            kind = line.lstrip("# ")
        elif line and not line.startswith("#"):
            out.append((line, kind))
    return out


@pytest.fixture(scope="module")
def verdicts(moderator):
    comments = read_comments()
    results = moderator.score([text for text, _ in comments])
    return list(zip(comments, results, strict=True))


def test_the_set_is_what_its_header_says():
    comments = read_comments()
    assert len(comments) == 213
    assert len({text for text, _ in comments}) == len(comments)
    assert len(Counter(kind for _, kind in comments)) == 9
    assert all(kind for _, kind in comments)


def test_few_benign_comments_that_name_a_group_are_called_hate(verdicts):
    hateful = [text for (text, _), r in verdicts if r.hateful]
    assert len(hateful) / len(verdicts) <= MAX_HATEFUL_SHARE, hateful


def test_benign_comments_that_name_a_group_are_almost_never_removed(verdicts):
    removed = [text for (text, _), r in verdicts if r.action == "remove"]
    assert len(removed) <= MAX_REMOVED, removed


def test_an_allowed_benign_comment_names_no_target(verdicts):
    # `target` is who is attacked: an allowed comment attacks nobody
    wrong = [
        (text, r.target) for (text, _), r in verdicts if r.action == "allow" and r.target != "none"
    ]
    assert not wrong, wrong
