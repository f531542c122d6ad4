"""The policy file: one format for `serve --policy-file`, `rescore --policy`, `score --policy`
and Python.

The file maps a community id to overrides of the model's default policy::

    {
      "default":    {"allowlist": ["Scunthorpe"]},
      "news-site":  {"review": {"profanity": null}, "remove": {"threat": 0.8},
                     "blocklist": ["headchopper"], "allowlist": ["Dick Cheney"]},
      "kids-forum": {"review": {"profanity": 0.2, "insult": 0.3}}
    }

Each community's overrides are checked by :func:`app.policy_schema.validate_overrides`.
The optional `default` entry applies to texts that name no community, and every other
community builds on it. A community the file does not name is an error
(:class:`UnknownCommunity`) unless the caller allows a fallback to the default policy
(`MODERATE_UNKNOWN_COMMUNITY=default`, `--unknown-community default`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.policy import Policy
from app.policy_schema import POLICY_KEYS, PolicyError, did_you_mean, validate_overrides

DEFAULT = "default"
#: What to do with a community a policy file does not name.
UNKNOWN_COMMUNITY_MODES: tuple[str, ...] = ("reject", "default")

__all__ = [
    "DEFAULT",
    "UNKNOWN_COMMUNITY_MODES",
    "PolicyBook",
    "PolicyError",
    "UnknownCommunity",
    "build_policy_book",
    "load_policy_book",
]


class UnknownCommunity(PolicyError):
    """A community that the policy file does not name (and no fallback is allowed)."""

    def __init__(self, community: str, known: list[str]) -> None:
        self.community = community
        self.known = known
        names = ", ".join(repr(k) for k in known)
        super().__init__(f"unknown community {community!r}; the policy file names {names}")


@dataclass(frozen=True)
class PolicyBook:
    """The default policy and the communities' policies of one policy file.

    `config` is the validated file (community -> canonical overrides), `sha256` the
    hash of the file's bytes and `path` where it was read (both None without a file).
    """

    default: Policy
    communities: dict[str, Policy] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    sha256: str | None = None

    @property
    def names(self) -> list[str]:
        """Every community id a text may name (`default` first)."""
        return [DEFAULT, *sorted(self.communities)]

    def known(self, community: str | None) -> bool:
        """Whether `community` (None: no community) has a policy."""
        return community is None or community == DEFAULT or community in self.communities

    def resolve(self, community: str | None, fallback: bool = False) -> Policy:
        """The policy of a community; the default one for None or `default`.

        An unknown community raises :class:`UnknownCommunity`, or gets the default policy
        when `fallback` is true.
        """
        if community is None or community == DEFAULT:
            return self.default
        policy = self.communities.get(community)
        if policy is not None:
            return policy
        if fallback:
            return self.default
        raise UnknownCommunity(community, self.names)

    def canonical_json(self) -> str:
        """The validated file as canonical JSON (what batch workers rebuild the book from)."""
        return json.dumps(self.config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _looks_like_one_policy(config: Mapping[str, Any]) -> bool:
    return bool(config) and all(key in POLICY_KEYS for key in config)


def build_policy_book(
    config: Any, base: Policy, path: Path | None = None, sha256: str | None = None
) -> PolicyBook:
    """Policies from a parsed policy file on top of the model's default policy.

    Raises :class:`PolicyError` (one line) for anything the file gets wrong.
    """
    if not isinstance(config, Mapping):
        raise PolicyError("a policy file must hold a JSON object: community id -> overrides")
    if _looks_like_one_policy(config):
        # the single-community form other tools use; say how to write it instead
        raise PolicyError(
            "a policy file maps community ids to policies; wrap these settings as "
            '{"default": {...}} (or name a community)'
        )
    checked: dict[str, Any] = {}
    for community, overrides in config.items():
        if not community.strip():
            raise PolicyError("a policy file names an empty community id")
        try:
            checked[community] = validate_overrides(overrides, community)
        except PolicyError as exc:
            hint = did_you_mean(community, POLICY_KEYS)
            if hint:  # {"reveiw": {...}}: a misspelt key read as a community id
                raise PolicyError(f"{exc}; {community!r} is read as a community id{hint}") from exc
            raise
    default = base
    if DEFAULT in checked:
        default = base.with_overrides(checked[DEFAULT], name=DEFAULT)
    communities = {
        community: default.with_overrides(overrides, name=community)
        for community, overrides in checked.items()
        if community != DEFAULT
    }
    return PolicyBook(
        default=default, communities=communities, config=checked, path=path, sha256=sha256
    )


def load_policy_book(path: str | Path | None, base: Policy) -> PolicyBook:
    """The policies of a policy file, or just the model's default policy without one.

    Raises :class:`PolicyError` with a one-line message naming the file for a missing or
    unreadable file, invalid JSON, or invalid contents.
    """
    if path is None:
        return PolicyBook(default=base)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"policy file {path}: cannot read it ({exc.strerror or exc})") from exc
    try:
        config = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PolicyError(f"policy file {path}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise PolicyError(
            f"policy file {path} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from exc
    try:
        return build_policy_book(config, base, path, hashlib.sha256(data).hexdigest())
    except PolicyError as exc:
        raise PolicyError(f"policy file {path}: {exc}") from exc
