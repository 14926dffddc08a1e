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
from checks.model import Language, Outcome, Problem, fail, ok, say
from checks.protocol import Closed, ReplyError, Session
from checks.realtime import Deadline, connected, deadline_for, explain
from checks.registry import check
from checks.subscribe import refused
from checks.ws_transport import bounded, worded

PROBE_KEY = "centrifugo_bot_probe"
MAX_WAIT_SECONDS = 3.0
WAIT_SHARE = 0.6  # of CHECK_TIMEOUT: a lost message is reported before the runner's timeout
BROKER_DOWN = ("the broker (Redis) is failing", "o broker (Redis) está falhando")


def probe_channel(channel: str) -> str:
    """PROBE_CHANNEL, refusing any org channel (`$` prefix or not): probes must not reach users."""
    if channel.lstrip("$").startswith("org:"):
        raise ValueError(org_channel_refused(channel, "en"))
    return channel


def org_channel_refused(channel: str, lang: Language) -> str:
    return say(
        lang,
        f"PROBE_CHANNEL {channel!r} is an org channel; probes would reach users",
        f"PROBE_CHANNEL {channel!r} é um canal de org; os probes chegariam aos usuários",
    )


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
    except ValueError:
        return fail(org_channel_refused(ctx.target.probe_channel, ctx.lang), Problem.CHECKLIST)
    deadline = deadline_for(ctx)
    wait = min(ctx.timeout * WAIT_SHARE, MAX_WAIT_SECONDS)
    token = await connection_token(ctx)
    try:
        async with connected(ctx, deadline, token) as (session, _):
            # Only the subscribe's error reply is about the channel; one to the connect is
            # about the connection token, which explain() below reads.
            try:
                await session.subscribe(channel, within=deadline.left())
            except ReplyError as exc:
                return refused(channel, exc, {channel: f"error {exc.code}"}, ctx.lang)
            left = min(wait, deadline.left())
            return await publish_and_wait(ctx.api, session, channel, left, ctx.lang)
    except Closed as exc:
        if exc.code != 3004:
            return explain(exc, token, lang=ctx.lang)
        return await broker_verdict(ctx.api, channel, ctx.lang)
    except CentrifugoError as exc:
        return explain(exc, token, lang=ctx.lang)


async def publish_and_wait(
    api: CentrifugoApi, session: Session, channel: str, wait: float, lang: Language = "en"
) -> Outcome:
    """Publish a unique probe and time its arrival; the listener starts before the publish."""
    marker = uuid.uuid4().hex
    listener = asyncio.create_task(wait_for(session, channel, marker, wait), name="roundtrip:wait")
    started = time.perf_counter()
    try:
        try:
            async with bounded(wait, "no answer to publish", "sem resposta ao publish"):
                result = await api.publish(channel, probe_payload(marker))
        except CentrifugoError as exc:
            return publish_failed(channel, exc, lang)
        try:
            received_at = await listener
        except NoAnswer:
            return not_delivered(channel, marker, result, wait, lang)
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
    latency_ms = round((received_at - started) * 1000, 1)
    summary = say(
        lang,
        f"probe published on {channel} arrived over the WebSocket in {latency_ms} ms",
        f"probe publicado em {channel} chegou pelo WebSocket em {latency_ms} ms",
    )
    return ok(summary, channel=channel, latency_ms=latency_ms)


def not_delivered(
    channel: str, marker: str, result: dict[str, Any], wait: float, lang: Language
) -> Outcome:
    offset = result.get("offset", "?")
    summary = say(
        lang,
        f"published probe {marker[:8]} to {channel} (offset {offset}) but "
        f"nothing arrived over the WebSocket within {wait:.3g} s: Redis pub/sub between nodes "
        "or a channel mismatch",
        f"probe {marker[:8]} publicado em {channel} (offset {offset}), mas nada chegou pelo "
        f"WebSocket em {wait:.3g} s: pub/sub do Redis entre os nós ou canal divergente",
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


def publish_failed(channel: str, exc: CentrifugoError, lang: Language) -> Outcome:
    if not isinstance(exc, ApiError):
        error = worded(exc, lang)
        summary = say(
            lang, f"publish to {channel} failed: {exc}", f"publish em {channel} falhou: {error}"
        )
        return fail(summary, Problem.NO_UPDATES, "publish_failed", channel=channel)
    if exc.code == 102:
        summary = say(
            lang,
            f"publish to {channel}: error 102 unknown channel (namespace not configured)",
            f"publish em {channel}: erro 102 unknown channel (namespace não configurado)",
        )
        return fail(summary, Problem.NO_UPDATES, "unknown_channel", channel=channel, code=102)
    error = f"{exc.code} {exc.message}"
    if exc.code == 100:
        reason = say(lang, *BROKER_DOWN)
    else:
        reason = say(lang, "the publish was refused", "o publish foi recusado")
    summary = say(
        lang,
        f"publish to {channel} answered error {error}: {reason}",
        f"publish em {channel} respondeu erro {error}: {reason}",
    )
    return fail(summary, Problem.NO_UPDATES, "publish_failed", channel=channel, code=exc.code)


async def broker_verdict(api: CentrifugoApi, channel: str, lang: Language) -> Outcome:
    """Subscribing closed with 3004; a publish tells a dead broker from other server failures."""
    broker_down = say(lang, *BROKER_DOWN)
    try:
        await api.publish(channel, probe_payload(uuid.uuid4().hex))
    except ApiError as exc:
        if exc.code == 100:
            summary = say(
                lang,
                f"subscribe closed 3004 and publish answered error 100: {broker_down}",
                f"o subscribe fechou com 3004 e o publish respondeu erro 100: {broker_down}",
            )
            return fail(summary, Problem.NO_UPDATES, "publish_failed", channel=channel, code=100)
    except CentrifugoError:
        pass
    summary = say(
        lang,
        f"subscribing to {channel} closed 3004 internal server error: {broker_down}?",
        f"a inscrição em {channel} fechou com 3004 internal server error: {broker_down}?",
    )
    return fail(summary, Problem.NO_UPDATES, "subscribe_internal", channel=channel)
