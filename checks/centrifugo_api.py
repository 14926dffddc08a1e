"""A small client for Centrifugo's server HTTP API (`POST /api/<method>`, JSON body, X-API-Key).

It maps every way a call can go wrong onto `checks.errors`, so checks reason about
Centrifugo's answers, not about httpx.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from checks.errors import (
    ApiError,
    HttpStatusError,
    NoAnswer,
    TlsFailure,
    Unauthorized,
    UnexpectedBody,
    Unreachable,
)

# HTTP status per command error code in transport error mode (since v5.1.0).
TRANSPORT_STATUS = {100: 500, 102: 404, 104: 404, 107: 400, 108: 400, 112: 416, 113: 409}


class CentrifugoApi:
    def __init__(self, http: httpx.AsyncClient, base_url: str, api_key: SecretStr | None) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key

    async def call(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """POST one API command and return its `result` object."""
        headers = {}
        if self._api_key is not None:
            headers["X-API-Key"] = self._api_key.get_secret_value()
        response = await send(
            self._http,
            "POST",
            f"{self._base_url}/api/{method}",
            json=dict(params or {}),
            headers=headers,
        )
        return parse_envelope(response)

    async def info(self) -> dict[str, Any]:
        return await self.call("info")

    async def publish(self, channel: str, data: Any) -> dict[str, Any]:
        return await self.call("publish", {"channel": channel, "data": data})

    async def channels(self, pattern: str | None = None) -> dict[str, int]:
        """Active channels (at least one subscriber) and their subscriber counts."""
        result = await self.call("channels", {"pattern": pattern} if pattern else {})
        channels = result.get("channels", {})
        if not isinstance(channels, dict):
            raise UnexpectedBody("channels result has no channels map")
        return {name: int(info.get("num_clients", 0)) for name, info in channels.items()}


async def send(http: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One HTTP request; every way it can fail is mapped onto `checks.errors`."""
    try:
        return await http.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise NoAnswer(f"no answer from {url}") from exc
    except httpx.ConnectError as exc:
        if (
            isinstance(exc.__context__, ssl.SSLError)
            or "SSL" in str(exc)
            or "certificate" in str(exc)
        ):
            raise TlsFailure(str(exc)) from exc
        raise Unreachable(str(exc) or f"cannot connect to {url}") from exc
    except httpx.TransportError as exc:
        raise Unreachable(str(exc) or type(exc).__name__) from exc
    except httpx.DecodingError as exc:
        raise UnexpectedBody(f"undecodable body: {exc}") from exc
    # A malformed URL fails before any connection: httpx's InvalidURL, a ValueError, or (port
    # 99999) an ExceptionGroup holding the socket layer's OverflowError.
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, ExceptionGroup) as exc:
        raise Unreachable(f"cannot send the request: {short_reason(exc)}") from exc


def short_reason(exc: BaseException) -> str:
    """The innermost message of an error (the first one of a group), for a summary."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return (str(exc) or type(exc).__name__)[:120]


def parse_envelope(response: httpx.Response) -> dict[str, Any]:
    if response.status_code == 401:
        raise Unauthorized(401, response.text)
    if response.status_code != 200:
        raise transport_mode_error(response) or HttpStatusError(response.status_code, response.text)
    try:
        body = response.json()
    except ValueError as exc:
        raise UnexpectedBody(f"not JSON ({response.headers.get('content-type', '?')})") from exc
    if not isinstance(body, dict):
        raise UnexpectedBody("JSON body is not an object")
    if "error" in body:
        error = body["error"] or {}
        raise ApiError(int(error.get("code", 0)), str(error.get("message", "")))
    result = body.get("result")
    if not isinstance(result, dict):
        raise UnexpectedBody("no result object in the answer")
    return result


def transport_mode_error(response: httpx.Response) -> ApiError | None:
    """The command error in a transport-error-mode answer (reference §1.3): a bare
    `{"code", "message"}` under the status Centrifugo maps that code to; None for anything else,
    so a foreign server's JSON error page is not taken for Centrifugo's."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    code, message = body.get("code"), body.get("message")
    if not isinstance(code, int) or isinstance(code, bool) or not isinstance(message, str):
        return None
    if TRANSPORT_STATUS.get(code, 500) != response.status_code:
        return None
    return ApiError(code, message)
