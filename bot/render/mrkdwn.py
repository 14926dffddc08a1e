"""Slack mrkdwn, the markup inside every section: data escaped so Slack never reads it as
markup (`<!channel>` would notify everyone), clipped without cutting an entity in half, and the
section block that carries it within Slack's 3000 characters."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.render.limits import MAX_SECTION_TEXT, clip

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Inside a code span or block a backtick would end it early.
_CODE_ESCAPES = {**_ESCAPES, "`": "ˋ"}


def escape(text: str) -> str:
    """`text` shown as itself: Slack's control characters (&, <, >) as entities."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def escape_for_slack(text: str, limit: int, *, code: bool = False) -> str:
    """`text` escaped, at most `limit` characters, never a half entity; `code` also turns
    backticks into look-alikes, for text shown in a code span or block."""
    escapes = _CODE_ESCAPES if code else _ESCAPES
    out: list[str] = []
    size = 0
    for char in text:
        piece = escapes.get(char, char)
        if size + len(piece) > limit - 1:
            return "".join(out) + "…"
        out.append(piece)
        size += len(piece)
    return "".join(out)


def section(text: str) -> SectionBlock:
    """A mrkdwn section; `text` is clipped to Slack's limit rather than refused."""
    return SectionBlock(text=MarkdownTextObject(text=clip(text, MAX_SECTION_TEXT)))
