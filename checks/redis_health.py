"""The `redis` check: PING latency, server version and role, and a pub/sub self round trip.

This is the bot's own connection to REDIS_URL. Centrifugo may reach Redis at a different address
(`redis_address` in v5, `engine.redis.address` in v6), so a pass here proves Redis is up and
pub/sub works, not that Centrifugo is configured to use it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, RedisError, ResponseError

from checks.context import CheckContext
from checks.model import Language, Outcome, Problem, fail, ok, say, warn
from checks.registry import check

SLOW_PING_MS = 100.0
# The probe stops itself before the runner's CHECK_TIMEOUT so its verdict names the slow step;
# the rest of the budget is left for closing connections.
BUDGET_SHARE = 0.8
VIEW_NOTE = (
    "the bot's own connection to REDIS_URL; Centrifugo may use a different address "
    "(v5 redis_address, v6 engine.redis.address)"
)


@dataclass
class Probe:
    """What the probe learned so far; on failure, `phase` says which step did not finish."""

    address: str
    phase: str = "connect"
    facts: dict[str, Any] = field(default_factory=dict)


def redis_address(url: str) -> str:
    """host:port (or the socket path) of a Redis URL, without credentials; ValueError if invalid."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("not a redis://, rediss:// or unix:// URL")
    return f"{parts.hostname}:{parts.port or 6379}"


def scrub_url_secrets(text: str, url: str) -> str:
    """Error text with the URL and its password (raw and percent-decoded) blanked out."""
    password = urlsplit(url).password or ""
    for secret in (url, password, unquote(password)):
        if secret:
            text = text.replace(secret, "***")
    return text


def open_client(url: str, timeout: float) -> Redis:
    # No retries: a diagnosis reports the first failure instead of hiding it behind backoff.
    # RESP2 skips HELLO, so Redis servers older than 6 (no HELLO command) answer too.
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        decode_responses=True,
        protocol=2,
    )


async def measure(client: Redis, probe: Probe) -> None:
    started = time.perf_counter()
    await client.ping()
    probe.facts["connect_ms"] = _ms_since(started)
    probe.phase = "ping"
    started = time.perf_counter()
    await client.ping()
    probe.facts["ping_ms"] = _ms_since(started)
    probe.phase = "info"
    await _server_info(client, probe)
    probe.phase = "pubsub"
    probe.facts["pubsub_ms"] = await pubsub_round_trip(client)


async def _server_info(client: Redis, probe: Probe) -> None:
    try:
        probe.facts["redis_version"] = (await client.info("server")).get("redis_version")
        probe.facts["role"] = (await client.info("replication")).get("role")
    except ResponseError as exc:
        # Managed Redis often renames or forbids INFO; the version is nice to have, not essential.
        probe.facts["info_error"] = str(exc)[:200]


async def pubsub_round_trip(client: Redis) -> float | None:
    """Subscribe to a unique channel, publish to it, and time the message's arrival.

    None when Redis reports no subscriber for the message, so no message can arrive.
    """
    channel = f"centrifugo-bot:probe:{uuid.uuid4()}"
    payload = uuid.uuid4().hex
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel)
        await _next_message(pubsub, "subscribe", channel)
        started = time.perf_counter()
        if await client.publish(channel, payload) == 0:
            return None
        while (await _next_message(pubsub, "message", channel)) != payload:
            pass
        return _ms_since(started)
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it untyped


async def _next_message(pubsub: PubSub, kind: str, channel: str) -> Any:
    """Data of the next message of `kind` on `channel`; the caller's deadline bounds the wait."""
    while True:
        message = await pubsub.get_message(timeout=0.1)
        if message and message["type"] == kind and message["channel"] == channel:
            return message["data"]


def verdict(probe: Probe, lang: Language) -> Outcome:
    facts = {**probe.facts, "address": probe.address, "view": VIEW_NOTE}
    where = probe.address
    version = facts.get("redis_version")
    server = f" (Redis {version}, {facts.get('role')})" if version else ""
    if facts["pubsub_ms"] is None:
        summary = say(
            lang,
            f"PUBLISH on {where} reached no subscriber, not even the bot's own",
            f"o PUBLISH em {where} não chegou a nenhum assinante, nem ao do próprio bot",
        )
        return fail(summary, Problem.REDIS, "redis_pubsub", **facts)
    pubsub, ping = f"{facts['pubsub_ms']:g} ms", f"{facts['ping_ms']:g} ms"
    timing = say(
        lang,
        f"pub/sub round trip {pubsub}, as the bot sees it",
        f"ida e volta do pub/sub em {pubsub}, do ponto de vista do bot",
    )
    if facts["ping_ms"] > SLOW_PING_MS:
        summary = say(
            lang,
            f"PING took {ping} at {where}{server}; {timing}",
            f"o PING levou {ping} em {where}{server}; {timing}",
        )
        return warn(summary, Problem.REDIS, "redis_slow", **facts)
    summary = say(
        lang,
        f"PONG in {ping} from {where}{server}; {timing}",
        f"PONG em {ping} de {where}{server}; {timing}",
    )
    return ok(summary, **facts)


def failure(probe: Probe, exc: BaseException, url: str, budget: float, lang: Language) -> Outcome:
    facts = {**probe.facts, "address": probe.address, "phase": probe.phase, "view": VIEW_NOTE}
    where, limit = probe.address, f"{budget:g} s"
    if isinstance(exc, TimeoutError) and probe.phase == "pubsub":
        summary = say(
            lang,
            f"pub/sub message on {where} did not come back within {limit}",
            f"a mensagem de pub/sub em {where} não voltou em {limit}",
        )
        return fail(summary, Problem.REDIS, "redis_pubsub", **facts)
    if isinstance(exc, TimeoutError):
        summary = say(
            lang,
            f"no answer from Redis at {where} within {limit} ({probe.phase})",
            f"o Redis em {where} não respondeu em {limit} ({probe.phase})",
        )
        return fail(summary, Problem.REDIS, "redis_unreachable", **facts)
    facts["error"] = scrub_url_secrets(str(exc), url)[:300]
    if isinstance(exc, AuthenticationError):
        summary = say(lang, f"Redis at {where} ", f"o Redis em {where} ")
        if urlsplit(url).password:
            summary += say(
                lang, "rejected the password in REDIS_URL", "recusou a senha do REDIS_URL"
            )
        else:
            summary += say(lang, "needs a password", "exige senha")
        return fail(summary, Problem.REDIS, "redis_auth", **facts)
    if probe.phase == "pubsub":
        summary = say(lang, f"pub/sub failed on {where}", f"o pub/sub falhou em {where}")
        return fail(summary, Problem.REDIS, "redis_pubsub", **facts)
    error = facts["error"][:120]
    summary = say(
        lang,
        f"cannot reach Redis at {where} from the bot: {error}",
        f"o bot não consegue acessar o Redis em {where}: {error}",
    )
    return fail(summary, Problem.REDIS, "redis_unreachable", **facts)


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


@check("redis", "Redis: PING and pub/sub", requires=("REDIS_URL",), problem=Problem.REDIS)
async def redis_health(ctx: CheckContext) -> Outcome:
    assert ctx.target.redis_url is not None  # guaranteed by requires=
    url = ctx.target.redis_url.get_secret_value()
    try:
        probe = Probe(redis_address(url))
        client = open_client(url, ctx.timeout * BUDGET_SHARE)
    except ValueError:
        invalid = ctx.say(
            "REDIS_URL is not a valid redis:// URL", "REDIS_URL não é uma URL redis:// válida"
        )
        return fail(invalid, Problem.REDIS, "redis_unreachable")
    budget = round(ctx.timeout * BUDGET_SHARE, 2)
    try:
        async with asyncio.timeout(budget):
            await measure(client, probe)
    except (TimeoutError, RedisError, OSError) as exc:
        return failure(probe, exc, url, budget, ctx.lang)
    finally:
        await client.aclose()
    return verdict(probe, ctx.lang)
