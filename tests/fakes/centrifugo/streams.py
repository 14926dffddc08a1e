"""Stream positions, recovery and history for namespaces with history (reference §3.3, §3.4),
read from the hub: a channel's n-th accepted publication has offset n, and the last
`history_size` of them are retained."""

from __future__ import annotations

import uuid
from typing import Any

from .config import Namespace
from .hub import Hub
from .protocol import ReplyError, bad_request


def subscribe_result(
    hub: Hub, ns: Namespace, channel: str, params: dict[str, Any]
) -> dict[str, Any]:
    """Subscribe reply body; stream fields only when history exists and the client asks."""
    recoverable = bool(params.get("recoverable"))
    if ns.history_size <= 0 or not (recoverable or params.get("positioned")):
        return {}
    result = {**_position(hub, channel), "positioned": True}
    if recoverable:
        result["recoverable"] = True
    if recoverable and params.get("recover"):
        missed, recovered = _recover(hub, ns, channel, params)
        result.update(was_recovering=True, recovered=recovered)
        if missed:
            result["publications"] = missed
    return result


def history_result(hub: Hub, ns: Namespace, channel: str, params: dict[str, Any]) -> dict[str, Any]:
    limit = _int(params, "limit")
    reverse = bool(params.get("reverse"))
    pubs = retained(hub, ns, channel)
    since = params.get("since")
    if since is not None:
        offset, epoch = _since(since)
        if epoch != _epoch(hub, channel):
            raise ReplyError(112, "unrecoverable position")
        pubs = [p for p in pubs if (p["offset"] < offset if reverse else p["offset"] > offset)]
    if reverse:
        pubs.reverse()
    pubs = pubs[:limit] if limit >= 0 else pubs  # 0 = position only, -1 = everything
    result = _position(hub, channel)
    if pubs:
        result["publications"] = pubs
    return result


def retained(hub: Hub, ns: Namespace, channel: str) -> list[dict[str, Any]]:
    datas = [data for published_channel, data in hub.published if published_channel == channel]
    pubs = [{"data": data, "offset": offset} for offset, data in enumerate(datas, 1)]
    return pubs[-ns.history_size :] if ns.history_size > 0 else []


def _recover(
    hub: Hub, ns: Namespace, channel: str, params: dict[str, Any]
) -> tuple[list[dict[str, Any]], bool]:
    since_offset, since_epoch = _since(params)
    if since_epoch != _epoch(hub, channel):
        return [], False
    kept = retained(hub, ns, channel)
    missed = [p for p in kept if p["offset"] > since_offset]
    top = hub.offsets.get(channel, 0)
    # Recovered only if nothing the client missed has already fallen out of history.
    return missed, since_offset >= top - len(kept)


def _position(hub: Hub, channel: str) -> dict[str, Any]:
    top = hub.offsets.get(channel, 0)
    position: dict[str, Any] = {"epoch": _epoch(hub, channel)}
    if top:
        position["offset"] = top  # zero values are omitted on the wire
    return position


def _epoch(hub: Hub, channel: str) -> str:
    # Same shape as the hub's own epochs, created on first need like Centrifugo's streams.
    return hub.epochs.setdefault(channel, uuid.uuid4().hex[:8])


def _since(value: object) -> tuple[int, str]:
    if not isinstance(value, dict):
        raise bad_request()
    epoch = value.get("epoch", "")
    if not isinstance(epoch, str):
        raise bad_request()
    return _int(value, "offset"), epoch


def _int(params: dict[str, Any], key: str) -> int:
    value = params.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request()
    return value
