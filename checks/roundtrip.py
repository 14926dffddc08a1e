"""Runbook problem 3, second half: does a message published through the HTTP API reach a
WebSocket subscriber? Probes go to PROBE_CHANNEL only, never to an org channel, because org
channels reach real customers' browsers.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from checks.centrifugo_api import CentrifugoApi
from checks.connection_token import connection_token
from checks.context import CheckContext
from checks.errors import ApiError, CentrifugoError, NoAnswer
from checks.model import Outcome, Problem, fail, ok
from checks.protocol import Closed, ReplyError, Session
from checks.realtime import Deadline, connected, deadline_for, explain
from checks.registry import check
from checks.subscribe import refused
from checks.ws_transport import bounded

PROBE_KEY = "centrifugo_bot_probe"
MAX_WAIT_SECONDS = 3.0
WAIT_SHARE = 0.6  # of CHECK_TIMEOUT: a lost message is reported before the runner's timeout
BROKER_DOWN = "the broker (Redis) is failing"


def probe_channel(channel: str) -> str:
    """PROBE_CHANNEL, refusing any org channel (`$` prefix or not): probes must not reach users."""
    if channel.lstrip("$").startswith("org:"):
        raise ValueError(f"PROBE_CHANNEL {channel!r} is an org channel; probes would reach users")
    return channel


def probe_payload(marker: str) -> dict[str, Any]:
    return {PROBE_KEY: marker, "sent_at": datetime.now(UTC).isoformat(timespec="milliseconds")}


@check(
    "roundtrip",
    "Published message reaches a subscriber",
    needs=("websocket.connect", "server.auth"),
    problem=Problem.NO_UPDATES,
)
async def roundtrip(ctx: CheckContext) -> Outcome:
    try:
        channel = probe_channel(ctx.target.probe_channel)
    except ValueError as exc:
        return fail(str(exc), Problem.CHECKLIST)
    deadline = deadline_for(ctx)
    wait = min(ctx.timeout * WAIT_SHARE, MAX_WAIT_SECONDS)
    token = await connection_token(ctx)
    try:
        async with connected(ctx, deadline, token) as (session, _):
            await session.subscribe(channel, within=deadline.left())
            return await publish_and_wait(ctx.api, session, channel, min(wait, deadline.left()))
    except ReplyError as exc:
        return refused(channel, exc, {channel: f"error {exc.code}"})
    except Closed as exc:
        if exc.code != 3004:
            return explain(exc, token)
        return await broker_verdict(ctx.api, channel)
    except CentrifugoError as exc:
        return explain(exc, token)


async def publish_and_wait(
    api: CentrifugoApi, session: Session, channel: str, wait: float
) -> Outcome:
    """Publish a unique probe and time its arrival; the listener starts before the publish."""
    marker = uuid.uuid4().hex
    listener = asyncio.create_task(wait_for(session, channel, marker, wait), name="roundtrip:wait")
    started = time.perf_counter()
    try:
        try:
            async with bounded(wait, "no answer to publish"):
                result = await api.publish(channel, probe_payload(marker))
        except CentrifugoError as exc:
            return publish_failed(channel, exc)
        try:
            received_at = await listener
        except NoAnswer:
            return not_delivered(channel, marker, result, wait)
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
    latency_ms = round((received_at - started) * 1000, 1)
    summary = f"probe published on {channel} arrived over the WebSocket in {latency_ms} ms"
    return ok(summary, channel=channel, latency_ms=latency_ms)


def not_delivered(channel: str, marker: str, result: dict[str, Any], wait: float) -> Outcome:
    summary = (
        f"published probe {marker[:8]} to {channel} (offset {result.get('offset', '?')}) but "
        f"nothing arrived over the WebSocket within {wait:.3g} s: Redis pub/sub between nodes "
        "or a channel mismatch"
    )
    return fail(summary, Problem.NO_UPDATES, "not_delivered", channel=channel, waited_s=wait)


async def wait_for(session: Session, channel: str, marker: str, wait: float) -> float:
    """When the probe with `marker` arrived (other traffic on the channel is skipped)."""
    deadline = Deadline(wait)
    while True:
        publication = await session.next_publication(channel, within=deadline.left())
        data = publication.data
        if isinstance(data, dict) and data.get(PROBE_KEY) == marker:
            return publication.received_at


def publish_failed(channel: str, exc: CentrifugoError) -> Outcome:
    if not isinstance(exc, ApiError):
        summary = f"publish to {channel} failed: {exc}"
        return fail(summary, Problem.NO_UPDATES, "publish_failed", channel=channel)
    if exc.code == 102:
        summary = f"publish to {channel}: error 102 unknown channel (namespace not configured)"
        return fail(summary, Problem.NO_UPDATES, "unknown_channel", channel=channel, code=102)
    reason = BROKER_DOWN if exc.code == 100 else "the publish was refused"
    summary = f"publish to {channel} answered error {exc.code} {exc.message}: {reason}"
    return fail(summary, Problem.NO_UPDATES, "publish_failed", channel=channel, code=exc.code)


async def broker_verdict(api: CentrifugoApi, channel: str) -> Outcome:
    """Subscribing closed with 3004; a publish tells a dead broker from other server failures."""
    try:
        await api.publish(channel, probe_payload(uuid.uuid4().hex))
    except ApiError as exc:
        if exc.code == 100:
            summary = f"subscribe closed 3004 and publish answered error 100: {BROKER_DOWN}"
            return fail(summary, Problem.NO_UPDATES, "publish_failed", channel=channel, code=100)
    except CentrifugoError:
        pass
    summary = f"subscribing to {channel} closed 3004 internal server error: {BROKER_DOWN}?"
    return fail(summary, Problem.NO_UPDATES, "subscribe_internal", channel=channel)
