"""The stand-in's Web API endpoint (`/api/<method>`): reads arguments the way Slack accepts them
(query string, form or JSON body), checks the token, applies injected faults, answers from the
workspace and records every call for the test to inspect."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .journal import Journal
from .methods import Answer, ApiError, Args, Workspace

# Methods an app-level (xapp-) token may call; every other method wants the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
BOT_SCOPES = "app_mentions:read,channels:history,chat:write,commands,im:history,reactions:write"
FAULT_ERRORS = {429: "ratelimited", 500: "internal_error"}
Reply = tuple[int, Answer, dict[str, str]]  # HTTP status, JSON body, extra response headers


@dataclass(frozen=True)
class ApiCall:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    timestamp: float  # time.monotonic() on arrival, to measure pacing between calls
    status: int  # the HTTP status the stand-in answered
    error: str | None  # the Slack error code answered, None when the answer was ok


@dataclass
class Fault:
    status: int
    error: str | None
    retry_after: int
    times: int


class WebApi:
    def __init__(self, workspace: Workspace, bot_token: str, app_token: str | None) -> None:
        self.workspace = workspace
        self.bot_token = bot_token
        self.app_token = app_token
        self.journal: Journal[ApiCall] = Journal()
        self.faults: dict[str, list[Fault]] = {}

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with a fault: 429 (with Retry-After) by
        default, any 5xx status, or `ok: false` with `error` (HTTP 200 unless `status` is given).
        """
        resolved = status if status is not None else (200 if error else 429)
        self.faults.setdefault(method, []).append(Fault(resolved, error, retry_after, times))

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: Args = {}
        try:
            args = await _read_args(request)
        except ValueError:
            reply: Reply = (200, {"ok": False, "error": "invalid_json"}, {})
        else:
            reply = self._answer(method, args, request.headers.get("Authorization"))
        status, body, headers = reply
        headers["X-Slack-Req-Id"] = f"stand-in-{len(self.journal.items)}"
        error = str(body["error"]) if "error" in body else None
        self.journal.add(
            ApiCall(method, args, dict(request.headers), time.monotonic(), status, error)
        )
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, method: str, args: Args, authorization: str | None) -> Reply:
        if (fault := self._take_fault(method)) is not None:
            return _fault_answer(fault)
        try:
            token = self._authorize(method, _token(authorization, args))
            handler = self.workspace.methods.get(method)
            if handler is None:
                raise ApiError("unknown_method", req_method=method)
            headers = {"X-OAuth-Scopes": BOT_SCOPES} if token == self.bot_token else {}
            return 200, handler(args), headers
        except ApiError as e:
            return 200, {"ok": False, "error": e.error, **e.extra}, {}

    def _take_fault(self, method: str) -> Fault | None:
        queue = self.faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    def _authorize(self, method: str, token: str | None) -> str:
        if not token:
            raise ApiError("not_authed")
        if token not in (self.bot_token, self.app_token):
            raise ApiError("invalid_auth")
        if (token == self.app_token) != (method in APP_TOKEN_METHODS):
            raise ApiError("not_allowed_token_type")
        return token


def _token(authorization: str | None, args: Args) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ").strip()
    # Slack also takes the token as a form or query argument.
    token = args.get("token")
    return str(token) if token else None


async def _read_args(request: web.Request) -> Args:
    args: Args = dict(request.query)
    if request.content_type == "application/json" and request.can_read_body:
        body = await request.json()  # json.JSONDecodeError is a ValueError
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        args.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        args.update({k: v if isinstance(v, str) else f"<file {k}>" for k, v in form.items()})
    return args


def _fault_answer(fault: Fault) -> Reply:
    error = fault.error or FAULT_ERRORS.get(fault.status, "service_unavailable")
    headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
    return fault.status, {"ok": False, "error": error}, headers
