"""Channel patterns for the `channels` API method, read the way Centrifugo's gobwas/glob
does when compiled without separators: `*` also crosses `:`, plus `?`, `[...]`, `[!...]`,
`{a,b}` and `\\` escapes; a malformed pattern is an error (the API answers 100)."""

from __future__ import annotations

import re


class GlobError(ValueError):
    """The pattern cannot be compiled (unclosed `[` or `{`, trailing `\\`)."""


def compile_glob(pattern: str) -> re.Pattern[str]:
    """Translate a gobwas-style glob into a regex meant for `fullmatch`."""
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
            if i == len(pattern):
                raise GlobError(f"trailing escape in {pattern!r}")
            out.append(re.escape(pattern[i]))
        elif char == "[":
            part, i = _char_class(pattern, i)
            out.append(part)
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char == "}" and depth:
            depth -= 1
            out.append(")")
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(_SINGLE.get(char, re.escape(char)))
        i += 1
    if depth:
        raise GlobError(f"unclosed '{{' in {pattern!r}")
    return re.compile("".join(out), re.DOTALL)


# `**` is gobwas' "super asterisk"; without separators it means the same as `*`.
_SINGLE = {"*": ".*", "?": "."}


def _char_class(pattern: str, start: int) -> tuple[str, int]:
    """Translate `[...]` starting at `start`; returns the regex part and the index of `]`."""
    end = pattern.find("]", start + 1)
    if end < 0:
        raise GlobError(f"unclosed '[' in {pattern!r}")
    body = pattern[start + 1 : end]
    negate = body.startswith("!")
    body = body[1:] if negate else body
    if not body:
        raise GlobError(f"empty character class in {pattern!r}")
    escaped = "".join(c if c == "-" else re.escape(c) for c in body)
    return f"[{'^' if negate else ''}{escaped}]", end
