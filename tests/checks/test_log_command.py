"""LOG_COMMAND's bounds through the `logs` check: a hanging command is killed with everything it
started and reaped (no zombie, no stray process), a flood is cut at the output cap, a failing
command is a fail that quotes its error, and the whole check fits inside CHECK_TIMEOUT."""

from __future__ import annotations

import asyncio
import gc
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

from checks.context import open_context
from checks.log_command import MAX_BYTES, MAX_LINES, run_bounded
from checks.logs import logs
from checks.model import Outcome, Problem, Status
from checks.runner import run_checks
from checks.target import Target

TIMEOUT = 1.2


async def run_logs(command: str) -> tuple[Outcome, float]:
    started = time.perf_counter()
    target = Target(log_command=command, check_timeout=TIMEOUT)
    async with open_context(target) as ctx, asyncio.timeout(TIMEOUT):
        outcome = await logs(ctx)
    return outcome, time.perf_counter() - started


def live_group_members(pgid: int) -> list[int]:
    """Processes of group `pgid` that are not zombies (a zombie is dead, just unreaped)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def read_pid(pid_file: Path) -> int:
    return int(pid_file.read_text())


def group_gone(pgid: int) -> bool:
    """The shell was reaped (no /proc entry, not even a zombie) and nothing it started lives on."""
    return not live_group_members(pgid) and not Path(f"/proc/{pgid}").exists()


async def assert_group_gone(pid_file: Path) -> None:
    await assert_pgid_gone(read_pid(pid_file))


async def assert_pgid_gone(pgid: int) -> None:
    for _ in range(100):  # SIGKILL is delivered asynchronously; give the kernel a moment
        if group_gone(pgid):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"process group {pgid} still has {live_group_members(pgid)}")


@pytest.mark.parametrize(
    ("script", "summary", "findings"),
    [
        pytest.param("sleep 1000; echo never", "printed nothing within 0.9 s", 0, id="silent"),
        pytest.param(
            """echo '{"level":"error","message":"pub/sub error"}'; sleep 1000""",
            "Redis errors at run time ×1 (1 line read, stopped at the time limit of 0.9 s)",
            1,
            id="following",
        ),
        pytest.param("sleep 1000 & echo started", "1 line read", 0, id="background-child"),
    ],
)
async def test_hanging_command_is_killed_and_reaped(
    tmp_path: Path, script: str, summary: str, findings: int
) -> None:
    pid_file = tmp_path / "pid"
    outcome, elapsed = await run_logs(f"echo $$ > {pid_file}; {script}")
    assert summary in outcome.summary
    assert len(outcome.details.get("findings", [])) == findings
    assert outcome.details["stopped_at"] == "time limit of 0.9 s"
    assert elapsed < TIMEOUT
    await assert_group_gone(pid_file)


@pytest.mark.parametrize(
    ("command", "lines"),
    [
        pytest.param("yes", MAX_LINES, id="many-lines"),
        pytest.param("head -c 100000000 /dev/zero", 1, id="one-huge-line"),
    ],
)
async def test_flood_is_cut_at_the_output_cap(tmp_path: Path, command: str, lines: int) -> None:
    pid_file = tmp_path / "pid"
    outcome, elapsed = await run_logs(f"echo $$ > {pid_file}; {command}")
    assert outcome.status is Status.OK
    assert (outcome.details["lines_read"], outcome.details["stopped_at"]) == (
        lines,
        "output limit",
    )
    assert elapsed < TIMEOUT
    assert MAX_BYTES == 2 * 1024 * 1024
    await assert_group_gone(pid_file)


@pytest.mark.parametrize(
    ("command", "summary"),
    [
        pytest.param("false", "LOG_COMMAND exited 1 with no output", id="false"),
        pytest.param(
            "docker-not-installed-xyz service logs c",
            "LOG_COMMAND exited 127: /bin/sh: 1: docker-not-installed-xyz: not found",
            id="command-not-found",
        ),
        pytest.param(
            "echo 'Error: No such service: whatrack_centrifugo' >&2; exit 1",
            "LOG_COMMAND exited 1: Error: No such service: whatrack_centrifugo",
            id="stderr-merged",
        ),
    ],
)
async def test_failing_command_fails_quoting_its_first_line(command: str, summary: str) -> None:
    outcome, _ = await run_logs(command)
    assert (outcome.status, outcome.problem, outcome.summary) == (
        Status.FAIL,
        Problem.CONNECTION,
        summary,
    )


async def test_empty_output_with_success_is_ok() -> None:
    outcome, _ = await run_logs("true")
    assert (outcome.status, outcome.summary) == (Status.OK, "0 lines read, no known errors")


async def test_through_the_runner_within_check_timeout(tmp_path: Path) -> None:
    started = time.perf_counter()
    report = await run_checks(["logs"], Target(log_command="sleep 1000", check_timeout=TIMEOUT))
    result = report.get("logs")
    assert result is not None and result.status is Status.FAIL
    assert result.remediation is not None and result.remediation.problem is Problem.CONNECTION
    assert time.perf_counter() - started < TIMEOUT + 0.5


async def test_skipped_when_not_configured() -> None:
    report = await run_checks(["logs"], Target(check_timeout=TIMEOUT))
    result = report.get("logs")
    assert result is not None
    assert (result.status, result.summary) == (Status.SKIP, "not configured: LOG_COMMAND")


def open_fds() -> set[str]:
    return {fd.name for fd in Path("/proc/self/fd").iterdir()}


async def test_a_command_that_cannot_start_leaks_no_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    async def cannot_fork(*args: object, **kwargs: object) -> asyncio.subprocess.Process:
        raise BlockingIOError("fork: Resource temporarily unavailable")

    monkeypatch.setattr(asyncio, "create_subprocess_shell", cannot_fork)
    before = open_fds()

    with pytest.raises(BlockingIOError):
        await run_bounded("echo hi", 1.0)

    assert open_fds() <= before


async def test_a_pipe_that_cannot_be_watched_still_kills_and_reaps_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[asyncio.subprocess.Process] = []
    spawn = asyncio.create_subprocess_shell

    async def recording(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        started.append(await spawn(*args, **kwargs))
        return started[-1]

    async def cannot_watch(*args: object, **kwargs: object) -> None:
        raise OSError("no room in the selector")

    monkeypatch.setattr(asyncio, "create_subprocess_shell", recording)
    monkeypatch.setattr(asyncio.get_running_loop(), "connect_read_pipe", cannot_watch)
    before = open_fds()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(OSError, match="no room"):
            await run_bounded("sleep 1000 & sleep 1000", 1.0)
        gc.collect()

    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    assert open_fds() <= before
    [shell] = started
    assert shell.returncode is not None, "the shell was reaped"
    await assert_pgid_gone(shell.pid)
