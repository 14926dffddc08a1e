"""The known kinds of trouble in Centrifugo's logs, and a tally of them over a batch of lines.

Each class names the runbook problem and remediation cause it points to. Patterns come from the
reference (§4, §5.3, §6, §7, §8): v5 and v6 wordings both, matched on the line's text, which holds
the message and its fields in either log format. Order matters: a line counts for the first
class it matches, so specific classes come before general ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checks.log_lines import LogLine, shown
from checks.model import Problem, Status

# A few disconnects are normal (tabs closed, networks changing); many in one window are not.
DISCONNECT_STORM = 20
ERROR_LEVELS = frozenset({"error", "fatal", "panic"})
OTHER_ERROR = "other_error"
ENV = "env_ignored"


@dataclass(frozen=True)
class LogClass:
    id: str
    label: str
    label_pt_br: str
    status: Status
    problem: Problem
    cause: str | None
    pattern: re.Pattern[str]
    levels: frozenset[str] = frozenset()
    min_count: int = 1

    def matches(self, line: LogLine) -> bool:
        return line.level in self.levels or bool(self.pattern.search(line.text))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


FAIL, WARN = Status.FAIL, Status.WARN
CLASSES: tuple[LogClass, ...] = (
    # Startup: v5 `error creating engine: dial tcp ...`; v6 `configure engines error` with
    # `error creating engine: error creating Redis shards: ...` (6.0-6.2.1 `error creating redis
    # engine`). Centrifugo exits, so Swarm restarts it in a loop.
    LogClass(
        "redis_start",
        "Redis unreachable at start",
        "Redis inacessível na inicialização",
        FAIL,
        Problem.REDIS,
        "redis_refused_log",
        _rx(
            r"error creating (?:redis )?engine|configure engines error|error creating redis client"
            r"|redis\S*\s.*(?:connection refused|no such host|i/o timeout)"
        ),
    ),
    # Run time: the process stays up but pub/sub, publishes and subscriptions fail.
    LogClass(
        "redis_runtime",
        "Redis errors at run time",
        "erros de Redis em execução",
        FAIL,
        Problem.REDIS,
        "redis_refused_log",
        _rx(
            r"pub/sub (?:connection |subscribe )?error"
            r"|error publishing (?:node control command|data to channel)|error adding subscription"
        ),
    ),
    LogClass(
        "fatal",
        "panics and fatal errors",
        "panics e erros fatais",
        FAIL,
        Problem.CONNECTION,
        "ws_closed",
        _rx(r"^(?:panic|fatal error):"),
        levels=frozenset({"fatal", "panic"}),
    ),
    LogClass(
        "token_expired",
        "expired tokens",
        "tokens expirados",
        WARN,
        Problem.TOKEN,
        "token_expired",
        _rx(r"token expired"),
    ),
    LogClass(
        "token_invalid",
        "invalid or missing tokens",
        "tokens inválidos ou ausentes",
        WARN,
        Problem.TOKEN,
        "secret_mismatch",
        _rx(
            r"invalid (?:connection|subscription) token|error verifying connection token"
            r"|client credentials not found"
        ),
    ),
    LogClass(
        "tls",
        "TLS errors",
        "erros de TLS",
        WARN,
        Problem.TLS_CORS,
        "tls_handshake",
        _rx(r"tls handshake|\btls: "),
    ),
    LogClass(
        "origin",
        "Origin refused",
        "Origin recusada",
        WARN,
        Problem.TLS_CORS,
        "origin_refused",
        _rx(r"request origin is not authorized"),
    ),
    LogClass(
        "unknown_channel",
        "unknown channel",
        "canal desconhecido",
        WARN,
        Problem.NO_UPDATES,
        "unknown_channel",
        _rx(r"subscribe unknown channel|error=\"?unknown channel"),
    ),
    LogClass(
        "permission",
        "permission denied",
        "permissão negada",
        WARN,
        Problem.NO_UPDATES,
        "permission_denied",
        _rx(
            r"attempt to subscribe (?:without sufficient permission|on private channel without "
            r"token)|error=\"?permission denied"
        ),
    ),
    # v6 ignores the v5 names (CENTRIFUGO_API_KEY...) and says so once per variable at start.
    # No CHECKLIST cause names this exactly; missing_setting is what it amounts to for v6.
    LogClass(
        ENV,
        "settings v6 ignores",
        "configurações que a v6 ignora",
        WARN,
        Problem.CHECKLIST,
        "missing_setting",
        _rx(r"unknown var in environment|unknown key in configuration"),
    ),
    LogClass(
        "api_key_empty",
        "API key empty",
        "chave de API vazia",
        WARN,
        Problem.CHECKLIST,
        "api_key_rejected",
        _rx(r"api key is empty"),
    ),
    LogClass(
        "disconnects",
        "disconnect storm",
        "rajada de desconexões",
        WARN,
        Problem.CONNECTION,
        "ws_closed",
        _rx(r"disconnect|client command error"),
        min_count=DISCONNECT_STORM,
    ),
)
NAMED = re.compile(r"\b(?:var|key)=\"?([\w.-]+)")


@dataclass(frozen=True)
class Finding:
    log_class: LogClass
    count: int
    last: str
    # Variable or key names quoted by the lines (names only: never values).
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tally:
    findings: tuple[Finding, ...]
    # Lines in Centrifugo's format (JSON or console): none suggests LOG_COMMAND reads elsewhere.
    recognised: int
    # Error-level lines that no class explains, with the latest of them.
    other_errors: int = 0
    last_other_error: str | None = None


def classify(line: LogLine) -> LogClass | None:
    return next((c for c in CLASSES if c.matches(line)), None)


def _key(line: LogLine) -> str | None:
    kind = classify(line)
    if kind is not None:
        return kind.id
    return OTHER_ERROR if line.level in ERROR_LEVELS else None


def tally(lines: Iterable[LogLine], secrets: Sequence[str]) -> Tally:
    """Count each class over `lines`; examples are the latest line of each, scrubbed."""
    counts: Counter[str] = Counter()
    latest: dict[str, LogLine] = {}
    names: dict[str, None] = {}  # insertion-ordered set of ignored variable names
    recognised = 0
    for line in lines:
        recognised += line.level is not None
        key = _key(line)
        if key is None:
            continue
        counts[key] += 1
        latest[key] = line
        if key == ENV:
            names.update(dict.fromkeys(NAMED.findall(line.text)))
    findings = tuple(
        Finding(c, counts[c.id], shown(latest[c.id], secrets), tuple(names) if c.id == ENV else ())
        for c in CLASSES
        if counts[c.id] >= c.min_count
    )
    other = latest.get(OTHER_ERROR)
    return Tally(
        findings, recognised, counts[OTHER_ERROR], shown(other, secrets) if other else None
    )
