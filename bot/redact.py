"""The one redaction layer: every text that leaves the process (Slack payloads, terminal
output, log lines, errors) passes through a Redactor built from the configured secrets.

A secret is replaced by at most its first few characters and a marker, and anything shaped
like a JWT, an API key header or a URL password is masked even when not configured.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any, TextIO

KEEP = 3  # leading characters of a secret kept so people can tell which one it was
MARK = "…[redacted]"
MIN_SECRET = 4  # shorter values would mask ordinary words

# A credential value: at least 4 characters, not a placeholder remediation steps show on
# purpose (`$VARIABLE`, `<JWT>`, the literal `eyJ...`), and never swallowing a quote or the
# backslash that escapes one.
_VALUE = r"(?!eyJ\.\.\.)([^\s\"'&,;$<\\][^\s\"'&,;\\]{3,})"

_PATTERNS = (
    # JWTs: header.payload.signature, base64url.
    re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*"),
    # Credentials by their label: "apikey KEY", "Bearer TOKEN", "password=...", '"token": "..."'.
    # Prose like "token: upgrade took 4 ms" has none of these shapes and is left alone.
    re.compile(
        r"(?i)(\b(?:apikey|bearer)\s+|\b(?:token|password|passwd|secret)=|"
        r"\"(?:token|password|secret)\"\s*:\s*\")" + _VALUE
    ),
    re.compile(r"(?i)(x-api-key[\"']?\s*[:=]\s*[\"']?)" + _VALUE),
    # Slack tokens.
    re.compile(r"\bxox[abposr]-[\w-]{6,}|\bxapp-[\w-]{6,}"),
    # Passwords in URLs: scheme://user:password@host
    re.compile(r"(://[^/\s:@]*:)([^@\s/]{1,})(@)"),
)


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = {s for secret in secrets for s in _variants(secret) if len(s) >= MIN_SECRET}
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted(values, key=len, reverse=True)

    def text(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, secret[:KEEP] + MARK)
        for pattern in _PATTERNS:
            text = pattern.sub(_mask, text)
        return text

    def data(self, value: Any) -> Any:
        """A JSON-like structure with every string redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value

    def json(self, value: Any) -> str:
        return self.text(json.dumps(value, ensure_ascii=False, default=str))


def _variants(secret: str) -> list[str]:
    """A secret and the pieces of it that travel alone: a header line's value and credential,
    a cookie's values, a URL's password."""
    variants = [secret]
    if "://" in secret:
        if "@" in secret:
            userinfo = secret.split("://", 1)[1].split("@", 1)[0]
            variants.append(userinfo.rsplit(":", 1)[-1])
        return variants
    if ":" in secret:  # "Authorization: Bearer X" -> "Bearer X" -> "X"
        value = secret.split(":", 1)[1].strip()
        variants += [value, value.split()[-1] if value else ""]
    for pair in secret.split(";"):  # "a=1; b=2" -> "1", "2"
        if "=" in pair:
            variants.append(pair.split("=", 1)[1].strip())
    return variants


def _mask(match: re.Match[str]) -> str:
    if match.re.groups >= 2:
        prefix, secret = match.group(1), match.group(2)
        rest = match.group(3) if match.re.groups >= 3 else ""
        if MARK in secret or secret.endswith("…"):
            return match.group(0)
        return f"{prefix}{secret[:KEEP]}{MARK}{rest}"
    whole = match.group(0)
    return whole if MARK in whole else whole[:KEEP] + MARK


class RedactingFilter(logging.Filter):
    """Redacts log records in place, message and arguments alike."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._redactor.text(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self._redactor.text(
                logging.Formatter().formatException(record.exc_info)
            )
            record.exc_info = None
        return True


def redact_logs(redactor: Redactor) -> Callable[[], None]:
    """Redact every log record on its way out: a filter on each handler of the root logger
    (a logger's own filters do not see records from its children). Returns the undo."""
    root = logging.getLogger()
    redacting = RedactingFilter(redactor)
    handlers = list(root.handlers)
    for handler in handlers:
        handler.addFilter(redacting)

    def undo() -> None:
        for handler in handlers:
            handler.removeFilter(redacting)

    return undo


def log_warnings_to(stream: TextIO, redactor: Redactor) -> Callable[[], None]:
    """Warnings and errors (a check's unexpected exception) to `stream`, redacted: with no
    handler at all, Python's last resort would print them raw. Returns the undo."""
    root = logging.getLogger()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("centrifugo-bot: %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    unredact = redact_logs(redactor)

    def undo() -> None:
        unredact()
        root.removeHandler(handler)

    return undo
