"""How a tail talks to Slack: a thread's parent message, posts into the thread and the parent's
final update, each redacted on its way out. `SlackThreadPoster` does it with the bot's Web API
client (whose retry handlers honour 429 Retry-After); tests may pass any `ThreadPoster`.
"""

from __future__ import annotations

from typing import Protocol

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.redact import Redactor
from bot.slack.client import describe_failure


class PostFailed(Exception):
    """Slack did not take a post; str() is the reason, safe to show."""


class ThreadPoster(Protocol):
    async def post(self, channel: str, text: str, thread_ts: str | None = None) -> str:
        """Post `text`; returns the message's ts. Raises PostFailed."""
        ...

    async def update(self, channel: str, ts: str, text: str) -> None:
        """Replace the text of the message at `ts`. Raises PostFailed."""
        ...


class SlackThreadPoster:
    def __init__(self, client: AsyncWebClient, redactor: Redactor) -> None:
        self._client = client
        self._redactor = redactor

    async def post(self, channel: str, text: str, thread_ts: str | None = None) -> str:
        try:
            answer = await self._client.chat_postMessage(
                channel=channel, text=self._redactor.text(text), thread_ts=thread_ts
            )
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            raise PostFailed(self._redactor.text(describe_failure(error))) from error
        return str(answer["ts"])

    async def update(self, channel: str, ts: str, text: str) -> None:
        try:
            await self._client.chat_update(channel=channel, ts=ts, text=self._redactor.text(text))
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            raise PostFailed(self._redactor.text(describe_failure(error))) from error
