"""How each dataset's labels become ours: per label, and silent where a dataset is silent."""

from __future__ import annotations

import pandas as pd

from training.datasets.dialogue import convabuse_labels, counterspeech_labels
from training.datasets.sexism import edos_labels, guest_labels
from training.datasets.toxic_spans import toxic_spans_labels
from training.rows import LEX, UNKNOWN, WEAK, ZERO_UNLESS_OTHER_GROUP


def test_edos_vectors_map_to_our_labels():
    threat = edos_labels("1.2 incitement and encouragement of harm")
    assert threat["threat"] == 1 and threat["identity_attack"] == 1
    dehum = edos_labels("2.3 dehumanising attacks & overt sexual objectification")
    assert dehum["dehumanization"] == 1 and dehum["identity_attack"] == 1
    # casual gendered slurs: sexist, but which of slur/insult/profanity is not marked
    casual = edos_labels("3.1 casual use of gendered slurs, profanities, and insults")
    assert casual["identity_attack"] == UNKNOWN and casual["slur"] == WEAK
    assert edos_labels("3.3 backhanded gendered compliments")["identity_attack"] == 1
    # EDOS says nothing about insults outside these classes
    assert edos_labels("2.1 descriptive attacks")["insult"] == UNKNOWN


def test_guest_entries_annotate_misogyny_and_personal_attacks_only():
    labels, misogynistic, counter = guest_labels({"None_of_the_categories"}, set())
    assert misogynistic == 0 and not counter
    assert labels["identity_attack"] == ZERO_UNLESS_OTHER_GROUP and labels["insult"] == 0
    assert labels["threat"] == UNKNOWN  # never annotated outside misogyny
    labels, misogynistic, _ = guest_labels(
        {"Treatment", "Misogynistic_pejorative"}, {"Threatening_Physical_violence"}
    )
    assert misogynistic == 1 and labels["threat"] == 1 and labels["slur"] == 1
    labels, misogynistic, _ = guest_labels({"Nonmisogynistic_personal_attack"}, set())
    assert misogynistic == 0 and labels["insult"] == 1
    _, misogynistic, counter = guest_labels({"Counter_speech"}, set())
    assert counter and misogynistic == 0


def _convabuse(**votes: float) -> pd.Series:
    row = {f"votes_{k}": 0.0 for k in (
        "ableist", "homophobic", "racist", "sexist", "transphobic", "intellectual",
        "sex_harassment",
    )}
    row.update({f"votes_{k}": v for k, v in votes.items()})
    return pd.Series({"n_annotators": 3, "abusive_majority": 1, **row})


def test_convabuse_identity_types_need_a_majority():
    labels, identity = convabuse_labels(_convabuse(racist=2))
    assert identity == 1 and labels["identity_attack"] == 1
    labels, identity = convabuse_labels(_convabuse(racist=1, intellectual=2))
    assert identity == 0 and labels["identity_attack"] == UNKNOWN and labels["insult"] == 1
    labels, identity = convabuse_labels(_convabuse(sex_harassment=3))
    assert labels["identity_attack"] == 0 and labels["insult"] == UNKNOWN
    clean = _convabuse()
    clean["abusive_majority"] = 0
    labels, identity = convabuse_labels(clean)
    assert identity == 0 and set(labels.values()) == {0}


def test_counter_speech_is_not_hate_and_says_nothing_about_insults():
    labels, hateful = counterspeech_labels(2)
    assert hateful == 0 and labels["identity_attack"] == 0 and labels["insult"] == UNKNOWN
    assert counterspeech_labels(1)[1] == 1


def test_toxic_spans_types_by_majority_with_minorities_unknown():
    labels = toxic_spans_labels({"Insult": 2, "Identity based Attack": 1}, 3)
    assert labels["insult"] == 1
    assert labels["identity_attack"] == UNKNOWN  # one annotator of three saw one
    assert labels["threat"] == 0 and labels["profanity"] == 0  # nobody did
    assert labels["slur"] == UNKNOWN and labels["dehumanization"] == UNKNOWN
    assert LEX not in labels.values()
