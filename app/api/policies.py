"""Per-community policies from a JSON file (`MODERATE_POLICY_FILE`).

The file maps a community id to overrides of the model's default policy::

    {
      "default":   {"allowlist": ["Scunthorpe"]},
      "news-site": {"review": {"profanity": null}, "remove": {"threat": 0.8},
                    "blocklist": ["headchopper"], "allowlist": ["Dick Cheney"]},
      "kids-forum": {"review": {"profanity": 0.2, "insult": 0.3}}
    }

`review`/`remove` map a label to a threshold in [0, 1] (`null` ignores the label),
`blocklist` terms always lead to `remove`, `allowlist` terms are blanked before scoring,
`spans` is `"flagged"` (default: evidence for the texts that are not allowed) or `"always"`.
The optional `default` entry applies to requests that name no community (or an unknown
one) and is the base every other community builds on. A bad file stops start-up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.policy import Policy

DEFAULT = "default"
_KEYS = frozenset({"review", "remove", "blocklist", "allowlist", "spans"})


@dataclass(frozen=True)
class PolicyBook:
    """The default policy and the communities' policies."""

    default: Policy
    communities: dict[str, Policy] = field(default_factory=dict)

    def resolve(self, community: str | None) -> Policy:
        """The policy of a community; the default one for None or an unknown id."""
        if community is None:
            return self.default
        return self.communities.get(community, self.default)


def _check(community: str, overrides: Any) -> Mapping[str, Any]:
    if not isinstance(overrides, Mapping):
        raise ValueError(f"policy {community!r} must be a JSON object")
    unknown = set(overrides) - _KEYS
    if unknown:
        raise ValueError(
            f"policy {community!r} has unknown keys {sorted(unknown)}; expected {sorted(_KEYS)}"
        )
    for key in ("blocklist", "allowlist"):
        terms = overrides.get(key, [])
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ValueError(f"policy {community!r}: {key} must be a list of strings")
    return overrides


def build_policy_book(config: Mapping[str, Any], base: Policy) -> PolicyBook:
    """Policies from the parsed file on top of the model's default policy."""
    if not isinstance(config, Mapping):
        raise ValueError("a policy file must hold a JSON object: community id -> overrides")
    default = base
    if DEFAULT in config:
        default = base.with_overrides(_check(DEFAULT, config[DEFAULT]), name=DEFAULT)
    communities = {
        community: default.with_overrides(_check(community, overrides), name=community)
        for community, overrides in config.items()
        if community != DEFAULT
    }
    return PolicyBook(default=default, communities=communities)


def load_policy_book(path: Path | None, base: Policy) -> PolicyBook:
    """The policies of a file, or just the model's default policy when there is none."""
    if path is None:
        return PolicyBook(default=base)
    try:
        config = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"policy file {path} is not valid JSON: {exc}") from exc
    return build_policy_book(config, base)
