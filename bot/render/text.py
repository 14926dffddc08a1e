"""Terminal rendering: one line per check, remediation under failing checks, colour on a TTY."""

from __future__ import annotations

import json

from bot.answers import Answer, Notice
from bot.render.labels import STATUS_MARK, label, status_word
from checks.model import CheckResult, Language, Report, Status

_COLOURS = {Status.OK: "32", Status.WARN: "33", Status.FAIL: "31", Status.SKIP: "2"}


def render_text(
    answer: Answer, lang: Language = "en", *, colour: bool = False, details: bool = False
) -> str:
    if isinstance(answer, Notice):
        return "\n".join(part for part in (answer.title, answer.body) if part)
    return _report(answer, lang, colour, details)


def _report(report: Report, lang: Language, colour: bool, details: bool) -> str:
    paint = _Paint(colour)
    head = f"{status_word(lang, report.status)} · {report.command} · {report.target}"
    lines = [paint(report.status, head), ""]
    width = max((len(c.id) for c in report.checks), default=0)
    for check in report.checks:
        lines.append(_check_line(check, width, paint))
        if details and check.details:
            lines += [f"      {line}" for line in _details(check).splitlines()]
        lines += _remediation(check, lang)
    lines += ["", f"{label(lang, 'took')} {report.duration_ms:.0f} ms"]
    return "\n".join(lines)


def _check_line(check: CheckResult, width: int, paint: _Paint) -> str:
    mark = paint(check.status, f"{STATUS_MARK[check.status]} {check.status.value:<4}")
    return f"  {mark}  {check.id:<{width}}  {check.summary}  ({check.duration_ms:.0f} ms)"


def _remediation(check: CheckResult, lang: Language) -> list[str]:
    if check.remediation is None:
        return []
    lines = [f"        {label(lang, 'fix')}: {check.remediation.title}"]
    lines += [f"          {n}. {step}" for n, step in enumerate(check.remediation.steps, 1)]
    return lines


def _details(check: CheckResult) -> str:
    return json.dumps(check.details, indent=2, ensure_ascii=False, default=str)


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, status: Status, text: str) -> str:
        return f"\033[{_COLOURS[status]}m{text}\033[0m" if self.enabled else text
