"""Connection and subscription JWT checks the way Centrifugo makes them (reference §5):
HMAC signature first, then claim shapes, then expiry; plus `mint_token` for tests.

Outcomes are exceptions because each one maps to one protocol answer: `InvalidToken`
(close 3500 on connect, error 103 on subscribe) and `ExpiredToken` (error 109)."""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

# Centrifugo accepts any HMAC length; PyJWT warns under 32 bytes, and tests turn warnings
# into errors, so a short (but real-world) secret must not blow up the emulator.
_HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"]
# Only signature and algorithm are PyJWT's job; claims are checked below, Centrifugo-style
# (aud/iss are ignored because the emulator configures neither).
_DECODE_OPTIONS: Any = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


class InvalidToken(Exception):
    """Bad signature, unparsable, wrong algorithm or malformed claims."""


class ExpiredToken(Exception):
    """Valid signature but `exp` is past (or `nbf` is in the future)."""


@dataclass(frozen=True)
class ConnectionClaims:
    user: str
    expires_at: int | None  # `expire_at` wins over `exp`; 0 means "never"
    channels: tuple[str, ...] = ()
    subs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SubscriptionClaims:
    user: str
    channel: str
    client: str | None
    expires_at: int | None


def mint_token(claims: dict[str, Any], secret: str, algorithm: str = "HS256") -> str:
    """Sign claims with an HMAC secret of any length (tests use short ones on purpose)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(claims, secret, algorithm=algorithm)


def verify_connection_token(token: str, secret: str) -> ConnectionClaims:
    claims = _decode(token, secret)
    if "channel" in claims:
        raise InvalidToken("a connection token must not carry a channel claim")
    channels = claims.get("channels", [])
    subs = claims.get("subs", {})
    if not _is_list_of_str(channels) or not isinstance(subs, dict):
        raise InvalidToken("malformed channels/subs claim")
    expires_at = _expiry(claims)
    return ConnectionClaims(_user(claims), expires_at, tuple(channels), subs)


def verify_subscription_token(token: str, secret: str) -> SubscriptionClaims:
    claims = _decode(token, secret)
    channel = claims.get("channel")
    client = claims.get("client")
    if not isinstance(channel, str) or not channel:
        raise InvalidToken("a subscription token needs a channel claim")
    if client is not None and not isinstance(client, str):
        raise InvalidToken("malformed client claim")
    return SubscriptionClaims(_user(claims), channel, client, _expiry(claims))


def _decode(token: str, secret: str) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            claims: dict[str, Any] = jwt.decode(
                token, secret, algorithms=_HMAC_ALGORITHMS, options=_DECODE_OPTIONS
            )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    for name in ("exp", "nbf", "expire_at"):
        if name in claims and not _is_number(claims[name]):
            raise InvalidToken(f"malformed {name} claim")
    now = time.time()
    if "exp" in claims and now > claims["exp"]:
        raise ExpiredToken("token expired")
    if "nbf" in claims and now < claims["nbf"]:
        raise ExpiredToken("token not valid yet")
    return claims


def _user(claims: dict[str, Any]) -> str:
    user = claims.get("sub", "")
    if not isinstance(user, str):
        raise InvalidToken("sub must be a string")
    return user


def _expiry(claims: dict[str, Any]) -> int | None:
    """When the connection/subscription expires: `expire_at` if present (0 = never)."""
    if "expire_at" in claims:
        return int(claims["expire_at"]) or None
    return int(claims["exp"]) if "exp" in claims else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_list_of_str(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
