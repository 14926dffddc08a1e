"""Slack's Block Kit limits in one place, with helpers that truncate visibly instead of failing.

Slack rejects a whole message when one limit is exceeded (invalid_blocks), so every renderer
clips here: 50 blocks, 3000 characters per section text, 150 per header, 75 per button label,
2000 per button value, 4000 for the notification text.
"""

from __future__ import annotations

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK_TEXT = 4000


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    # The count shown never has more digits than len(text), so this bound is safe.
    keep = max(limit - len(f" … ({len(text)} more characters)"), 0)
    return text[:keep] + f" … ({len(text) - keep} more characters)"


def pack_lines(lines: list[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Join lines into as few texts of at most `limit` characters as possible."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            texts.append(current)
            candidate = line
        current = candidate
    if current:
        texts.append(current)
    return texts
