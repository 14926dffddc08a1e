"""The `--format json` shape from SPEC.md: the report with every check and its remediation."""

from __future__ import annotations

from typing import Any

from bot.answers import Answer, Notice
from checks.model import CheckResult, Report


def to_json(answer: Answer) -> dict[str, Any]:
    if isinstance(answer, Notice):
        return {"notice": answer.kind.value, "title": answer.title, "body": answer.body}
    return _report(answer)


def _report(report: Report) -> dict[str, Any]:
    return {
        "command": report.command,
        "target": report.target,
        "status": report.status.value,
        "duration_ms": report.duration_ms,
        "checks": [_check(check) for check in report.checks],
    }


def _check(check: CheckResult) -> dict[str, Any]:
    remediation = None
    if check.remediation is not None:
        remediation = {
            "problem": check.remediation.problem.value,
            "title": check.remediation.title,
            "steps": list(check.remediation.steps),
        }
    return {
        "id": check.id,
        "title": check.title,
        "status": check.status.value,
        "summary": check.summary,
        "duration_ms": check.duration_ms,
        "details": dict(check.details),
        "remediation": remediation,
    }
