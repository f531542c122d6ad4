"""Loaders of the two sexism corpora: EDOS (Kirk et al. 2023) and Guest et al. 2021.

Both annotate sexism (misogyny) only. A post they call not sexist is no attack on women,
but may still attack another group or hold profanity, so its `identity_attack` is
`ZERO_UNLESS_OTHER_GROUP` and the labels it says nothing about stay `UNKNOWN`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from training.rows import (
    LEX,
    UNKNOWN,
    WEAK,
    ZERO_UNLESS_OTHER_GROUP,
    Row,
    label_values,
    make_row,
    split_official_train,
)

FILES: dict[str, tuple[str, ...]] = {
    "edos": ("edos_kirk2023/edos_labelled_aggregated.csv",),
    "online_misogyny": ("online_misogyny_guest2021/guest2021_entries.jsonl",),
}

NOT_SEXIST = label_values(identity_attack=ZERO_UNLESS_OTHER_GROUP)


def edos_labels(vector: str) -> dict[str, int]:
    """Our labels for one EDOS fine-grained vector ("2.3 dehumanising attacks ...")."""
    code = vector.split(" ", 1)[0]
    if code in ("1.1", "1.2"):  # threats of harm, incitement
        return label_values(identity_attack=1, threat=1, slur=WEAK, profanity=LEX)
    if code == "2.3":  # dehumanising attacks and overt sexual objectification
        return label_values(identity_attack=1, dehumanization=1, slur=WEAK, profanity=LEX)
    if code == "2.2":  # aggressive and emotive attacks: often insults and obscenity too
        return label_values(identity_attack=1, insult=WEAK, slur=WEAK, profanity=LEX)
    if code == "3.1":
        # casual gendered slurs, profanities and insults: sexist, but which of slur,
        # profanity or insult is not marked, and casual use is not always an attack
        return label_values(slur=WEAK, insult=WEAK, profanity=LEX)
    # 2.1 descriptive attacks; 3.2-3.4 stereotypes, backhanded compliments, condescension;
    # 4.1, 4.2 supporting mistreatment or discrimination: identity attacks, mostly implicit
    return label_values(identity_attack=1, dehumanization=WEAK, slur=WEAK, profanity=LEX)


def load_edos(data: Path) -> Iterator[Row]:
    df = pd.read_csv(data / FILES["edos"][0], keep_default_na=False)
    split_map = {"train": "train", "dev": "dev", "test": "test"}
    for text, sexist, vector, split in zip(
        df["text"], df["label_sexist"], df["label_vector"], df["split"], strict=True
    ):
        is_sexist = sexist == "sexist"
        labels = edos_labels(vector) if is_sexist else NOT_SEXIST
        yield make_row(
            str(text), labels, "edos", split=split_map[split], hateful=int(is_sexist),
            meta={"vector": vector},
        )


def guest_labels(level_2: set[str], level_3: set[str]) -> tuple[dict[str, int], int, bool]:
    """(labels, misogynistic, counter-speech) for one Guest et al. entry's label sets."""
    counter = "Counter_speech" in level_2
    misogynistic = bool(
        level_2 & {"Derogation", "Misogynistic_pejorative", "Treatment",
                   "Misogynistic_personal_attack"}
    )
    if not misogynistic:
        # personal attacks were annotated on every entry, misogynistic or not
        insult = 1 if "Nonmisogynistic_personal_attack" in level_2 else 0
        labels = label_values(identity_attack=ZERO_UNLESS_OTHER_GROUP, insult=insult)
        return labels, 0, counter
    labels = label_values(identity_attack=1, profanity=LEX, dehumanization=WEAK)
    labels["slur"] = 1 if "Misogynistic_pejorative" in level_2 else WEAK
    labels["insult"] = 1 if "Misogynistic_personal_attack" in level_2 else UNKNOWN
    if any(tag.startswith("Threatening") for tag in level_3):
        labels["threat"] = 1
    return labels, 1, counter


def load_online_misogyny(data: Path) -> Iterator[Row]:
    entries = [json.loads(line) for line in (data / FILES["online_misogyny"][0]).open()]
    body = {e["entry_id"]: e["body"] for e in entries}
    for e in entries:
        text = str(e["body"] or "")
        if not text.strip() or text in ("[deleted]", "[removed]"):
            continue
        labels, misogynistic, counter = guest_labels(
            set(e["level_2_labels"]), set(e["level_3_labels"])
        )
        parent = body.get(e["parent_entry_id"]) if e.get("parent_entry_id") else None
        yield make_row(
            text, labels, "online_misogyny", split=split_official_train(text, e["split"]),
            hateful=misogynistic, parent=parent or None, meta={"counter_speech": int(counter)},
        )


LOADERS = {"edos": load_edos, "online_misogyny": load_online_misogyny}
