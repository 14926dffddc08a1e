"""The roundtrip check against the emulator: a probe published through the API arrives over the
WebSocket, or the failure says where it was lost. Probes never go to org channels."""

from __future__ import annotations

import time

import pytest
from pydantic import SecretStr

from checks import roundtrip
from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.realtime import connected, deadline_for
from checks.remediation import CAUSES
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.app_token import FakeApp, Mode
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator


def expect(outcome: Outcome, status: Status, problem: Problem | None, cause: str | None) -> None:
    assert (outcome.status, outcome.problem, outcome.cause) == (status, problem, cause), outcome
    if problem is not None and cause is not None:
        assert cause in CAUSES[problem], "the remediation catalogue must know this cause"


async def run(target: Target) -> Outcome:
    async with open_context(target) as ctx:
        return await roundtrip.roundtrip(ctx)


def probes(emulator: Emulator) -> list[tuple[str, dict[str, str]]]:
    return [
        (channel, data)
        for channel, data in emulator.hub.published
        if isinstance(data, dict) and roundtrip.PROBE_KEY in data
    ]


async def test_probe_arrives_and_latency_is_reported(emulator: Emulator, target: Target) -> None:
    outcome = await run(target)

    expect(outcome, Status.OK, None, None)
    latency = outcome.details["latency_ms"]
    assert outcome.summary == f"probe published on test arrived over the WebSocket in {latency} ms"
    assert 0 < latency < 1000
    [(channel, payload)] = probes(emulator)
    assert channel == "test"
    assert set(payload) == {roundtrip.PROBE_KEY, "sent_at"}
    assert len(payload[roundtrip.PROBE_KEY]) == 32


async def test_other_traffic_on_the_probe_channel_is_skipped(
    emulator: Emulator, target: Target
) -> None:
    async with open_context(target) as ctx, connected(ctx, deadline_for(ctx)) as (session, _):
        await session.subscribe("test", within=1)
        await emulator.hub.publish("test", {"someone": "else"})
        outcome = await roundtrip.publish_and_wait(ctx.api, session, "test", 1.0)

    expect(outcome, Status.OK, None, None)


async def test_dropped_deliveries_fail_before_the_runners_timeout(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.DROP_DELIVERIES)
    target = target_for(emulator, check_timeout=2.0)

    report = await run_checks(["roundtrip"], target)

    result = report.get("roundtrip")
    assert result is not None and result.status is Status.FAIL
    assert result.summary.endswith(
        "but nothing arrived over the WebSocket within 1.2 s: Redis pub/sub between nodes "
        "or a channel mismatch"
    )
    assert result.remediation is not None and result.remediation.problem is Problem.NO_UPDATES
    assert result.duration_ms < 2000


async def test_dropped_deliveries_cause(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.DROP_DELIVERIES)

    outcome = await run(target_for(emulator, check_timeout=1.0))

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "not_delivered")
    assert outcome.details["waited_s"] == 0.6


async def test_a_short_budget_reports_the_wait_it_really_had(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Half the check's budget already spent, so less than the planned 0.6 s is left to listen.
    spent = roundtrip.Deadline(0.85, time.perf_counter() - 0.5)
    monkeypatch.setattr(roundtrip, "deadline_for", lambda ctx: spent)
    emulator.config.faults.add(Fault.DROP_DELIVERIES)
    started = time.perf_counter()

    outcome = await run(target_for(emulator, check_timeout=1.0))

    elapsed = time.perf_counter() - started
    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "not_delivered")
    waited = outcome.details["waited_s"]
    assert waited < 0.4 and abs(elapsed - waited) < 0.1
    assert f"within {waited:.3g} s" in outcome.summary


TRANSPORT_MODES = pytest.mark.parametrize(
    "transport_mode", [False, True], ids=["default-mode", "transport-mode"]
)


@TRANSPORT_MODES
async def test_broker_down_is_named_by_the_publish(
    emulator: Emulator, target: Target, transport_mode: bool
) -> None:
    emulator.config.transport_error_mode = transport_mode
    emulator.config.faults.add(Fault.BROKER_DOWN)

    outcome = await run(target)

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "publish_failed")
    assert outcome.summary == (
        "subscribe closed 3004 and publish answered error 100: the broker (Redis) is failing"
    )


@TRANSPORT_MODES
async def test_publish_failing_after_subscribe(
    emulator: Emulator, target: Target, transport_mode: bool
) -> None:
    emulator.config.transport_error_mode = transport_mode
    async with open_context(target) as ctx, connected(ctx, deadline_for(ctx)) as (session, _):
        await session.subscribe("test", within=1)
        emulator.config.faults.add(Fault.BROKER_DOWN)
        outcome = await roundtrip.publish_and_wait(ctx.api, session, "test", 1.0)

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "publish_failed")
    assert outcome.summary == (
        "publish to test answered error 100 internal server error: the broker (Redis) is failing"
    )


async def test_an_expired_app_token_is_a_token_problem_not_a_subscription_one(
    emulator: Emulator,
) -> None:
    async with FakeApp(emulator.config.hmac_secret, mode=Mode.EXPIRED) as app:
        outcome = await run(target_for(emulator, app_token_url=app.url))

    expect(outcome, Status.FAIL, Problem.TOKEN, "token_expired")
    assert outcome.summary.startswith("connect answered error 109 token expired")
    assert outcome.summary.endswith(": the app's token is expired")
    assert probes(emulator) == []


async def test_unknown_probe_namespace(emulator: Emulator) -> None:
    outcome = await run(target_for(emulator, probe_channel="probes:bot"))

    expect(outcome, Status.FAIL, Problem.NO_UPDATES, "unknown_channel")
    assert outcome.summary.startswith("probes:bot: error 102 unknown channel; namespace 'probes'")


@pytest.mark.parametrize("channel", ["org:123:messages", "$org:123:tickets", "org:"])
async def test_never_probes_an_org_channel(emulator: Emulator, channel: str) -> None:
    outcome = await run(target_for(emulator, probe_channel=channel))

    expect(outcome, Status.FAIL, Problem.CHECKLIST, None)
    assert "is an org channel; probes would reach users" in outcome.summary
    assert emulator.hub.published == []


async def test_runner_skips_without_the_api_key(emulator: Emulator) -> None:
    target = target_for(emulator, centrifugo_api_key=SecretStr("wrong-key"))
    started = time.perf_counter()

    report = await run_checks(["roundtrip"], target)

    result = report.get("roundtrip")
    assert result is not None and result.status is Status.SKIP
    assert result.summary == "needs server.auth, which failed"
    assert probes(emulator) == []
    assert time.perf_counter() - started < 2
