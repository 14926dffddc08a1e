"""Tails: `tail CHANNEL [DURATION]` streams a Centrifugo channel into a Slack thread, at most one
tail per channel, each a named task that ends on its duration, `tail stop`, a refusal from
Centrifugo or the bot's shutdown, and then posts its summary and updates the thread's parent.

Posts are batched: one per POST_INTERVAL at most in each Slack channel (the Pacer), however
fast the channel is, which is how the bot stays inside Slack's ~1 message/second limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answers import Answer, Notice, NoticeKind
from bot.grammar import Command, Tail, TailStop
from bot.publish import refuse_channel
from bot.render.labels import label
from bot.services import Origin
from bot.settings import Settings
from bot.tail.batch import Batch, Batcher, TailCounts
from bot.tail.model import DEFAULT_SECONDS, Ending, EndReason, TailInfo, TailSummary
from bot.tail.notices import already_running, no_thread, started, stop_choice, with_running_tails
from bot.tail.pacer import Pacer
from bot.tail.poster import PostFailed, ThreadPoster
from bot.tail.render import (
    parent_done_text,
    parent_text,
    render_batch,
    summary_text,
    with_summary,
)
from bot.tail.stream import open_stream

log = logging.getLogger(__name__)

POST_INTERVAL = 1.0  # Slack: about one message per second per channel
SHUTDOWN_GRACE = 10.0  # how long closing waits for tails to post their summaries


@dataclass
class _Tail:
    info: TailInfo
    parent_ts: str = ""
    batcher: Batcher = field(default_factory=Batcher)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    ending: Ending | None = None
    task: asyncio.Task[None] | None = None

    def end(self, ending: Ending) -> None:
        if self.ending is None:
            self.ending = ending
        self.wake.set()


class TailManager:
    """The `tails` responder: answers `tail` and `tail stop`, runs the tails, lists them."""

    def __init__(
        self,
        settings: Settings,
        poster: ThreadPoster,
        *,
        interval: float = POST_INTERVAL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._poster = poster
        self._interval = interval
        self._pacer = Pacer(interval)
        self._clock = clock
        self._tails: dict[str, _Tail] = {}
        self._closed = False

    async def answer(self, command: Command, origin: Origin) -> Answer:
        match command:
            case Tail(channel=channel, seconds=seconds):
                return await self.start(channel, seconds, origin)
            case TailStop(channel=channel):
                return self.stop(channel, origin.user_id)
            case _:
                raise AssertionError(f"tails do not answer {command.verb}")

    def running(self) -> list[tuple[TailInfo, TailCounts]]:
        """Every running tail and what it has seen so far, oldest first."""
        return [(tail.info, tail.batcher.counts) for tail in self._tails.values()]

    async def start(self, channel: str, seconds: int | None, origin: Origin) -> Notice:
        lang = self._settings.bot_language
        refusal = refuse_channel(channel, self._settings)
        if refusal is not None:
            return refusal
        if self._closed:
            return Notice(label(lang, "tail_closing"), kind=NoticeKind.ERROR)
        if channel in self._tails:
            return already_running(self._tails[channel].info, self._clock(), lang)
        info = self._info(channel, seconds, origin)
        tail = self._tails[channel] = _Tail(info)  # reserved before the first await
        try:
            tail.parent_ts = await self._post(tail, parent_text(info, lang), thread=False)
        except PostFailed as error:
            del self._tails[channel]
            return no_thread(error, lang)
        if self._closed:  # closed while the parent was being posted: end before starting
            del self._tails[channel]
            return Notice(label(lang, "tail_closing"), kind=NoticeKind.ERROR)
        tail.task = asyncio.create_task(self._run(tail), name=f"tail:{channel}")
        return started(info, lang)

    def stop(self, channel: str | None, by: str | None) -> Notice:
        chosen, notice = stop_choice(channel, list(self._tails), self._settings.bot_language)
        if chosen is not None:
            self._tails[chosen].end(Ending(EndReason.STOPPED, by=by))
        return notice

    def with_running(self, answer: Answer) -> Answer:
        """`status`'s answer with the running tails listed under it."""
        lang = self._settings.bot_language
        return with_running_tails(answer, self.running(), self._clock(), lang)

    async def aclose(self) -> None:
        """End every tail (each posts its summary), waiting up to SHUTDOWN_GRACE."""
        self._closed = True
        tasks = [tail.task for tail in self._tails.values() if tail.task is not None]
        for tail in self._tails.values():
            tail.end(Ending(EndReason.SHUTDOWN))
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    def _info(self, channel: str, seconds: int | None, origin: Origin) -> TailInfo:
        wanted = seconds or DEFAULT_SECONDS
        allowed = min(wanted, self._settings.tail_max_seconds)
        return TailInfo(
            channel,
            allowed,
            self._clock(),
            origin.channel_id or "",
            origin.user_id,
            # Only a duration the user typed was cut short; the default is no request.
            requested_seconds=seconds if seconds is not None and seconds > allowed else None,
        )

    async def _run(self, tail: _Tail) -> None:
        """The tail's task: stream until it ends, then the summary; listed until it is done."""
        started = time.monotonic()
        try:
            await self._stream(tail, started + tail.info.seconds)
            await self._finish(tail, time.monotonic() - started)
        finally:
            del self._tails[tail.info.channel]

    async def _stream(self, tail: _Tail, deadline: float) -> None:
        target = self._settings.target()
        try:
            async with open_stream(target, tail.info.channel, tail.batcher, ended=tail.wake) as s:
                await self._pump(tail, deadline)
                if s.final is not None:
                    tail.end(Ending(EndReason.FAILED, event=s.final))
        except Exception:
            log.exception("tail of %s failed", tail.info.channel)
            tail.end(Ending(EndReason.FAILED))

    async def _pump(self, tail: _Tail, deadline: float) -> None:
        """Post what arrived every interval until the tail ends or its time is up."""
        while tail.ending is None and not tail.wake.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                tail.end(Ending(EndReason.DURATION))
                break
            try:
                await asyncio.wait_for(tail.wake.wait(), min(self._interval, left))
            except TimeoutError:
                await self._post_batch(tail, tail.batcher.take())

    async def _post_batch(self, tail: _Tail, batch: Batch) -> None:
        if not batch:
            return
        rendered = render_batch(batch, tail.info.channel, self._settings.bot_language)
        tail.batcher.settle(batch, rendered.shown, await self._post_quietly(tail, rendered.text))

    async def _finish(self, tail: _Tail, elapsed: float) -> None:
        """The last batch and the summary in one post, then the parent's update."""
        lang = self._settings.bot_language
        ending = tail.ending or Ending(EndReason.SHUTDOWN)
        batch, batcher = tail.batcher.take(), tail.batcher
        # Room for the summary, sized with the longest figures it can show.
        longest = TailSummary(tail.info, ending, batcher.counts_after(batch, 0), elapsed)
        post = render_batch(batch, tail.info.channel, lang, len(summary_text(longest, lang)))
        # The summary counts this very post as shown.
        summary = TailSummary(tail.info, ending, batcher.counts_after(batch, post.shown), elapsed)
        posted = await self._post_quietly(tail, with_summary(post, summary_text(summary, lang)))
        batcher.settle(batch, post.shown, posted)
        try:
            await self._poster.update(
                tail.info.slack_channel,
                tail.parent_ts,
                parent_done_text(self._summary(tail, ending, elapsed), lang),
            )
        except PostFailed as error:
            log.warning("tail of %s: the parent was not updated: %s", tail.info.channel, error)

    def _summary(self, tail: _Tail, ending: Ending, elapsed: float) -> TailSummary:
        return TailSummary(tail.info, ending, tail.batcher.counts, elapsed)

    async def _post_quietly(self, tail: _Tail, text: str) -> bool:
        """Post into the thread; a failure is logged and the tail goes on."""
        try:
            await self._post(tail, text)
        except PostFailed as error:
            log.warning("tail of %s: a post failed: %s", tail.info.channel, error)
            return False
        return True

    async def _post(self, tail: _Tail, text: str, *, thread: bool = True) -> str:
        channel = tail.info.slack_channel
        async with self._pacer.turn(channel):
            return await self._poster.post(channel, text, tail.parent_ts if thread else None)
