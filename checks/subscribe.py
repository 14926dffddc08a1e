"""Runbook problem 3, first half: can a client subscribe to the org's channels
(`org:ID:messages`, `org:ID:tickets`)? Every error code is named with what to change.
"""

from __future__ import annotations

from checks.codes import describe_close, describe_error
from checks.connection_token import connection_token
from checks.context import CheckContext
from checks.errors import CentrifugoError
from checks.model import Language, Outcome, Problem, fail, ok, say
from checks.protocol import Closed, ReplyError, Session
from checks.realtime import Deadline, connected, deadline_for, explain
from checks.registry import check
from checks.target import org_channels

NO_REPLY = "no reply"
NAMESPACE_SETTING = "namespaces (v5) / channel.namespaces (v6)"
# Why a subscribe error reply happens, and the remediation cause it maps to:
# code -> (cause, English, Brazilian Portuguese).
SUBSCRIBE_ERRORS: dict[int, tuple[str | None, str, str]] = {
    102: (
        "unknown_channel",
        "{ns} is not configured: add it to " + NAMESPACE_SETTING,
        "{ns} não está configurado: adicione-o em " + NAMESPACE_SETTING,
    ),
    103: (
        "permission_denied",
        "{ns} needs allow_subscribe_for_client: true, or the app must issue subscription tokens",
        "{ns} precisa de allow_subscribe_for_client: true, ou a aplicação deve emitir tokens "
        "de inscrição",
    ),
    109: (
        "sub_token_expired",
        "the subscription token is expired",
        "o token de inscrição expirou",
    ),
    105: (
        "already_subscribed",
        "this connection was already subscribed to it",
        "esta conexão já estava inscrita nele",
    ),
}
UNKNOWN_SUBSCRIBE_ERROR = (None, "see the code's meaning", "veja o significado do código")


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
            channels = org_channels(ctx.org or "")
            failure = await subscribe_all(session, channels, deadline, results, ctx.lang)
    except Closed as exc:
        if results:
            return subscribe_closed(exc, results, ctx.lang)
        return explain(exc, token, lang=ctx.lang)
    except CentrifugoError as exc:
        return explain(exc, token, lang=ctx.lang)
    if failure is not None:
        return failure
    summary = ctx.say(
        f"subscribed to {' and '.join(results)}", f"inscrito em {' e '.join(results)}"
    )
    return ok(summary, channels=results)


async def subscribe_all(
    session: Session,
    channels: list[str],
    deadline: Deadline,
    results: dict[str, str],
    lang: Language,
) -> Outcome | None:
    """Subscribe to each channel in turn, recording each result; the first failure's outcome."""
    first: Outcome | None = None
    for channel in channels:
        results[channel] = NO_REPLY
        try:
            await session.subscribe(channel, within=deadline.left())
        except ReplyError as exc:
            results[channel] = f"error {describe_error(exc.code, exc.message)}"
            first = first or refused(channel, exc, results, lang)
        else:
            results[channel] = "subscribed"
    return first


def refused(
    channel: str, exc: ReplyError, results: dict[str, str], lang: Language = "en"
) -> Outcome:
    """A subscribe error reply explained; the connection itself stays usable."""
    cause, en, pt_br = SUBSCRIBE_ERRORS.get(exc.code, UNKNOWN_SUBSCRIBE_ERROR)
    why = say(lang, en, pt_br).format(ns=options_of(channel, lang))
    summary = say(
        lang,
        f"{channel}: error {exc.code} {exc.message}; {why}",
        f"{channel}: erro {exc.code} {exc.message}; {why}",
    )
    return fail(summary, Problem.NO_UPDATES, cause, channels=results, code=exc.code)


def options_of(channel: str, lang: Language = "en") -> str:
    """Where a channel's options live: its namespace, or the top-level channel options."""
    name = channel.lstrip("$")
    if ":" in name:
        return f"namespace '{name.split(':', 1)[0]}'"
    return say(
        lang,
        "the top-level channel options (v6 channel.without_namespace)",
        "as opções de canal de nível superior (v6 channel.without_namespace)",
    )


def subscribe_closed(exc: Closed, results: dict[str, str], lang: Language = "en") -> Outcome:
    """The server closed while subscribing: 3004 means the broker could not add it."""
    waiting = next((c for c, result in results.items() if result == NO_REPLY), None)
    results[waiting or "a channel"] = f"closed {exc.code} {exc.reason}".strip()
    pending = waiting or say(lang, "a channel", "um canal")
    if exc.code == 3004:
        summary = say(
            lang,
            f"closed 3004 internal server error while subscribing to {pending}: "
            "the broker (Redis) is failing",
            f"conexão fechada com 3004 internal server error durante a inscrição em {pending}: "
            "o broker (Redis) está falhando",
        )
        return fail(summary, Problem.NO_UPDATES, "subscribe_internal", channels=results)
    outcome = explain(exc)
    summary = say(
        lang,
        f"closed {describe_close(exc.code, exc.reason)} while subscribing to {pending}",
        f"conexão fechada com {describe_close(exc.code, exc.reason, lang)} durante a inscrição "
        f"em {pending}",
    )
    return fail(summary, outcome.problem or Problem.CONNECTION, outcome.cause, channels=results)
