"""The scheduled-check loop: run the diagnosis for every watched target, let the alert policy
judge it, store the state, export metrics, deliver what is due, then sleep SCHEDULE_INTERVAL.

The pause starts when a run has finished, so runs never overlap and a slow run delays the next
instead of piling up. One named task ("scheduler") runs the loop; leaving the context cancels
it, except for Slack posts in flight, which are given time to finish and be committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from bot.grammar import Diagnose, command_words
from bot.schedule.delivery import AlertPoster, Delivery, deliver
from bot.schedule.metrics import Metrics
from bot.schedule.model import Rules, TargetState, Transition
from bot.schedule.policy import observe
from bot.schedule.state import StateError, StateStore
from checks.catalogue import catalogue
from checks.model import Language, Report
from checks.runner import run_checks
from checks.target import Target

log = logging.getLogger(__name__)


class Runner(Protocol):
    def __call__(
        self, check_ids: Sequence[str], target: Target, *, command: str, org: str | None,
        lang: Language,
    ) -> Awaitable[Report]: ...  # fmt: skip


@dataclass(frozen=True)
class Watch:
    """One scheduled target: a Centrifugo deployment and, optionally, the org to diagnose."""

    target: Target
    org: str | None = None

    @property
    def name(self) -> str:
        return self.target.base_url + (f" org {self.org}" if self.org else "")


@dataclass(frozen=True)
class RunInfo:
    """The last completed run, for /healthz and `status`."""

    started: float
    finished: float
    failing: int  # targets whose report had a failing check
    errors: int  # targets whose run broke (logged)


@dataclass(frozen=True)
class Outlet:
    """Where alerts go: the poster, ALERT_CHANNEL and the language they are written in."""

    poster: AlertPoster
    channel: str
    lang: Language = "en"


class Scheduler:
    def __init__(
        self,
        watches: Sequence[Watch],
        *,
        store: StateStore,
        outlet: Outlet,
        interval: float,
        rules: Rules,
        metrics: Metrics | None = None,
        run: Runner = run_checks,
        clock: Callable[[], float] = time.time,
        on_transition: Callable[[Transition], None] | None = None,
        grace: float = 15.0,
    ) -> None:
        self.watches, self.store, self.outlet = tuple(watches), store, outlet
        self.interval, self.rules, self.metrics = interval, rules, metrics
        self.grace = grace  # seconds a stop waits for posts in flight
        self._run, self._clock, self._on_transition = run, clock, on_transition
        self.states = {w.name: store.load(w.name) for w in self.watches}
        self.mutes = {w.name: store.muted_until(w.name) for w in self.watches}
        self.last_run: RunInfo | None = None
        self.runs = 0  # completed runs since start
        self._check_ids = tuple(catalogue())
        self._wake = asyncio.Event()
        self._waiting: list[asyncio.Future[None]] = []
        self._task: asyncio.Task[None] | None = None
        self._deliveries: set[asyncio.Task[TargetState]] = set()

    async def __aenter__(self) -> Scheduler:
        self._task = asyncio.create_task(self._loop(), name="scheduler")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for waiter in self._waiting:
            waiter.cancel()
        await self._finish_deliveries()

    async def _finish_deliveries(self) -> None:
        """A post Slack may already have taken must be committed, or the next process would
        repeat it: deliveries in flight get `grace` seconds to finish before being cancelled."""
        if not self._deliveries:
            return
        _, late = await asyncio.wait(self._deliveries, timeout=self.grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def run_once(self) -> RunInfo:
        """One run over every watch, concurrently; errors are logged, never raised."""
        waiting, self._waiting = self._waiting, []
        started = self._clock()
        async with asyncio.TaskGroup() as group:
            runs = [
                group.create_task(self._run_watch(watch), name=f"scheduled:{watch.name}")
                for watch in self.watches
            ]
        outcomes = [run.result() for run in runs]
        info = RunInfo(started, self._clock(), outcomes.count("failing"), outcomes.count("error"))
        self.last_run = info
        self.runs += 1
        for waiter in waiting:
            if not waiter.done():
                waiter.set_result(None)
        return info

    async def run_now(self) -> None:
        """Cut the pause short and return once a run that started after this call finished."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._wake.set()
        await waiter

    def mute(self, until: float | None) -> None:
        """Mute every watch until `until` (epoch seconds), or unmute with None."""
        names = [w.name for w in self.watches]
        self.mutes.update(dict.fromkeys(names, until))
        self.store.set_mute(names, until)

    def muted(self, name: str, now: float) -> bool:
        until = self.mutes.get(name)
        return until is not None and now < until

    async def _loop(self) -> None:
        while True:
            await self.run_once()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._wake.wait()
            self._wake.clear()

    async def _run_watch(self, watch: Watch) -> str:
        try:
            report = await self._run(
                self._check_ids,
                watch.target,
                command=command_words(Diagnose(watch.org)),
                org=watch.org,
                lang=self.outlet.lang,
            )
            await self._judge(watch, report)
        except StateError as error:
            log.error("scheduled run for %s: %s", watch.name, error)
            return "error"
        except Exception:
            log.exception("scheduled run for %s broke", watch.name)
            return "error"
        return "failing" if report.failed else "ok"

    async def _judge(self, watch: Watch, report: Report) -> None:
        now = self._clock()
        muted = self.muted(watch.name, now)
        observation = observe(self.states[watch.name], report, now, self.rules, muted=muted)
        self._commit(observation.state)
        for transition in observation.transitions:
            log.info("%s: %s %s", watch.name, transition.change, ", ".join(transition.check_ids))
            if self._on_transition is not None:
                self._on_transition(transition)
        if self.metrics is not None:
            self.metrics.record(watch.name, report, observation.state, now)
        outlet = self.outlet
        how = Delivery(outlet.poster, outlet.channel, watch.name, watch.org, outlet.lang)
        delivery = asyncio.create_task(
            deliver(observation.state, report, how, now=now, muted=muted, commit=self._commit),
            name=f"deliver:{watch.name}",
        )
        self._deliveries.add(delivery)
        delivery.add_done_callback(self._deliveries.discard)
        # Shielded: stopping the loop mid-post leaves the post to finish (see __aexit__).
        await asyncio.shield(delivery)

    def _commit(self, state: TargetState) -> None:
        # Memory first: should the disk write fail, this process still never repeats a post.
        self.states[state.target] = state
        self.store.save(state)
