"""Read and write `model_card.json`, the record that travels with every model."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from app.labels import LABELS

CARD_FILE = "model_card.json"
NLP_DIR = "nlp"
REQUIRED_KEYS = ("name", "version", "labels", "thresholds", "metrics", "data", "versions")


class ModelCardError(ValueError):
    """The model folder or its card is missing or inconsistent."""


def read_card(model_dir: str | Path) -> dict[str, Any]:
    """Load and validate the card of a model folder."""
    path = Path(model_dir) / CARD_FILE
    if not path.exists():
        raise ModelCardError(f"no {CARD_FILE} in {model_dir}")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelCardError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(card, dict):
        raise ModelCardError(f"{path} does not hold a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in card]
    if missing:
        raise ModelCardError(f"{path} lacks {', '.join(missing)}")
    if not isinstance(card["labels"], list) or tuple(card["labels"]) != LABELS:
        raise ModelCardError(f"{path} has labels {card['labels']}, expected {list(LABELS)}")
    return card


def write_card(model_dir: str | Path, card: dict[str, Any]) -> Path:
    """Write the card as pretty JSON with sorted keys (stable diffs)."""
    path = Path(model_dir) / CARD_FILE
    path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return path


#: Where the shipped models live (a repo checkout or an editable install).
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MODEL_ENV = "MODERATE_MODEL_PATH"


def default_model_dir() -> Path:
    """The model to load when none is named: `$MODERATE_MODEL_PATH`, else the newest in models/."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    candidates = sorted(
        (p for p in MODELS_DIR.glob("*") if (p / "model_card.json").exists()),
        key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"[.-]", p.name)],
    )
    if not candidates:
        raise ModelCardError(
            f"no model found in {MODELS_DIR}; set {MODEL_ENV} or run `moderate train`"
        )
    return candidates[-1]
