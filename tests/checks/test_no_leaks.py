"""The real-time checks leave nothing behind: against a host that never answers they return
inside the budget with every check accounted for, and whether they succeed, fail or are
cancelled, no task, socket or session outlives them (ResourceWarnings are errors here)."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from pydantic import SecretStr
from websockets.asyncio.server import ServerConnection, serve

from checks import roundtrip, subscribe, websocket
from checks.context import CheckContext, open_context
from checks.model import Outcome, Status
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator

MY_CHECKS = (
    "token.endpoint",
    "token.claims",
    "websocket.connect",
    "websocket.origin",
    "subscribe",
    "roundtrip",
)
CheckFn = Callable[[CheckContext], Awaitable[Outcome]]


def assert_nothing_left() -> None:
    gc.collect()  # a socket or transport dropped without closing warns here, and fails the test
    assert asyncio.all_tasks() == {asyncio.current_task()}


@pytest.fixture
async def hole() -> AsyncIterator[BlackHole]:
    async with BlackHole() as black_hole:
        yield black_hole


def silent_target(hole: BlackHole) -> Target:
    return Target(
        centrifugo_url=hole.url,
        centrifugo_api_key=SecretStr("key"),
        centrifugo_token_hmac_secret_key=SecretStr("secret"),
        app_token_url=f"{hole.url}/api/v1/centrifugo/token",
        browser_origin="https://app.example.com",
        check_timeout=2.0,
    )


async def test_silent_host_every_check_accounted_for_in_time(hole: BlackHole) -> None:
    started = time.perf_counter()

    report = await run_checks(MY_CHECKS, silent_target(hole), org="123")

    assert time.perf_counter() - started < 3.0
    statuses = {check.id: check.status for check in report.checks}
    assert set(MY_CHECKS) <= set(statuses)
    assert {statuses[c] for c in ("token.endpoint", "websocket.connect", "websocket.origin")} == {
        Status.FAIL
    }
    assert {statuses[c] for c in ("token.claims", "subscribe", "roundtrip")} == {Status.SKIP}
    for check in report.checks:
        assert check.summary and not check.summary.startswith("internal error"), check
    for check_id in ("token.endpoint", "websocket.connect", "websocket.origin"):
        result = report.get(check_id)
        assert result is not None and result.duration_ms < 2000, "own failure, not the runner's"
        assert not result.summary.startswith("no answer within 2 s"), result.summary
    assert_nothing_left()


async def test_healthy_run_leaves_nothing() -> None:
    async with Emulator() as emulator:  # its own keep-alive handlers end with it
        report = await run_checks(MY_CHECKS[2:], target_for(emulator), org="123")

    assert {check.id: check.status for check in report.checks if check.id in MY_CHECKS} == {
        "websocket.connect": Status.OK,
        "websocket.origin": Status.SKIP,  # no BROWSER_ORIGIN
        "subscribe": Status.OK,
        "roundtrip": Status.OK,
    }
    assert_nothing_left()


@pytest.mark.parametrize("fault", [Fault.DROP_DELIVERIES, Fault.BROKER_DOWN, Fault.SLOW])
async def test_failing_runs_leave_nothing(fault: Fault) -> None:
    async with Emulator(EmulatorConfig(faults={fault}, slow_seconds=5)) as emulator:
        await run_checks(MY_CHECKS[2:], target_for(emulator, check_timeout=1.0), org="123")
    assert_nothing_left()


@pytest.mark.parametrize(
    "check",
    [websocket.connect, subscribe.subscribe, roundtrip.roundtrip],
    ids=["connect", "subscribe", "roundtrip"],
)
@pytest.mark.parametrize("cancel_after", [0.05, 0.3])
async def test_cancelled_mid_session_leaves_nothing(check: CheckFn, cancel_after: float) -> None:
    """Cancelled while waiting for a connect reply the slow server holds back."""
    config = EmulatorConfig(faults={Fault.SLOW}, slow_seconds=5)
    async with (
        Emulator(config) as emulator,
        open_context(target_for(emulator, check_timeout=5.0), org="1") as ctx,
    ):
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(cancel_after):
                await check(ctx)
    assert_nothing_left()


@pytest.mark.parametrize("check", [websocket.connect, websocket.origin], ids=["connect", "origin"])
async def test_cancelled_mid_upgrade_leaves_nothing(hole: BlackHole, check: CheckFn) -> None:
    target = Target(
        centrifugo_url=hole.url,
        centrifugo_token_hmac_secret_key=SecretStr("secret"),
        browser_origin="https://app.example.com",
        check_timeout=5.0,
    )
    async with open_context(target) as ctx:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.1):
                await check(ctx)
    assert_nothing_left()


@pytest.mark.parametrize("ending", ["own-timeout", "cancelled"])
async def test_the_server_sees_the_socket_closed(ending: str) -> None:
    """A server that upgrades and then never replies still gets its connection back."""

    async def silent(ws: ServerConnection) -> None:
        await ws.wait_closed()

    async with serve(silent, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        target = Target(
            centrifugo_url=f"http://127.0.0.1:{port}",
            centrifugo_token_hmac_secret_key=SecretStr("secret"),
            check_timeout=0.5,
        )
        async with open_context(target) as ctx:
            if ending == "cancelled":
                with pytest.raises(TimeoutError):
                    async with asyncio.timeout(0.2):
                        await websocket.connect(ctx)
            else:
                outcome = await websocket.connect(ctx)
                assert outcome.cause == "timeout"
            await asyncio.sleep(0.05)
            assert not server.connections
    assert_nothing_left()
