"""websocket.connect and websocket.origin against the emulator: which token is used, and every
failure named with its runbook problem and cause."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from checks import realtime, websocket
from checks.connection_token import ConnectionToken
from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.protocol import Closed, HandshakeFailed
from checks.remediation import CAUSES
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.app_token import FakeApp, Mode
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import V6, EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator, closed_port
from tests.fakes.centrifugo.tls import TlsVariants

ORIGIN = "https://app.example.com"
STALE_SECRET = SecretStr("last-years-secret")


def expect(outcome: Outcome, status: Status, problem: Problem | None, cause: str | None) -> None:
    assert (outcome.status, outcome.problem, outcome.cause) == (status, problem, cause), outcome
    if problem is not None and cause is not None:
        assert cause in CAUSES[problem], "the remediation catalogue must know this cause"


async def connect(target: Target) -> Outcome:
    async with open_context(target) as ctx:
        return await websocket.connect(ctx)


async def origin(target: Target) -> Outcome:
    async with open_context(target) as ctx:
        return await websocket.origin(ctx)


# -- websocket.connect -------------------------------------------------------------------------


async def test_connects_with_a_minted_token_and_reports_the_session(target: Target) -> None:
    outcome = await connect(target)

    expect(outcome, Status.OK, None, None)
    assert outcome.summary.startswith(
        "connected with a token the bot signed with CENTRIFUGO_TOKEN_HMAC_SECRET_KEY: upgrade "
    )
    assert f"Centrifugo {V6}, ping every 25.0 s" in outcome.summary
    details = dict(outcome.details)
    assert details["token_source"] == "minted" and details["version"] == V6
    assert details["client"] and details["pong"] is True and details["ping_s"] == 25.0
    assert details["handshake_ms"] > 0 and details["connect_ms"] > 0


async def test_prefers_the_apps_token(emulator: Emulator) -> None:
    async with FakeApp(emulator.config.hmac_secret) as app:
        outcome = await connect(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.OK, None, None)
    assert outcome.summary.startswith("connected with the app's token: ")


async def test_falls_back_to_its_own_token_and_says_why(emulator: Emulator) -> None:
    async with FakeApp(emulator.config.hmac_secret, mode=Mode.UNAUTHORIZED) as app:
        outcome = await connect(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.OK, None, None)
    assert outcome.details["token_source"] == "minted"
    assert "(the app's token endpoint failed: HTTP 401: the app refused the session" in (
        outcome.summary
    )


async def test_without_any_token_explains_credentials_not_found(emulator: Emulator) -> None:
    outcome = await connect(target_for(emulator, centrifugo_token_hmac_secret_key=None))

    expect(outcome, Status.FAIL, Problem.CONNECTION, "ws_bad_request")
    assert outcome.summary.startswith("closed 3501 bad request")
    assert "'client credentials not found'" in outcome.summary


async def test_bots_secret_differs_from_centrifugos(emulator: Emulator) -> None:
    outcome = await connect(target_for(emulator, centrifugo_token_hmac_secret_key=STALE_SECRET))

    expect(outcome, Status.FAIL, Problem.CONNECTION, "ws_invalid_token")
    assert outcome.summary.startswith("closed 3500 invalid token")
    assert "Centrifugo's HMAC secret differs from the bot's" in outcome.summary
    assert outcome.details["close_code"] == 3500


async def test_apps_secret_differs_and_the_bots_token_proves_it(emulator: Emulator) -> None:
    async with FakeApp(emulator.config.hmac_secret, mode=Mode.OTHER_SECRET) as app:
        outcome = await connect(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.FAIL, Problem.TOKEN, "secret_mismatch")
    assert outcome.summary == (
        "the app's token is refused (3500 invalid token) but one the bot signs with "
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY (HS256) is accepted: the app signs differently "
        "(another secret, algorithm, aud/iss or a channel claim)"
    )


async def test_both_secrets_wrong_stays_an_invalid_token(emulator: Emulator) -> None:
    async with FakeApp(emulator.config.hmac_secret, mode=Mode.OTHER_SECRET) as app:
        target = target_for(
            emulator, app_token_url=app.url, centrifugo_token_hmac_secret_key=STALE_SECRET
        )
        outcome = await connect(target)

    expect(outcome, Status.FAIL, Problem.CONNECTION, "ws_invalid_token")
    assert "the app probably signs with another HMAC secret" in outcome.summary
    assert outcome.summary.endswith(
        "is refused too, so Centrifugo's secret differs from the bot's as well"
    )


async def test_a_cross_check_that_times_out_keeps_the_original_finding(
    emulator: Emulator,
) -> None:
    app_token = ConnectionToken("app.token.jwt", "app")
    refused = realtime.explain(Closed(3500, "invalid token"), app_token)
    emulator.config.faults.add(Fault.SLOW)  # the bot's own attempt gets no answer in time

    async with open_context(target_for(emulator, check_timeout=0.5)) as ctx:
        outcome = await websocket.cross_check(ctx, realtime.deadline_for(ctx), refused)

    assert outcome == refused
    assert "refused too" not in outcome.summary


async def test_expired_app_token_is_error_109(emulator: Emulator) -> None:
    async with FakeApp(emulator.config.hmac_secret, mode=Mode.EXPIRED) as app:
        outcome = await connect(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.FAIL, Problem.TOKEN, "token_expired")
    assert outcome.summary == (
        "connect answered error 109 token expired (the JWT's exp is past (or nbf in the future)): "
        "the app's token is expired"
    )


@pytest.mark.parametrize(
    ("fault", "problem", "cause", "summary"),
    [
        pytest.param(
            Fault.REJECT_TOKENS,
            Problem.CONNECTION,
            "ws_invalid_token",
            "closed 3500 invalid token",
            id="tokens-rejected",
        ),
        pytest.param(
            Fault.SERVER_ERROR,
            Problem.CONNECTION,
            "proxy_error",
            "upgrade refused with HTTP 502: the proxy in front (Traefik/LB) cannot reach",
            id="proxy-502",
        ),
    ],
)
async def test_server_faults(
    emulator: Emulator, target: Target, fault: Fault, problem: Problem, cause: str, summary: str
) -> None:
    emulator.config.faults.add(fault)

    outcome = await connect(target)

    expect(outcome, Status.FAIL, problem, cause)
    assert outcome.summary.startswith(summary)


async def test_slow_server_fails_inside_the_check_budget(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.SLOW)
    started = time.perf_counter()

    outcome = await connect(target_for(emulator, check_timeout=1.0))

    expect(outcome, Status.FAIL, Problem.CONNECTION, "timeout")
    assert time.perf_counter() - started < 1.0


async def test_silent_host_is_a_timeout() -> None:
    async with BlackHole() as hole:
        outcome = await connect(Target(centrifugo_url=hole.url, check_timeout=0.5))

    expect(outcome, Status.FAIL, Problem.CONNECTION, "timeout")
    assert outcome.summary.startswith("no WebSocket upgrade within 0.4")


async def test_refused_port_is_unreachable() -> None:
    outcome = await connect(Target(centrifugo_url=f"http://127.0.0.1:{closed_port()}"))

    expect(outcome, Status.FAIL, Problem.CONNECTION, "unreachable")


@pytest.mark.parametrize(
    ("variant", "cause"),
    [
        ("valid", None),
        ("untrusted_ca", "untrusted"),
        ("self_signed", "untrusted"),
        ("wrong_host", "hostname_mismatch"),
        ("expired", "cert_expired"),
    ],
)
async def test_tls_is_verified(tmp_path: Path, variant: str, cause: str | None) -> None:
    variants = TlsVariants()
    bundle = str(variants.write_ca_bundle(tmp_path / "ca.pem"))
    async with Emulator(tls=getattr(variants, variant)()) as emulator:
        outcome = await connect(target_for(emulator, ssl_cert_file=bundle))

    if cause is None:
        expect(outcome, Status.OK, None, None)
    else:
        expect(outcome, Status.FAIL, Problem.TLS_CORS, cause)
        assert outcome.summary.startswith("TLS failed: ")


# -- websocket.origin ----------------------------------------------------------------------------


async def test_allowed_origin_is_accepted() -> None:
    async with Emulator(EmulatorConfig(allowed_origins=["https://*.example.com"])) as emulator:
        outcome = await origin(target_for(emulator, browser_origin=ORIGIN))

    expect(outcome, Status.OK, None, None)
    assert outcome.summary.startswith(f"upgrade with Origin {ORIGIN} accepted (101) in ")


@pytest.mark.parametrize("refuse", ["empty-list", "fault"])
async def test_refused_origin_names_the_setting(emulator: Emulator, refuse: str) -> None:
    if refuse == "fault":
        emulator.config.allowed_origins = [ORIGIN]
        emulator.config.faults.add(Fault.ORIGIN_REFUSED)

    outcome = await origin(target_for(emulator, browser_origin=ORIGIN))

    expect(outcome, Status.FAIL, Problem.TLS_CORS, "origin_refused")
    assert outcome.summary == (
        f"upgrade refused with HTTP 403 for Origin {ORIGIN}: add it to allowed_origins "
        "(v5, env CENTRIFUGO_ALLOWED_ORIGINS) or client.allowed_origins "
        "(v6, env CENTRIFUGO_CLIENT_ALLOWED_ORIGINS)"
    )


async def test_origin_check_is_skipped_without_browser_origin(target: Target) -> None:
    report = await run_checks(["websocket.origin"], target)

    result = report.get("websocket.origin")
    assert result is not None and result.status is Status.SKIP
    assert result.summary == "not configured: BROWSER_ORIGIN"


# -- failure readings the emulator cannot produce ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (3502, "ws_stale"),
        (3012, "ws_no_pong"),
        (3504, "ws_connection_limit"),
        (1002, "ws_protocol_error"),
        (1006, "ws_abnormal"),
        (3001, "ws_closed"),
        (4000, "ws_closed"),
    ],
)
def test_close_codes(code: int, cause: str) -> None:
    expect(realtime.explain(Closed(code, "")), Status.FAIL, Problem.CONNECTION, cause)


@pytest.mark.parametrize(
    ("status", "cause", "says"),
    [
        (403, "ws_handshake_failed", "Centrifugo refuses only Origins, so a proxy or WAF did"),
        (503, "ws_connection_limit", "connection limit/rate limit reached"),
        (504, "proxy_error", "cannot reach Centrifugo"),
        (404, "ws_handshake_failed", "must end in /connection/websocket"),
    ],
)
def test_handshake_statuses_without_origin(status: int, cause: str, says: str) -> None:
    outcome = realtime.rejected(status, None)

    expect(outcome, Status.FAIL, Problem.CONNECTION, cause)
    assert says in outcome.summary


def test_not_a_websocket_server() -> None:
    outcome = realtime.explain(HandshakeFailed("did not receive a valid HTTP response"))

    expect(outcome, Status.FAIL, Problem.CONNECTION, "ws_handshake_failed")


async def test_runner_gives_the_remediation(emulator: Emulator) -> None:
    target = target_for(emulator, centrifugo_token_hmac_secret_key=STALE_SECRET)

    report = await run_checks(["websocket.connect"], target)

    result = report.get("websocket.connect")
    assert result is not None and result.status is Status.FAIL
    assert result.remediation is not None and result.remediation.problem is Problem.CONNECTION
    assert result.remediation.steps


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/token", "http://[::1/token"], ids=["port-99999", "bad-url"]
)
async def test_an_unusable_app_token_url_falls_back_instead_of_crashing(
    emulator: Emulator, url: str
) -> None:
    ids = ["token.endpoint", "websocket.connect", "subscribe", "roundtrip"]

    report = await run_checks(ids, target_for(emulator, app_token_url=url), org="123")

    statuses = {result.id: result.status for result in report.checks if result.id in ids}
    assert statuses == {
        "token.endpoint": Status.FAIL,
        "websocket.connect": Status.OK,
        "subscribe": Status.OK,
        "roundtrip": Status.OK,
    }
    endpoint = report.get("token.endpoint")
    assert endpoint is not None and endpoint.summary.startswith("cannot reach ")
    connect = report.get("websocket.connect")
    assert connect is not None and "signed with CENTRIFUGO_TOKEN_HMAC" in connect.summary
