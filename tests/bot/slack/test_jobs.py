"""Background jobs: a failure becomes "internal error" for the user and a log line; a shutdown
waits for jobs within the grace, cancels the rest and tells their users; nothing is left running."""

from __future__ import annotations

import asyncio

import pytest

from bot.slack.jobs import Ending, Jobs


class Told:
    def __init__(self) -> None:
        self.endings: list[Ending] = []

    async def __call__(self, ending: Ending) -> None:
        self.endings.append(ending)


async def test_a_failing_job_tells_its_user_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    jobs, told = Jobs(grace=1), Told()

    async def boom() -> None:
        raise ValueError("secret-free detail")

    jobs.start("diagnose", boom, told)
    await jobs.drain()
    assert told.endings == [Ending.FAILED]
    [record] = [r for r in caplog.records if r.name == "bot.slack.jobs"]
    assert "internal error in job diagnose" in record.getMessage() and record.exc_info


async def test_drain_waits_for_jobs_that_finish_within_the_grace() -> None:
    jobs, told, done = Jobs(grace=2), Told(), asyncio.Event()

    async def quick() -> None:
        await asyncio.sleep(0.05)
        done.set()

    jobs.start("ping", quick, told)
    assert jobs.in_flight == 1
    await jobs.drain()
    assert done.is_set() and told.endings == [] and jobs.in_flight == 0


async def test_drain_cancels_jobs_past_the_grace_and_tells_their_users() -> None:
    jobs, slow_told, quick_told = Jobs(grace=0.1), Told(), Told()
    cancelled = asyncio.Event()

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def quick() -> None:
        await asyncio.sleep(0)

    jobs.start("diagnose", slow, slow_told)
    jobs.start("ping", quick, quick_told)
    async with asyncio.timeout(2):
        await jobs.drain()
    assert cancelled.is_set()
    assert (slow_told.endings, quick_told.endings) == ([Ending.INTERRUPTED], [])
    assert jobs.in_flight == 0


async def test_jobs_started_while_closing_are_told_at_once() -> None:
    jobs, told = Jobs(grace=0.1), Told()
    await jobs.drain()
    ran = []

    async def work() -> None:
        ran.append(True)

    jobs.start("ping", work, told)
    await jobs.drain()
    assert (ran, told.endings) == ([], [Ending.INTERRUPTED])


async def test_a_failing_tell_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    jobs = Jobs(grace=1)

    async def boom() -> None:
        raise RuntimeError("job")

    async def broken_tell(ending: Ending) -> None:
        raise RuntimeError("slack down")

    jobs.start("ping", boom, broken_tell)
    await jobs.drain()
    assert any("could not tell the user" in r.getMessage() for r in caplog.records)


async def test_at_most_concurrency_jobs_run_at_once() -> None:
    jobs, told, release = Jobs(grace=2, concurrency=2), Told(), asyncio.Event()
    running, most = 0, 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    for n in range(5):
        jobs.start(f"job{n}", work, told)
    await asyncio.sleep(0.05)
    assert (running, jobs.in_flight) == (2, 5)  # the others wait their turn
    release.set()
    await jobs.drain()
    assert (most, running, told.endings) == (2, 0, [])
