"""The redaction layer: configured secrets and secret-shaped strings never leave whole."""

from __future__ import annotations

import logging

import pytest

from bot.redact import MARK, RedactingFilter, Redactor

SECRETS = [
    "api-key-0123456789",
    "hmac-secret-abcdef",
    "Authorization: Bearer app-session-XYZ987",
    "sessionid=cookie-value-42",
    "redis://:redis-pass-777@10.0.0.5:6379/0",
    "xoxb-1111-2222-slackbot",
]
LEAKS = [
    "0123456789",
    "secret-abcdef",
    "app-session-XYZ987",
    "cookie-value-42",
    "redis-pass-777",
    "1111-2222-slackbot",
]
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJ5dGVz"


@pytest.mark.parametrize(
    "text",
    [
        "key api-key-0123456789 refused",
        "hmac-secret-abcdef",
        "header was Authorization: Bearer app-session-XYZ987",
        "sent Bearer app-session-XYZ987",
        "Cookie: sessionid=cookie-value-42",
        "dial redis://:redis-pass-777@10.0.0.5:6379/0 failed",
        "token xoxb-1111-2222-slackbot",
        f"token {JWT}",
        f'{{"token": "{JWT}"}}',
        "curl -H 'X-API-Key: unknown-key-value-1' https://x",
        "Authorization: apikey unknown-key-value-2",
        "redis://user:pw-not-configured@host:6379",
    ],
    ids=lambda t: t[:24],
)
def test_secrets_are_masked(text: str) -> None:
    redacted = Redactor(SECRETS).text(text)
    for leak in [*LEAKS, "unknown-key-value", "pw-not-configured", JWT[10:]]:
        assert leak not in redacted
    assert MARK in redacted


@pytest.mark.parametrize(
    "text",
    ["token expired", "invalid token", "the API key was refused", "Bearer", "apikey a"],
)
def test_ordinary_words_are_left_alone(text: str) -> None:
    assert Redactor(SECRETS).text(text) == text


def test_keeps_only_a_few_leading_characters() -> None:
    assert Redactor(["api-key-0123456789"]).text("api-key-0123456789") == "api" + MARK


def test_data_and_logs_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    redactor = Redactor(SECRETS)
    assert redactor.data({"a": ["x api-key-0123456789"]}) == {"a": ["x api" + MARK]}
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactingFilter(redactor))
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("calling with %s", "hmac-secret-abcdef")
    assert "secret-abcdef" not in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        "connected with the app's token: upgrade 4.4 ms",
        "password: see the runbook",
        "token expired 3 s ago",
    ],
)
def test_prose_about_tokens_is_not_masked(text: str) -> None:
    assert Redactor(SECRETS).text(text) == text


@pytest.mark.parametrize(
    "text", ['{"token": "abcdef123456"}', "password=hunter2hunter2", "url?token=abcdef123456"]
)
def test_labelled_credentials_are_masked(text: str) -> None:
    assert MARK in Redactor().text(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"id":1,"connect":{"token":"<JWT>"}}',
        '{"id":2,"subscribe":{"channel":"news","token":"<sub JWT>"}}',
        '{"token":"eyJ..."}',
        "token=eyJ...",
        'curl -H "Authorization: apikey <API_KEY>" http://localhost:8000/api/info',
        "Bearer <token>",
    ],
    ids=lambda t: t[:28],
)
def test_remediation_placeholders_are_left_alone(text: str) -> None:
    assert Redactor(SECRETS).text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"token":"abcdef123456"}', '{"token":"abc…[redacted]"}'),
        ('{"token":"eyJ.real-value"}', '{"token":"eyJ…[redacted]"}'),
        ("apikey a<bcdef123", "apikey a<b…[redacted]"),
        (f'{{"token":"{JWT}"}}', '{"token":"eyJ…[redacted]"}'),
    ],
    ids=lambda t: t[:28],
)
def test_values_next_to_placeholders_are_still_masked(text: str, expected: str) -> None:
    assert Redactor().text(text) == expected
