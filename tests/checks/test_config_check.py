"""The `config` check reads settings only: each checklist item, alone and combined."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from checks.config import audit, config
from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.target import INVALID_URL, Target, public_url

SECRETS: dict[str, Any] = {
    "centrifugo_api_key": SecretStr("api-key-value"),
    "centrifugo_token_hmac_secret_key": SecretStr("hmac-secret-value"),
}
PROD = "https://centrifugo.example.com"
PROD_WS = "wss://centrifugo.example.com/connection/websocket"


async def run_config(**settings: Any) -> Outcome:
    target = Target(**{**SECRETS, **settings})
    async with open_context(target) as ctx:
        return await config(ctx)


async def test_a_complete_production_config_passes() -> None:
    outcome = await run_config(centrifugo_url=PROD, next_public_centrifugo_url=PROD_WS)

    assert outcome.status is Status.OK
    assert outcome.summary == (
        f"3 required settings set; browser URL {PROD_WS} matches CENTRIFUGO_URL {PROD}"
    )
    assert outcome.problem is None


async def test_localhost_over_http_with_a_derived_browser_url_passes() -> None:
    outcome = await run_config(centrifugo_url="http://127.0.0.1:8000")

    assert outcome.status is Status.OK
    assert outcome.details["websocket_url"] == "ws://127.0.0.1:8000/connection/websocket"


CASES = [
    pytest.param(
        {"centrifugo_api_key": None},
        Status.FAIL,
        Problem.CHECKLIST,
        "missing_setting",
        "1 issue: CENTRIFUGO_API_KEY is not set",
        id="no-api-key-fails",
    ),
    pytest.param(
        {"centrifugo_token_hmac_secret_key": SecretStr("")},
        Status.WARN,
        Problem.CHECKLIST,
        "missing_setting",
        "1 issue: CENTRIFUGO_TOKEN_HMAC_SECRET_KEY is not set",
        id="empty-hmac-secret-warns",
    ),
    pytest.param(
        {"centrifugo_url": "http://centrifugo.example.com", "next_public_centrifugo_url": None},
        Status.WARN,
        Problem.CHECKLIST,
        "insecure_scheme",
        "2 issues: CENTRIFUGO_URL http://centrifugo.example.com is not https:// outside "
        "localhost; NEXT_PUBLIC_CENTRIFUGO_URL ws://centrifugo.example.com/connection/websocket "
        "is not wss:// outside localhost",
        id="http-outside-localhost-warns",
    ),
    pytest.param(
        {"next_public_centrifugo_url": "ws://centrifugo.example.com/connection/websocket"},
        Status.FAIL,
        Problem.TLS_CORS,
        "mixed_content",
        "2 issues: NEXT_PUBLIC_CENTRIFUGO_URL ws://centrifugo.example.com/connection/websocket "
        "is not wss:// outside localhost; browser URL is ws:// while CENTRIFUGO_URL is https: "
        "browsers block it as mixed content",
        id="ws-beside-https-is-mixed-content",
    ),
    pytest.param(
        {"next_public_centrifugo_url": "wss://centrifugo.example.com/connection"},
        Status.FAIL,
        Problem.CHECKLIST,
        "ws_url_mismatch",
        "1 issue: browser URL wss://centrifugo.example.com/connection does not end "
        "/connection/websocket",
        id="wrong-path-fails",
    ),
    pytest.param(
        {"next_public_centrifugo_url": "https://centrifugo.example.com/connection/websocket"},
        Status.FAIL,
        Problem.CHECKLIST,
        "ws_url_mismatch",
        "1 issue: browser URL https://centrifugo.example.com/connection/websocket is not ws:// "
        "or wss://",
        id="http-scheme-for-websocket-fails",
    ),
    pytest.param(
        {"next_public_centrifugo_url": "wss://rt.example.com/connection/websocket"},
        Status.WARN,
        Problem.CHECKLIST,
        "ws_url_mismatch",
        "1 issue: browser URL host rt.example.com differs from CENTRIFUGO_URL host "
        "centrifugo.example.com",
        id="other-host-warns",
    ),
]


@pytest.mark.parametrize(("overrides", "status", "problem", "cause", "summary"), CASES)
async def test_each_checklist_item(
    overrides: dict[str, Any], status: Status, problem: Problem, cause: str, summary: str
) -> None:
    settings = {"centrifugo_url": PROD, "next_public_centrifugo_url": PROD_WS, **overrides}

    outcome = await run_config(**settings)

    assert (outcome.status, outcome.problem, outcome.cause, outcome.summary) == (
        status,
        problem,
        cause,
        summary,
    )


async def test_an_https_browser_origin_also_makes_ws_mixed_content() -> None:
    outcome = await run_config(
        centrifugo_url="http://localhost:8000", browser_origin="https://app.example.com"
    )

    assert outcome.cause == "mixed_content"
    assert "while BROWSER_ORIGIN is https" in outcome.summary


async def test_the_worst_finding_decides_and_every_finding_is_listed() -> None:
    outcome = await run_config(
        centrifugo_url="http://centrifugo.example.com",
        centrifugo_token_hmac_secret_key=None,
        centrifugo_api_key=None,
        next_public_centrifugo_url="wss://other.example.com/ws",
    )

    assert outcome.status is Status.FAIL
    assert outcome.cause == "missing_setting"
    assert [f["cause"] for f in outcome.details["findings"]] == [
        "missing_setting",
        "missing_setting",
        "insecure_scheme",
        "ws_url_mismatch",
        "ws_url_mismatch",
    ]
    assert (outcome.details["observed"], outcome.details["expected"]) == (5, 0)


async def test_no_secret_or_url_credential_is_shown() -> None:
    outcome = await run_config(
        centrifugo_url="https://user:hunter2@centrifugo.example.com",
        next_public_centrifugo_url="ws://centrifugo.example.com/connection/websocket?token=abc",
    )

    text = f"{outcome.summary} {outcome.details}"
    for secret in ("hunter2", "token=abc", "api-key-value", "hmac-secret-value"):
        assert secret not in text


def test_public_url_strips_userinfo_query_and_fragment() -> None:
    assert public_url("https://u:p@h.example:8443/x?api_key=k#f") == "https://h.example:8443/x"


def test_public_url_of_an_unparsable_url_is_a_safe_stand_in() -> None:
    assert public_url("http://[::1/token?session=s3cret") == INVALID_URL


def test_audit_of_a_localhost_default_target_with_secrets_is_clean() -> None:
    assert audit(Target(**SECRETS)) == []
