"""Wire vocabulary of Centrifugo's JSON client protocol v2 (reference §3, §4, §6): the error
replies and disconnect closes a command can end in, newline-separated framing, and how a
channel name maps to its namespace options."""

from __future__ import annotations

import json
import time
from typing import Any

from .config import EmulatorConfig, Fault, Namespace


class ReplyError(Exception):
    """A command answered with `{"id":N,"error":{...}}`; the connection stays usable."""

    def __init__(self, code: int, message: str, *, temporary: bool = False) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.temporary = temporary

    def as_reply(self, command_id: int) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.temporary:
            error["temporary"] = True
        return {"id": command_id, "error": error}


class Disconnect(Exception):
    """The server closes the WebSocket with this code and reason (never a disconnect push)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason


def internal_error() -> ReplyError:
    return ReplyError(100, "internal server error", temporary=True)


def unknown_channel() -> ReplyError:
    return ReplyError(102, "unknown channel")


def permission_denied() -> ReplyError:
    return ReplyError(103, "permission denied")


def already_subscribed() -> ReplyError:
    return ReplyError(105, "already subscribed")


def bad_request_error() -> ReplyError:
    return ReplyError(107, "bad request")


def not_available() -> ReplyError:
    return ReplyError(108, "not available")


def token_expired() -> ReplyError:
    return ReplyError(109, "token expired")


def credentials_expired() -> ReplyError:
    return ReplyError(110, "expired")


def shutdown() -> Disconnect:
    return Disconnect(3001, "shutdown")


def server_error() -> Disconnect:
    return Disconnect(3004, "internal server error")


def connection_expired() -> Disconnect:
    return Disconnect(3005, "connection expired")


def no_pong() -> Disconnect:
    return Disconnect(3012, "no pong")


def invalid_token() -> Disconnect:
    return Disconnect(3500, "invalid token")


def bad_request() -> Disconnect:
    return Disconnect(3501, "bad request")


def stale() -> Disconnect:
    return Disconnect(3502, "stale")


def send_not_available() -> Disconnect:
    return Disconnect(3508, "not available")


METHODS = (
    "connect",
    "subscribe",
    "unsubscribe",
    "publish",
    "presence",
    "presence_stats",
    "history",
    "rpc",
    "send",
    "refresh",
    "sub_refresh",
)


def decode_frame(data: str) -> list[dict[str, Any]]:
    """Split one WebSocket frame into commands; anything malformed is a 3501 close."""
    if data.endswith("\n"):
        data = data[:-1]
    if not data:
        raise bad_request()  # "empty request received"
    return [_decode_command(line) for line in data.split("\n")]


def _decode_command(line: str) -> dict[str, Any]:
    try:
        command = json.loads(line)
    except ValueError:
        raise bad_request() from None
    if not isinstance(command, dict):
        raise bad_request()
    command_id = command.get("id", 0)
    if isinstance(command_id, bool) or not isinstance(command_id, int) or command_id < 0:
        raise bad_request()  # Go's decoder rejects a non-uint32 id
    for method in METHODS:
        if command.get(method) is not None and not isinstance(command[method], dict):
            raise bad_request()
    return command


def method_of(command: dict[str, Any]) -> str | None:
    """The command's method; unknown keys (`type`, `method`, `params`) are ignored."""
    return next((m for m in METHODS if command.get(m) is not None), None)


def encode_frame(messages: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(m, separators=(",", ":")) for m in messages)


def namespace_of(config: EmulatorConfig, channel: str) -> Namespace | None:
    """Options for a channel: text before the first ':' after a leading '$', or top level."""
    name = channel.removeprefix("$")
    if ":" not in name:
        return config.top_level
    prefix = name.split(":", 1)[0]
    if prefix == "org" and Fault.NO_ORG_NAMESPACE in config.faults:
        return None
    return config.namespaces.get(prefix)


def require_namespace(config: EmulatorConfig, channel: str) -> Namespace:
    namespace = namespace_of(config, channel)
    if namespace is None:
        raise unknown_channel()
    return namespace


CHANNEL_MAX_LENGTH = 255


def text_param(params: dict[str, Any], key: str) -> str:
    value = params.get(key, "")
    if not isinstance(value, str):
        raise bad_request()  # Go's decoder rejects a wrongly typed field
    return value


def channel_param(params: dict[str, Any]) -> str:
    channel = text_param(params, "channel")
    if not channel:
        raise bad_request()  # "channel required"
    return channel


def expiry_fields(expires_at: int | None) -> dict[str, Any]:
    """`expires`/`ttl` of connect, refresh and sub_refresh results (omitted when none)."""
    if expires_at is None:
        return {}
    return {"expires": True, "ttl": max(int(expires_at - time.time()), 1)}
