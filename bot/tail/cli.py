"""`centrifugo-bot tail CHANNEL [DURATION]` at a terminal: each publication as one JSON line on
stdout (time, channel, offset, data) until the duration ends, Ctrl-C or Centrifugo ends it;
connection events and the summary go to stderr, so stdout stays a clean stream for `jq`.

Exit status: 0 ended normally (duration or Ctrl-C), 1 Centrifugo refused or closed it for good,
2 the channel is not in TAIL_CHANNELS.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.grammar import Tail
from bot.publish import refuse_channel
from bot.redact import Redactor
from bot.settings import Settings
from bot.tail.batch import EventKind, TailCounts, TailEvent
from bot.tail.model import DEFAULT_SECONDS, Ending, EndReason, TailInfo, TailSummary
from bot.tail.render import event_line, summary_text
from bot.tail.stream import open_stream
from checks.model import Language

_EMOJI = re.compile(r"^:[a-z_]+: ")


def run_tail(command: Tail, settings: Settings, out: TextIO, err: TextIO) -> int:
    """Run the tail to its end; returns the exit status."""
    refusal = refuse_channel(command.channel, settings)
    if refusal is not None:
        print(f"centrifugo-bot: {plain(refusal.title)}. {plain(refusal.body)}", file=err)
        return 2
    seconds = min(command.seconds or DEFAULT_SECONDS, settings.tail_max_seconds)
    info = TailInfo(command.channel, seconds, time.time())
    redactor = Redactor(settings.secrets())
    sink = JsonLines(info.channel, out, err, redactor)
    summary = asyncio.run(_tail(info, settings, sink))
    if sink.reader_gone and out is sys.stdout:
        # Python's own flush at exit would hit the closed pipe again (see the signal docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    print(redactor.text(plain(summary_text(summary, settings.bot_language))), file=err)
    return 1 if summary.ending.reason is EndReason.FAILED else 0


async def _tail(info: TailInfo, settings: Settings, sink: JsonLines) -> TailSummary:
    done = asyncio.Event()  # Ctrl-C, SIGTERM, or Centrifugo ending the stream
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, done.set)
    sink.lang = settings.bot_language
    started = time.monotonic()
    try:
        async with open_stream(settings.target(), info.channel, sink, ended=done) as stream:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), info.seconds)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    ending = _ending(stream.final, done.is_set())
    return TailSummary(info, ending, sink.counts, time.monotonic() - started)


def _ending(final: TailEvent | None, done: bool) -> Ending:
    if final is not None:
        return Ending(EndReason.FAILED, event=final)
    return Ending(EndReason.INTERRUPTED if done else EndReason.DURATION)


@dataclass
class JsonLines:
    """The terminal sink: every publication printed at once, nothing batched or dropped."""

    channel: str
    out: TextIO
    err: TextIO
    redactor: Redactor
    lang: Language = "en"
    counts: TailCounts = field(default_factory=TailCounts)
    reader_gone: bool = False  # stdout was a pipe whose reader quit (`| head`)

    def publication(self, offset: int, data: Any, at: float) -> None:
        when = datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds")
        line = {"time": when.replace("+00:00", "Z"), "channel": self.channel, "offset": offset}
        line["data"] = data
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)
        self.counts = replace(self.counts, seen=self.counts.seen + 1, shown=self.counts.shown + 1)
        if self.reader_gone:
            return
        try:
            print(self.redactor.text(text), file=self.out, flush=True)
        except BrokenPipeError:
            self.reader_gone = True

    def event(self, event: TailEvent) -> None:
        if event.kind is EventKind.RECONNECTED:
            self.counts = replace(self.counts, reconnects=self.counts.reconnects + 1)
        line = plain(event_line(event, self.channel, self.lang))
        print(f"centrifugo-bot: {self.redactor.text(line)}", file=self.err, flush=True)


def plain(text: str) -> str:
    """Slack text made readable in a terminal: no leading emoji code, no entities."""
    return html.unescape(_EMOJI.sub("", text)).replace("ˋ", "`")
