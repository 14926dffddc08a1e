"""What a check produces: an outcome from the check, a timed result from the runner, a report.

Results are plain frozen data so every renderer (text, JSON, Slack blocks) and the alert
policy read the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

Language = Literal["en", "pt-BR"]
LANGUAGES: tuple[Language, ...] = ("en", "pt-BR")


def say(lang: Language, en: str, pt_br: str) -> str:
    """The text for `lang`, for code that words a finding without a check context at hand."""
    return pt_br if lang == "pt-BR" else en


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 node`, `2 nodes`; Portuguese plurals are often irregular (canal, canais): pass them."""
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


SEVERITY = {Status.SKIP: 0, Status.OK: 1, Status.WARN: 2, Status.FAIL: 3}


class Problem(StrEnum):
    """The runbook's problems; remediation steps are keyed by these."""

    TOKEN = "problem1"  # "Falha ao obter token do Centrifugo"
    CONNECTION = "problem2"  # "Conexão WebSocket falhou"
    NO_UPDATES = "problem3"  # "Conectado mas sem atualizações em tempo real"
    TLS_CORS = "problem4"  # "Erro de Certificado ou CORS"
    CHECKLIST = "checklist"  # "Checklist de Configuração"
    REDIS = "redis"  # "Erro de Conexão Redis"


@dataclass(frozen=True)
class Outcome:
    """What a check function returns; the runner adds id, title and timing."""

    status: Status
    summary: str
    details: Mapping[str, Any] = field(default_factory=dict)
    problem: Problem | None = None
    # Names a specific cause within the problem (e.g. "v6_env_names"), whose steps come first.
    cause: str | None = None


def ok(summary: str, **details: Any) -> Outcome:
    return Outcome(Status.OK, summary, details)


def warn(summary: str, problem: Problem, cause: str | None = None, **details: Any) -> Outcome:
    return Outcome(Status.WARN, summary, details, problem, cause)


def fail(summary: str, problem: Problem, cause: str | None = None, **details: Any) -> Outcome:
    return Outcome(Status.FAIL, summary, details, problem, cause)


def skip(summary: str, **details: Any) -> Outcome:
    return Outcome(Status.SKIP, summary, details)


@dataclass(frozen=True)
class Remediation:
    problem: Problem
    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    status: Status
    summary: str
    duration_ms: float
    details: Mapping[str, Any] = field(default_factory=dict)
    remediation: Remediation | None = None


@dataclass(frozen=True)
class Report:
    command: str
    target: str
    checks: tuple[CheckResult, ...]
    duration_ms: float

    @property
    def status(self) -> Status:
        """The worst status of any check; a report of skips only is a skip."""
        if not self.checks:
            return Status.SKIP
        return max((c.status for c in self.checks), key=SEVERITY.__getitem__)

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL

    def get(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == check_id), None)
