"""Every way Slack reaches the bot, attached by one `register(app, services)`. Listeners are
thin: ack at once, then start the command's flow (bot/slack/flows.py) as a tracked background job;
a refusal, usage error or help needs no I/O and is answered in the ack itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.answers import Notice
from bot.grammar import command_words
from bot.handle import admit
from bot.render.blocks import (
    ALERT_FULL_ACTION,
    ALERT_RERUN_ACTION,
    DETAILS_ACTION,
    FULL_ACTION,
    RERUN_ACTION,
)
from bot.render.labels import label
from bot.services import Services
from bot.slack import flows
from bot.slack.inbound import (
    Ask,
    ask_from_action,
    ask_from_alert_action,
    ask_from_command,
    ask_from_message,
    is_direct_message,
)
from bot.slack.jobs import Work
from bot.slack.replies import reply_for
from checks.model import Language

log = logging.getLogger(__name__)
COMMAND = "/centrifugo"


def register(app: AsyncApp, services: Services) -> None:
    listeners = Listeners(services)
    app.middleware(listeners.skip_repeated_events)
    app.command(COMMAND)(listeners.slash_command)
    app.event("app_mention")(listeners.message)
    app.event("message", matchers=[listeners.is_direct_message])(listeners.message)
    app.action(RERUN_ACTION)(listeners.rerun)
    app.action(FULL_ACTION)(listeners.rerun)
    app.action(ALERT_RERUN_ACTION)(listeners.alert_rerun)
    app.action(ALERT_FULL_ACTION)(listeners.alert_rerun)
    app.action(DETAILS_ACTION)(listeners.details)
    app.error(listeners.error)


class Listeners:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.slack = services.require_slack()

    async def slash_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        ask = ask_from_command(command)
        admitted = admit(ask.text, ask.origin, self.services.settings)
        if isinstance(admitted, Notice):
            reply = reply_for(admitted, self._lang, self.services.redactor, None, ask.at)
            await ack(text=reply.text, blocks=reply.blocks)
            return
        words = command_words(admitted)
        await ack(text=self.services.redactor.text(label(self._lang, "running", command=words)))
        self._start(ask, words, lambda: flows.answer_command(self.services, ask, admitted))

    async def message(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        ask = ask_from_message(event, context.bot_user_id)
        self._start(ask, "message", lambda: flows.answer_message(self.services, ask))

    async def rerun(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        ask = ask_from_action(body, action, replace=True)
        self._start(ask, ask.text, lambda: flows.answer_rerun(self.services, ask))

    async def alert_rerun(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        ask = ask_from_alert_action(body, action)
        self._start(ask, ask.text, lambda: flows.answer_rerun(self.services, ask))

    async def details(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        ask = ask_from_action(body, action, replace=False)
        self._start(ask, ask.text, lambda: flows.answer_details(self.services, ask))

    async def skip_repeated_events(
        self, request: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks was lost (X-Slack-Retry-Num, or a Socket Mode
        retry_attempt). One already handled is acked and dropped, so nothing runs twice; a retry
        of one that never got here (the bot was down or unreachable) runs, so nothing is lost."""
        body = request.body
        if body.get("type") != "event_callback":
            await next()
            return None
        retry = (request.headers.get("x-slack-retry-num") or ["0"])[0] or "0"
        event_id = str(body.get("event_id", ""))
        if event_id and not self.slack.seen.first_time(event_id):
            log.info("ignoring a repeated delivery of event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def error(self, error: Exception, body: dict[str, Any]) -> None:
        """Bolt's one error handler: internal errors are logged (redacted), never shown."""
        log.error("internal error handling a %s request", body.get("type", "Slack"), exc_info=error)

    async def is_direct_message(self, event: dict[str, Any]) -> bool:
        return is_direct_message(event)

    def _start(self, ask: Ask, words: str, work: Work) -> None:
        tell = flows.teller(self.services, ask, words)
        self.slack.jobs.start(words.split(" ", 1)[0] or "command", work, tell)

    @property
    def _lang(self) -> Language:
        return self.services.settings.bot_language
