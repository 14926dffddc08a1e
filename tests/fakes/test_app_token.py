"""The fake app backend's token endpoint answers each mode the way a real backend would fail."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from tests.fakes.app_token import OTHER_SECRET, FakeApp, Mode
from tests.fakes.centrifugo.jwt_check import (
    ExpiredToken,
    InvalidToken,
    verify_connection_token,
)

SECRET = "app-and-centrifugo-share-this"


@pytest.fixture
async def app() -> AsyncIterator[FakeApp]:
    async with FakeApp(SECRET) as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=2.0) as client:
        yield client


async def test_ok_gives_a_token_centrifugo_accepts(app: FakeApp, http: httpx.AsyncClient) -> None:
    response = await http.get(app.url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    claims = verify_connection_token(response.json()["token"], SECRET)
    assert claims.user == "42"
    assert claims.expires_at is not None
    assert 3500 < claims.expires_at - time.time() <= 3600
    assert app.requests == 1


@pytest.mark.parametrize(
    ("mode", "status", "body"),
    [
        (Mode.UNAUTHORIZED, 401, {"error": "unauthorized"}),
        (Mode.FORBIDDEN, 403, {"error": "forbidden"}),
        (Mode.MISSING_FIELD, 200, {"error": "no org"}),
    ],
    ids=["unauthorized", "forbidden", "missing_field"],
)
async def test_json_failures(
    app: FakeApp, http: httpx.AsyncClient, mode: Mode, status: int, body: object
) -> None:
    app.mode = mode
    response = await http.get(app.url)
    assert (response.status_code, response.json()) == (status, body)


async def test_other_secret_token_fails_signature(app: FakeApp, http: httpx.AsyncClient) -> None:
    app.mode = "other_secret"  # plain strings work too, as a test would flip it
    token = (await http.get(app.url)).json()["token"]
    with pytest.raises(InvalidToken):
        verify_connection_token(token, SECRET)
    assert verify_connection_token(token, OTHER_SECRET).user == "42"


async def test_expired_and_expiring(app: FakeApp, http: httpx.AsyncClient) -> None:
    app.mode = Mode.EXPIRED
    with pytest.raises(ExpiredToken):
        verify_connection_token((await http.get(app.url)).json()["token"], SECRET)
    app.mode = Mode.EXPIRING
    claims = verify_connection_token((await http.get(app.url)).json()["token"], SECRET)
    assert claims.expires_at is not None
    assert 0 < claims.expires_at - time.time() <= 30


async def test_login_redirect_leads_to_html(app: FakeApp, http: httpx.AsyncClient) -> None:
    app.mode = Mode.LOGIN_REDIRECT
    response = await http.get(app.url)
    assert response.status_code == 302
    assert response.headers["location"] == "/login"
    followed = await http.get(app.url, follow_redirects=True)
    assert followed.status_code == 200
    assert followed.headers["content-type"].startswith("text/html")
    assert "<form" in followed.text


@pytest.mark.parametrize(
    ("mode", "content_type"),
    [(Mode.HTML, "text/html"), (Mode.NON_JSON, "text/plain")],
    ids=["html", "non_json"],
)
async def test_non_json_answers(
    app: FakeApp, http: httpx.AsyncClient, mode: Mode, content_type: str
) -> None:
    app.mode = mode
    response = await http.get(app.url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    with pytest.raises(ValueError):
        response.json()


async def test_slow_times_out_the_caller_and_shuts_down_promptly(http: httpx.AsyncClient) -> None:
    started = time.monotonic()
    async with FakeApp(SECRET, mode=Mode.SLOW) as app:
        with pytest.raises(httpx.ReadTimeout):
            await http.get(app.url, timeout=0.3)
        # Another caller still waiting when the app stops gets an answer, not a hang.
        waiting = asyncio.create_task(http.get(app.url))
        await asyncio.sleep(0.1)
    response = await waiting
    assert response.status_code == 200
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": "Bearer s3ss10n"}, 200),
        ({"Cookie": "theme=dark; session=s3ss10n"}, 200),
        ({"Cookie": "session=other"}, 401),
    ],
    ids=["none", "wrong_bearer", "bearer", "cookie", "wrong_cookie"],
)
async def test_credential_required_when_configured(
    http: httpx.AsyncClient, headers: dict[str, str], status: int
) -> None:
    async with FakeApp(SECRET, credential="s3ss10n") as app:
        response = await http.get(app.url, headers=headers)
    assert response.status_code == status
    assert app.requests == 1


async def test_unknown_algorithm_is_not_offered(app: FakeApp, http: httpx.AsyncClient) -> None:
    token = (await http.get(app.url)).json()["token"]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
