"""Connection-level client commands (connect, refresh, rpc) and the method table; channel
commands live in `channel_commands.py`. A handler returns the reply body
(`{"connect": {...}}`) or raises `ReplyError` / `Disconnect`, which `session.py` writes."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from . import channel_commands as channels
from .config import EmulatorConfig, Fault
from .jwt_check import ConnectionClaims, ExpiredToken, InvalidToken, verify_connection_token
from .protocol import (
    bad_request,
    connection_expired,
    credentials_expired,
    expiry_fields,
    invalid_token,
    namespace_of,
    not_available,
    shutdown,
    text_param,
    token_expired,
    unknown_channel,
)

if TYPE_CHECKING:
    from .session import Session

Params = dict[str, Any]
Reply = dict[str, Any]


async def handle(session: Session, method: str, params: Params) -> Reply:
    handler = _HANDLERS.get(method)
    if handler is None:  # "send" is the session's business; nothing else is missing
        raise bad_request()
    return await handler(session, params)


async def connect(session: Session, params: Params) -> Reply:
    config = session.config
    if session.conn is not None:
        raise bad_request()  # a second connect
    if Fault.SLOW in config.faults:
        await session.pause(config.slow_seconds)
        if session.stopping.is_set():
            raise shutdown()
    claims = _connection_claims(config, text_param(params, "token"))
    if claims.expires_at is not None and claims.expires_at <= time.time():
        raise credentials_expired()  # expire_at is past while exp is fine
    server_subs = list(claims.subs) or list(claims.channels)  # `subs` wins over `channels`
    if any(namespace_of(config, channel) is None for channel in server_subs):
        raise unknown_channel()
    conn = session.hub.add(claims.user, session.deliver)
    conn.channels.update(server_subs)
    session.connected(conn)
    result: dict[str, Any] = {"client": conn.client_id, "version": config.version}
    result.update(expiry_fields(claims.expires_at))
    if server_subs:
        result["subs"] = {channel: {} for channel in server_subs}
    if config.ping_interval > 0:
        result.update(_ping_fields(config.ping_interval))
    return {"connect": result}


async def refresh(session: Session, params: Params) -> Reply:
    conn = session.connection()
    token = text_param(params, "token")
    if not token:
        raise bad_request()  # "client token required to refresh"
    try:
        claims = _verify(session.config, token)
    except ExpiredToken:
        raise connection_expired() from None
    if claims.user != conn.user:
        raise invalid_token()
    result = {"client": conn.client_id, "version": session.config.version}
    return {"refresh": {**result, **expiry_fields(claims.expires_at)}}


async def rpc(session: Session, params: Params) -> Reply:
    raise not_available()  # no RPC proxy and no ping extension configured


def _connection_claims(config: EmulatorConfig, token: str) -> ConnectionClaims:
    if not token:
        if config.allow_anonymous_connect_without_token:
            return ConnectionClaims(user="", expires_at=None)
        raise bad_request()  # "client credentials not found"
    try:
        return _verify(config, token)
    except ExpiredToken:
        raise token_expired() from None  # the signature was fine: an error reply, no close


def _verify(config: EmulatorConfig, token: str) -> ConnectionClaims:
    if Fault.REJECT_TOKENS in config.faults:
        raise invalid_token()
    try:
        return verify_connection_token(token, config.hmac_secret)
    except InvalidToken:
        raise invalid_token() from None


def _ping_fields(interval: float) -> dict[str, Any]:
    # Centrifugo speaks whole seconds; a sub-second test interval goes out as "ping" omitted
    # (the client then watches no ping deadline) while pongs are still required.
    seconds = int(interval)
    return {"ping": seconds, "pong": True} if seconds else {"pong": True}


_HANDLERS: dict[str, Callable[[Session, Params], Awaitable[Reply]]] = {
    "connect": connect,
    "refresh": refresh,
    "rpc": rpc,
    "subscribe": channels.subscribe,
    "unsubscribe": channels.unsubscribe,
    "publish": channels.publish,
    "presence": channels.presence,
    "presence_stats": channels.presence_stats,
    "history": channels.history,
    "sub_refresh": channels.sub_refresh,
}
