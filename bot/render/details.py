"""The "Show details" reply: each check's structured details as JSON in a code block, one
section per check, clipped to Slack's limits with a visible "… N more" instead of an error."""

from __future__ import annotations

import json

from bot.render.blocks import Reply
from bot.render.labels import STATUS_EMOJI, label
from bot.render.limits import MAX_BLOCKS, MAX_FALLBACK_TEXT, MAX_SECTION_TEXT, clip
from bot.render.mrkdwn import escape_for_slack, section
from checks.model import CheckResult, Language, Report

# Room in a section for the check's name line and the code fences around its JSON.
_JSON_ROOM = MAX_SECTION_TEXT - 200


def render_details(report: Report, lang: Language, *, rerun: bool = False) -> Reply:
    """Details of every check of `report`, for the user who asked (not public)."""
    title = label(lang, "details_title", command=report.command)
    intro = f"*{title}*" + (f"\n{label(lang, 'details_rerun')}" if rerun else "")
    texts = [_check_text(check) for check in report.checks if check.details]
    if not texts:
        texts = [label(lang, "details_none")]
    room = MAX_BLOCKS - 1
    if len(texts) > room:
        hidden = len(texts) - (room - 1)
        texts = [*texts[: room - 1], label(lang, "more_details", n=hidden)]
    blocks = [section(text).to_dict() for text in [intro, *texts]]
    return Reply(clip(title, MAX_FALLBACK_TEXT), blocks, public=False)


def _check_text(check: CheckResult) -> str:
    raw = json.dumps(dict(check.details), indent=1, ensure_ascii=False, default=str)
    # Escaped, then clipped to leave room for the closing fence: Slack reads <, > and & as
    # markup, and a backtick inside the JSON would end the code block early.
    shown = escape_for_slack(raw, _JSON_ROOM, code=True)
    return f"{STATUS_EMOJI[check.status]} *{check.id}* ({check.status.value})\n```{shown}```"
