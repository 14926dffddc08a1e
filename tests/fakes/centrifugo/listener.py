"""A hub subscriber without a WebSocket: lets API tests give channels subscribers (for
`channels`, `presence`, `info` counts) and see what publications would be delivered."""

from __future__ import annotations

from typing import Any

from .hub import Hub


def listen(hub: Hub, user: str, *channels: str) -> list[tuple[str, Any]]:
    """Register one connection of `user` on `channels`; returns the (channel, data) it receives."""
    received: list[tuple[str, Any]] = []

    async def deliver(channel: str, pub: dict[str, Any]) -> None:
        received.append((channel, pub["data"]))

    hub.add(user, deliver).channels.update(channels)
    return received
