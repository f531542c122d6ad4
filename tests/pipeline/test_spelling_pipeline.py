"""Spelling attacks through the spaCy pipeline: the tokenizer, the normalizer's repairs,
the lexicon's word view and the classifier's token stream (`marked_norms`).

The pipeline holds the project's lexicon and a small English word list written here (a
trained model's list comes from GloVe, see `training.vocabulary`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from app.features import doc_norms
from app.pipeline import build_nlp, load_nlp
from app.pipeline.lexicon import read_lexicon_dir
from app.pipeline.spelling import CORPUS_FILE, RARE_FILE, VOCABULARY_FILE
from app.pipeline.tokenizer import LEET_WORD_PATTERN, TOKENIZER_CACHE_SIZE

LEXICON = Path(__file__).resolve().parents[2] / "training" / "lexicon"
ENGLISH = (
    "the of and to a in is it you that he was for on are with as i his they be at one have "
    "this from or had by not word but what some we can out other were all there when up use "
    "your how said an each she which do their time if will way about many then them write "
    "would like so these her long make thing see him two has look more day could go come "
    "did number sound no most people my over know water than call first who may down side "
    "been now find any new work part take get place made live where after back little only "
    "round man year came show every good me give our under name very through just form "
    "sentence great think say help low line differ turn cause much mean before move right "
    "boy old too same tell does set three want air well also play small end put home read "
    "hand port large spell add even land here must big high such follow act why ask men "
    "change went light kind off need house picture try us again animal point mother world "
    "near build self earth father head stand own page should country found answer school "
    "grow study still learn plant cover food sun four between state keep eye never last let "
    "thought city tree cross farm hard start might story saw far sea draw left late run "
    "while press close night real life few north open seem together next white children "
    "begin got walk example ease paper group always music those both mark often letter "
    "until mile river car feet care second book carry took science eat room friend began "
    "idea fish mountain stop once base hear horse cut sure watch color face wood main "
    "enough plain girl usual young ready above ever red list though feel talk bird soon "
    "body dog family direct pose leave song measure door product black short numeral class "
    "wind question happen complete ship area half rock order fire south problem piece told "
    "knew pass since top whole king space heard best hour better true during hundred five "
    "remember step early hold west ground interest reach fast verb sing listen six table "
    "travel less morning ten simple several vowel toward war lay against pattern slow "
    "center love person money serve appear road map rain rule govern pull cold notice voice "
    "unit power town fine certain fly fall lead cry dark machine note wait plan figure star "
    "box noun field rest correct able pound done beauty drive stood contain front teach "
    "week final gave green oh quick develop ocean warm free minute strong special mind "
    "behind clear tail produce fact street inch multiply nothing course stay wheel full "
    "force blue object decide surface deep moon island foot system busy test record boat "
    "common gold possible plane stead dry wonder laugh thousand ago ran check game shape "
    "equate hot miss brought heat snow tire bring yes distant fill east paint language "
    "among neighbours arrived today"
).split()


@pytest.fixture(scope="module")
def nlp():
    entries, allow = read_lexicon_dir(LEXICON)
    return build_nlp(entries, allow, ENGLISH, rare_words=["hummingbird"], corpus_words=["vermn"])


def _norms(doc):
    return [t.norm_ for t in doc]


def _match(doc, label):
    return next(m for m in doc.user_data[("._.", "matches", None, None)] if m.label == label)


# -- the tokenizer ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("you m0r0n", ["you", "m0r0n"]),
        ("(sc4m)", ["(", "sc4m", ")"]),  # plain spaCy: "sc4", "m" (m for metres)
        ("a l0ser.", ["a", "l0ser", "."]),
        ("what a tw4t", ["what", "a", "tw4t"]),
        ("run 10km at 5pm", ["run", "10", "km", "at", "5", "pm"]),
        ("the 3rd of 2024", ["the", "3rd", "of", "2024"]),
        ("$100 or 50%", ["$", "100", "or", "50", "%"]),
        ("covid19 and mp3s", ["covid19", "and", "mp3s"]),
    ],
)
def test_tokenizer_keeps_leet_words_whole_and_numbers_as_before(nlp, text, tokens):
    assert [t.text for t in nlp.make_doc(text)] == tokens


@pytest.mark.parametrize("text", ["(sc4m)", "what a tw4t", "gr0t", "v3rm1nm"])
def test_plain_spacy_splits_these_leet_words(text):
    # the examples above are worth testing: spaCy's unit suffixes ("2m", "5t") cut them
    assert any(t.text[-1:].isdigit() for t in spacy.blank("en")(text))


def test_tokenizer_setting_round_trips_and_is_added_to_old_pipelines(nlp, tmp_path):
    nlp.to_disk(tmp_path / "nlp")
    for loaded in (spacy.load(tmp_path / "nlp"), load_nlp(tmp_path / "nlp")):
        assert loaded.tokenizer.token_match.__self__.pattern == LEET_WORD_PATTERN
        assert [t.text for t in loaded("sh1t")] == ["sh1t"]
    old = spacy.blank("en")  # saved before the setting existed
    old.to_disk(tmp_path / "old")
    assert spacy.load(tmp_path / "old").tokenizer.token_match is None
    assert load_nlp(tmp_path / "old").tokenizer.token_match.__self__.pattern == (LEET_WORD_PATTERN)


def test_the_enlarged_tokenizer_cache_gives_the_tokens_of_no_cache(nlp, tmp_path):
    nlp.to_disk(tmp_path / "nlp")
    loaded = load_nlp(tmp_path / "nlp")
    assert loaded.tokenizer.max_cache_size == TOKENIZER_CACHE_SIZE
    assert nlp.tokenizer.max_cache_size == TOKENIZER_CACHE_SIZE
    texts = ["Don't u.s.a. f@gg0t 10km (wow)!", "sh1t, \"quoted\" e-mail me@x.org :)"] * 3
    uncached = spacy.blank("en")
    uncached.tokenizer.token_match = loaded.tokenizer.token_match
    uncached.tokenizer.max_cache_size = 0
    for text in texts:  # the second and third time, each chunk comes from the cache
        assert [t.text for t in loaded.make_doc(text)] == [
            t.text for t in uncached.make_doc(text)
        ]


# -- repairs of one token -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "norm", "label"),
    [
        ("vermni", "vermin", "dehumanization"),  # swapped letters
        ("vrmin", "vermin", "dehumanization"),  # a letter missing
        ("verrmin", "vermin", "dehumanization"),  # a letter too many
        ("cowrad", "coward", "insult"),
        ("v3rmni", "vermin", "dehumanization"),  # leet, then swapped letters
        ("c0ward", "coward", "insult"),
    ],
)
def test_typos_are_corrected_with_offsets_into_the_text(nlp, text, norm, label):
    sentence = f"they are {text} ok"
    doc = nlp(sentence)
    assert doc.text == sentence
    assert doc[2].norm_ == norm
    m = _match(doc, label)
    start, end = m.char_span(doc)
    assert sentence[start:end] == text and m.normalized == norm


def test_known_words_and_names_are_not_corrected(nlp):
    doc = nlp("The NASA team met Ms Qwerty and a hummingbird near the horse")
    assert _norms(doc) == [t.text.lower() for t in doc]


def test_glued_words_are_split_for_the_lexicon_and_the_classifier(nlp):
    text = "go home,deportallmigrants now"
    doc = nlp(text)
    glued = next(t for t in doc if t.text == "deportallmigrants")
    assert glued.norm_ == "deport all migrants"
    labels = {m.label for m in doc._.matches if m.start == glued.i}
    assert {"identity"} <= labels and labels & {"contempt", "violence"}
    for m in doc._.matches:
        if m.start == glued.i:
            start, end = m.char_span(doc)
            assert text[start:end] == "deportallmigrants"
            assert m.normalized == "deport all migrants"
    assert doc_norms(doc) == ["go", "home", ",", "deport", "all", "GROUP", "now"]
    assert doc._.target == "immigrants"


def test_profanity_glued_to_an_unknown_name_stays_glued(nlp):
    doc = nlp("If Qwertycunt pulls out")
    m = _match(doc, "profanity")
    assert m.normalized == "qwerty cunt" and doc[m.start].text == "Qwertycunt"
    assert "qwertycunt" in doc_norms(doc)


def test_camel_case_splits_at_its_capitals(nlp):
    doc = nlp("DeportTheMigrants")
    assert doc[0].norm_ == "deport the migrants"


# -- spaced letters -----------------------------------------------------------------------------
def test_spaced_letters_collapse_into_a_word_for_the_classifier(nlp):
    text = "they are v e r m i n ok"
    doc = nlp(text)
    m = _match(doc, "dehumanization")
    start, end = m.char_span(doc)
    assert text[start:end] == "v e r m i n" and m.normalized == "vermin"
    assert doc_norms(doc) == ["they", "are", "vermin", "ok"]


def test_spaced_identity_terms_are_found_and_masked(nlp):
    doc = nlp("the m i g r a n t s arrived today")
    m = _match(doc, "identity")
    assert doc[m.start : m.end].text == "m i g r a n t s"
    assert doc_norms(doc) == ["the", "GROUP", "arrived", "today"]


def test_spaced_ordinary_words_collapse_and_leftover_letters_stay(nlp):
    doc = nlp("i w a t c h the b i r d")
    assert doc_norms(doc) == ["i", "watch", "the", "bird"]


def test_negation_scope_reaches_collapsed_words(nlp):
    doc = nlp("they are not v e r m i n")
    assert doc_norms(doc) == ["they", "are", "not", "NOT_vermin"]
    assert all(m.negated for m in doc._.matches if m.label == "dehumanization")


def test_corpus_words_are_never_repaired(nlp):
    assert nlp("vermn")[0].norm_ == "vermn"


def test_a_run_may_end_with_a_letter_and_its_full_stop(nlp):
    doc = nlp("they are v e r m i n. ok")
    assert [t.text for t in doc][-3:] == ["i", "n.", "ok"]
    assert doc_norms(doc) == ["they", "are", "vermin", ".", "ok"]
    m = _match(doc, "dehumanization")
    assert doc[m.start : m.end].text == "v e r m i n."


def test_letters_that_spell_nothing_stay_letters(nlp):
    doc = nlp("x q z w and b c d")
    assert doc_norms(doc) == ["x", "q", "z", "w", "and", "b", "c", "d"]
    assert doc._.word_view is None


# -- models with and without a vocabulary -------------------------------------------------------
def test_vocabulary_is_saved_with_the_normalizer(nlp, tmp_path):
    nlp.to_disk(tmp_path / "nlp")
    folder = tmp_path / "nlp" / "moderate_normalizer"
    assert (folder / VOCABULARY_FILE).read_text().split("\n")[:3] == ENGLISH[:3]
    assert (folder / RARE_FILE).read_text() == "hummingbird\n"
    assert (folder / CORPUS_FILE).read_text() == "vermn\n"
    loaded = load_nlp(tmp_path / "nlp")
    assert loaded("vermni")[0].norm_ == "vermin"


def test_a_pipeline_without_vocabulary_repairs_only_spaced_lexicon_words(tmp_path):
    entries, allow = read_lexicon_dir(LEXICON)
    build_nlp(entries, allow).to_disk(tmp_path / "nlp")
    assert not (tmp_path / "nlp" / "moderate_normalizer" / VOCABULARY_FILE).exists()
    nlp = load_nlp(tmp_path / "nlp")
    assert nlp("vermni")[0].norm_ == "vermni"
    assert nlp("deportallmigrants")[0].norm_ == "deportallmigrants"
    assert doc_norms(nlp("they are v e r m i n")) == ["they", "are", "vermin"]
    assert doc_norms(nlp("i w a t c h it")) == ["i", "w", "a", "t", "c", "h", "it"]


def test_whitespace_tokens_stay_in_the_view_and_make_none(nlp):
    assert nlp("the  horse\n\nran")._.word_view is None
    doc = nlp("deportallmigrants \n now")
    view = doc._.word_view
    assert view.words[:3] == ["deport", "all", "migrants"] and view.words[4] == "now"
    assert view.words[3].isspace() and doc[view.starts[3]].is_space
    assert doc_norms(doc) == ["deport", "all", "GROUP", "now"]
