"""token.endpoint and token.claims: the fake app's every failure mode over loopback, the claim
rules on hand-made tokens, and no token ever printed whole."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from checks import tokens
from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.remediation import CAUSES
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.app_token import LOGIN_PATH, FakeApp, Mode
from tests.fakes.centrifugo.jwt_check import mint_token
from tests.fakes.centrifugo.server import Emulator, closed_port

SECRET = "emulator-hmac-secret"
NOW = 1_700_000_000.0


def expect(outcome: Outcome, status: Status, problem: Problem | None, cause: str | None) -> None:
    assert (outcome.status, outcome.problem, outcome.cause) == (status, problem, cause)
    if problem is not None and cause is not None:
        assert cause in CAUSES[problem], "the remediation catalogue must know this cause"


async def endpoint(target: Target) -> tuple[Outcome, Outcome]:
    """token.endpoint and token.claims, run on one context like the runner does."""
    async with open_context(target) as ctx:
        return await tokens.endpoint(ctx), await tokens.claims(ctx)


@pytest.fixture
async def app(emulator: Emulator) -> AsyncIterator[FakeApp]:
    async with FakeApp(emulator.config.hmac_secret) as fake:
        yield fake


def claims_token(claims: dict[str, Any], secret: str = SECRET, alg: str = "HS256") -> str:
    return mint_token(claims, secret, alg)


# -- token.claims on hand-made tokens ---------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "secret", "status", "cause", "summary"),
    [
        pytest.param(
            {"sub": "42", "exp": NOW + 3600},
            SECRET,
            Status.OK,
            None,
            "HS256, sub '42', expires in 3600 s (signature verified)",
            id="good",
        ),
        pytest.param({"sub": "42"}, SECRET, Status.OK, None, "never expires (no exp)", id="no-exp"),
        pytest.param(
            {"sub": "42", "exp": NOW - 5},
            SECRET,
            Status.FAIL,
            "token_expired",
            "token expired 5 s ago: Centrifugo answers connect with error 109",
            id="expired",
        ),
        pytest.param(
            {"sub": "42", "exp": NOW + 30},
            SECRET,
            Status.WARN,
            "token_expiring",
            "expires in 30 s (under 60 s)",
            id="expiring",
        ),
        pytest.param(
            {"sub": "", "exp": NOW + 3600},
            SECRET,
            Status.WARN,
            "token_no_sub",
            "empty sub: the connection is anonymous",
            id="anonymous",
        ),
        pytest.param(
            {"sub": "42", "exp": NOW + 3600},
            "another-secret",
            Status.FAIL,
            "secret_mismatch",
            "the app and Centrifugo use different HMAC secrets",
            id="other-secret",
        ),
        pytest.param(
            {"sub": "42", "exp": NOW - 5},
            "another-secret",
            Status.FAIL,
            "secret_mismatch",
            "closes the connection with 3500 invalid token",
            id="signature-before-expiry",
        ),
    ],
)
def test_claims_verdicts(
    claims: dict[str, Any], secret: str, status: Status, cause: str | None, summary: str
) -> None:
    outcome = tokens.judge_claims(claims_token(claims, secret), SecretStr(SECRET), NOW)

    expect(outcome, status, Problem.TOKEN if cause else None, cause)
    assert summary in outcome.summary


# Centrifugo checks exp and nbf on every token (109); expire_at only sets when the connection
# ends (0 = never), and one already past refuses the connect with 110 (reference §5.2, §5.3).
TIME_CLAIMS = {
    "exp-past-expire-at-never": (
        {"sub": "42", "exp": NOW - 5, "expire_at": 0},
        Status.FAIL,
        "token_expired",
        "token expired 5 s ago: Centrifugo answers connect with error 109",
        "o token expirou há 5 s: o Centrifugo responde ao connect com erro 109",
    ),
    "exp-past-expire-at-future": (
        {"sub": "42", "exp": NOW - 5, "expire_at": NOW + 3600},
        Status.FAIL,
        "token_expired",
        "token expired 5 s ago: Centrifugo answers connect with error 109",
        "o token expirou há 5 s: o Centrifugo responde ao connect com erro 109",
    ),
    "nbf-future": (
        {"sub": "42", "exp": NOW + 3600, "nbf": NOW + 120},
        Status.FAIL,
        "token_expired",
        "token not valid yet (nbf in 120 s): Centrifugo answers connect with error 109",
        "o token ainda não vale (nbf daqui a 120 s): o Centrifugo responde ao connect com erro 109",
    ),
    "expire-at-past-exp-valid": (
        {"sub": "42", "exp": NOW + 3600, "expire_at": NOW - 10},
        Status.FAIL,
        "token_expired",
        "expire_at passed 10 s ago (exp is still valid): Centrifugo refuses connect with error "
        "110 expired",
        "o expire_at passou há 10 s (o exp ainda vale): o Centrifugo recusa o connect com erro "
        "110 expired",
    ),
    "expire-at-never-exp-valid": (
        {"sub": "42", "exp": NOW + 3600, "expire_at": 0},
        Status.OK,
        None,
        "HS256, sub '42', connection never expires (expire_at 0) (signature verified)",
        "HS256, sub '42', a conexão nunca expira (expire_at 0) (assinatura verificada)",
    ),
    "expire-at-sets-the-connection-life": (
        {"sub": "42", "exp": NOW + 3600, "expire_at": NOW + 600},
        Status.OK,
        None,
        "HS256, sub '42', expires in 600 s (signature verified)",
        "HS256, sub '42', expira em 600 s (assinatura verificada)",
    ),
    "nbf-past-is-fine": (
        {"sub": "42", "exp": NOW + 3600, "nbf": NOW - 60},
        Status.OK,
        None,
        "HS256, sub '42', expires in 3600 s (signature verified)",
        "HS256, sub '42', expira em 3600 s (assinatura verificada)",
    ),
}


@pytest.mark.parametrize("name", TIME_CLAIMS)
def test_time_claims_are_judged_like_centrifugo(name: str) -> None:
    claims, status, cause, english, portuguese = TIME_CLAIMS[name]
    token = claims_token(claims)

    outcome = tokens.judge_claims(token, SecretStr(SECRET), NOW)
    worded = tokens.judge_claims(token, SecretStr(SECRET), NOW, "pt-BR")

    expect(outcome, status, Problem.TOKEN if cause else None, cause)
    assert (outcome.summary, worded.summary) == (english, portuguese)


def test_expire_at_is_shown_beside_exp() -> None:
    token = claims_token({"sub": "42", "exp": NOW + 3600, "expire_at": NOW + 600})

    details = tokens.judge_claims(token, SecretStr(SECRET), NOW).details

    assert (details["exp"], details["expires_in_s"]) == ("2023-11-14T23:13:20+00:00", 3600)
    assert (details["expire_at"], details["expire_at_in_s"]) == ("2023-11-14T22:23:20+00:00", 600)


def test_claims_details_show_values_not_the_token() -> None:
    token = claims_token({"sub": "42", "exp": NOW + 90, "iat": NOW, "channels": ["a"], "info": {}})

    outcome = tokens.judge_claims(token, SecretStr(SECRET), NOW)

    assert dict(outcome.details) == {
        "alg": "HS256",
        "sub": "42",
        "exp": "2023-11-14T22:14:50+00:00",
        "expires_in_s": 90,
        "iat": "2023-11-14T22:13:20+00:00",
        "channels": ["a"],
        "has_info": True,
        "signature": "verified",
    }


def test_alg_none_is_refused() -> None:
    token = jwt.encode({"sub": "42"}, None, algorithm="none")  # type: ignore[arg-type]

    outcome = tokens.judge_claims(token, SecretStr(SECRET), NOW)

    expect(outcome, Status.FAIL, Problem.TOKEN, "token_alg")
    assert outcome.summary.startswith("alg none is not one Centrifugo verifies")


def test_rs256_signature_is_not_checked_without_the_public_key() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({"sub": "42", "exp": NOW + 600}, key, algorithm="RS256")

    outcome = tokens.judge_claims(token, SecretStr(SECRET), NOW)

    expect(outcome, Status.OK, None, None)
    assert outcome.details["signature"] == "not checked (RS256 needs Centrifugo's public key)"


def test_without_a_secret_the_signature_is_not_checked() -> None:
    outcome = tokens.judge_claims(claims_token({"sub": "1"}, "x"), None, NOW)

    assert outcome.status is Status.OK
    assert outcome.details["signature"].startswith("not checked (CENTRIFUGO_TOKEN_HMAC")


@pytest.mark.parametrize("token", ["not-a-jwt", "eyJhbGciOiJIUzI1NiJ9.bm9wZQ.c2ln"])
def test_garbage_is_undecodable(token: str) -> None:
    expect(tokens.judge_claims(token, None, NOW), Status.FAIL, Problem.TOKEN, "token_undecodable")


def test_channel_claim_makes_it_a_subscription_token() -> None:
    outcome = tokens.judge_claims(claims_token({"sub": "1", "channel": "x"}), None, NOW)

    assert outcome.status is Status.FAIL
    assert "subscription token" in outcome.summary


# -- token.endpoint against the fake app -------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "cause", "summary"),
    [
        (Mode.UNAUTHORIZED, "token_unauthorized", "HTTP 401: the app refused the session"),
        (Mode.FORBIDDEN, "token_unauthorized", "HTTP 403: the app refused the session"),
        (Mode.LOGIN_REDIRECT, "token_login_redirect", f"HTTP 302 redirect to {LOGIN_PATH}"),
        (Mode.HTML, "token_not_json", "HTTP 200 but text/html, not JSON"),
        (Mode.NON_JSON, "token_not_json", "HTTP 200 but text/plain, not JSON"),
        (
            Mode.MISSING_FIELD,
            "token_missing_field",
            "HTTP 200 JSON without a \"token\" string (got ['error'])",
        ),
    ],
)
async def test_endpoint_failures(
    emulator: Emulator, app: FakeApp, mode: Mode, cause: str, summary: str
) -> None:
    app.mode = mode

    outcome, _ = await endpoint(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.FAIL, Problem.TOKEN, cause)
    assert outcome.summary.startswith(summary)


async def test_endpoint_ok_shows_latency_and_only_a_preview(
    emulator: Emulator, app: FakeApp
) -> None:
    outcome, claims = await endpoint(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.OK, None, None)
    assert outcome.summary.startswith("token endpoint answers 200 with a token (eyJhbGciOi…) in ")
    expect(claims, Status.OK, None, None)
    assert claims.summary.endswith("(signature verified)")
    assert app.requests == 1, "both checks share one fetch"


@pytest.mark.parametrize(
    ("mode", "status", "cause"),
    [
        (Mode.OTHER_SECRET, Status.FAIL, "secret_mismatch"),
        (Mode.EXPIRED, Status.FAIL, "token_expired"),
        (Mode.EXPIRING, Status.WARN, "token_expiring"),
    ],
)
async def test_claims_of_the_apps_token(
    emulator: Emulator, app: FakeApp, mode: Mode, status: Status, cause: str
) -> None:
    app.mode = mode

    outcome, claims = await endpoint(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.OK, None, None)
    expect(claims, status, Problem.TOKEN, cause)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("app_auth_header", "Authorization: Bearer s3cret-session"),
        ("app_cookie", "session=s3cret-session"),
    ],
)
async def test_the_session_credential_is_sent(emulator: Emulator, setting: str, value: str) -> None:
    async with FakeApp(emulator.config.hmac_secret, credential="s3cret-session") as app:
        refused, _ = await endpoint(target_for(emulator, app_token_url=app.url))
        accepted, _ = await endpoint(
            target_for(emulator, app_token_url=app.url, **{setting: SecretStr(value)})
        )

    expect(refused, Status.FAIL, Problem.TOKEN, "token_unauthorized")
    assert "(no credentials sent)" in refused.summary
    expect(accepted, Status.OK, None, None)


async def test_a_header_that_is_not_a_header_line_is_explained(emulator: Emulator) -> None:
    target = target_for(
        emulator, app_token_url="http://127.0.0.1:1/", app_auth_header=SecretStr("Bearer abc")
    )

    outcome, _ = await endpoint(target)

    expect(outcome, Status.FAIL, Problem.TOKEN, "token_unauthorized")
    assert "header line like 'Authorization: Bearer …'" in outcome.summary
    assert "abc" not in outcome.summary


async def test_slow_endpoint_times_out_inside_the_check_budget(
    emulator: Emulator, app: FakeApp
) -> None:
    app.mode = Mode.SLOW
    started = time.perf_counter()

    outcome, _ = await endpoint(target_for(emulator, app_token_url=app.url, check_timeout=1.0))

    expect(outcome, Status.FAIL, Problem.TOKEN, "token_timeout")
    assert outcome.summary == "no answer from 127.0.0.1 within 0.6 s"
    assert time.perf_counter() - started < 1.0


async def test_refused_endpoint_is_unreachable(emulator: Emulator) -> None:
    target = target_for(emulator, app_token_url=f"http://127.0.0.1:{closed_port()}/token")

    outcome, _ = await endpoint(target)

    expect(outcome, Status.FAIL, Problem.TOKEN, "token_unreachable")


# -- through the runner -------------------------------------------------------------------------


async def test_runner_maps_secret_mismatch_to_problem_1(emulator: Emulator, app: FakeApp) -> None:
    app.mode = Mode.OTHER_SECRET
    target = target_for(emulator, app_token_url=app.url)

    report = await run_checks(["token.claims"], target)

    claims = report.get("token.claims")
    assert claims is not None and claims.status is Status.FAIL
    assert claims.remediation is not None and claims.remediation.problem is Problem.TOKEN
    assert claims.remediation.steps
    rendered = json.dumps(
        [c.summary for c in report.checks] + [dict(c.details) for c in report.checks]
    )
    for secret in target.secrets():
        assert secret not in rendered


async def test_token_never_appears_whole(emulator: Emulator, app: FakeApp) -> None:
    target = target_for(emulator, app_token_url=app.url)

    report = await run_checks(["token.claims", "websocket.connect"], target)

    token = mint_token({"sub": "42"}, "x")  # same header as the app's: only the header leaks
    header = token.split(".")[0]
    rendered = json.dumps([[c.summary, dict(c.details)] for c in report.checks], default=str)
    assert header[:10] in rendered
    assert header not in rendered, "no more than the token's first 10 characters"
    assert all(c.status is Status.OK for c in report.checks), rendered
