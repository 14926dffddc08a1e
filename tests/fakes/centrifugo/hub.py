"""Channel state shared by the emulator's HTTP API and WebSocket sides: who is subscribed
where, per-channel offsets, and delivery of publications to subscribed connections."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

# A connection's delivery callback: called with (channel, publication dict).
Deliver = Callable[[str, dict[str, Any]], Awaitable[None]]


@dataclass
class Connection:
    client_id: str
    user: str
    deliver: Deliver
    channels: set[str] = field(default_factory=set)


class Hub:
    def __init__(self) -> None:
        self.connections: dict[str, Connection] = {}
        self.offsets: dict[str, int] = {}
        self.epochs: dict[str, str] = {}
        self.published: list[tuple[str, Any]] = []  # every accepted publication, for assertions

    def add(self, user: str, deliver: Deliver) -> Connection:
        conn = Connection(str(uuid.uuid4()), user, deliver)
        self.connections[conn.client_id] = conn
        return conn

    def remove(self, conn: Connection) -> None:
        self.connections.pop(conn.client_id, None)

    def subscribers(self, channel: str) -> list[Connection]:
        return [c for c in self.connections.values() if channel in c.channels]

    async def publish(self, channel: str, data: Any, *, deliver: bool = True) -> tuple[int, str]:
        """Store and fan out one publication; returns (offset, epoch) like a history channel."""
        offset = self.offsets.get(channel, 0) + 1
        self.offsets[channel] = offset
        epoch = self.epochs.setdefault(channel, uuid.uuid4().hex[:8])
        self.published.append((channel, data))
        if deliver:
            pub = {"data": data, "offset": offset}
            for conn in self.subscribers(channel):
                await conn.deliver(channel, pub)
        return offset, epoch

    def channels(self) -> dict[str, int]:
        """Channels with at least one subscriber and their subscriber counts."""
        counts: dict[str, int] = {}
        for conn in self.connections.values():
            for channel in conn.channels:
                counts[channel] = counts.get(channel, 0) + 1
        return counts

    @property
    def num_clients(self) -> int:
        return len(self.connections)

    @property
    def num_users(self) -> int:
        return len({c.user for c in self.connections.values()})

    @property
    def num_subs(self) -> int:
        return sum(len(c.channels) for c in self.connections.values())
