"""The `redis` check against real redis-server processes: healthy, slow, refused, killed, silent,
wrong or missing password, pub/sub denied by an ACL; bounded by CHECK_TIMEOUT, and the password
never in what it reports."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.redis_health import redis_health
from checks.remediation import CAUSES
from checks.runner import run_checks
from checks.target import Target
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.redis_server import RedisServer, SlowProxy, free_port

TIMEOUT = 2.0
ACL_PASSWORD = "Ac9l-limited-pw"


def target(url: str, timeout: float = TIMEOUT) -> Target:
    return Target(redis_url=SecretStr(url), check_timeout=timeout)


async def probe(url: str, check_timeout: float = TIMEOUT) -> Outcome:
    """The check's own outcome (with its cause), under the same bound the runner applies."""
    async with open_context(target(url, check_timeout)) as ctx, asyncio.timeout(check_timeout):
        return await redis_health(ctx)


def reported(outcome: Outcome) -> str:
    return f"{outcome.summary} {outcome.details!r}"


def assert_no_password(outcome: Outcome, password: str) -> None:
    text = reported(outcome)
    for form in (password, quote(password, safe=""), password[:4]):
        assert form not in text


async def test_healthy_redis_reports_latency_version_role_and_pubsub(
    redis_server: RedisServer,
) -> None:
    outcome = await probe(redis_server.url())
    assert outcome.status is Status.OK, outcome.summary
    details = outcome.details
    assert 0 < details["ping_ms"] < 100
    assert details["pubsub_ms"] > 0
    assert details["redis_version"].split(".")[0].isdigit()
    assert details["role"] == "master"
    assert details["address"] == redis_server.address
    assert "Centrifugo may use a different address" in details["view"]
    assert outcome.summary.startswith(f"PONG in {details['ping_ms']:g} ms from 127.0.0.1:")
    assert "as the bot sees it" in outcome.summary


async def test_password_protected_redis_with_the_right_password_passes(
    redis_server_with_password: RedisServer,
) -> None:
    server = redis_server_with_password
    assert server.password is not None
    outcome = await probe(server.url(server.password))
    assert outcome.status is Status.OK, outcome.summary
    assert_no_password(outcome, server.password)


@pytest.mark.parametrize(
    ("given", "summary"),
    [
        pytest.param(None, "needs a password", id="missing-password"),
        pytest.param("Wr0ng-password!", "rejected the password in REDIS_URL", id="wrong-password"),
    ],
)
async def test_bad_credentials_are_redis_auth(
    redis_server_with_password: RedisServer, given: str | None, summary: str
) -> None:
    server = redis_server_with_password
    assert server.password is not None
    outcome = await probe(server.url(given))
    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.REDIS,
        "redis_auth",
    )
    assert outcome.summary == f"Redis at {server.address} {summary}"
    assert_no_password(outcome, server.password)
    if given:
        assert_no_password(outcome, given)


async def test_killed_server_is_unreachable(redis_server: RedisServer) -> None:
    assert (await probe(redis_server.url())).status is Status.OK
    redis_server.kill()
    outcome = await probe(redis_server.url())
    assert (outcome.status, outcome.cause) == (Status.FAIL, "redis_unreachable")
    assert outcome.summary.startswith(f"cannot reach Redis at {redis_server.address} from the bot")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("redis://:{pw}@127.0.0.1:{port}/0", id="closed-port-with-password"),
        pytest.param("redis://127.0.0.1:{port}", id="closed-port"),
    ],
)
async def test_closed_port_is_unreachable_and_names_host_port_only(url: str) -> None:
    password, port = "Cl0sed-port-pw", free_port()
    outcome = await probe(url.format(pw=password, port=port))
    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.REDIS,
        "redis_unreachable",
    )
    assert f"127.0.0.1:{port}" in outcome.summary
    assert_no_password(outcome, password)


async def test_silent_host_fails_within_the_check_timeout() -> None:
    async with BlackHole() as hole:
        started = time.perf_counter()
        outcome = await probe(f"redis://:S1lent-pw@127.0.0.1:{hole.port}/0", check_timeout=1.0)
        elapsed = time.perf_counter() - started
    assert (outcome.status, outcome.cause) == (Status.FAIL, "redis_unreachable")
    assert outcome.details["phase"] == "connect"
    assert elapsed < 1.0
    assert_no_password(outcome, "S1lent-pw")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://redis.internal:6379", id="wrong-scheme"),
        pytest.param("redis://:Inv4lid-pw@127.0.0.1:notaport/0", id="bad-port"),
    ],
)
async def test_invalid_url_fails_without_echoing_it(url: str) -> None:
    outcome = await probe(url)
    assert outcome.summary == "REDIS_URL is not a valid redis:// URL"
    assert (outcome.status, outcome.cause) == (Status.FAIL, "redis_unreachable")
    assert "Inv4" not in reported(outcome)


async def test_slow_redis_warns_with_the_measured_latency(redis_server: RedisServer) -> None:
    async with SlowProxy(redis_server.port, delay=0.12) as proxy:
        outcome = await probe(f"redis://127.0.0.1:{proxy.port}/0", check_timeout=5.0)
    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.WARN,
        Problem.REDIS,
        "redis_slow",
    )
    assert outcome.details["ping_ms"] >= 100
    assert outcome.summary.startswith(f"PING took {outcome.details['ping_ms']:g} ms")


async def test_pubsub_denied_by_acl_is_redis_pubsub(redis_server: RedisServer) -> None:
    """A user who may PING and PUBLISH but not SUBSCRIBE to the probe channel, like a managed
    Redis that restricts channels."""
    admin = Redis.from_url(redis_server.url())
    try:
        await admin.execute_command(
            "ACL", "SETUSER", "limited", "on", f">{ACL_PASSWORD}", "~*", "&other:*", "+@all"
        )
    finally:
        await admin.aclose()
    outcome = await probe(f"redis://limited:{ACL_PASSWORD}@{redis_server.address}/0")
    assert (outcome.status, outcome.cause) == (Status.FAIL, "redis_pubsub")
    assert outcome.details["phase"] == "pubsub"
    assert "ping_ms" in outcome.details  # PING worked: it is pub/sub that is blocked
    assert_no_password(outcome, ACL_PASSWORD)


@asynccontextmanager
async def killed(server: RedisServer) -> AsyncIterator[None]:
    server.kill()
    yield


Scenario = Callable[[RedisServer], AbstractAsyncContextManager[Any]]


@pytest.mark.parametrize(
    ("scenario", "status", "remediation"),
    [
        pytest.param(lambda s: nullcontext(), Status.OK, False, id="healthy"),
        pytest.param(killed, Status.FAIL, True, id="killed"),
    ],
)
async def test_through_the_runner(
    redis_server: RedisServer, scenario: Scenario, status: Status, remediation: bool
) -> None:
    async with scenario(redis_server):
        report = await run_checks(["redis"], target(redis_server.url()))
    result = report.get("redis")
    assert result is not None and result.status is status
    assert (result.remediation is not None) is remediation
    if result.remediation is not None:
        assert result.remediation.problem is Problem.REDIS


async def test_skipped_when_not_configured() -> None:
    report = await run_checks(["redis"], Target(check_timeout=TIMEOUT))
    result = report.get("redis")
    assert result is not None
    assert (result.status, result.summary) == (Status.SKIP, "not configured: REDIS_URL")


@pytest.mark.parametrize("cause", ["redis_unreachable", "redis_auth", "redis_slow", "redis_pubsub"])
def test_every_cause_is_in_the_remediation_catalogue(cause: str) -> None:
    assert cause in CAUSES[Problem.REDIS]
