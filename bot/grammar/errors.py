"""User errors of the grammar: ParseError and the helpers that make a typed word safe to echo."""

from __future__ import annotations

import difflib
from collections.abc import Collection

_MAX_SHOWN = 32  # never echo much of what was typed: it may be a pasted secret or junk
_MAX_MESSAGE = 200


class ParseError(Exception):
    """The text is not a command; str() is a short message naming the bad word, safe to show.

    .word is that word escaped and truncated, .usage the command's usage line when known.
    """

    def __init__(self, message: str, word: str = "", usage: str | None = None) -> None:
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 1] + "…"
        super().__init__(message)
        self.word = safe_word(word)
        self.usage = usage


def safe_word(word: str) -> str:
    """`word` fit to echo: unprintable characters and backticks escaped, at most 32 characters."""
    shown = ""
    for char in word:
        # Backticks would end the code span the word is shown in, in Slack.
        piece = char if char.isprintable() and char != "`" else _escape(char)
        if len(shown) + len(piece) > _MAX_SHOWN - 1:
            return shown + "…"
        shown += piece
    return shown


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quote(word: str) -> str:
    return f"`{safe_word(word)}`"


def suggest(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word.lower(), list(choices), n=3, cutoff=0.6)
    return f" Did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else ""
