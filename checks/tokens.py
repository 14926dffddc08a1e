"""Runbook problem 1: does the app hand out a connection token, and would Centrifugo accept it?

`token.endpoint` fetches it as the browser does; `token.claims` reads it the way Centrifugo
does (reference §5): algorithm, signature with the shared HMAC secret, then expiry and `sub`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import jwt
from pydantic import SecretStr

from checks.app_token import app_token
from checks.connection_token import short_hmac_keys_allowed
from checks.context import CheckContext
from checks.model import Language, Outcome, Problem, fail, ok, say, skip, warn
from checks.registry import check
from checks.token_expiry import connection_life, expiry_refusal, iso, soonest, time_facts

HMAC_ALGS = ("HS256", "HS384", "HS512")
# What Centrifugo can verify (§5.1); EdDSA only through a JWKS endpoint.
SUPPORTED_ALGS = (*HMAC_ALGS, "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA")
EXPIRING_SECONDS = 60
# Only the signature is PyJWT's job here; claims are judged below with Centrifugo's rules.
_SIGNATURE_ONLY: Any = {
    "verify_signature": True,
    **{f"verify_{c}": False for c in ("exp", "nbf", "iat", "aud", "iss", "sub", "jti")},
}
SECRET_MISMATCH = (
    "the app and Centrifugo use different HMAC secrets: the token's signature does not verify "
    "with CENTRIFUGO_TOKEN_HMAC_SECRET_KEY, so Centrifugo closes the connection with 3500 "
    "invalid token"
)
SECRET_MISMATCH_PT_BR = (
    "a aplicação e o Centrifugo usam secrets HMAC diferentes: a assinatura do token não confere "
    "com CENTRIFUGO_TOKEN_HMAC_SECRET_KEY, então o Centrifugo fecha a conexão com 3500 "
    "invalid token"
)


@check(
    "token.endpoint",
    "App token endpoint gives a token",
    requires=("APP_TOKEN_URL",),
    problem=Problem.TOKEN,
)
async def endpoint(ctx: CheckContext) -> Outcome:
    return (await app_token(ctx)).outcome


@check(
    "token.claims", "Token claims and signature", needs=("token.endpoint",), problem=Problem.TOKEN
)
async def claims(ctx: CheckContext) -> Outcome:
    token = (await app_token(ctx)).token
    if token is None:
        return skip(ctx.say("no token to read", "nenhum token para ler"))
    secret = ctx.target.centrifugo_token_hmac_secret_key
    return judge_claims(token, secret, time.time(), ctx.lang)


def judge_claims(
    token: str, secret: SecretStr | None, now: float, lang: Language = "en"
) -> Outcome:
    """Centrifugo's verdict on a connection token, in its order: alg, signature, expiry."""
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        summary = say(lang, f"not a decodable JWT: {exc}", f"não é um JWT decodificável: {exc}")
        return fail(summary, Problem.TOKEN, "token_undecodable")
    alg = str(header.get("alg"))
    facts = describe(alg, payload, now)
    if alg not in SUPPORTED_ALGS:
        summary = say(
            lang,
            f"alg {alg} is not one Centrifugo verifies (HS*, RS*, ES*): it closes with 3500",
            f"o alg {alg} não é um que o Centrifugo verifica (HS*, RS*, ES*): ele fecha com 3500",
        )
        return fail(summary, Problem.TOKEN, "token_alg", **facts)
    if "channel" in payload:
        summary = say(
            lang,
            "a `channel` claim makes this a subscription token; Centrifugo closes with 3500",
            "a claim `channel` faz deste um token de inscrição; o Centrifugo fecha com 3500",
        )
        return fail(summary, Problem.TOKEN, None, **facts)
    facts["signature"] = signature_verdict(token, alg, secret)
    if facts["signature"] == "mismatch":
        summary = say(lang, SECRET_MISMATCH, SECRET_MISMATCH_PT_BR)
        return fail(summary, Problem.TOKEN, "secret_mismatch", **facts)
    return judge_expiry(alg, payload, facts, lang)


def judge_expiry(
    alg: str, payload: Mapping[str, Any], facts: dict[str, Any], lang: Language
) -> Outcome:
    refused = expiry_refusal(facts, lang)
    if refused is not None:
        return refused
    left = connection_life(facts)
    notes = expiry_notes(soonest(left, facts.get("expires_in_s")), payload, lang)
    if notes:
        summary = "; ".join(text for _, text in notes)
        summary = say(lang, f"{alg} token: {summary}", f"token {alg}: {summary}")
        return warn(summary, Problem.TOKEN, notes[0][0], **facts)
    if left is not None:
        life = say(lang, f"expires in {left} s", f"expira em {left} s")
    elif "expire_at" in facts:
        life = say(
            lang, "connection never expires (expire_at 0)", "a conexão nunca expira (expire_at 0)"
        )
    else:
        life = say(lang, "never expires (no exp)", "nunca expira (sem exp)")
    checked = ""
    if facts["signature"] == "verified":
        checked = say(lang, " (signature verified)", " (assinatura verificada)")
    return ok(f"{alg}, sub {payload['sub']!r}, {life}{checked}", **facts)


def expiry_notes(
    left: int | None, payload: Mapping[str, Any], lang: Language
) -> list[tuple[str, str]]:
    """What is worth a warning in a token that still works: (cause, wording) pairs."""
    notes: list[tuple[str, str]] = []
    if left is not None and left < EXPIRING_SECONDS:
        expiring = say(
            lang,
            f"expires in {left} s (under {EXPIRING_SECONDS} s)",
            f"expira em {left} s (menos de {EXPIRING_SECONDS} s)",
        )
        notes.append(("token_expiring", expiring))
    if not payload.get("sub"):
        anonymous = say(
            lang, "empty sub: the connection is anonymous", "sub vazio: a conexão é anônima"
        )
        notes.append(("token_no_sub", anonymous))
    return notes


def signature_verdict(token: str, alg: str, secret: SecretStr | None) -> str:
    """'verified', 'mismatch', or why the signature was not checked."""
    if alg not in HMAC_ALGS:
        return f"not checked ({alg} needs Centrifugo's public key)"
    if secret is None or not secret.get_secret_value():
        return "not checked (CENTRIFUGO_TOKEN_HMAC_SECRET_KEY not set)"
    try:
        with short_hmac_keys_allowed():
            jwt.decode(token, secret.get_secret_value(), algorithms=[alg], options=_SIGNATURE_ONLY)
    except jwt.InvalidSignatureError:
        return "mismatch"
    except jwt.PyJWTError as exc:
        return f"not checked ({exc})"
    return "verified"


def describe(alg: str, payload: Mapping[str, Any], now: float) -> dict[str, Any]:
    """The claims worth showing; values only, never the token itself."""
    facts: dict[str, Any] = {"alg": alg, "sub": str(payload.get("sub", ""))}
    facts.update(time_facts(payload, now))
    if isinstance(payload.get("iat"), int | float):
        facts["iat"] = iso(payload["iat"])
    if isinstance(payload.get("channels"), list):
        facts["channels"] = [str(c) for c in payload["channels"][:10]]
    if "info" in payload:
        facts["has_info"] = True
    return facts
