"""Channel client commands (subscribe, unsubscribe, publish, presence, history, sub_refresh)
with Centrifugo's check order: request shape (3501), length (107), duplicate (105),
namespace (102), name (107), token or permission (103/109/3500), then the broker (3004)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import streams
from .config import EmulatorConfig, Fault, Namespace
from .jwt_check import ExpiredToken, InvalidToken, verify_subscription_token
from .protocol import (
    CHANNEL_MAX_LENGTH,
    Disconnect,
    already_subscribed,
    bad_request,
    bad_request_error,
    channel_param,
    expiry_fields,
    invalid_token,
    not_available,
    permission_denied,
    require_namespace,
    server_error,
    text_param,
    token_expired,
)

if TYPE_CHECKING:
    from .hub import Connection
    from .session import Session

Params = dict[str, Any]
Reply = dict[str, Any]


async def subscribe(session: Session, params: Params) -> Reply:
    config, conn = session.config, session.connection()
    channel = channel_param(params)
    if len(channel) > CHANNEL_MAX_LENGTH:
        raise bad_request_error()
    if channel in conn.channels:
        raise already_subscribed()
    namespace = require_namespace(config, channel)
    if not channel.isascii():
        raise bad_request_error()
    token = text_param(params, "token")
    if token:
        _check_subscription_token(config, conn, channel, token)
    elif not _may_subscribe(config, namespace, channel, conn.user):
        raise permission_denied()
    if Fault.BROKER_DOWN in config.faults:
        raise server_error()  # "error adding subscription": the broker is unreachable
    result = streams.subscribe_result(session.hub, namespace, channel, params)
    conn.channels.add(channel)
    return {"subscribe": result}


async def unsubscribe(session: Session, params: Params) -> Reply:
    session.connection().channels.discard(channel_param(params))
    return {"unsubscribe": {}}


async def publish(session: Session, params: Params) -> Reply:
    channel = channel_param(params)
    if params.get("data") is None:
        raise bad_request()  # "data required"
    require_namespace(session.config, channel)
    raise permission_denied()  # no namespace here enables allow_publish_for_client


async def presence(session: Session, params: Params) -> Reply:
    channel = _readable(session, params, lambda ns: ns.presence)
    subscribers = session.hub.subscribers(channel)
    info = {c.client_id: {"user": c.user, "client": c.client_id} for c in subscribers}
    return {"presence": {"presence": info}}


async def presence_stats(session: Session, params: Params) -> Reply:
    channel = _readable(session, params, lambda ns: ns.presence)
    subscribers = session.hub.subscribers(channel)
    users = {c.user for c in subscribers}
    return {"presence_stats": {"num_clients": len(subscribers), "num_users": len(users)}}


async def history(session: Session, params: Params) -> Reply:
    channel = _readable(session, params, lambda ns: ns.history_size > 0)
    namespace = require_namespace(session.config, channel)
    return {"history": streams.history_result(session.hub, namespace, channel, params)}


async def sub_refresh(session: Session, params: Params) -> Reply:
    conn = session.connection()
    channel, token = channel_param(params), text_param(params, "token")
    if not token:
        raise bad_request()
    if channel not in conn.channels:
        raise permission_denied()
    try:
        claims = verify_subscription_token(token, session.config.hmac_secret)
    except InvalidToken:
        raise invalid_token() from None
    except ExpiredToken:
        raise Disconnect(3006, "subscription expired") from None
    if claims.channel != channel or claims.user != conn.user:
        raise invalid_token()
    return {"sub_refresh": expiry_fields(claims.expires_at)}


def _check_subscription_token(
    config: EmulatorConfig, conn: Connection, channel: str, token: str
) -> None:
    try:
        claims = verify_subscription_token(token, config.hmac_secret)
    except InvalidToken:
        raise permission_denied() from None  # "invalid subscription token"
    except ExpiredToken:
        raise token_expired() from None
    other_client = claims.client is not None and claims.client != conn.client_id
    if claims.channel != channel or claims.user != conn.user or other_client:
        raise invalid_token()


def _may_subscribe(config: EmulatorConfig, ns: Namespace, channel: str, user: str) -> bool:
    if channel.startswith("$"):
        return False  # private channels need a subscription token, whatever the options
    refused = ns.name == "org" and Fault.ORG_NOT_PERMITTED in config.faults
    allowed = ns.allow_subscribe_for_client and not refused
    return allowed and (user != "" or ns.allow_subscribe_for_anonymous)


def _readable(session: Session, params: Params, enabled: Callable[[Namespace], bool]) -> str:
    """Presence/history: 102 unknown namespace, 108 feature off, 103 when not subscribed."""
    channel = channel_param(params)
    if not enabled(require_namespace(session.config, channel)):
        raise not_available()
    if channel not in session.connection().channels:
        raise permission_denied()
    return channel
