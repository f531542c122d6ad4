"""The spaCy components on a blank English pipeline with the project's lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from app.pipeline import PIPE_NAMES, build_nlp, load_nlp
from app.pipeline.lexicon import as_spans, read_lexicon_dir
from app.pipeline.signals import SIGNAL_COLUMNS

LEXICON = Path(__file__).resolve().parents[2] / "training" / "lexicon"


@pytest.fixture(scope="module")
def nlp():
    entries, allow = read_lexicon_dir(LEXICON)
    return build_nlp(entries, allow)


def _spans(doc):
    return [(doc[m.start : m.end].text, m.label, m.normalized, m.usage) for m in doc._.matches]


@pytest.mark.parametrize(
    ("text", "surface", "label", "normalized"),
    [
        ("n1gg3rs everywhere", "n1gg3rs", "slur", "niggers"),
        ("you f a g", "f a g", "slur", "fag"),
        ("you f-a-g", "f-a-g", "slur", "fag"),
        ("what a f*cking mess", "f*cking", "profanity", "fucking"),
        ("fuuuuuck this", "fuuuuuck", "profanity", "fuck"),
        ("If Erdocunt pulls out", "Erdocunt", "profanity", "erdo cunt"),
        ("they are v\u0435rmin", "v\u0435rmin", "dehumanization", "vermin"),
        ("$hit happens", "$hit", "profanity", "shit"),
        ("a m0r0n again", "m0r0n", "insult", "moron"),
        ("k\u200bike", "k\u200bike", "slur", "kike"),
    ],
)
def test_lexicon_finds_obfuscated_terms_with_original_offsets(
    nlp, text, surface, label, normalized
):
    doc = nlp(text)
    match = next(m for m in doc._.matches if m.label == label)
    start, end = match.char_span(doc)
    assert text[start:end] == surface == doc[match.start : match.end].text
    assert match.normalized == normalized


def test_doc_text_is_never_changed(nlp):
    text = "F.U.C.K  y0u\u200b, m0r0n!!"
    assert nlp(text).text == text


@pytest.mark.parametrize(
    "text",
    ["Welcome to Scunthorpe", "the cocktail party", "a classic assassin film", "2020 was 100% odd"],
)
def test_no_profanity_inside_ordinary_words(nlp, text):
    doc = nlp(text)
    assert not [m for m in doc._.matches if m.label in ("profanity", "slur")]


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("go back to your country you kike", "derogatory"),
        ("I'm a proud dyke", "reclaimed"),
        ("There's a chink in his armor", "homonym"),
        ("Calling someone a faggot is a slur and never okay", "counter_speech"),
        ('He wrote "faggot" on the wall', "quoted"),
    ],
)
def test_slur_usage(nlp, text, usage):
    doc = nlp(text)
    slurs = [m for m in doc._.matches if m.label == "slur"]
    assert [m.usage for m in slurs] == [usage]


def test_negation_and_target_signals(nlp):
    doc = nlp("Muslims are not evil")
    contempt = [m for m in doc._.matches if m.label == "contempt"]
    assert contempt and all(m.negated for m in contempt)
    assert doc._.target == "muslims"
    row = dict(zip(SIGNAL_COLUMNS, doc._.signals, strict=True))
    assert row["contempt_negated"] == 1 and row["contempt"] == 0


def test_pipeline_round_trips_through_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "nlp")
    loaded = load_nlp(tmp_path / "nlp")
    assert loaded.pipe_names == list(PIPE_NAMES)
    assert spacy.load(tmp_path / "nlp").pipe_names == list(PIPE_NAMES)
    text = "you f a g, n1gg3rs are vermin and Erdocunt is a m0r0n"
    assert _spans(loaded(text)) == _spans(nlp(text))
    assert loaded(text)._.signals == nlp(text)._.signals


def test_components_declare_what_they_assign(nlp):
    analysis = nlp.analyze_pipes()
    assert not analysis["problems"] or all(not v for v in analysis["problems"].values())


def test_matches_are_inspectable_as_spacy_spans(nlp):
    doc = nlp("you f a g")
    spans = as_spans(doc)
    assert [(s.text, s.label_) for s in spans] == [("f a g", "slur")]
