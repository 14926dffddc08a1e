"""Drives the real Slack app for tests and benchmarks: settings pointing at the Slack stand-in
and the Centrifugo emulator, the bot served on a free loopback port, and a client that sends
what Slack sends (signed slash commands, button clicks, events) over real HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.services import Services
from bot.settings import Settings, load_settings
from bot.slack.server import EVENTS_PATH, RunningBot, running
from tests.fakes.slack import (
    SlackStandIn,
    block_action_body,
    event_body,
    signed_headers,
    slash_command_body,
)

SIGNING_SECRET = "Sg6qsigning-secret-for-tests-7f3a9c"


def bot_settings(slack: SlackStandIn, centrifugo_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": slack.bot_token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "centrifugo_url": centrifugo_url,
        "check_timeout": 2.0,
        "port": 0,
    }
    values.update(overrides)
    return load_settings(**values)


@dataclass
class Answer:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class BotClient:
    """Sends Slack's requests to a running bot, as Slack signs them."""

    def __init__(self, bot: RunningBot, slack: SlackStandIn, http: aiohttp.ClientSession):
        self.bot, self.slack, self.http = bot, slack, http

    @property
    def services(self) -> Services:
        return self.bot.services

    async def post(self, body: str, headers: dict[str, str]) -> Answer:
        async with self.http.post(self.bot.url + EVENTS_PATH, data=body, headers=headers) as r:
            return Answer(r.status, await r.text())

    async def signed(self, body: str, *, secret: str = SIGNING_SECRET, **headers: str) -> Answer:
        return await self.post(body, {**signed_headers(body, secret), **headers})

    async def command(self, text: str, name: str = "r1", **fields: Any) -> Answer:
        url = self.slack.response_url(name)
        return await self.signed(slash_command_body(text, response_url=url, **fields))

    async def click(
        self, action_id: str, value: str, name: str = "b1", ts: str = "1.0", **fields: Any
    ) -> Answer:
        fields.setdefault("message", {"type": "message", "ts": ts, "text": "report"})
        body = block_action_body(
            action_id, value, response_url=self.slack.response_url(name), message_ts=ts, **fields
        )
        return await self.signed(body)

    async def event(self, event: dict[str, Any], event_id: str = "Ev1", **headers: str) -> Answer:
        return await self.signed(event_body(event, event_id), **headers)

    async def healthz(self) -> Answer:
        async with self.http.get(self.bot.url + "/healthz") as r:
            return Answer(r.status, await r.text())


@asynccontextmanager
async def serving(
    settings: Settings, slack: SlackStandIn, grace: float = 5.0
) -> AsyncIterator[BotClient]:
    async with (
        running(settings, host="127.0.0.1", port=0, grace=grace) as bot,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
    ):
        yield BotClient(bot, slack, http)
