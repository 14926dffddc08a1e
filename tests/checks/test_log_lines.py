"""Reading Centrifugo log lines (console with or without ANSI, JSON, Docker prefixes), sorting
them into classes, and scrubbing secrets from what is shown."""

from __future__ import annotations

import pytest

from checks.log_lines import SHOWN_CHARS, LogLine, parse_line, scrub, shown
from checks.log_patterns import CLASSES, DISCONNECT_STORM, LogClass, classify, tally
from checks.remediation import CAUSES

ESC = "\x1b"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "2024-05-01 10:00:00 [ERR] pub/sub error error=EOF",
            LogLine("pub/sub error error=EOF", "error", "2024-05-01 10:00:00"),
            id="console",
        ),
        pytest.param(
            f"{ESC}[90m2024-05-01 10:00:00{ESC}[0m {ESC}[31m[FTL]{ESC}[0m error creating engine",
            LogLine("error creating engine", "fatal", "2024-05-01 10:00:00"),
            id="console-ansi",
        ),
        pytest.param(
            '{"level":"warn","var":"CENTRIFUGO_API_KEY","time":"2024-05-01T10:00:00Z",'
            '"message":"unknown var in environment"}',
            LogLine(
                "unknown var in environment var=CENTRIFUGO_API_KEY", "warn", "2024-05-01T10:00:00Z"
            ),
            id="json",
        ),
        pytest.param(
            'whatrack_centrifugo.1.x9k2@node-1    | {"level":"error",'
            '"error":"dial tcp 10.0.0.3:6379: connect: connection refused",'
            '"message":"pub/sub connection error"}',
            LogLine(
                'pub/sub connection error error="dial tcp 10.0.0.3:6379: connect: connection '
                'refused"',
                "error",
            ),
            id="docker-service-prefix-json",
        ),
        pytest.param(
            "2024-05-01T10:00:00.123456789Z centrifugo-1  | 2024-05-01 10:00:00 [INF] serving",
            LogLine("serving", "info", "2024-05-01 10:00:00"),
            id="docker-timestamps-and-compose-prefix",
        ),
        pytest.param(
            "panic: runtime error: index out of range\r",
            LogLine("panic: runtime error: index out of range"),
            id="go-panic",
        ),
        pytest.param("{not json at all", LogLine("{not json at all"), id="braces-not-json"),
        pytest.param('{"a": 1}', LogLine('{"a": 1}'), id="json-not-a-log-record"),
    ],
)
def test_parse_line(raw: str, expected: LogLine) -> None:
    assert parse_line(raw) == expected


@pytest.mark.parametrize(
    ("text", "secrets", "expected"),
    [
        pytest.param("key Kq7secret here", ["Kq7secret"], "key *** here", id="configured-secret"),
        pytest.param(f"token={JWT} ok", [], "token=*** ok", id="token-field"),
        pytest.param(f"sent {JWT}", [], "sent <jwt>", id="bare-jwt"),
        pytest.param("Authorization: apikey K3y-123", [], "Authorization: apikey ***", id="apikey"),
        pytest.param("Bearer abc.def", [], "Bearer ***", id="bearer"),
        pytest.param("password=hunter22 user=x", [], "password=*** user=x", id="password"),
        pytest.param('{"hmac_secret_key":"s3c"}', [], '{"hmac_secret_key":"***"}', id="json-key"),
        pytest.param(
            "dial redis://:Pw9@redis:6379 refused",
            [],
            "dial redis://:***@redis:6379 refused",
            id="url-credentials",
        ),
        pytest.param(
            "CENTRIFUGO_API_KEY=abc123", [], "CENTRIFUGO_API_KEY=***", id="env-assignment"
        ),
        pytest.param(
            "invalid connection token: bad signature",
            [],
            "invalid connection token: bad signature",
            id="prose-untouched",
        ),
    ],
)
def test_scrub(text: str, secrets: list[str], expected: str) -> None:
    assert scrub(text, secrets) == expected


def test_shown_scrubs_before_trimming() -> None:
    secret = "S" * 30
    line = LogLine("x" * (SHOWN_CHARS - 10) + secret)
    text = shown(line, [secret])
    assert len(text) <= SHOWN_CHARS and "SSSS" not in text


@pytest.mark.parametrize(
    ("text", "level", "expected"),
    [
        pytest.param("error creating engine: dial tcp [::1]:6379", "fatal", "redis_start", id="v5"),
        pytest.param(
            "configure engines error error=error creating engine: error creating Redis shards",
            "fatal",
            "redis_start",
            id="v6",
        ),
        pytest.param("pub/sub subscribe error", "error", "redis_runtime", id="v6-runtime"),
        pytest.param("error adding subscription", "error", "redis_runtime", id="add-sub"),
        pytest.param("error creating config", "fatal", "fatal", id="fatal-level"),
        pytest.param(
            "client command error code=109 error=token expired",
            "info",
            "token_expired",
            id="expired-before-command-error",
        ),
        pytest.param("client credentials not found", "info", "token_invalid", id="no-token"),
        pytest.param("http: TLS handshake error from 1.2.3.4:5: EOF", None, "tls", id="tls"),
        pytest.param("subscribe unknown channel", "info", "unknown_channel", id="unknown-channel"),
        pytest.param("API key is empty", "error", "api_key_empty", id="api-key-empty"),
        pytest.param("starting Centrifugo version=6.1.0", "info", None, id="startup"),
    ],
)
def test_classify(text: str, level: str | None, expected: str | None) -> None:
    found = classify(LogLine(text, level))
    assert (found.id if found else None) == expected


def test_disconnects_count_only_as_a_storm() -> None:
    line = LogLine("disconnect after handling command reason=bad request", "info")
    assert tally([line] * (DISCONNECT_STORM - 1), []).findings == ()
    (finding,) = tally([line] * DISCONNECT_STORM, []).findings
    assert (finding.log_class.id, finding.count) == ("disconnects", DISCONNECT_STORM)


@pytest.mark.parametrize("log_class", CLASSES, ids=lambda c: c.id)
def test_every_class_names_a_cause_the_remediation_catalogue_knows(log_class: LogClass) -> None:
    assert log_class.cause in CAUSES[log_class.problem]
