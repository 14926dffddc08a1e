"""Slack Block Kit rendering with slack_sdk's block models, always within Slack's limits.

A report becomes: a header with the overall status, the target and counts, one line per check,
the failing checks' remediation, a context line (who asked, when, how long) and buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
)

from bot.answers import Answer, Notice
from bot.render.labels import STATUS_EMOJI, label, status_word
from bot.render.limits import (
    MAX_BLOCKS,
    MAX_BUTTON_VALUE,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clip,
    pack_lines,
)
from bot.render.mrkdwn import escape, escape_for_slack, section
from checks.model import CheckResult, Language, Remediation, Report, Status

# Action ids the listeners answer; values carry the command words to run.
RERUN_ACTION = "centrifugo_rerun"
FULL_ACTION = "centrifugo_full_diagnosis"
DETAILS_ACTION = "centrifugo_show_details"
# An alert's buttons answer in the alert's thread instead of replacing the alert.
ALERT_RERUN_ACTION = "centrifugo_alert_rerun"
ALERT_FULL_ACTION = "centrifugo_alert_full"
MAX_STEPS = 8


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    public: bool = False


@dataclass(frozen=True)
class Asked:
    """Who asked and when: passed in, so rendering stays pure."""

    by: str | None = None
    at: datetime | None = None


def render_blocks(answer: Answer, lang: Language = "en", asked: Asked | None = None) -> Reply:
    if isinstance(answer, Notice):
        return render_notice(answer)
    return render_report(answer, lang, asked or Asked())


def render_notice(notice: Notice) -> Reply:
    lines = [f"*{notice.title}*", *notice.body.splitlines()]
    blocks: list[Block] = [section(text) for text in pack_lines(lines)]
    return Reply(
        clip(notice.title, MAX_FALLBACK_TEXT), _to_dicts(blocks[:MAX_BLOCKS]), notice.public
    )


def render_report(report: Report, lang: Language, asked: Asked) -> Reply:
    head = _head(report, lang)
    tail: list[Block] = [_context(report, lang, asked), _actions(report, lang)]
    room = MAX_BLOCKS - len(head) - len(tail)
    body = _fit(_check_lines(report), _remediation_sections(report, lang), room, lang)
    return Reply(fallback_text(report, lang), _to_dicts([*head, *body, *tail]), public=True)


def fallback_text(report: Report, lang: Language) -> str:
    """The notification text: status, command, and which checks fail."""
    failing = [c.id for c in report.checks if c.status is Status.FAIL]
    text = f"{status_word(lang, report.status)}: {report.command} ({report.target})"
    if failing:
        text += " - " + ", ".join(failing)
    return clip(text, MAX_FALLBACK_TEXT)


def _head(report: Report, lang: Language) -> list[Block]:
    title = f"{status_word(lang, report.status)} · {report.command or 'centrifugo'}"
    counts = {s.value: sum(c.status is s for c in report.checks) for s in Status}
    summary = f"{label(lang, 'target')}: `{report.target}` · {label(lang, 'counts', **counts)}"
    return [
        # A header is plain_text with emoji on, so Slack renders the :shortcodes: too.
        HeaderBlock(text=clip(f"{STATUS_EMOJI[report.status]} {title}", MAX_HEADER_TEXT)),
        section(summary),
    ]


def _check_lines(report: Report) -> list[str]:
    return [
        f"{STATUS_EMOJI[c.status]} *{c.id}* {escape(c.summary)} _({c.duration_ms:.0f} ms)_"
        for c in report.checks
    ]


def _remediation_sections(report: Report, lang: Language) -> list[str]:
    return [
        _remediation_text(check, check.remediation, lang)
        for check in report.checks
        if check.remediation is not None and check.status is Status.FAIL
    ]


def _remediation_text(check: CheckResult, fix: Remediation, lang: Language) -> str:
    """Title and numbered steps; steps that do not fit become a visible '… N more steps'.
    Steps show placeholders and shell (`<JWT>`, `2>&1`): escaped, so Slack shows them as written."""
    steps = fix.steps
    text = f"*{label(lang, 'fix')}: {escape_for_slack(fix.title, 250)}* ({check.id})"
    room = MAX_SECTION_TEXT - 60  # keeps space for the "more steps" line
    shown = 0
    for step in steps[:MAX_STEPS]:
        line = f"\n{shown + 1}. {escape_for_slack(step, 1000)}"
        if len(text) + len(line) > room:
            break
        text += line
        shown += 1
    if shown < len(steps):
        text += "\n" + label(lang, "more_steps", n=len(steps) - shown)
    return text


def _fit(check_lines: list[str], fixes: list[str], room: int, lang: Language) -> list[Block]:
    """Checks first, then remediation, each cut with a visible '… N more' when out of room."""
    check_texts = pack_lines(check_lines)
    if len(check_texts) > room:
        shown = check_texts[: room - 1]
        hidden = sum(text.count("\n") + 1 for text in check_texts[room - 1 :])
        return [*map(section, shown), section(label(lang, "more_checks", n=hidden))]
    blocks: list[Block] = [section(text) for text in check_texts]
    room -= len(blocks)
    if fixes and room >= 2:
        blocks.append(DividerBlock())
        room -= 1
        if len(fixes) > room:
            hidden = len(fixes) - (room - 1)
            fixes = [*fixes[: room - 1], label(lang, "more_problems", n=hidden)]
        blocks += [section(text) for text in fixes]
    return blocks


def _context(report: Report, lang: Language, asked: Asked) -> Block:
    parts = []
    if asked.by:
        parts.append(f"{label(lang, 'asked_by')} <@{asked.by}>")
    if asked.at:
        # Slack shows the date in each reader's own time zone; the fallback is UTC.
        stamp = int(asked.at.timestamp())
        fallback = f"{asked.at:%Y-%m-%d %H:%M} UTC"
        parts.append(f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{fallback}>")
    parts.append(f"{label(lang, 'took')} {report.duration_ms / 1000:.1f} s")
    return ContextBlock(elements=[MarkdownTextObject(text=" · ".join(parts))])


def _actions(report: Report, lang: Language) -> Block:
    value = clip(report.command, MAX_BUTTON_VALUE)
    full = "diagnose" + _org_suffix(report.command)
    return ActionsBlock(
        elements=[
            ButtonElement(text=label(lang, "rerun"), action_id=RERUN_ACTION, value=value),
            ButtonElement(text=label(lang, "full"), action_id=FULL_ACTION, value=full),
            ButtonElement(text=label(lang, "details"), action_id=DETAILS_ACTION, value=value),
        ]
    )


def _org_suffix(command: str) -> str:
    words = command.split()
    if "org" in words[:-1]:
        return f" org {words[words.index('org') + 1]}"
    return ""


def _to_dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]
