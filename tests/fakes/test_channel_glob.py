"""Channel patterns read like gobwas/glob without separators (reference §1.6)."""

from __future__ import annotations

import pytest

from tests.fakes.centrifugo.channel_glob import GlobError, compile_glob


@pytest.mark.parametrize(
    ("pattern", "channel", "matches"),
    [
        ("org:*", "org:123:messages", True),
        ("org:*", "test", False),
        ("*", "anything:at:all", True),
        ("org:?", "org:1", True),
        ("org:?", "org:12", False),
        ("org:[12]", "org:2", True),
        ("org:[!12]", "org:2", False),
        ("org:[a-c]x", "org:bx", True),
        ("{org,chat}:*", "chat:1", True),
        ("{org,chat}:*", "news:1", False),
        (r"org:\*", "org:*", True),
        (r"org:\*", "org:1", False),
        ("org.1", "orgx1", False),
    ],
)
def test_channel_glob(pattern: str, channel: str, matches: bool) -> None:
    assert bool(compile_glob(pattern).fullmatch(channel)) is matches


@pytest.mark.parametrize("pattern", ["org:[1", "{org", "org\\", "[]"])
def test_channel_glob_rejects_malformed_patterns(pattern: str) -> None:
    with pytest.raises(GlobError):
        compile_glob(pattern)
