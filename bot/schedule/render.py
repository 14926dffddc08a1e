"""Scheduled-check messages as Block Kit: the incident's top message (open or resolved), the
resolved and reminder replies in its thread, and the certificate-expiry notice.

Pure like the report renderer: incident, latest report and language in, Reply out, within
Slack's limits (the same clipping helpers as every other reply).
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
)

from bot.durations import format_duration
from bot.render.blocks import ALERT_FULL_ACTION, ALERT_RERUN_ACTION, Reply
from bot.render.labels import STATUS_EMOJI, label
from bot.render.limits import (
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clip,
    pack_lines,
)
from bot.render.mrkdwn import escape, escape_for_slack, section
from bot.schedule.model import CertNotice, Incident, IncidentCheck
from checks.model import CheckResult, Language, Report, Status

MAX_STEPS = 6
MAX_FIXES = 5  # remediation sections in one alert; the rest are a click away (Re-run)
MAX_LINE = 500  # characters of one check's line: an alert is read at a glance


def render_incident(
    incident: Incident, report: Report | None, target: str, org: str | None, lang: Language
) -> Reply:
    """The incident's one top-level message, re-rendered on every change."""
    ids = ", ".join(incident.check_ids)
    if incident.resolved_at is None:
        title = f"🚨 {label(lang, 'alert_failing', checks=ids)}"
        facts = label(
            lang,
            "alert_facts",
            target=target,
            since=slack_date(incident.since),
            runs=incident.runs,
            last_seen=slack_date(incident.last_seen),
        )
    else:
        span = format_duration(round(incident.resolved_at - incident.since))
        title = f"✅ {label(lang, 'alert_resolved', span=span, checks=ids)}"
        facts = label(
            lang,
            "alert_resolved_facts",
            target=target,
            since=slack_date(incident.since),
            resolved=slack_date(incident.resolved_at),
            runs=incident.runs,
        )
    head: list[Block] = [HeaderBlock(text=clip(title, MAX_HEADER_TEXT)), section(facts)]
    tail = [_buttons(incident, org, lang)]
    room = MAX_BLOCKS - len(head) - len(tail)
    lines = [_check_line(c, _latest(report, c.id), incident, lang) for c in incident.checks]
    body = _packed(lines, room, lang)
    if incident.resolved_at is None:
        body += _fixes(incident, report, lang, room - len(body))
    blocks = [*head, *body, *tail]
    return Reply(clip(title, MAX_FALLBACK_TEXT), [b.to_dict() for b in blocks], public=True)


def render_resolved_reply(incident: Incident, lang: Language) -> Reply:
    resolved = incident.resolved_at if incident.resolved_at is not None else incident.last_seen
    span = format_duration(round(resolved - incident.since))
    text = f"✅ {label(lang, 'alert_resolved_reply', span=span, checks=_ids(incident))}"
    return _text_reply(text)


def render_reminder(incident: Incident, now: float, lang: Language) -> Reply:
    text = "⏰ " + label(
        lang,
        "alert_reminder",
        span=format_duration(round(now - incident.since)),
        checks=_ids(incident),
        runs=incident.runs,
        last_seen=slack_date(incident.last_seen),
    )
    return _text_reply(text)


def render_cert_notice(
    notice: CertNotice, report: Report | None, target: str, lang: Language
) -> Reply:
    """A top-level notice: the certificate crossed an expiry threshold (14, 7 or 1 days)."""
    if notice.days_left < 1:
        title = label(lang, "cert_notice_today", target=target)
    else:
        values = {"target": target, "days": notice.days_left, "threshold": notice.threshold}
        title = label(lang, "cert_notice", **values)
    blocks: list[Block] = [section(f"⚠️ *{title}*\n{escape(notice.summary)}")]
    tls = _latest(report, "tls")
    if tls is not None and tls.remediation is not None:
        blocks.append(section(_fix_text(tls, lang)))
    return Reply(clip(title, MAX_FALLBACK_TEXT), [b.to_dict() for b in blocks], public=True)


def slack_date(stamp: float) -> str:
    """A date Slack shows in each reader's own time zone; the fallback is UTC."""
    when = datetime.fromtimestamp(stamp, UTC)
    return f"<!date^{int(stamp)}^{{date_short_pretty}} {{time}}|{when:%Y-%m-%d %H:%M} UTC>"


def _check_line(
    check: IncidentCheck, latest: CheckResult | None, incident: Incident, lang: Language
) -> str:
    since = label(lang, "alert_since", since=slack_date(check.since))
    if incident.resolved_at is not None:
        again = label(lang, "alert_passes_again")
        return f"{STATUS_EMOJI[Status.OK]} *{check.id}* {again} _({since})_"
    status = latest.status if latest is not None else Status.FAIL
    summary = latest.summary if latest is not None else check.summary
    return f"{STATUS_EMOJI[status]} *{check.id}* {escape(summary)} _({since})_"


def _packed(lines: list[str], room: int, lang: Language) -> list[Block]:
    """Check lines in as few sections as fit; what does not fit is counted, visibly."""
    texts = pack_lines([clip(line, MAX_LINE) for line in lines])
    if len(texts) > room:
        hidden = sum(text.count("\n") + 1 for text in texts[room - 1 :])
        texts = [*texts[: room - 1], label(lang, "more_checks", n=hidden)]
    return [section(text) for text in texts]


def _fixes(incident: Incident, report: Report | None, lang: Language, room: int) -> list[Block]:
    failing = [_latest(report, check_id) for check_id in incident.check_ids]
    fixes = [_fix_text(r, lang) for r in failing if r is not None and r.remediation is not None]
    shown = fixes[: max(min(MAX_FIXES, room - 1), 0)]
    if not shown:
        return []
    return [DividerBlock(), *(section(text) for text in shown)]


def _fix_text(result: CheckResult, lang: Language) -> str:
    assert result.remediation is not None
    fix = result.remediation
    # Steps show placeholders and shell (`<JWT>`, `2>&1`): escaped, so Slack shows them as written.
    lines = [f"*{label(lang, 'fix')}: {escape_for_slack(fix.title, 250)}* ({result.id})"]
    steps = enumerate(fix.steps[:MAX_STEPS], 1)
    lines += [f"{n}. {escape_for_slack(step, 600)}" for n, step in steps]
    if len(fix.steps) > MAX_STEPS:
        lines.append(label(lang, "more_steps", n=len(fix.steps) - MAX_STEPS))
    return clip("\n".join(lines), MAX_SECTION_TEXT)


def _buttons(incident: Incident, org: str | None, lang: Language) -> Block:
    suffix = f" org {org}" if org else ""
    first = incident.check_ids[0]
    rerun = label(lang, "rerun_check", check=first)
    return ActionsBlock(
        elements=[
            ButtonElement(
                text=clip(rerun, MAX_BUTTON_TEXT),
                action_id=ALERT_RERUN_ACTION,
                value=clip(f"check {first}{suffix}", MAX_BUTTON_VALUE),
            ),
            ButtonElement(
                text=label(lang, "full"),
                action_id=ALERT_FULL_ACTION,
                value=f"diagnose{suffix}",
            ),
        ]
    )


def _latest(report: Report | None, check_id: str) -> CheckResult | None:
    return report.get(check_id) if report is not None else None


def _ids(incident: Incident) -> str:
    return ", ".join(f"`{check_id}`" for check_id in incident.check_ids)


def _text_reply(text: str) -> Reply:
    return Reply(clip(text, MAX_FALLBACK_TEXT), [section(text).to_dict()], public=True)
