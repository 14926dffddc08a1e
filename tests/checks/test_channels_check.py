"""The `channels` check against the emulator: pattern listings, the org's two channels with and
without browsers listening, and the broker failure that makes the call itself fail."""

from __future__ import annotations

from typing import Any

import pytest

from checks.channels import channels
from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.target import Target
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator


async def ignore(channel: str, publication: dict[str, Any]) -> None:
    """A browser tab that receives and drops publications."""


def subscribe(emulator: Emulator, *channel_names: str, user: str = "42") -> None:
    """One more connected browser subscribed to `channel_names`."""
    emulator.hub.add(user, ignore).channels.update(channel_names)


async def check_channels(
    target: Target, *, org: str | None = None, pattern: str | None = None
) -> Outcome:
    async with open_context(target, org=org, channel_pattern=pattern) as ctx:
        return await channels(ctx)


async def test_without_org_or_pattern_it_skips(target: Target) -> None:
    outcome = await check_channels(target)

    assert outcome.status is Status.SKIP
    assert outcome.summary.startswith("needs an org or a pattern")


async def test_org_channels_with_subscribers(emulator: Emulator, target: Target) -> None:
    subscribe(emulator, "org:123:messages", "org:123:tickets")
    subscribe(emulator, "org:123:messages", user="43")
    subscribe(emulator, "org:999:messages")

    outcome = await check_channels(target, org="123")

    assert (outcome.status, outcome.summary) == (
        Status.OK,
        "org channels have subscribers: org:123:messages 2, org:123:tickets 1",
    )
    assert outcome.details["channels"] == {"org:123:messages": 2, "org:123:tickets": 1}


async def test_org_channels_nobody_listens_to_warn(emulator: Emulator, target: Target) -> None:
    subscribe(emulator, "org:999:messages")

    outcome = await check_channels(target, org="123")

    assert (outcome.status, outcome.problem, outcome.cause, outcome.summary) == (
        Status.WARN,
        Problem.NO_UPDATES,
        "no_subscribers",
        "no browser is subscribed right now to org:123:messages or org:123:tickets",
    )
    assert (outcome.details["observed"], outcome.details["expected"]) == (0, 1)


async def test_one_idle_org_channel_warns_and_names_it(emulator: Emulator, target: Target) -> None:
    subscribe(emulator, "org:123:messages")

    outcome = await check_channels(target, org="123")

    assert (outcome.status, outcome.cause) == (Status.WARN, "no_subscribers")
    assert outcome.summary == (
        "no browser is subscribed right now to org:123:tickets "
        "(org:123:messages 1, org:123:tickets 0 subscribers)"
    )


async def test_a_pattern_lists_matching_channels_busiest_first(
    emulator: Emulator, target: Target
) -> None:
    subscribe(emulator, "org:1:messages", "org:2:tickets", "test")
    subscribe(emulator, "org:2:tickets")

    outcome = await check_channels(target, pattern="org:*")

    assert (outcome.status, outcome.summary) == (
        Status.OK,
        "channels matching 'org:*': 2 active, 3 subscribers",
    )
    assert list(outcome.details["channels"].items()) == [
        ("org:2:tickets", 2),
        ("org:1:messages", 1),
    ]


async def test_a_pattern_listing_keeps_the_top_twenty(emulator: Emulator, target: Target) -> None:
    for number in range(25):
        subscribe(emulator, f"test:{number:02d}")

    outcome = await check_channels(target, pattern="test:*")

    assert (
        outcome.summary == "channels matching 'test:*': 25 active, 25 subscribers (top 20 listed)"
    )
    assert len(outcome.details["channels"]) == 20
    assert outcome.details["observed"] == 25


@pytest.mark.parametrize("transport_mode", [False, True], ids=["default-mode", "transport-mode"])
async def test_broker_down_fails_as_a_redis_problem(
    emulator: Emulator, target: Target, transport_mode: bool
) -> None:
    # In transport error mode the same error 100 comes back as HTTP 500 {"code","message"}.
    emulator.config.transport_error_mode = transport_mode
    emulator.config.faults.add(Fault.BROKER_DOWN)

    outcome = await check_channels(target, org="123")

    assert (outcome.status, outcome.problem, outcome.cause, outcome.summary) == (
        Status.FAIL,
        Problem.REDIS,
        "redis_unreachable",
        "channels call failed: internal server error (broker/Redis down?)",
    )


@pytest.mark.parametrize(
    ("fault", "cause"),
    [(Fault.SERVER_ERROR, "proxy_error"), (Fault.NON_JSON, "not_centrifugo")],
    ids=["502", "html"],
)
async def test_other_call_failures_are_connection_problems(
    emulator: Emulator, target: Target, fault: Fault, cause: str
) -> None:
    emulator.config.faults.add(fault)

    outcome = await check_channels(target, pattern="*")

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.CONNECTION,
        cause,
    )
    assert outcome.summary.startswith("POST /api/channels")
