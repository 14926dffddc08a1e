"""A stand-in for the product's backend token endpoint (SPEC: `GET /api/v1/centrifugo/token`
→ `{"token": "eyJ..."}`), with the failure modes the token checks must explain, switchable
while it runs: `app.mode = "expired"`."""

from __future__ import annotations

import asyncio
import contextlib
import time
from enum import StrEnum
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.fakes.centrifugo.jwt_check import mint_token

TOKEN_PATH = "/api/v1/centrifugo/token"
LOGIN_PATH = "/login"
OTHER_SECRET = "not-the-secret-centrifugo-knows"


class Mode(StrEnum):
    OK = "ok"  # 200 {"token": JWT(sub "42", exp in an hour)}
    UNAUTHORIZED = "unauthorized"  # 401 JSON error
    FORBIDDEN = "forbidden"  # 403 JSON error
    OTHER_SECRET = "other_secret"  # a good-looking token signed with another secret
    EXPIRED = "expired"  # exp a minute ago
    EXPIRING = "expiring"  # exp in 30 s
    LOGIN_REDIRECT = "login_redirect"  # 302 to an HTML login page (a lost session)
    HTML = "html"  # 200 text/html (an SPA fallback route answering instead of the API)
    NON_JSON = "non_json"  # 200 text/plain garbage
    MISSING_FIELD = "missing_field"  # 200 JSON without "token"
    SLOW = "slow"  # answers only after slow_seconds (or never, within a test's patience)


class FakeApp:
    """`async with FakeApp(secret) as app:` then GET `app.url`. With `credential`, requests
    must carry `Authorization: Bearer <credential>` or cookie `session=<credential>`."""

    def __init__(
        self,
        secret: str,
        *,
        credential: str | None = None,
        mode: Mode | str = Mode.OK,
        user: str = "42",
        slow_seconds: float = 60.0,
    ) -> None:
        self.secret = secret
        self.credential = credential
        self.mode: Mode | str = mode
        self.user = user
        self.slow_seconds = slow_seconds
        self.requests = 0
        self.port = 0
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + TOKEN_PATH

    async def __aenter__(self) -> FakeApp:
        app = web.Application()
        app.router.add_get(TOKEN_PATH, self._token)
        app.router.add_get(LOGIN_PATH, _login_page)
        runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.2)
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stopping.set()  # a SLOW request still waiting ends now
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _token(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        if not self._authenticated(request):
            return _json_error(401, "unauthorized")
        mode = Mode(self.mode)
        if mode is Mode.SLOW:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.slow_seconds)
        return self._answer(mode)

    def _authenticated(self, request: web.Request) -> bool:
        if self.credential is None:
            return True
        bearer = request.headers.get("Authorization") == f"Bearer {self.credential}"
        return bearer or request.cookies.get("session") == self.credential

    def _answer(self, mode: Mode) -> web.StreamResponse:
        now = int(time.time())
        match mode:
            case Mode.UNAUTHORIZED:
                return _json_error(401, "unauthorized")
            case Mode.FORBIDDEN:
                return _json_error(403, "forbidden")
            case Mode.OTHER_SECRET:
                return self._token_reply(OTHER_SECRET, now + 3600)
            case Mode.EXPIRED:
                return self._token_reply(self.secret, now - 60)
            case Mode.EXPIRING:
                return self._token_reply(self.secret, now + 30)
            case Mode.LOGIN_REDIRECT:
                raise web.HTTPFound(LOGIN_PATH)
            case Mode.HTML:
                return web.Response(
                    text=_page("Dashboard", "<div id=app></div>"), content_type="text/html"
                )
            case Mode.NON_JSON:
                return web.Response(text="upstream error: <nil> (code=0)\n")
            case Mode.MISSING_FIELD:
                return web.json_response({"error": "no org"})
        return self._token_reply(self.secret, now + 3600)

    def _token_reply(self, secret: str, exp: int) -> web.Response:
        claims: dict[str, Any] = {"sub": self.user, "exp": exp, "iat": int(time.time())}
        return web.json_response({"token": mint_token(claims, secret)})


async def _login_page(request: web.Request) -> web.Response:
    form = (
        '<form method="post" action="/login"><input name="email">'
        '<input name="password" type="password"></form>'
    )
    return web.Response(text=_page("Sign in", form), content_type="text/html")


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _page(title: str, body: str) -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
