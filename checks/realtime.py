"""What the real-time checks share: a connected session within a deadline, and the meaning of
every way a WebSocket session can fail, as an outcome naming the runbook problem and cause,
worded in the run's language (HTTP answers to the upgrade are read by checks.upgrade_refusal).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from checks.codes import describe_close, describe_error, reconnects
from checks.connection_token import ConnectionToken, connection_token
from checks.context import CheckContext
from checks.errors import CentrifugoError, NoAnswer, TlsFailure, Unreachable
from checks.model import Language, Outcome, Problem, fail, say
from checks.protocol import (
    Closed,
    ConnectReply,
    HandshakeFailed,
    HandshakeRejected,
    ReplyError,
    Session,
    open_session,
)
from checks.tls_causes import tls_cause
from checks.upgrade_refusal import rejected
from checks.ws_transport import worded

# Share of CHECK_TIMEOUT a real-time check plans to use, so it reports its own failure
# before the runner's generic "no answer within" does.
BUDGET_SHARE = 0.85
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
    exc: CentrifugoError,
    token: ConnectionToken | None = None,
    origin: str | None = None,
    lang: Language = "en",
) -> Outcome:
    """The runbook's reading of a failed session, worded in `lang`."""
    if isinstance(exc, HandshakeRejected):
        return rejected(exc.status, origin, lang)
    if isinstance(exc, HandshakeFailed):
        summary = say(
            lang, f"WebSocket upgrade failed: {exc}", f"o upgrade do WebSocket falhou: {exc}"
        )
        return fail(summary, Problem.CONNECTION, "ws_handshake_failed")
    if isinstance(exc, Closed):
        return closed(exc, token, lang)
    if isinstance(exc, ReplyError):
        return connect_refused(exc, token, lang)
    if isinstance(exc, NoAnswer):
        return fail(worded(exc, lang), Problem.CONNECTION, "timeout")
    if isinstance(exc, TlsFailure):
        summary = say(lang, f"TLS failed: {exc}", f"falha de TLS: {exc}")
        return fail(summary, Problem.TLS_CORS, tls_cause(exc))
    if isinstance(exc, Unreachable):
        summary = say(
            lang,
            f"cannot reach the WebSocket endpoint: {exc}",
            f"não foi possível alcançar o endpoint WebSocket: {exc}",
        )
        return fail(summary, Problem.CONNECTION, "unreachable")
    summary = say(
        lang,
        f"not Centrifugo's protocol: {exc}",
        f"não é o protocolo do Centrifugo: {worded(exc, lang)}",
    )
    return fail(summary, Problem.CONNECTION, "ws_protocol_error")


def closed(exc: Closed, token: ConnectionToken | None, lang: Language = "en") -> Outcome:
    says = say(
        lang,
        f"closed {describe_close(exc.code, exc.reason)}",
        f"conexão fechada com {describe_close(exc.code, exc.reason, lang)}",
    )
    cause = CLOSE_CAUSES.get(exc.code, "ws_closed")
    if exc.code == 3500 and token is not None:
        says += say(lang, f" for {token.label(lang)}", f" para {token.label(lang)}")
        says += invalid_token_reading(token, lang)
    if exc.code == 3501 and token is not None and token.source == "none":
        says += say(
            lang,
            ": no token was sent and Centrifugo found no credentials ('client credentials not "
            "found'); set APP_TOKEN_URL or CENTRIFUGO_TOKEN_HMAC_SECRET_KEY",
            ": nenhum token foi enviado e o Centrifugo não achou credenciais ('client "
            "credentials not found'); configure APP_TOKEN_URL ou CENTRIFUGO_TOKEN_HMAC_SECRET_KEY",
        )
    return fail(
        says,
        Problem.CONNECTION,
        cause,
        close_code=exc.code,
        close_reason=exc.reason,
        browsers_reconnect=reconnects(exc.code),
    )


def invalid_token_reading(token: ConnectionToken, lang: Language) -> str:
    """Why Centrifugo refused this token's signature, given where the token came from."""
    if token.source == "app":
        return say(
            lang,
            ": the app probably signs with another HMAC secret or algorithm than Centrifugo",
            ": a aplicação provavelmente assina com um secret HMAC ou algoritmo diferente do "
            "Centrifugo",
        )
    return say(
        lang,
        ": Centrifugo's HMAC secret differs from the bot's (v6 reads "
        "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY)",
        ": o secret HMAC do Centrifugo difere do secret do bot (a v6 lê "
        "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY)",
    )


def connect_refused(
    exc: ReplyError, token: ConnectionToken | None, lang: Language = "en"
) -> Outcome:
    """An error reply to the connect command (the connection is unusable afterwards)."""
    label = token.label(lang) if token else say(lang, "the token", "o token")
    error = describe_error(exc.code, exc.message, lang)
    says = say(lang, f"connect answered error {error}", f"o connect respondeu erro {error}")
    if exc.code in (109, 110):
        expired = say(lang, f"{says}: {label} is expired", f"{says}: {label} expirou")
        return fail(expired, Problem.TOKEN, "token_expired", code=exc.code)
    if exc.code == 102:
        why = say(
            lang,
            "the token's channels claim names a namespace Centrifugo lacks",
            "a claim channels do token cita um namespace que o Centrifugo não tem",
        )
        return fail(f"{says}: {why}", Problem.NO_UPDATES, "unknown_channel", code=exc.code)
    return fail(says, Problem.CONNECTION, None, code=exc.code)
