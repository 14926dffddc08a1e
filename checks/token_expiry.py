"""When Centrifugo stops accepting a connection token, read from its time claims (reference §5.2,
§5.3): `exp` and `nbf` are checked on every token (error 109); `expire_at`, when present, only
sets when the connection ends (0 = never), and one already past refuses the connect (error 110).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from checks.model import Language, Outcome, Problem, fail, say


def time_facts(payload: Mapping[str, Any], now: float) -> dict[str, Any]:
    """The time claims as dates and seconds from `now` (negative = already past)."""
    facts: dict[str, Any] = {}
    exp, nbf, expire_at = (number(payload.get(name)) for name in ("exp", "nbf", "expire_at"))
    if exp is not None:
        facts["exp"] = iso(exp)
        facts["expires_in_s"] = int(exp - now)
    if nbf is not None and nbf > now:
        facts["nbf"] = iso(nbf)
        facts["valid_in_s"] = int(nbf - now)
    if expire_at:
        facts["expire_at"] = iso(expire_at)
        facts["expire_at_in_s"] = int(expire_at - now)
    elif expire_at is not None:
        facts["expire_at"] = 0
    return facts


def expiry_refusal(facts: Mapping[str, Any], lang: Language) -> Outcome | None:
    """Centrifugo's order (§5.3): `exp` and `nbf` always (109), then `expire_at` (110)."""
    left = facts.get("expires_in_s")
    if left is not None and left <= 0:
        summary = say(
            lang,
            f"token expired {-left} s ago: Centrifugo answers connect with error 109",
            f"o token expirou há {-left} s: o Centrifugo responde ao connect com erro 109",
        )
        return fail(summary, Problem.TOKEN, "token_expired", **facts)
    early = facts.get("valid_in_s")
    if early is not None:
        summary = say(
            lang,
            f"token not valid yet (nbf in {early} s): Centrifugo answers connect with error 109",
            f"o token ainda não vale (nbf daqui a {early} s): o Centrifugo responde ao connect "
            "com erro 109",
        )
        return fail(summary, Problem.TOKEN, "token_expired", **facts)
    ended = facts.get("expire_at_in_s")
    if ended is not None and ended <= 0:
        summary = say(
            lang,
            f"expire_at passed {-ended} s ago (exp is still valid): Centrifugo refuses connect "
            "with error 110 expired",
            f"o expire_at passou há {-ended} s (o exp ainda vale): o Centrifugo recusa o connect "
            "com erro 110 expired",
        )
        return fail(summary, Problem.TOKEN, "token_expired", **facts)
    return None


def connection_life(facts: Mapping[str, Any]) -> int | None:
    """Seconds the connection may live: `expire_at` sets it when present (0 = never), else `exp`."""
    if "expire_at" in facts:
        return facts.get("expire_at_in_s")
    return facts.get("expires_in_s")


def soonest(*seconds: int | None) -> int | None:
    known = [s for s in seconds if s is not None]
    return min(known) if known else None


def number(value: object) -> float | None:
    """A numeric claim's value; None when absent or not a number (bools are not)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
