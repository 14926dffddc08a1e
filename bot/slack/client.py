"""Everything the bot sends to Slack goes out here: the Web API client (at SLACK_API_URL, with
slack_sdk's retry handlers for 429 + Retry-After, 5xx and dropped connections) and `Outbox`,
which delivers a reply to a command's response_url while that URL is valid and falls back to
the Web API otherwise. Every payload is redacted on its way out; a reply that still cannot be
delivered is logged with the reason, never dropped silently.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.redact import Redactor
from bot.render.blocks import Reply
from bot.settings import Settings

log = logging.getLogger(__name__)

API_TIMEOUT = 10  # seconds per Web API or response_url request (before retries)
# Slack accepts posts to a response_url for 30 minutes; leave a minute for the post itself.
RESPONSE_URL_LIFETIME = 30 * 60 - 60
SHOWN_CHARS = 80  # of an undelivered reply's text, in the log line


class AnyServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's handler retries 500 and 503 only; a proxy's 502 and 504 are as passing."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code < 600


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AnyServerErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings, session: aiohttp.ClientSession) -> AsyncWebClient:
    """The bot-token Web API client; bolt copies its base URL and handlers for each request."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        session=session,
        timeout=API_TIMEOUT,
        retry_handlers=retry_handlers(),
    )


@dataclass(frozen=True)
class Destination:
    """Where a reply goes: the command's response_url while valid, else the conversation."""

    channel_id: str
    user_id: str | None = None
    response_url: str | None = None
    received_at: float = field(default_factory=time.monotonic)
    thread_ts: str | None = None
    message_ts: str | None = None  # the message a button sits on, which a re-run replaces
    replace_original: bool = False
    private: bool = False  # a direct message: nobody else sees it, so nothing is ephemeral


class Outbox:
    def __init__(
        self,
        client: AsyncWebClient,
        session: aiohttp.ClientSession,
        redactor: Redactor,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client, self._session, self._redactor, self._clock = client, session, redactor, clock

    async def deliver(self, dest: Destination, reply: Reply) -> bool:
        """Post `reply`, redacted; False (and a log line saying why) when nothing took it."""
        text, blocks = self._redactor.text(reply.text), self._redactor.data(reply.blocks)
        public = reply.public or dest.private
        fresh = self._clock() - dest.received_at < RESPONSE_URL_LIFETIME
        if dest.response_url and fresh and await self._respond(dest, text, blocks, public):
            return True
        try:
            await self._post(dest, text, blocks, public)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            log.error(
                "reply %r to channel %s could not be delivered: %s",
                text[:SHOWN_CHARS],
                dest.channel_id,
                self._redactor.text(describe_failure(error)),
            )
            return False
        return True

    async def react(self, channel_id: str, ts: str, name: str, *, remove: bool = False) -> None:
        """Add or remove a reaction; a failure only costs the reaction, so it is logged."""
        call = self.client.reactions_remove if remove else self.client.reactions_add
        try:
            await call(channel=channel_id, timestamp=ts, name=name)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            log.warning(
                "reaction %s on %s/%s failed: %s", name, channel_id, ts, describe_failure(error)
            )

    async def _respond(self, dest: Destination, text: str, blocks: list[Any], public: bool) -> bool:
        hook = AsyncWebhookClient(
            str(dest.response_url),
            timeout=API_TIMEOUT,
            session=self._session,
            retry_handlers=retry_handlers(),
        )
        try:
            answer = await hook.send(
                text=text,
                blocks=blocks or None,
                response_type="in_channel" if public else "ephemeral",
                replace_original=True if dest.replace_original and public else None,
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            reason = describe_failure(error)
        else:
            if answer.status_code == 200:
                return True
            reason = f"HTTP {answer.status_code} {answer.body[:SHOWN_CHARS]!r}"
        log.warning("response_url refused the reply (%s); posting through the Web API", reason)
        return False

    async def _post(self, dest: Destination, text: str, blocks: list[Any], public: bool) -> None:
        content: dict[str, Any] = {"channel": dest.channel_id, "text": text, "blocks": blocks}
        if public and dest.replace_original and dest.message_ts:
            await self.client.chat_update(ts=dest.message_ts, **content)
        elif public or dest.user_id is None:
            await self.client.chat_postMessage(thread_ts=dest.thread_ts, **content)
        else:
            await self.client.chat_postEphemeral(
                user=dest.user_id, thread_ts=dest.thread_ts, **content
            )


def describe_failure(error: BaseException) -> str:
    """Why a Slack call failed, in a few words: Slack's error code when it gave one
    (`not_in_channel`), else its HTTP status, else the exception (a timeout, a refused
    connection). Redact before showing: an exception's text may quote anything."""
    if isinstance(error, SlackApiError):
        data = error.response.data
        code = data.get("error") if isinstance(data, dict) else None
        return f"`{code}`" if code else f"HTTP {error.response.status_code}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
