"""Decoding API request bodies the way Centrifugo's typed decoder fails: a body that is empty,
not JSON, not an object, or has a known field of the wrong type is rejected (HTTP 400), while
unknown fields and `null` values are ignored, as Go's encoding/json does."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _is_position(value: Any) -> bool:
    return isinstance(value, dict) and params_valid(value)


def _is_commands(value: Any) -> bool:
    return isinstance(value, list) and all(_is_command(c) for c in value)


def _is_command(value: Any) -> bool:
    """A batch entry: exactly one `{"method": {params}}` pair."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (params,) = value.values()
    return isinstance(params, dict) and params_valid(params)


FIELD_CHECKS: dict[str, Check] = {
    **dict.fromkeys(
        ["channel", "pattern", "user", "client", "session", "b64data", "epoch", "method"],
        _is_str,
    ),
    **dict.fromkeys(["idempotency_key", "b64info", "version_epoch"], _is_str),
    **dict.fromkeys(["limit", "offset", "expire_at", "version"], _is_int),
    **dict.fromkeys(["skip_history", "reverse", "parallel", "expired", "delta"], _is_bool),
    "channels": _is_str_list,
    "whitelist": _is_str_list,
    "tags": _is_str_map,
    "since": _is_position,
    "recover_since": _is_position,
    "commands": _is_commands,
}


def params_valid(params: dict[str, Any]) -> bool:
    return all(
        value is None or FIELD_CHECKS.get(name, _anything)(value) for name, value in params.items()
    )


def _anything(_value: Any) -> bool:
    return True


def decode_object(body: bytes) -> dict[str, Any] | None:
    """The JSON object in `body`, or None when Centrifugo would answer 400."""
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def decode_params(body: bytes) -> dict[str, Any] | None:
    """A method's request object from `body`, or None for a 400."""
    params = decode_object(body)
    return params if params is not None and params_valid(params) else None
