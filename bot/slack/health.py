"""GET /healthz: whether the bot is up (200) or not (503), and the facts an operator wants at a
glance. Other parts add to it without touching this module: a readiness probe (`probes`, e.g.
the Socket Mode connection) or facts (`facts`, e.g. the scheduler's last run); more routes
(such as /metrics) go next to `health_routes` in bot/slack/server.py.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

Probe = Callable[[], Awaitable[bool]]
Facts = Callable[[], Mapping[str, Any]]


class Health:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.state = "starting"  # then "up", then "stopping"
        self.started_at = datetime.now(UTC)
        self._started = time.monotonic()
        self.probes: dict[str, Probe] = {}
        self.facts: list[Facts] = []

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, body): healthy when started, not stopping, and every probe passes."""
        failing = [name for name, probe in self.probes.items() if not await probe()]
        healthy = self.state == "up" and not failing
        body: dict[str, Any] = {
            "status": "up" if healthy else ("down" if self.state == "up" else self.state),
            "mode": self.mode,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "uptime_s": round(time.monotonic() - self._started, 1),
        }
        if failing:
            body["failing"] = failing
        for facts in self.facts:
            body.update(facts())
        return healthy, body


def health_routes(health: Health) -> list[web.RouteDef]:
    async def healthz(request: web.Request) -> web.Response:
        healthy, body = await health.report()
        return web.json_response(body, status=200 if healthy else 503)

    return [web.get("/healthz", healthz)]
