"""The `channels` check: which channels are active right now and how many subscribers they have.

With an org it looks at the app's two org channels (are browsers listening?); with a pattern
it lists what matches. Only the `channels` API call is made: nothing is published here.
"""

from __future__ import annotations

from collections.abc import Mapping

from checks.context import CheckContext
from checks.errors import ApiError, CentrifugoError
from checks.http_probe import api_failure
from checks.model import Language, Outcome, Problem, fail, ok, say, skip, warn
from checks.registry import check
from checks.target import org_channels

LISTED_AT_MOST = 20
CALL = "POST /api/channels"


@check("channels", "Active channels and subscribers", needs=("server.auth",))
async def channels(ctx: CheckContext) -> Outcome:
    if ctx.channel_pattern is None and ctx.org is None:
        return skip(
            ctx.say(
                "needs an org or a pattern: `channels PATTERN` or `diagnose org ID`",
                "precisa de uma org ou de um padrão: `channels PATTERN` ou `diagnose org ID`",
            )
        )
    # The pattern is a glob whose `*` crosses `:`, so `org:ID:*` finds both org channels.
    pattern = ctx.channel_pattern or f"org:{ctx.org}:*"
    try:
        active = await ctx.api.channels(pattern)
    except ApiError as exc:
        if exc.code == 100:
            return fail(
                ctx.say(
                    f"channels call failed: {exc.message} (broker/Redis down?)",
                    f"a chamada channels falhou: {exc.message} (broker/Redis fora do ar?)",
                ),
                Problem.REDIS,
                "redis_unreachable",
                code=exc.code,
            )
        return api_failure(exc, CALL, ctx)
    except CentrifugoError as exc:
        return api_failure(exc, CALL, ctx)
    if ctx.org is not None and ctx.channel_pattern is None:
        return org_listeners(ctx.org, active, ctx.lang)
    return listing(pattern, active, ctx.lang)


def listing(pattern: str, active: Mapping[str, int], lang: Language) -> Outcome:
    """The busiest matching channels first, at most LISTED_AT_MOST of them."""
    busiest = sorted(active.items(), key=lambda item: (-item[1], item[0]))[:LISTED_AT_MOST]
    count, subscribers = len(active), sum(active.values())
    cut = count > LISTED_AT_MOST
    return ok(
        say(
            lang,
            f"channels matching {pattern!r}: {count} active, {subscribers} subscribers"
            + (f" (top {LISTED_AT_MOST} listed)" if cut else ""),
            f"canais que casam com {pattern!r}: {count} {'ativo' if count == 1 else 'ativos'}, "
            f"{subscribers} {'assinante' if subscribers == 1 else 'assinantes'}"
            + (f" (listados os {LISTED_AT_MOST} mais ativos)" if cut else ""),
        ),
        channels=dict(busiest),
        observed=len(active),
    )


def org_listeners(org: str, active: Mapping[str, int], lang: Language) -> Outcome:
    wanted = org_channels(org)
    counts = {channel: active.get(channel, 0) for channel in wanted}
    said = ", ".join(f"{channel} {count}" for channel, count in counts.items())
    idle = [channel for channel, count in counts.items() if count == 0]
    if len(idle) == len(wanted):
        return warn(
            say(
                lang,
                f"no browser is subscribed right now to {' or '.join(wanted)}",
                f"nenhum navegador está inscrito agora em {' nem em '.join(wanted)}",
            ),
            Problem.NO_UPDATES,
            "no_subscribers",
            channels=counts,
            observed=0,
            expected=1,
        )
    if idle:
        return warn(
            say(
                lang,
                f"no browser is subscribed right now to {', '.join(idle)} ({said} subscribers)",
                f"nenhum navegador está inscrito agora em {', '.join(idle)} (assinantes: {said})",
            ),
            Problem.NO_UPDATES,
            "no_subscribers",
            channels=counts,
        )
    return ok(
        say(
            lang,
            f"org channels have subscribers: {said}",
            f"os canais da org têm assinantes: {said}",
        ),
        channels=counts,
    )
