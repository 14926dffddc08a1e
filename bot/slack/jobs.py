"""The work that runs after an ack: each command is a named background task that the bot
tracks, so a shutdown can wait for it, cancel it when it overstays, and tell its user.

A job that raises gets the fixed "internal error" ending (its traceback goes to the log, never
to Slack); one cancelled by a shutdown gets the "interrupted" ending. The job's `tell` says
either to the user, in the place the answer would have gone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum

log = logging.getLogger(__name__)

TELL_TIMEOUT = 15.0  # a last message must not hold a shutdown forever


class Ending(StrEnum):
    FAILED = "failed"  # an unexpected exception: the user gets "internal error"
    INTERRUPTED = "interrupted"  # cancelled by a shutdown: the user is asked to run it again


Work = Callable[[], Awaitable[None]]
Tell = Callable[[Ending], Awaitable[None]]


class Jobs:
    def __init__(self, grace: float = 10.0, concurrency: int = 4) -> None:
        """`grace`: seconds a shutdown waits for running jobs before cancelling them.
        `concurrency`: jobs running at once; the others wait their turn. Checks spend CPU on the
        event loop that also acks Slack, so a burst of 50 commands must not run 50 at once."""
        self.grace = grace
        self._turns = asyncio.Semaphore(concurrency)
        self._tasks: dict[asyncio.Task[None], Tell] = {}
        self._closing = False

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def start(self, name: str, work: Work, tell: Tell) -> None:
        """Run `work()` in the background; once closing, tell the user it was interrupted."""
        run = self._interrupted(tell) if self._closing else self._run(name, work, tell)
        task = asyncio.create_task(run, name=f"job:{name}")
        self._tasks[task] = tell
        task.add_done_callback(self._forget)

    async def drain(self) -> None:
        """Stop taking jobs, wait up to `grace` for running ones, cancel and tell the rest."""
        self._closing = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(list(self._tasks), timeout=self.grace)
        tells = [self._tasks[task] for task in pending]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if tells:
            log.warning("shutdown interrupted %d running command(s)", len(tells))
            await asyncio.gather(*(self._interrupted(tell) for tell in tells))
        # Jobs started while draining only tell their user; wait for those too.
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _run(self, name: str, work: Work, tell: Tell) -> None:
        try:
            await asyncio.sleep(0)  # the ack that started this job is written out first
            async with self._turns:
                await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("internal error in job %s", name)
            await _safely(tell, Ending.FAILED)

    async def _interrupted(self, tell: Tell) -> None:
        await _safely(tell, Ending.INTERRUPTED)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._tasks.pop(task, None)


async def _safely(tell: Tell, ending: Ending) -> None:
    """Tell the user, bounded in time; a failure to tell is logged, never raised."""
    try:
        async with asyncio.timeout(TELL_TIMEOUT):
            await tell(ending)
    except Exception:
        log.exception("could not tell the user a command %s", ending.value)
