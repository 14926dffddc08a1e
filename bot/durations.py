"""Durations as people type them (`30s`, `5m`, `1h30m`, `7d`) and back, for tail and mute.

Plain text <-> seconds with a reason on failure; the grammar turns that reason into the
user-facing ParseError.
"""

from __future__ import annotations

import re

MAX_SECONDS = 7 * 24 * 3600
_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
# Units in descending order, each at most once; seven digits is far past any sane value,
# and bounding them keeps a 1000-digit word from becoming a huge int.
_PATTERN = re.compile(r"(?:(\d{1,7})d)?(?:(\d{1,7})h)?(?:(\d{1,7})m)?(?:(\d{1,7})s)?", re.ASCII)
_TRY = "try 30s, 5m, 1h or 1h30m"


def parse_seconds(
    word: str, *, allow_zero: bool = False, max_seconds: int | None = MAX_SECONDS
) -> int:
    """Seconds in `word`; ValueError with a short reason when it is not a duration we accept.
    Commands want 1s to 7d; settings also take `0s` (off) and have no upper bound."""
    match = _PATTERN.fullmatch(word.lower())
    if match is None or not word:
        raise ValueError(_reason_for(word))
    amounts = (int(amount or 0) for amount in match.groups())
    seconds = sum(amount * size for amount, (_, size) in zip(amounts, _UNITS, strict=True))
    if seconds <= 0 and not allow_zero:
        raise ValueError("must be longer than 0s")
    if max_seconds is not None and seconds > max_seconds:
        raise ValueError(f"must be at most {format_duration(max_seconds)}")
    return seconds


def format_duration(seconds: int) -> str:
    """The canonical spelling of `seconds` (`5400` -> `1h30m`), which parse_seconds reads back."""
    if seconds <= 0:
        return "0s"
    parts = []
    for unit, size in _UNITS:
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)


def _reason_for(word: str) -> str:
    # A bare number is the commonest slip, and guessing its unit would silence alerts for the
    # wrong length of time.
    if word.isascii() and word.isdigit():
        return f"add a unit ({_TRY})"
    return _TRY
