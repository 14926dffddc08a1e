"""Centrifugo's numeric codes as data: client error replies, unsubscribe and disconnect codes,
and the standard WebSocket close codes (reference §4), each with a short explanation.

Checks and renderers name a code through `describe_error` / `describe_close` so every message
says what the number means instead of leaving the reader to look it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Code:
    code: int
    message: str  # Centrifugo's own wording (error message or close reason)
    meaning: str  # what it usually means for this deployment
    reconnect: bool | None = None  # for disconnects: does a client SDK reconnect by itself?


def _table(*codes: Code) -> Mapping[int, Code]:
    return MappingProxyType({c.code: c for c in codes})


# §4.1: error replies to a command ({"id":N,"error":{"code","message"}}).
CLIENT_ERRORS = _table(
    Code(100, "internal server error", "server or broker (Redis) failure; temporary"),
    Code(101, "unauthorized", "request unauthorized (usually a proxy's answer)"),
    Code(102, "unknown channel", "the channel's namespace is not configured"),
    Code(103, "permission denied", "no right to subscribe/publish, or a bad subscription token"),
    Code(104, "method not found", "unknown RPC method"),
    Code(105, "already subscribed", "second subscribe to the same channel on one connection"),
    Code(106, "limit exceeded", "too many channels on one connection"),
    Code(107, "bad request", "channel name too long or not ASCII, or malformed fields"),
    Code(108, "not available", "feature off for the namespace (history, presence, RPC)"),
    Code(109, "token expired", "the JWT's exp is past (or nbf in the future)"),
    Code(110, "expired", "the token's expire_at is already past"),
    Code(111, "too many requests", "rate limited; temporary"),
    Code(112, "unrecoverable position", "history cannot serve the requested offset/epoch"),
    Code(113, "concurrent pagination", "a second page request while one is in flight (v6.8+)"),
)

# §4.2: {"push":{"channel":…,"unsubscribe":{"code","reason"}}}.
UNSUBSCRIBES = _table(
    Code(2000, "server unsubscribe", "unsubscribed through the server API"),
    Code(2500, "insufficient state", "message loss detected; resubscribe"),
    Code(2501, "subscription expired", "subscription token expired; resubscribe with a new one"),
    Code(2502, "state invalidated", "drop subscription state and resubscribe (v6.8+)"),
)

# §4.3: Centrifugo disconnects; on WebSocket the close code and reason are these.
DISCONNECTS = _table(
    Code(3000, "connection closed", "client-side or network close", True),
    Code(3001, "shutdown", "the node is shutting down", True),
    Code(3004, "internal server error", "server failure, e.g. broker (Redis) down", True),
    Code(3005, "connection expired", "token expired and was not refreshed in time", True),
    Code(3006, "subscription expired", "subscription token expired, not refreshed", True),
    Code(3008, "slow", "the client could not keep up; queue overflow", True),
    Code(3009, "write error", "writing to the socket failed", True),
    Code(3010, "insufficient state", "message loss in a recoverable stream", True),
    Code(3011, "force reconnect", "the server asked the client to reconnect", True),
    Code(3012, "no pong", "the client did not answer the server's ping in time", True),
    Code(3013, "too many requests", "command flood", True),
    Code(3014, "state invalidated", "drop token/state and reconnect (v6.8+)", True),
    Code(3500, "invalid token", "the connection JWT was rejected: signature, alg or claims", False),
    Code(
        3501, "bad request", "malformed frame, first command not connect, or no credentials", False
    ),
    Code(3502, "stale", "no connect command within the stale delay (10 s)", False),
    Code(3503, "force disconnect", "disconnected through the server API", False),
    Code(3504, "connection limit", "per-user connection limit reached", False),
    Code(3505, "channel limit", "too many server-side subscriptions", False),
    Code(3506, "inappropriate protocol", "a JSON client received binary data", False),
    Code(3507, "permission denied", "e.g. an anonymous token while those are refused", False),
    Code(3508, "not available", "`send` without a message handler", False),
    Code(3509, "too many errors", "the client produced too many errors", False),
)

# §4.4: standard WebSocket close codes (RFC 6455), not Centrifugo's.
WEBSOCKET_CLOSES = _table(
    Code(1000, "normal closure", "a side closed on purpose"),
    Code(1001, "going away", "page unload, or a proxy/server restarting"),
    Code(
        1002,
        "protocol error",
        "a WebSocket framing violation: usually a broken proxy, load balancer or middleware"
        " in between, not authentication",
    ),
    Code(1005, "no status", "closed without a status code"),
    Code(
        1006,
        "abnormal closure",
        "TCP dropped without a close frame: network loss, proxy idle timeout, server killed,"
        " or TLS failure",
    ),
    Code(1009, "message too big", "a frame over the 64 KiB limit"),
    Code(1011, "internal error", "the server hit an unexpected condition"),
    Code(1015, "TLS failure", "the TLS handshake failed"),
)


def describe_error(code: int, message: str = "") -> str:
    """'109 token expired (the JWT's exp is past ...)' for an error reply."""
    known = CLIENT_ERRORS.get(code)
    if known is None:
        kind = "application-defined" if 400 <= code <= 1999 else "unknown"
        return f"{code} {message or kind}".strip()
    return f"{code} {known.message} ({known.meaning})"


def describe_close(code: int, reason: str = "") -> str:
    """'3500 invalid token (...)' for a WebSocket close, whichever table the code is in."""
    known = DISCONNECTS.get(code) or WEBSOCKET_CLOSES.get(code) or UNSUBSCRIBES.get(code)
    if known is not None:
        return f"{code} {known.message} ({known.meaning})"
    if 4000 <= code <= 4999:
        return f"{code} {reason or 'application-defined'} (set by a proxy or the app)"
    return f"{code} {reason or 'unknown'}".strip()


def reconnects(code: int) -> bool:
    """Whether a client SDK reconnects by itself after this close (the library's ranges)."""
    known = DISCONNECTS.get(code)
    if known is not None and known.reconnect is not None:
        return known.reconnect
    return not (3500 <= code <= 3999 or 4500 <= code <= 4999)
