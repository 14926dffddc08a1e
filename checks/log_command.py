"""Runs LOG_COMMAND with its time and output bounded, and returns the lines it printed.

LOG_COMMAND goes through the shell on purpose: it is a trusted operator setting, like a cron
line (`ssh host docker service logs whatrack_centrifugo --tail 200`), so pipes and quoting work.
It never comes from chat input. stderr is merged into stdout because Centrifugo logs JSON to
stderr when it has no TTY, and `docker service logs` passes that through as stderr.
"""

from __future__ import annotations

import asyncio
import os
import signal
from contextlib import suppress
from dataclasses import dataclass

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000


@dataclass(frozen=True)
class CommandOutput:
    lines: tuple[str, ...]
    # The exit status, or None when the bot stopped the command (see `stopped`).
    exit_code: int | None
    # "time" or "size" when the bot cut the command short; None when it ended by itself.
    stopped: str | None = None


class LineBuffer:
    """Splits chunks into lines and stops accepting at MAX_BYTES or MAX_LINES."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_lines: int = MAX_LINES) -> None:
        self.max_bytes = max_bytes
        self.max_lines = max_lines
        self._lines: list[str] = []
        self._partial = b""
        self._bytes = 0

    @property
    def full(self) -> bool:
        return self._bytes >= self.max_bytes or len(self._lines) >= self.max_lines

    def feed(self, chunk: bytes) -> None:
        chunk = chunk[: self.max_bytes - self._bytes]
        self._bytes += len(chunk)
        *complete, self._partial = (self._partial + chunk).split(b"\n")
        room = self.max_lines - len(self._lines)
        self._lines.extend(_decode(line) for line in complete[:room])

    def lines(self) -> tuple[str, ...]:
        tail = [_decode(self._partial)] if self._partial.strip() else []
        return tuple([*self._lines, *tail][: self.max_lines])


def _decode(line: bytes) -> str:
    return line.decode("utf-8", errors="replace").rstrip("\r")


class _Collector(asyncio.Protocol):
    """Feeds the pipe's bytes to a LineBuffer; `done` says why reading ended."""

    def __init__(self, buffer: LineBuffer) -> None:
        self.buffer = buffer
        self.done: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        self.buffer.feed(data)
        if self.buffer.full:
            self._finish("size")

    def eof_received(self) -> bool:
        self._finish(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish(None)

    def _finish(self, reason: str | None) -> None:
        if not self.done.done():
            self.done.set_result(reason)


async def run_bounded(
    command: str, budget: float, buffer: LineBuffer | None = None
) -> CommandOutput:
    """Run `command` for at most `budget` seconds; the process group is always killed and reaped."""
    collector = _Collector(buffer or LineBuffer())
    # The bot owns the pipe rather than asyncio's subprocess: Process.wait() waits for its own
    # pipes to reach end of file, which a killed writer's unread pipe never does.
    read_end, write_end = os.pipe()
    # Owning the read end as a file first means it is closed whatever fails below.
    with os.fdopen(read_end, "rb", buffering=0) as reader:
        try:
            process = await _start(command, write_end)
        finally:
            os.close(write_end)
        try:
            pipe, _ = await asyncio.get_running_loop().connect_read_pipe(lambda: collector, reader)
        except BaseException:
            await _reap(process, force=True)  # started, so it must not outlive the failure
            raise
        stopped = await _collect(collector, process, pipe, budget)
    return CommandOutput(collector.buffer.lines(), None if stopped else process.returncode, stopped)


async def _start(command: str, output_fd: int) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_shell(
        command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=output_fd,
        stderr=output_fd,
        # Its own process group, so a timeout kills what the shell started (docker, ssh) too.
        start_new_session=True,
    )


async def _collect(
    collector: _Collector,
    process: asyncio.subprocess.Process,
    pipe: asyncio.ReadTransport,
    budget: float,
) -> str | None:
    """Read until end of output, the size cap or the budget; why it stopped early, if it did."""
    stopped: str | None = None
    try:
        async with asyncio.timeout(budget):
            stopped = await collector.done
            if stopped is None:
                await process.wait()
    except TimeoutError:
        stopped = "time"
    finally:
        pipe.close()
        await _reap(process, force=stopped is not None)
    return stopped


async def _reap(process: asyncio.subprocess.Process, *, force: bool) -> None:
    # Forced when cut short: the shell may be gone while a child it started still holds the pipe.
    if force or process.returncode is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    await process.wait()
