"""An Answer becomes the Slack Reply that leaves the process: redacted first, then rendered, so
the renderer's clipping to Slack's limits applies to the text actually sent (a mask is longer
than the few characters of secret it keeps). The Outbox redacts the payload once more."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.answers import Answer, Notice
from bot.redact import Redactor
from bot.render.blocks import Asked, Reply, render_blocks
from bot.render.details import render_details
from checks.model import CheckResult, Language, Remediation, Report


def reply_for(
    answer: Answer, lang: Language, redactor: Redactor, by: str | None, at: datetime
) -> Reply:
    return render_blocks(redact_answer(answer, redactor), lang, Asked(by, at))


def details_reply(report: Report, lang: Language, redactor: Redactor, *, rerun: bool) -> Reply:
    return render_details(redact_report(report, redactor), lang, rerun=rerun)


def redact_answer(answer: Answer, redactor: Redactor) -> Answer:
    if isinstance(answer, Notice):
        return replace(answer, title=redactor.text(answer.title), body=redactor.text(answer.body))
    return redact_report(answer, redactor)


def redact_report(report: Report, redactor: Redactor) -> Report:
    checks = tuple(_redact_check(check, redactor) for check in report.checks)
    text = redactor.text
    return replace(report, command=text(report.command), target=text(report.target), checks=checks)


def _redact_check(check: CheckResult, redactor: Redactor) -> CheckResult:
    fix = check.remediation
    if fix is not None:
        steps = tuple(redactor.text(step) for step in fix.steps)
        fix = Remediation(fix.problem, redactor.text(fix.title), steps)
    return replace(
        check,
        title=redactor.text(check.title),
        summary=redactor.text(check.summary),
        details=redactor.data(dict(check.details)),
        remediation=fix,
    )
