"""Socket Mode as slack_sdk's clients meet it: apps.connections.open hands out a one-off `ticket`
URL, the WebSocket greets with `hello`, the test pushes envelopes and the stand-in records the
acks the app sends back, with their latency. Pings are answered (aiohttp autoping), as Slack does.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from .identity import Identity
from .journal import Journal

DEBUG_INFO = {"host": "applink-stand-in", "build_number": 1}


@dataclass(frozen=True)
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    latency_ms: float  # from the envelope being sent to its ack arriving


class SocketMode:
    def __init__(self, ids: Identity) -> None:
        self.ids = ids
        self.ws_base = ""  # "ws://127.0.0.1:PORT", set once the server listens
        self.tickets: set[str] = set()
        self.sockets: list[web.WebSocketResponse] = []  # open connections, newest last
        self.connections: Journal[str] = Journal()  # the ticket of every accepted connection
        self.acks: Journal[Ack] = Journal()
        self.other_frames: list[str] = []  # anything the app sent that was not an ack
        self._sent_at: dict[str, float] = {}
        self._numbers = itertools.count(1)

    def issue_url(self) -> str:
        ticket = uuid.uuid4().hex
        self.tickets.add(ticket)
        return f"{self.ws_base}/link/?ticket={ticket}&app_id={self.ids.app_id}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        self.connections.add(ticket)
        try:
            await ws.send_json(self._hello())
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    self._receive(frame.data)
        finally:
            self.sockets.remove(ws)
        return ws

    async def wait_connected(self, count: int = 1, timeout: float = 5) -> None:  # noqa: ASYNC109
        """Until `count` connections have been accepted and one is still open."""

        def done(tickets: list[str]) -> bool | None:
            return True if len(tickets) >= count and self.sockets else None

        await self.connections.wait(done, timeout, f"{count} Socket Mode connection(s)")

    async def send_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5,  # noqa: ASYNC109
    ) -> str:
        """Push one envelope to the newest connection (waiting for one); returns its id."""
        await self.wait_connected(timeout=timeout)
        envelope_id = f"{uuid.uuid4()}-{next(self._numbers)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": type,
            "payload": payload,
            "accepts_response_payload": _accepts_payload(type, payload)
            if accepts_response_payload is None
            else accepts_response_payload,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        self._sent_at[envelope_id] = time.monotonic()
        await self.sockets[-1].send_json(envelope)
        return envelope_id

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the newest connection to reconnect, as Slack does every few hours."""
        await self.wait_connected()
        await self.sockets[-1].send_json(
            {"type": "disconnect", "reason": reason, "debug_info": DEBUG_INFO}
        )

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5) -> Ack:  # noqa: ASYNC109
        def acked(acks: list[Ack]) -> Ack | None:
            return next((a for a in acks if a.envelope_id == envelope_id), None)

        return await self.acks.wait(acked, timeout, f"the ack of envelope {envelope_id}")

    async def close(self) -> None:
        for ws in list(self.sockets):
            await ws.close()

    def _hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": len(self.sockets),
            "debug_info": {**DEBUG_INFO, "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.ids.app_id},
        }

    def _receive(self, text: str) -> None:
        try:
            frame = json.loads(text)
        except ValueError:
            frame = None
        envelope_id = frame.get("envelope_id") if isinstance(frame, dict) else None
        if frame is None or envelope_id not in self._sent_at:
            self.other_frames.append(text)
            return
        latency_ms = (time.monotonic() - self._sent_at[envelope_id]) * 1000
        self.acks.add(Ack(envelope_id, frame.get("payload"), latency_ms))


def _accepts_payload(type: str, payload: dict[str, Any]) -> bool:
    """Slack lets the ack carry a response for commands and for interactions other than
    block_actions (view submissions, suggestions); never for events."""
    if type == "slash_commands":
        return True
    return type == "interactive" and payload.get("type") != "block_actions"
