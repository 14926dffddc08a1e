"""The HTTP API client's reading of answers: the envelope in both error modes, and every way a
request can go wrong mapped onto checks.errors (reference §1.3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from checks.app_token import AppToken, fetch_app_token
from checks.centrifugo_api import parse_envelope, send
from checks.errors import ApiError, HttpStatusError, Unauthorized, UnexpectedBody, Unreachable
from checks.model import Problem, Status
from checks.target import Target


def answer(status: int, body: Any = None, text: str | None = None) -> httpx.Response:
    if text is not None:
        return httpx.Response(status, text=text)
    return httpx.Response(status, json=body)


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (500, 100, "internal server error"),
        (404, 102, "unknown channel"),
        (404, 104, "not found"),
        (400, 107, "bad request"),
        (400, 108, "not available"),
        (416, 112, "unrecoverable position"),
        (409, 113, "conflict"),
        (500, 101, "unauthorized"),
    ],
    ids=["100", "102", "104", "107", "108", "112", "113", "other-500"],
)
def test_transport_error_mode_is_read_as_the_command_error(
    status: int, code: int, message: str
) -> None:
    with pytest.raises(ApiError) as raised:
        parse_envelope(answer(status, {"code": code, "message": message}))

    assert (raised.value.code, raised.value.message) == (code, message)


def test_default_error_mode_is_still_read() -> None:
    with pytest.raises(ApiError) as raised:
        parse_envelope(answer(200, {"error": {"code": 100, "message": "internal server error"}}))

    assert raised.value.code == 100


@pytest.mark.parametrize(
    ("status", "body", "text"),
    [
        (404, {"code": 404, "message": "Not Found"}, None),
        (502, {"code": 502, "message": "Bad Gateway"}, None),
        (500, {"code": "100", "message": "internal server error"}, None),
        (500, {"code": True, "message": "x"}, None),
        (500, {"code": 100}, None),
        (404, [{"code": 102, "message": "unknown channel"}], None),
        (404, None, "404 page not found\n"),
    ],
    ids=[
        "foreign-404",
        "proxy-502",
        "code-not-int",
        "code-bool",
        "no-message",
        "not-an-object",
        "go-404-text",
    ],
)
def test_other_non_200_answers_stay_http_status_errors(
    status: int, body: Any, text: str | None
) -> None:
    with pytest.raises(HttpStatusError) as raised:
        parse_envelope(answer(status, body, text))

    assert type(raised.value) is HttpStatusError
    assert raised.value.status == status


def test_401_is_unauthorized_even_with_a_json_body() -> None:
    with pytest.raises(Unauthorized):
        parse_envelope(answer(401, {"code": 101, "message": "unauthorized"}))


# -- send(): every failure mapped onto checks.errors ------------------------------------------


def broken_gzip(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip at all")


def redirect_loop(request: httpx.Request) -> httpx.Response:
    return httpx.Response(302, headers={"Location": str(request.url)})


async def test_an_undecodable_body_is_an_unexpected_body() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(broken_gzip)) as http:
        with pytest.raises(UnexpectedBody, match="undecodable body"):
            await send(http, "POST", "http://centrifugo.test/api/info")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1/api/info", "Invalid port"),
        ("http://cent\x00rifugo/api/info", "non-printable"),
        ("http://127.0.0.1:99999/api/info", "port must be 0-65535"),
    ],
    ids=["invalid-url", "control-character", "port-out-of-range"],
)
async def test_a_malformed_url_is_unreachable_with_a_short_reason(url: str, reason: str) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        with pytest.raises(Unreachable, match=reason) as raised:
            await send(http, "POST", url)

    assert str(raised.value).startswith("cannot send the request: ")


async def test_other_httpx_errors_are_unreachable() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(redirect_loop)) as http:
        with pytest.raises(Unreachable, match="redirects"):
            await send(http, "GET", "http://centrifugo.test/", follow_redirects=True)


# -- the app's token fetch never raises --------------------------------------------------------


async def fetch(url: str, handler: Any = None) -> AppToken:
    transport = httpx.MockTransport(handler) if handler is not None else None
    async with httpx.AsyncClient(transport=transport, timeout=2) as http:
        return await fetch_app_token(Target(app_token_url=url), http, 2.0, "en")


@pytest.mark.parametrize(
    ("url", "handler", "cause", "summary"),
    [
        (
            "http://127.0.0.1:99999/token",
            None,
            "token_unreachable",
            "cannot reach 127.0.0.1: cannot send the request: connect(): port must be 0-65535.",
        ),
        (
            "http://[::1/token?session=s3cret",
            None,
            "token_unreachable",
            "cannot reach APP_TOKEN_URL: cannot send the request: Invalid port: ':1'",
        ),
        (
            "http://app.test/token",
            broken_gzip,
            "token_not_json",
            "the answer from app.test could not be read: undecodable body: ",
        ),
        (
            "http://app.test/token",
            lambda request: httpx.Response(302, headers={"Location": "http://[bad/login"}),
            "token_login_redirect",
            "HTTP 302 redirect to ?: a login page instead of a token",
        ),
    ],
    ids=["port-out-of-range", "invalid-url", "undecodable-body", "unparsable-location"],
)
async def test_the_token_fetch_never_raises(
    url: str, handler: Any, cause: str, summary: str
) -> None:
    fetched = await fetch(url, handler)

    assert fetched.token is None
    assert (fetched.outcome.status, fetched.outcome.problem, fetched.outcome.cause) == (
        Status.FAIL,
        Problem.TOKEN,
        cause,
    )
    assert fetched.outcome.summary.startswith(summary)
    assert "s3cret" not in fetched.outcome.summary
