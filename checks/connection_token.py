"""Which connection token the bot's own WebSocket sessions present, chosen once per run:
the app's (what browsers get), else one the bot signs with the HMAC secret, else none.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import jwt
from jwt.warnings import InsecureKeyLengthWarning
from pydantic import SecretStr

from checks.app_token import app_token
from checks.context import CheckContext
from checks.model import Language, say
from checks.target import Target

MEMO_KEY = "connection_token"
BOT_USER = "centrifugo-bot"
MINTED_TTL_SECONDS = 60

Source = Literal["app", "minted", "none"]
# How summaries name each source: (English, Brazilian Portuguese).
LABELS: dict[Source, tuple[str, str]] = {
    "app": ("the app's token", "o token da aplicação"),
    "minted": (
        "a token the bot signed with CENTRIFUGO_TOKEN_HMAC_SECRET_KEY",
        "um token assinado pelo bot com CENTRIFUGO_TOKEN_HMAC_SECRET_KEY",
    ),
    "none": (
        "no token (neither APP_TOKEN_URL nor CENTRIFUGO_TOKEN_HMAC_SECRET_KEY gives one)",
        "nenhum token (nem APP_TOKEN_URL nem CENTRIFUGO_TOKEN_HMAC_SECRET_KEY fornece um)",
    ),
}


@dataclass(frozen=True)
class ConnectionToken:
    token: str | None
    source: Source
    # Why the app's token was not used, when APP_TOKEN_URL is set but gave none.
    fallback_reason: str | None = None

    def label(self, lang: Language) -> str:
        return say(lang, *LABELS[self.source])


async def connection_token(ctx: CheckContext) -> ConnectionToken:
    return await ctx.memo(MEMO_KEY, lambda: choose_token(ctx))


async def choose_token(ctx: CheckContext) -> ConnectionToken:
    if not ctx.target.is_set("APP_TOKEN_URL"):
        return bot_token(ctx.target)
    fetched = await app_token(ctx)
    if fetched.token is not None:
        return ConnectionToken(fetched.token, "app")
    fallback = bot_token(ctx.target)
    failure = fetched.outcome.summary
    reason = ctx.say(
        f"the app's token endpoint failed: {failure}",
        f"o endpoint de token da aplicação falhou: {failure}",
    )
    return ConnectionToken(fallback.token, fallback.source, reason)


def bot_token(target: Target) -> ConnectionToken:
    """A short-lived token signed with the configured secret, or none without one."""
    secret = target.centrifugo_token_hmac_secret_key
    if secret is None or not secret.get_secret_value():
        return ConnectionToken(None, "none")
    return ConnectionToken(mint(secret, time.time()), "minted")


def mint(secret: SecretStr, now: float, user: str = BOT_USER, ttl: int = MINTED_TTL_SECONDS) -> str:
    """An HS256 connection token for `user`; a minute is plenty for one diagnosis."""
    claims = {"sub": user, "iat": int(now), "exp": int(now) + ttl}
    with short_hmac_keys_allowed():
        return jwt.encode(claims, secret.get_secret_value(), algorithm="HS256")


@contextlib.contextmanager
def short_hmac_keys_allowed() -> Iterator[None]:
    """Centrifugo accepts short HMAC secrets; PyJWT's warning about them is noise here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        yield
