"""What the real-time checks share: a connected session within a deadline, and the meaning of
every way a WebSocket session can fail, as an outcome naming the runbook problem and cause.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from checks.app_token import tls_cause
from checks.codes import describe_close, describe_error, reconnects
from checks.connection_token import ConnectionToken, connection_token
from checks.context import CheckContext
from checks.errors import CentrifugoError, NoAnswer, TlsFailure, Unreachable
from checks.model import Outcome, Problem, fail
from checks.protocol import (
    Closed,
    ConnectReply,
    HandshakeFailed,
    HandshakeRejected,
    ReplyError,
    Session,
    open_session,
)

# Share of CHECK_TIMEOUT a real-time check plans to use, so it reports its own failure
# before the runner's generic "no answer within" does.
BUDGET_SHARE = 0.85
ORIGIN_SETTINGS = (
    "allowed_origins (v5, env CENTRIFUGO_ALLOWED_ORIGINS) or client.allowed_origins "
    "(v6, env CENTRIFUGO_CLIENT_ALLOWED_ORIGINS)"
)
CLOSE_CAUSES = {
    3500: "ws_invalid_token",
    3501: "ws_bad_request",
    3502: "ws_stale",
    3012: "ws_no_pong",
    3504: "ws_connection_limit",
    1002: "ws_protocol_error",
    1006: "ws_abnormal",
}


@dataclass(frozen=True)
class Deadline:
    seconds: float
    started: float = field(default_factory=time.perf_counter)

    def left(self) -> float:
        """Seconds left, never zero (a zero timeout would fail before even trying)."""
        return max(0.05, self.seconds - (time.perf_counter() - self.started))


def deadline_for(ctx: CheckContext) -> Deadline:
    return Deadline(ctx.timeout * BUDGET_SHARE)


@asynccontextmanager
async def connected(
    ctx: CheckContext, deadline: Deadline, token: ConnectionToken | None = None
) -> AsyncIterator[tuple[Session, ConnectReply]]:
    """A session at the browser's WebSocket URL after a successful protocol connect."""
    token = token or await connection_token(ctx)
    url = ctx.target.websocket_url
    async with open_session(url, within=deadline.left(), ssl_context=ctx.ssl_context) as session:
        yield session, await session.connect(token.token, within=deadline.left())


def explain(
    exc: CentrifugoError, token: ConnectionToken | None = None, origin: str | None = None
) -> Outcome:
    """The runbook's reading of a failed session."""
    if isinstance(exc, HandshakeRejected):
        return rejected(exc.status, origin)
    if isinstance(exc, HandshakeFailed):
        return fail(f"WebSocket upgrade failed: {exc}", Problem.CONNECTION, "ws_handshake_failed")
    if isinstance(exc, Closed):
        return closed(exc, token)
    if isinstance(exc, ReplyError):
        return connect_refused(exc, token)
    if isinstance(exc, NoAnswer):
        return fail(str(exc), Problem.CONNECTION, "timeout")
    if isinstance(exc, TlsFailure):
        return fail(f"TLS failed: {exc}", Problem.TLS_CORS, tls_cause(exc))
    if isinstance(exc, Unreachable):
        return fail(
            f"cannot reach the WebSocket endpoint: {exc}", Problem.CONNECTION, "unreachable"
        )
    return fail(f"not Centrifugo's protocol: {exc}", Problem.CONNECTION, "ws_protocol_error")


def rejected(status: int, origin: str | None) -> Outcome:
    """An HTTP answer instead of the 101 upgrade."""
    says = f"upgrade refused with HTTP {status}"
    if status == 403 and origin:
        summary = f"{says} for Origin {origin}: add it to {ORIGIN_SETTINGS}"
        return fail(summary, Problem.TLS_CORS, "origin_refused", status=status, origin=origin)
    if status == 503:
        summary = f"{says}: connection limit/rate limit reached, or no upstream behind the proxy"
        return fail(summary, Problem.CONNECTION, "ws_connection_limit", status=status)
    if status in (502, 504):
        summary = f"{says}: the proxy in front (Traefik/LB) cannot reach Centrifugo"
        return fail(summary, Problem.CONNECTION, "proxy_error", status=status)
    reasons = {
        403: "no Origin was sent and Centrifugo refuses only Origins, so a proxy or WAF did",
        404: "nothing serves that path; the URL must end in /connection/websocket",
        400: "the Upgrade/Connection headers did not arrive (stripped by a proxy?)",
        401: "a proxy in front demands authentication",
    }
    summary = f"{says}: {reasons.get(status, 'not a WebSocket endpoint')}"
    return fail(summary, Problem.CONNECTION, "ws_handshake_failed", status=status)


def closed(exc: Closed, token: ConnectionToken | None) -> Outcome:
    says = f"closed {describe_close(exc.code, exc.reason)}"
    cause = CLOSE_CAUSES.get(exc.code, "ws_closed")
    if exc.code == 3500 and token is not None:
        says += f" for {token.label}" + (
            ": the app probably signs with another HMAC secret or algorithm than Centrifugo"
            if token.source == "app"
            else ": Centrifugo's HMAC secret differs from the bot's (v6 reads "
            "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY)"
        )
    if exc.code == 3501 and token is not None and token.source == "none":
        says += ": no token was sent and Centrifugo found no credentials ('client credentials not "
        says += "found'); set APP_TOKEN_URL or CENTRIFUGO_TOKEN_HMAC_SECRET_KEY"
    return fail(
        says,
        Problem.CONNECTION,
        cause,
        close_code=exc.code,
        close_reason=exc.reason,
        browsers_reconnect=reconnects(exc.code),
    )


def connect_refused(exc: ReplyError, token: ConnectionToken | None) -> Outcome:
    """An error reply to the connect command (the connection is unusable afterwards)."""
    label = token.label if token else "the token"
    says = f"connect answered error {describe_error(exc.code, exc.message)}"
    if exc.code in (109, 110):
        return fail(f"{says}: {label} is expired", Problem.TOKEN, "token_expired", code=exc.code)
    if exc.code == 102:
        summary = f"{says}: the token's channels claim names a namespace Centrifugo lacks"
        return fail(summary, Problem.NO_UPDATES, "unknown_channel", code=exc.code)
    return fail(says, Problem.CONNECTION, None, code=exc.code)
