"""The remediation catalogue: every cause in both languages, filled for the target, never a secret,
and corrected where the runbook contradicts the protocol facts."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr

from checks.model import LANGUAGES, Language, Problem, Remediation
from checks.remediation import CAUSES, remediation_for
from checks.remediation.commands import command_values
from checks.target import Target

AGREED_CAUSES = {
    Problem.CHECKLIST: {
        "missing_setting",
        "insecure_scheme",
        "ws_url_mismatch",
        "api_key_rejected",
        "api_key_missing",
    },
    Problem.CONNECTION: {
        "unreachable",
        "timeout",
        "proxy_error",
        "not_centrifugo",
        "no_nodes",
        "api_error",  # emitted by checks/http_probe.py beyond the brief's list
        "mixed_versions",  # emitted by checks/server.py beyond the brief's list
        "admin_not_found",
        "admin_disabled",
        "ws_handshake_failed",
        "ws_connection_limit",
        "ws_invalid_token",
        "ws_bad_request",
        "ws_protocol_error",
        "ws_abnormal",
        "ws_closed",
        "ws_stale",
        "ws_no_pong",
    },
    Problem.TOKEN: {
        "token_unauthorized",
        "token_login_redirect",
        "token_not_json",
        "token_missing_field",
        "token_timeout",
        "token_unreachable",
        "token_server_error",
        "token_expired",
        "token_expiring",
        "secret_mismatch",
        "token_undecodable",
        "token_alg",
        "token_no_sub",
    },
    Problem.NO_UPDATES: {
        "unknown_channel",
        "permission_denied",
        "sub_token_expired",
        "already_subscribed",
        "publish_failed",
        "not_delivered",
        "no_subscribers",
        "subscribe_internal",
    },
    Problem.TLS_CORS: {
        "cert_expired",
        "cert_expiring",
        "cert_not_yet_valid",  # emitted by checks/tls.py beyond the brief's list
        "hostname_mismatch",
        "untrusted",
        "tls_handshake",
        "origin_refused",
        "mixed_content",
    },
    Problem.REDIS: {
        "redis_unreachable",
        "redis_auth",
        "redis_slow",
        "redis_pubsub",
        "redis_refused_log",
    },
}

PAIRS = [(p, c) for p in Problem for c in (None, *sorted(AGREED_CAUSES[p]))]
PAIR_IDS = [f"{p.name}-{c or 'general'}" for p, c in PAIRS]
TARGET = Target(
    centrifugo_url="https://rt.example.com:8443",
    app_token_url="https://app.example.com/api/v1/centrifugo/token",
    browser_origin="https://app.example.com",
)
SECRETS = Target(
    centrifugo_url="https://bot:url-password-77@rt.example.com",
    centrifugo_api_key=SecretStr("api-key-s3cr3t-11"),
    centrifugo_token_hmac_secret_key=SecretStr("hmac-s3cr3t-22"),
    centrifugo_admin_password=SecretStr("admin-pass-s3cr3t-33"),
    centrifugo_admin_secret=SecretStr("admin-secret-s3cr3t-44"),
    app_token_url="https://app.example.com/api/v1/centrifugo/token",
    app_auth_header=SecretStr("Authorization: Bearer app-bearer-s3cr3t-55"),
    app_cookie=SecretStr("session=cookie-s3cr3t-66"),
    redis_url=SecretStr("redis://:redis-pass-s3cr3t@redis.internal:6379/0"),
    secrets_extra=("extra-s3cr3t-88",),
)

PLACEHOLDERS = command_values(TARGET, None).keys()


def all_text(remediation: Remediation) -> str:
    return "\n".join((remediation.title, *remediation.steps))


def commands(remediation: Remediation) -> list[str]:
    """What the steps ask the reader to run: the backticked spans."""
    return [span for step in remediation.steps for span in re.findall(r"`([^`]*)`", step)]


def test_causes_are_exactly_the_agreed_ids() -> None:
    assert {p: set(c) for p, c in CAUSES.items()} == AGREED_CAUSES


@pytest.mark.parametrize(("problem", "cause"), PAIRS, ids=PAIR_IDS)
def test_every_cause_has_steps_in_both_languages(problem: Problem, cause: str | None) -> None:
    en = remediation_for(problem, cause, TARGET, "en")
    pt = remediation_for(problem, cause, TARGET, "pt-BR")
    assert en.problem is pt.problem is problem
    assert len(en.steps) >= 1
    assert len(en.steps) == len(pt.steps)
    assert en.title != pt.title
    assert all(e != p for e, p in zip(en.steps, pt.steps, strict=True))


@pytest.mark.parametrize(("problem", "cause"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_steps_are_cause_first_then_general_without_repeats(
    problem: Problem, cause: str | None, lang: Language
) -> None:
    steps = remediation_for(problem, cause, TARGET, lang).steps
    general = remediation_for(problem, None, TARGET, lang).steps
    assert len(set(steps)) == len(steps)
    assert set(general) <= set(steps)
    if cause is None:
        assert steps == general
    else:  # a cause may pull a general step forward, but leads with its own
        assert steps[0] not in general
        assert len(steps) > len(general)


@pytest.mark.parametrize(("problem", "cause"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_secret_ever_appears(problem: Problem, cause: str | None, lang: Language) -> None:
    text = all_text(remediation_for(problem, cause, SECRETS, lang, org="123"))
    for secret in (*SECRETS.secrets(), "url-password-77", "redis-pass-s3cr3t", "s3cr3t"):
        assert secret not in text


@pytest.mark.parametrize(("problem", "cause"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_steps_are_well_formed(problem: Problem, cause: str | None, lang: Language) -> None:
    remediation = remediation_for(problem, cause, TARGET, lang, org="123")
    for step in remediation.steps:
        assert step.count("`") % 2 == 0, step
        assert not any(f"{{{name}}}" in step for name in PLACEHOLDERS), step
        assert "None" not in step


@pytest.mark.parametrize(("problem", "cause"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_commands_follow_the_protocol_not_the_runbook(
    problem: Problem, cause: str | None, lang: Language
) -> None:
    remediation = remediation_for(problem, cause, TARGET, lang, org="123")
    for command in commands(remediation):
        for wrong in ("/api/ping", "/api/stats", "type: 1", "type:1", "apikey <"):
            assert wrong not in command
        if "X-API-Key" in command:
            assert "-X POST" in command and " -d '" in command
        if "/api/publish" in command:
            assert "org:" not in command  # probes never reach customers' org channels
    for step in remediation.steps:
        if "/api/ping" in step:
            assert "404" in step  # mentioned only to correct the runbook


SPECIFICS = [
    (Problem.CONNECTION, None, ["/api/info", "405", "404", '{"id":1,"connect":{"token":"<JWT>"}}']),
    (Problem.CONNECTION, "admin_not_found", ["https://rt.example.com:8443/", "handler_prefix"]),
    (Problem.CONNECTION, "api_error", ["100", "Redis", 'redis-cli -u "$REDIS_URL" ping']),
    (Problem.CONNECTION, "mixed_versions", ["ContainerSpec.Image}}", "docker service ps"]),
    (Problem.CONNECTION, "unreachable", ["dig +short rt.example.com", "rt.example.com 8443"]),
    (Problem.CONNECTION, "ws_protocol_error", ["1002", "framing", "not an authentication"]),
    (Problem.CONNECTION, "ws_abnormal", ["1006", "without a close frame"]),
    (Problem.CONNECTION, "ws_bad_request", ["3501", '{"id":1,"connect":{"token":"<JWT>"}}']),
    (Problem.CONNECTION, "ws_invalid_token", ["3500", "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY"]),
    (Problem.CONNECTION, "ws_no_pong", ["3012", "client.pong_timeout", "pong_timeout"]),
    (Problem.CONNECTION, "ws_connection_limit", ["503", "3504", "client.connection_limit"]),
    (
        Problem.CONNECTION,
        "ws_handshake_failed",
        ["https://rt.example.com:8443/connection/websocket", "Upgrade: websocket"],
    ),
    (
        Problem.CHECKLIST,
        "api_key_rejected",
        ["401", "CENTRIFUGO_HTTP_API_KEY", "unknown var in environment", "-X POST"],
    ),
    (Problem.CHECKLIST, "ws_url_mismatch", ["wss://rt.example.com:8443/connection/websocket"]),
    (
        Problem.TOKEN,
        "secret_mismatch",
        ["3500", "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY", "sha256sum"],
    ),
    (Problem.TOKEN, None, ["https://app.example.com/api/v1/centrifugo/token", "grep -c"]),
    (Problem.TOKEN, "token_expired", ["109"]),
    (Problem.NO_UPDATES, "unknown_channel", ["102", "channel.namespaces", '"namespaces"']),
    (Problem.NO_UPDATES, "permission_denied", ["103", "allow_subscribe_for_client"]),
    (Problem.NO_UPDATES, "publish_failed", ["100", "error publishing data to channel"]),
    (Problem.NO_UPDATES, "subscribe_internal", ["3004", "error adding subscription"]),
    (Problem.NO_UPDATES, None, ["/api/channels", '"channel":"test"']),
    (Problem.TLS_CORS, None, ["openssl s_client -connect rt.example.com:8443"]),
    (Problem.TLS_CORS, "hostname_mismatch", ["-servername rt.example.com"]),
    (
        Problem.TLS_CORS,
        "origin_refused",
        [
            "403",
            "CENTRIFUGO_ALLOWED_ORIGINS",
            "CENTRIFUGO_CLIENT_ALLOWED_ORIGINS",
            "client.allowed_origins",
            'Origin: https://app.example.com"',
        ],
    ),
    (Problem.TLS_CORS, "mixed_content", ["wss://rt.example.com/connection/websocket"]),
    (
        Problem.REDIS,
        None,
        ["redis_address", "engine.redis.address", "configure engines error", "pub/sub error"],
    ),
    (Problem.REDIS, "redis_refused_log", ["connection refused", "resolved"]),
]


@pytest.mark.parametrize(
    ("problem", "cause", "expected"), SPECIFICS, ids=[f"{p.name}-{c}" for p, c, _ in SPECIFICS]
)
def test_steps_say_what_is_true_for_this_target(
    problem: Problem, cause: str | None, expected: list[str]
) -> None:
    text = all_text(remediation_for(problem, cause, TARGET, "en"))
    for fragment in expected:
        assert fragment in text


@pytest.mark.parametrize("cause", [None, *sorted(AGREED_CAUSES[Problem.NO_UPDATES])])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_org_channels_are_named_when_an_org_is_given(cause: str | None, lang: Language) -> None:
    with_org = all_text(remediation_for(Problem.NO_UPDATES, cause, TARGET, lang, org="acme-42"))
    assert "org:acme-42:messages" in with_org
    without = all_text(remediation_for(Problem.NO_UPDATES, cause, TARGET, lang))
    assert "org:ORG_ID:messages" in without
    assert "acme-42" not in without


@pytest.mark.parametrize(
    ("problem", "lang", "title"),
    [
        (Problem.TOKEN, "en", "Problem 1: failed to get a Centrifugo token"),
        (Problem.TOKEN, "pt-BR", "Problema 1: Falha ao obter token do Centrifugo"),
        (Problem.CONNECTION, "pt-BR", "Problema 2: Conexão WebSocket falhou"),
        (Problem.NO_UPDATES, "pt-BR", "Problema 3: Conectado mas sem atualizações em tempo real"),
        (Problem.TLS_CORS, "pt-BR", "Problema 4: Erro de Certificado ou CORS"),
        (Problem.CHECKLIST, "pt-BR", "Checklist de Configuração"),
        (Problem.REDIS, "pt-BR", "Erro de Conexão Redis"),
    ],
)
def test_titles_are_the_runbooks(problem: Problem, lang: Language, title: str) -> None:
    assert remediation_for(problem, None, TARGET, lang).title == title


@pytest.mark.parametrize(
    ("problem", "cause"),
    [(Problem.TOKEN, "no_such_cause"), (Problem.TOKEN, "unreachable"), (Problem.REDIS, "")],
)
def test_unknown_cause_is_refused(problem: Problem, cause: str) -> None:
    with pytest.raises(ValueError, match="unknown cause"):
        remediation_for(problem, cause, TARGET)


@pytest.mark.parametrize("org", ["", "1; rm -rf /", "a'b", "x" * 65])
def test_malformed_org_is_refused(org: str) -> None:
    with pytest.raises(ValueError, match="org"):
        remediation_for(Problem.NO_UPDATES, None, TARGET, org=org)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        remediation_for(Problem.TOKEN, None, TARGET, "fr")  # type: ignore[arg-type]


QUERY_SECRETS = Target(
    centrifugo_url="https://rt.example.com/?api_key=base-s3cr3t-1#frag-s3cr3t-2",
    next_public_centrifugo_url="wss://rt.example.com/connection/websocket?token=ws-s3cr3t-3",
    app_token_url="https://app.example.com/api/v1/centrifugo/token?session=query-s3cr3t-4#f",
)


@pytest.mark.parametrize(("problem", "cause"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_url_query_or_fragment_ever_appears(
    problem: Problem, cause: str | None, lang: Language
) -> None:
    text = all_text(remediation_for(problem, cause, QUERY_SECRETS, lang, org="123"))
    assert "s3cr3t" not in text


def test_the_token_url_is_quoted_without_its_query() -> None:
    text = all_text(remediation_for(Problem.TOKEN, "token_unreachable", QUERY_SECRETS))
    assert "APP_TOKEN_URL (https://app.example.com/api/v1/centrifugo/token)" in text


def test_an_unparsable_token_url_still_gets_its_steps() -> None:
    broken = Target(app_token_url="http://[::1/api/v1/centrifugo/token?session=s3cr3t")
    text = all_text(remediation_for(Problem.TOKEN, "token_unreachable", broken))
    assert '"$APP_TOKEN_URL"' in text and "s3cr3t" not in text
    origin = all_text(remediation_for(Problem.TLS_CORS, "origin_refused", broken))
    assert "https://<app-host>" in origin and "s3cr3t" not in origin


def test_unset_urls_become_shell_variables_and_placeholders() -> None:
    bare = Target(centrifugo_url="http://[::1]:8000")
    token = all_text(remediation_for(Problem.TOKEN, "token_unreachable", bare))
    assert '"$APP_TOKEN_URL"' in token
    tls = all_text(remediation_for(Problem.TLS_CORS, "origin_refused", bare))
    assert "openssl s_client -connect [::1]:8000 -servername ::1" in tls
    assert "https://<app-host>" in tls


def test_default_port_is_spelled_out() -> None:
    target = Target(centrifugo_url="https://rt.example.com")
    text = all_text(remediation_for(Problem.TLS_CORS, "tls_handshake", target))
    assert "rt.example.com:443" in text
