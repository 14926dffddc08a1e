"""Runbook problem 3, first half: can a client subscribe to the org's channels
(`org:ID:messages`, `org:ID:tickets`)? Every error code is named with what to change.
"""

from __future__ import annotations

from checks.codes import describe_close, describe_error
from checks.connection_token import connection_token
from checks.context import CheckContext
from checks.errors import CentrifugoError
from checks.model import Outcome, Problem, fail, ok
from checks.protocol import Closed, ReplyError, Session
from checks.realtime import Deadline, connected, deadline_for, explain
from checks.registry import check

ORG_CHANNEL_KINDS = ("messages", "tickets")
NO_REPLY = "no reply"
NAMESPACE_SETTING = "namespaces (v5) / channel.namespaces (v6)"
# Why a subscribe error reply happens, and the remediation cause it maps to.
SUBSCRIBE_ERRORS: dict[int, tuple[str, str]] = {
    102: ("unknown_channel", "{ns} is not configured: add it to " + NAMESPACE_SETTING),
    103: (
        "permission_denied",
        "{ns} needs allow_subscribe_for_client: true, or the app must issue subscription tokens",
    ),
    109: ("sub_token_expired", "the subscription token is expired"),
    105: ("already_subscribed", "this connection was already subscribed to it"),
}


def org_channels(org: str) -> list[str]:
    return [f"org:{org}:{kind}" for kind in ORG_CHANNEL_KINDS]


@check(
    "subscribe",
    "Org channels subscribable",
    needs=("websocket.connect",),
    needs_org=True,
    problem=Problem.NO_UPDATES,
)
async def subscribe(ctx: CheckContext) -> Outcome:
    deadline = deadline_for(ctx)
    token = await connection_token(ctx)
    results: dict[str, str] = {}
    try:
        async with connected(ctx, deadline, token) as (session, _):
            failure = await subscribe_all(session, org_channels(ctx.org or ""), deadline, results)
    except Closed as exc:
        if results:
            return subscribe_closed(exc, results)
        return explain(exc, token)
    except CentrifugoError as exc:
        return explain(exc, token)
    if failure is not None:
        return failure
    return ok(f"subscribed to {' and '.join(results)}", channels=results)


async def subscribe_all(
    session: Session, channels: list[str], deadline: Deadline, results: dict[str, str]
) -> Outcome | None:
    """Subscribe to each channel in turn, recording each result; the first failure's outcome."""
    first: Outcome | None = None
    for channel in channels:
        results[channel] = NO_REPLY
        try:
            await session.subscribe(channel, within=deadline.left())
        except ReplyError as exc:
            results[channel] = f"error {describe_error(exc.code, exc.message)}"
            first = first or refused(channel, exc, results)
        else:
            results[channel] = "subscribed"
    return first


def refused(channel: str, exc: ReplyError, results: dict[str, str]) -> Outcome:
    """A subscribe error reply explained; the connection itself stays usable."""
    cause, why = SUBSCRIBE_ERRORS.get(exc.code, (None, "see the code's meaning"))
    summary = f"{channel}: error {exc.code} {exc.message}; " + why.format(ns=options_of(channel))
    return fail(summary, Problem.NO_UPDATES, cause, channels=results, code=exc.code)


def options_of(channel: str) -> str:
    """Where a channel's options live: its namespace, or the top-level channel options."""
    name = channel.lstrip("$")
    if ":" in name:
        return f"namespace '{name.split(':', 1)[0]}'"
    return "the top-level channel options (v6 channel.without_namespace)"


def subscribe_closed(exc: Closed, results: dict[str, str]) -> Outcome:
    """The server closed while subscribing: 3004 means the broker could not add it."""
    pending = next((c for c, result in results.items() if result == NO_REPLY), "a channel")
    results[pending] = f"closed {exc.code} {exc.reason}".strip()
    if exc.code == 3004:
        summary = (
            f"closed 3004 internal server error while subscribing to {pending}: "
            "the broker (Redis) is failing"
        )
        return fail(summary, Problem.NO_UPDATES, "subscribe_internal", channels=results)
    outcome = explain(exc)
    summary = f"closed {describe_close(exc.code, exc.reason)} while subscribing to {pending}"
    return fail(summary, outcome.problem or Problem.CONNECTION, outcome.cause, channels=results)
