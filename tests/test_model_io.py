"""The pickle-free model folder: round trips, and every way a folder can be broken."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from app import Moderator
from app.classifier_io import save_classifier
from app.cli import app
from app.model_card import CARD_FILE, ModelCardError, read_card, write_card
from app.model_io import (
    FORMAT_VERSION,
    load_arrays,
    record_artifacts,
    save_arrays,
    verify_artifacts,
)

runner = CliRunner()
TEXTS = [
    "have a nice day",
    "you absolute m0r0n",
    "Erdocunt",
    "they should all be sent back",
    "I will find you and kill you",
    "",
]


def _suite_texts() -> list[str]:
    suite = Path(__file__).parent / "functional" / "suite.jsonl"
    return [json.loads(line)["text"] for line in suite.read_text().splitlines() if line.strip()]


@pytest.fixture
def model_copy(moderator, tmp_path) -> Path:
    """A private copy of the shipped model folder to break."""
    dest = tmp_path / "model"
    shutil.copytree(moderator.path, dest)
    return dest


def _raw(results) -> list[dict]:
    return [r.to_dict() | {"raw": r.scores} for r in results]


def test_shipped_model_is_format_2_without_pickles(moderator):
    card = read_card(moderator.path)
    assert card["format_version"] == FORMAT_VERSION
    files = sorted(
        p.relative_to(moderator.path).as_posix() for p in moderator.path.rglob("*") if p.is_file()
    )
    assert sorted(card["artifacts"]) == [f for f in files if f != CARD_FILE]
    assert "classifier.npz" in files and "classifier.json" in files
    assert not [f for f in files if f.endswith((".joblib", ".pkl", ".pickle"))]
    verify_artifacts(moderator.path, card)


def test_save_and_load_round_trip_scores_identically(moderator, tmp_path):
    dest = tmp_path / "again"
    # every other part as shipped (pipeline, span model), the classifier written anew
    shutil.copytree(
        moderator.path, dest, ignore=shutil.ignore_patterns("classifier.*", CARD_FILE)
    )
    save_classifier(dest, moderator.classifier)
    card = read_card(moderator.path)
    record_artifacts(dest, card)
    write_card(dest, card)
    again = Moderator.load(dest)
    texts = _suite_texts() + TEXTS
    assert (dest / "classifier.npz").read_bytes() == (
        moderator.path / "classifier.npz"
    ).read_bytes()
    assert _raw(again.score(texts)) == _raw(moderator.score(texts))
    contexts = [texts[i - 1] if i % 2 else None for i in range(len(texts))]
    assert _raw(again.score(texts, contexts)) == _raw(moderator.score(texts, contexts))


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("delete classifier.npz", "classifier.npz is missing"),
        ("delete nlp/tokenizer", "nlp/tokenizer is missing"),
        ("truncate classifier.npz", "classifier.npz has"),
        ("truncate nlp/vocab/strings.json", "strings.json has"),
        ("flip classifier.json", "classifier.json does not match the sha256"),
        ("flip nlp/moderate_lexicon/entries.jsonl", "entries.jsonl does not match the sha256"),
        ("add nlp/extra.bin", "nlp/extra.bin is not listed"),
        ("garble card", "model_card.json is not valid JSON"),
    ],
)
def test_a_broken_folder_names_the_file(model_copy, breakage, expected):
    verb, rel = breakage.split(" ", 1)
    path = model_copy / (CARD_FILE if rel == "card" else rel)
    if verb == "delete":
        path.unlink()
    elif verb == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif verb == "flip":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01  # same size, other bytes
        path.write_bytes(bytes(data))
    elif verb == "add":
        path.write_bytes(b"\x80\x04anything")
    else:
        path.write_text("{not json")
    with pytest.raises(ModelCardError, match=expected):
        Moderator.load(model_copy)
    # the command line: one line, exit 2, no traceback
    res = runner.invoke(app, ["score", "--model", str(model_copy), "hello"])
    assert res.exit_code == 2
    assert expected in res.stderr and "Traceback" not in res.stderr


def test_a_pickled_folder_is_refused_with_a_pointer_to_convert(model_copy):
    card = json.loads((model_copy / CARD_FILE).read_text())
    del card["format_version"], card["artifacts"]
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    (model_copy / "classifier.joblib").write_bytes(b"never read")
    with pytest.raises(ModelCardError, match="moderate convert"):
        Moderator.load(model_copy)


def test_a_consistent_but_wrong_classifier_json_is_an_error(model_copy):
    meta = json.loads((model_copy / "classifier.json").read_text())
    meta["word_vocab"] = meta["word_vocab"][:-1]  # one column short of the arrays
    (model_copy / "classifier.json").write_text(json.dumps(meta))
    card = read_card(model_copy)
    write_card(model_copy, record_artifacts(model_copy, card))  # hashes updated too
    with pytest.raises(ModelCardError, match="classifier.json does not fit"):
        Moderator.load(model_copy)


def test_object_arrays_are_refused_and_never_unpickled(tmp_path):
    marker = tmp_path / "ran"

    class Boom:  # unpickling this would create `marker`
        def __reduce__(self):
            return (Path.touch, (marker,))

    np.savez(tmp_path / "evil.npz", payload=np.array([Boom()], dtype=object))
    (tmp_path / "evil.json").write_text(
        json.dumps({"arrays": {"payload": {"dtype": "|O", "shape": [1]}}})
    )
    with pytest.raises(ModelCardError, match="evil.npz"):
        load_arrays(tmp_path, "evil")
    assert not marker.exists()
    with pytest.raises(ValueError, match="only numbers"):
        save_arrays(tmp_path, "evil2", {"payload": np.array(["text"])}, {})


def test_generic_arrays_round_trip_and_are_checked_against_the_card(tmp_path):
    table = np.arange(12, dtype=np.float16).reshape(3, 4)
    save_arrays(tmp_path, "vectors", {"table": table, "ok": np.ones(2, bool)}, {"words": ["a"]})
    card = record_artifacts(tmp_path, {})
    arrays, meta = load_arrays(tmp_path, "vectors", card)
    assert arrays["table"].dtype == np.float16 and np.array_equal(arrays["table"], table)
    assert meta == {"words": ["a"]}
    (tmp_path / "vectors.json").write_text('{"words": ["b"], "arrays": {}}')
    with pytest.raises(ModelCardError, match="vectors.json has 30 bytes"):
        load_arrays(tmp_path, "vectors", card)


def test_loading_unpickles_nothing_and_reads_only_listed_files(moderator):
    """In a fresh process, an audit hook sees every file opened and every pickle lookup."""
    code = textwrap.dedent(
        f"""
        import json, sys
        from app.moderator import Moderator
        events = []
        model = {str(moderator.path)!r}
        def hook(event, args):
            if event == "pickle.find_class":
                events.append(["pickle", str(args)])
            elif event == "open" and isinstance(args[0], str) and model in args[0]:
                events.append(["open", args[0]])
        sys.addaudithook(hook)
        Moderator.load({str(moderator.path)!r}).score(["you absolute moron"])
        events.append(["modules", sorted({{"sklearn", "joblib", "pickle"}} & set(sys.modules))])
        print(json.dumps(events))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    events = json.loads(out.stdout.strip().splitlines()[-1])
    assert not [e for e in events if e[0] == "pickle"]
    # serving imports neither scikit-learn nor joblib (the stdlib's pickle may be imported
    # by libraries, but nothing is unpickled: no find_class event above)
    assert not {"sklearn", "joblib"} & set(next(e[1] for e in events if e[0] == "modules"))
    opened = {Path(e[1]).resolve() for e in events if e[0] == "open"}
    listed = {(moderator.path / rel).resolve() for rel in read_card(moderator.path)["artifacts"]}
    listed.add((moderator.path / CARD_FILE).resolve())
    assert opened and opened <= listed
    assert (moderator.path / "classifier.npz").resolve() in opened


def test_convert_turns_a_pickled_folder_into_format_2(moderator, tmp_path):
    import joblib

    old = tmp_path / "old"
    shutil.copytree(
        moderator.path, old, ignore=shutil.ignore_patterns("classifier.*", CARD_FILE)
    )
    joblib.dump(moderator.classifier, old / "classifier.joblib")
    card = read_card(moderator.path)
    del card["format_version"], card["artifacts"]
    write_card(old, card)
    new = tmp_path / "new"
    res = runner.invoke(app, ["convert", str(old), str(new)])
    assert res.exit_code == 0, res.output
    assert "unpickling" in res.stderr and "trust" in res.stderr
    converted = Moderator.load(new)
    assert converted.card["converted_from"]["format_version"] == 1
    texts = _suite_texts()[:200] + TEXTS
    assert _raw(converted.score(texts)) == _raw(moderator.score(texts))
    # a second conversion into the same folder is refused, and so is a format-2 source
    again = runner.invoke(app, ["convert", str(old), str(new)])
    assert again.exit_code == 2 and "exists" in again.stderr
    wrong = runner.invoke(app, ["convert", str(new), str(tmp_path / "x")])
    assert wrong.exit_code == 2 and "not a pickled model" in wrong.stderr
