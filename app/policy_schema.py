"""The one validator of a community's policy overrides.

Every way a policy enters the product goes through :func:`validate_overrides`: a policy
file for `moderate serve`, `moderate rescore` or `moderate score` (one file format, see
:mod:`app.policy_file`), and :meth:`app.Policy.with_overrides` in Python. So a typo is
refused the same way everywhere, with one line saying what is wrong.

A community's overrides are a JSON object with these keys, all optional:

| key | value |
| --- | --- |
| `review` | label -> threshold in [0, 1] or `null` (ignore the label) |
| `remove` | label -> threshold in [0, 1] or `null` |
| `blocklist` | list of terms that always lead to `remove` |
| `allowlist` | list of terms blanked out before scoring |
| `unsupported_language` | `"review"` (default) or `"allow"`, see below |
| `spans` | `"flagged"` (default: evidence for texts that are not allowed) or `"always"` |

`unsupported_language` says what happens to text confidently in a language the model does
not read: `review` makes it at least `review` (reason `unsupported_language`), `allow`
leaves it to its scores.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

from app.labels import LABELS

THRESHOLD_KEYS: tuple[str, ...] = ("review", "remove")
TERM_KEYS: tuple[str, ...] = ("blocklist", "allowlist")
#: What a policy may do with text in a language the model does not read.
UNSUPPORTED_LANGUAGE_ACTIONS: tuple[str, ...] = ("review", "allow")
#: Which texts carry evidence spans: "flagged" gives them to the texts that are not
#: allowed (an allowed text keeps only the slurs the lexicon found, with their usage);
#: "always" to every text.
SPAN_MODES: tuple[str, ...] = ("flagged", "always")
#: keys whose value is one of a few words
CHOICE_KEYS: dict[str, tuple[str, ...]] = {
    "unsupported_language": UNSUPPORTED_LANGUAGE_ACTIONS,
    "spans": SPAN_MODES,
}
POLICY_KEYS: tuple[str, ...] = (*THRESHOLD_KEYS, *TERM_KEYS, *CHOICE_KEYS)


class PolicyError(ValueError):
    """A policy that cannot be used; the message is one line meant for the operator."""


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    """` (did you mean 'review'?)` for a near miss, else an empty string."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def validate_overrides(overrides: Any, name: str = "custom") -> dict[str, Any]:
    """Check one community's overrides and return them in canonical form.

    Canonical form: thresholds as floats (or None), term lists as lists of stripped,
    non-empty strings, `unsupported_language` as given. Raises :class:`PolicyError`
    naming the community and the offending key for an unknown key, an unknown label, a
    threshold that is not a number in [0, 1], a term list that is not a list of strings,
    or an unknown `unsupported_language` value.
    """
    where = f"policy {name!r}"
    if not isinstance(overrides, Mapping):
        raise PolicyError(f"{where} must be a JSON object, got {_type_name(overrides)}")
    unknown = sorted(str(k) for k in overrides if k not in POLICY_KEYS)
    if unknown:
        raise PolicyError(
            f"{where} has unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(k) for k in unknown)}{did_you_mean(unknown[0], POLICY_KEYS)}; "
            f"expected {', '.join(POLICY_KEYS)}"
        )
    out: dict[str, Any] = {}
    for key in THRESHOLD_KEYS:
        if key not in overrides:
            continue
        table = overrides[key]
        if not isinstance(table, Mapping):
            raise PolicyError(f"{where}: {key} must be an object of label -> threshold")
        checked: dict[str, float | None] = {}
        for label, value in table.items():
            if label not in LABELS:
                raise PolicyError(
                    f"{where}: unknown label {label!r} in {key}{did_you_mean(label, LABELS)}; "
                    f"expected one of {', '.join(LABELS)}"
                )
            if value is None:
                checked[label] = None
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PolicyError(
                    f"{where}: {key} threshold for {label!r} must be a number in [0, 1] or "
                    f"null, got {_type_name(value)}"
                )
            if not math.isfinite(value) or not 0.0 <= float(value) <= 1.0:
                raise PolicyError(
                    f"{where}: {key} threshold for {label!r} must be in [0, 1], got {value}"
                )
            checked[label] = float(value)
        out[key] = checked
    for key in TERM_KEYS:
        if key not in overrides:
            continue
        terms = overrides[key]
        if not isinstance(terms, list | tuple) or not all(isinstance(t, str) for t in terms):
            raise PolicyError(f"{where}: {key} must be a list of strings")
        if any(not t.strip() for t in terms):
            raise PolicyError(f"{where}: {key} holds an empty term")
        out[key] = [t.strip() for t in terms]
    for key, choices in CHOICE_KEYS.items():
        if key not in overrides:
            continue
        value = overrides[key]
        if value not in choices:
            raise PolicyError(
                f"{where}: {key} must be {' or '.join(repr(a) for a in choices)}, got {value!r}"
            )
        out[key] = value
    return out
