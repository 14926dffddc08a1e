"""The subscribe check against the emulator: both org channels, and every refusal explained with
the setting to change."""

from __future__ import annotations

import pytest

from checks import subscribe
from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.protocol import Closed, ReplyError
from checks.remediation import CAUSES
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.centrifugo.config import EmulatorConfig, Fault, Namespace
from tests.fakes.centrifugo.server import Emulator

ORG = "123"
CHANNELS = ("org:123:messages", "org:123:tickets")


def expect(outcome: Outcome, status: Status, problem: Problem | None, cause: str | None) -> None:
    assert (outcome.status, outcome.problem, outcome.cause) == (status, problem, cause), outcome
    if problem is not None and cause is not None:
        assert cause in CAUSES[problem], "the remediation catalogue must know this cause"


async def run(target: Target, org: str = ORG) -> Outcome:
    async with open_context(target, org=org) as ctx:
        return await subscribe.subscribe(ctx)


async def test_both_org_channels_subscribe(emulator: Emulator, target: Target) -> None:
    outcome = await run(target)

    expect(outcome, Status.OK, None, None)
    assert outcome.summary == "subscribed to org:123:messages and org:123:tickets"
    assert outcome.details == {"channels": dict.fromkeys(CHANNELS, "subscribed")}


async def test_missing_namespace_is_unknown_channel(emulator: Emulator, target: Target) -> None:
    emulator.config.faults.add(Fault.NO_ORG_NAMESPACE)

    outcome = await run(target)

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "unknown_channel")
    assert outcome.summary == (
        "org:123:messages: error 102 unknown channel; namespace 'org' is not configured: "
        "add it to namespaces (v5) / channel.namespaces (v6)"
    )
    assert set(outcome.details["channels"].values()) == {
        "error 102 unknown channel (the channel's namespace is not configured)"
    }


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(EmulatorConfig(faults={Fault.ORG_NOT_PERMITTED}), id="fault"),
        pytest.param(
            EmulatorConfig(namespaces={"org": Namespace("org", allow_subscribe_for_client=False)}),
            id="namespace-config",
        ),
    ],
)
async def test_not_permitted_is_permission_denied(config: EmulatorConfig) -> None:
    async with Emulator(config) as emulator:
        outcome = await run(target_for(emulator))

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "permission_denied")
    assert outcome.summary == (
        "org:123:messages: error 103 permission denied; namespace 'org' needs "
        "allow_subscribe_for_client: true, or the app must issue subscription tokens"
    )


async def test_broker_down_closes_while_subscribing(emulator: Emulator, target: Target) -> None:
    emulator.config.faults.add(Fault.BROKER_DOWN)

    outcome = await run(target)

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "subscribe_internal")
    assert outcome.summary == (
        "closed 3004 internal server error while subscribing to org:123:messages: "
        "the broker (Redis) is failing"
    )
    assert outcome.details["channels"]["org:123:messages"].startswith("closed 3004")


async def test_a_refused_connection_is_explained_as_such(
    emulator: Emulator, target: Target
) -> None:
    emulator.config.faults.add(Fault.REJECT_TOKENS)

    outcome = await run(target)

    expect(outcome, Status.FAIL, Problem.CONNECTION, "ws_invalid_token")


@pytest.mark.parametrize(
    ("code", "message", "cause"),
    [
        (109, "token expired", "sub_token_expired"),
        (105, "already subscribed", "already_subscribed"),
        (106, "limit exceeded", None),
    ],
)
def test_other_subscribe_errors(code: int, message: str, cause: str | None) -> None:
    outcome = subscribe.refused("org:1:tickets", ReplyError(code, message), {})

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, cause)
    assert outcome.summary.startswith(f"org:1:tickets: error {code} {message}; ")


def test_top_level_channel_options_are_named() -> None:
    outcome = subscribe.refused("test", ReplyError(103, "permission denied"), {})

    assert "the top-level channel options (v6 channel.without_namespace) needs" in outcome.summary


def test_other_closes_while_subscribing_keep_their_meaning() -> None:
    results = {CHANNELS[0]: subscribe.NO_REPLY}

    outcome = subscribe.subscribe_closed(Closed(3012, "no pong"), results)

    expect(outcome, Status.FAIL, Problem.CONNECTION, "ws_no_pong")
    assert outcome.summary.startswith("closed 3012 no pong")


async def test_runner_needs_an_org(target: Target) -> None:
    report = await run_checks(["subscribe"], target)

    result = report.get("subscribe")
    assert result is not None and result.status is Status.SKIP
    assert result.summary == "needs an org: run it as `diagnose org ID`"


async def test_runner_remediation_for_a_missing_namespace(
    emulator: Emulator, target: Target
) -> None:
    emulator.config.faults.add(Fault.NO_ORG_NAMESPACE)

    report = await run_checks(["subscribe"], target, org=ORG)

    result = report.get("subscribe")
    assert result is not None and result.status is Status.FAIL
    assert result.remediation is not None and result.remediation.problem is Problem.NO_UPDATES
    assert any("namespace" in step for step in result.remediation.steps)
