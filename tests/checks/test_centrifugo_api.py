"""The HTTP API client's reading of answers: the envelope in both error modes, and every way a
request can go wrong mapped onto checks.errors (reference §1.3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from checks.centrifugo_api import parse_envelope
from checks.errors import ApiError, HttpStatusError, Unauthorized


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
