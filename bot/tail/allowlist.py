"""Which Centrifugo channels `tail` and `publish` may touch: TAIL_CHANNELS, shell-style patterns
(`test`, `test:*`), so a typo can never stream or publish into a customer's org channel."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase


def channel_allowed(channel: str, patterns: Sequence[str]) -> bool:
    """Whether `channel` matches one of `patterns`; case matters, as in Centrifugo's names."""
    return any(fnmatchcase(channel, pattern) for pattern in patterns)


def allowed_listing(patterns: Sequence[str]) -> str:
    """The patterns as shown in a refusal: `test`, `test:*`, or a note that none are allowed."""
    return ", ".join(f"`{pattern}`" for pattern in patterns) or "(none)"
