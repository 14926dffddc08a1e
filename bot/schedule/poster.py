"""The Slack side of alert delivery: chat.postMessage and chat.update through the bot's Web API
client (which already retries 429 with Retry-After, 5xx and dropped connections), every payload
redacted, and a permalink built from the workspace URL that auth.test reports.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.redact import Redactor
from bot.render.blocks import Reply
from bot.schedule.delivery import MessageGone, Posted

GONE = frozenset({"message_not_found", "cant_update_message"})


class SlackPoster:
    def __init__(self, client: AsyncWebClient, redactor: Redactor) -> None:
        self._client = client
        self._redactor = redactor
        self._workspace_url: str | None = None

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> Posted:
        answer = await self._client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=self._redactor.text(reply.text),
            blocks=self._redactor.data(reply.blocks),
            unfurl_links=False,
        )
        posted_channel, ts = str(answer["channel"]), str(answer["ts"])
        return Posted(posted_channel, ts, await self._link(posted_channel, ts))

    async def update(self, channel: str, ts: str, reply: Reply) -> None:
        try:
            await self._client.chat_update(
                channel=channel,
                ts=ts,
                text=self._redactor.text(reply.text),
                blocks=self._redactor.data(reply.blocks),
            )
        except SlackApiError as error:
            if error.response.get("error") in GONE:
                raise MessageGone(ts) from None
            raise

    async def _link(self, channel: str, ts: str) -> str | None:
        """The message's permalink; None when the workspace URL is unknown (a link is a
        convenience: a failure here must never fail a post Slack already took, or the post
        would be repeated)."""
        if self._workspace_url is None:
            try:
                answer = await self._client.auth_test()
            except Exception:
                return None
            self._workspace_url = str(answer.get("url") or "")
        if not self._workspace_url:
            return None
        return f"{self._workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
