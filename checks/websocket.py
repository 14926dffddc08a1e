"""Runbook problem 2 (and 4 for the Origin): can a client open the browser's WebSocket URL and
complete Centrifugo's protocol connect, and is the browser's Origin accepted?
"""

from __future__ import annotations

from checks.connection_token import ConnectionToken, bot_token, connection_token
from checks.context import CheckContext
from checks.errors import CentrifugoError
from checks.model import Language, Outcome, Problem, fail, ok, say
from checks.protocol import Closed, ConnectReply, Session, open_session
from checks.realtime import Deadline, connected, deadline_for, explain
from checks.registry import check


@check(
    "websocket.connect",
    "WebSocket connect with a token",
    problem=Problem.CONNECTION,
)
async def connect(ctx: CheckContext) -> Outcome:
    deadline = deadline_for(ctx)
    token = await connection_token(ctx)
    try:
        async with connected(ctx, deadline, token) as (session, reply):
            return connected_outcome(session, reply, token, ctx.lang)
    except CentrifugoError as exc:
        outcome = explain(exc, token, lang=ctx.lang)
        if isinstance(exc, Closed) and exc.code == 3500 and token.source == "app":
            return await cross_check(ctx, deadline, outcome)
        return outcome


def connected_outcome(
    session: Session, reply: ConnectReply, token: ConnectionToken, lang: Language
) -> Outcome:
    if reply.ping:
        pings = say(lang, f"ping every {reply.ping} s", f"ping a cada {reply.ping} s")
    else:
        pings = say(lang, "server pings off", "pings do servidor desligados")
    fallback = f" ({token.fallback_reason})" if token.fallback_reason else ""
    timings = (
        f"upgrade {session.handshake_ms} ms, connect {reply.latency_ms} ms, "
        f"client {reply.client[:8]}…, Centrifugo {reply.version or '?'}, {pings}"
    )
    summary = say(
        lang,
        f"connected with {token.label(lang)}{fallback}: {timings}",
        f"conectado com {token.label(lang)}{fallback}: {timings}",
    )
    return ok(
        summary,
        token_source=token.source,
        handshake_ms=session.handshake_ms,
        connect_ms=reply.latency_ms,
        client=reply.client,
        version=reply.version,
        ping_s=reply.ping,
        pong=reply.pong,
    )


async def cross_check(ctx: CheckContext, deadline: Deadline, refused: Outcome) -> Outcome:
    """The app's token got 3500: does a token signed with the configured secret fare better?

    If it does, the app signs differently (another secret, the classic cause, or algorithm,
    aud/iss, a channel claim); only another 3500 says Centrifugo refuses the bot's token too.
    """
    own = bot_token(ctx.target)
    if own.token is None:
        return refused
    try:
        async with connected(ctx, deadline, own):
            pass
    except Closed as exc:
        if exc.code != 3500:
            return refused
        summary = ctx.say(
            f"{refused.summary}; a token signed with CENTRIFUGO_TOKEN_HMAC_SECRET_KEY is "
            "refused too, so Centrifugo's secret differs from the bot's as well",
            f"{refused.summary}; um token assinado com CENTRIFUGO_TOKEN_HMAC_SECRET_KEY também "
            "é recusado, então o secret do Centrifugo também difere do secret do bot",
        )
        return fail(summary, Problem.CONNECTION, refused.cause, **refused.details)
    except CentrifugoError:
        return refused  # a timeout or another failure proves nothing about the secrets
    summary = ctx.say(
        "the app's token is refused (3500 invalid token) but one the bot signs with "
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY (HS256) is accepted: the app signs differently "
        "(another secret, algorithm, aud/iss or a channel claim)",
        "o token da aplicação é recusado (3500 invalid token), mas um que o bot assina com "
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY (HS256) é aceito: a aplicação assina de outro jeito "
        "(outro secret, algoritmo, aud/iss ou uma claim channel)",
    )
    return fail(summary, Problem.TOKEN, "secret_mismatch", **refused.details)


@check(
    "websocket.origin",
    "Browser Origin accepted",
    requires=("BROWSER_ORIGIN",),
    problem=Problem.TLS_CORS,
)
async def origin(ctx: CheckContext) -> Outcome:
    browser_origin = ctx.target.browser_origin or ""
    url = ctx.target.websocket_url
    try:
        async with open_session(
            url, within=deadline_for(ctx).left(), ssl_context=ctx.ssl_context, origin=browser_origin
        ) as session:
            handshake_ms = session.handshake_ms
    except CentrifugoError as exc:
        return explain(exc, origin=browser_origin, lang=ctx.lang)
    return ok(
        ctx.say(
            f"upgrade with Origin {browser_origin} accepted (101) in {handshake_ms} ms",
            f"upgrade com Origin {browser_origin} aceito (101) em {handshake_ms} ms",
        ),
        origin=browser_origin,
        handshake_ms=handshake_ms,
    )
