"""Reads one Centrifugo log line, in either of its formats, and scrubs secrets from what is shown.

Centrifugo logs with zerolog (reference §8.4): a console format on a TTY
(`2006-01-02 15:04:05 [ERR] message key=value`, often with ANSI colours) and one JSON object per
line otherwise (`{"level":"error",...,"message":"..."}`). `docker service logs` and
`docker compose logs` add a `task@node | ` prefix, `--timestamps` an RFC 3339 time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)\s+"
# Docker's timestamp and task prefix, in either order: `service.1.id@node    | `.
PREFIX = re.compile(rf"^(?:{_STAMP})?(?:[\w.@-]+\s*\|\s?)?(?:{_STAMP})?")
CONSOLE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d[ T][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\s*"
    r"\[?(?P<level>TRC|DBG|INF|WRN|ERR|FTL|PNC)\]?\s+(?P<text>.*)$"
)
CONSOLE_LEVELS = {
    "TRC": "trace",
    "DBG": "debug",
    "INF": "info",
    "WRN": "warn",
    "ERR": "error",
    "FTL": "fatal",
    "PNC": "panic",
}
SHOWN_CHARS = 200

SECRET_PATTERNS = (
    # JSON Web Tokens anywhere (connection and subscription tokens, app session tokens).
    (re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*"), "<jwt>"),
    # Authorization header schemes: `apikey KEY`, `Bearer TOKEN`, `Basic CREDENTIALS`.
    (re.compile(r"(?i)\b(apikey|bearer|basic)(\s+)[^\s\"',;]+"), r"\1\2***"),
    # Credentials inside URLs: redis://user:password@host.
    (re.compile(r"(\b[a-z][\w+.-]*://[^\s:/@]*:)[^\s@/]+@"), r"\1***@"),
    # key=value and "key":"value" where the key names a secret (token, password, api key...).
    (
        re.compile(
            r"(?i)(\b[\w.-]*(?:token|passw(?:or)?d|secret|api_?key|auth)[\w.-]*)"
            r"(\"?[=:]\"?)(?=[^\s\"])([^\s\"',&}]+)"
        ),
        r"\1\2***",
    ),
)


@dataclass(frozen=True)
class LogLine:
    """One line: its level when it is in Centrifugo's format (None otherwise) and its text.

    `text` is the message followed by its fields as `key=value`, the same for both formats, so
    one pattern matches either.
    """

    text: str
    level: str | None = None
    time: str | None = None

    @property
    def shown(self) -> str:
        head = " ".join(part for part in (self.time, self.level and f"[{self.level}]") if part)
        return f"{head} {self.text}" if head else self.text


def parse_line(raw: str) -> LogLine:
    line = PREFIX.sub("", ANSI.sub("", raw).strip(), count=1)
    if line.startswith("{"):
        parsed = _parse_json(line)
        if parsed is not None:
            return parsed
    match = CONSOLE.match(line)
    if match:
        return LogLine(match["text"], CONSOLE_LEVELS[match["level"]], match["time"])
    return LogLine(line)


def _parse_json(line: str) -> LogLine | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or not ({"level", "message"} & record.keys()):
        return None
    fields = " ".join(
        f"{key}={_field(value)}"
        for key, value in record.items()
        if key not in ("level", "message", "time")
    )
    text = f"{record.get('message', '')} {fields}".strip()
    level, time = record.get("level"), record.get("time")
    return LogLine(text, str(level) if level else None, str(time) if time else None)


def _field(value: Any) -> str:
    """Like zerolog's console writer: strings with spaces quoted, objects as compact JSON."""
    if isinstance(value, str):
        return json.dumps(value) if re.search(r"[\s\"]", value) else value
    return json.dumps(value, separators=(",", ":"))


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with the configured secrets and anything shaped like a credential blanked out."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def shown(line: LogLine, secrets: Iterable[str]) -> str:
    """The line as a report shows it: scrubbed first, then trimmed, so no secret is half cut."""
    text = scrub(line.shown, secrets)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
