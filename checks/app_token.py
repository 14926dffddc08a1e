"""Fetching a connection token from the app the way the browser does (GET APP_TOKEN_URL with
the user's session), once per run, and judging the answer.

The fetch never raises: it returns an `AppToken` holding either the token or the outcome that
explains why there is none, so `websocket.connect` can fall back to a token of its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from checks.centrifugo_api import send
from checks.context import CheckContext
from checks.errors import CentrifugoError, NoAnswer, TlsFailure, UnexpectedBody, Unreachable
from checks.model import Language, Outcome, Problem, fail, ok, say
from checks.target import Target
from checks.tls_causes import tls_cause

MEMO_KEY = "app_token"
# Leave the check room to report its own verdict before the runner's CHECK_TIMEOUT.
BUDGET_SHARE = 0.6
BAD_AUTH_HEADER = (
    "APP_AUTH_HEADER must be a header line like 'Authorization: Bearer …'",
    "APP_AUTH_HEADER deve ser uma linha de header como 'Authorization: Bearer …'",
)


@dataclass(frozen=True)
class AppToken:
    token: str | None  # None when the endpoint did not give one; `outcome` says why
    outcome: Outcome  # token.endpoint's verdict


def preview(token: str) -> str:
    """The most of a token any output may show: its first 10 characters."""
    return f"{token[:10]}…"


async def app_token(ctx: CheckContext) -> AppToken:
    """The app's token for this run, fetched once however many checks ask."""
    return await ctx.memo(
        MEMO_KEY, lambda: fetch_app_token(ctx.target, ctx.http, ctx.timeout, ctx.lang)
    )


async def fetch_app_token(
    target: Target, http: httpx.AsyncClient, budget: float, lang: Language
) -> AppToken:
    url = target.app_token_url or ""
    try:
        headers = session_headers(target)
    except ValueError:
        return AppToken(
            None, fail(say(lang, *BAD_AUTH_HEADER), Problem.TOKEN, "token_unauthorized")
        )
    started = time.perf_counter()
    try:
        response = await send(
            http, "GET", url, headers=headers, timeout=budget * BUDGET_SHARE, follow_redirects=False
        )
    except CentrifugoError as exc:  # whatever send() maps, so this fetch never raises
        return AppToken(None, transport_failure(exc, url, budget * BUDGET_SHARE, lang))
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return judge(response, latency_ms, bool(headers), lang)


def session_headers(target: Target) -> dict[str, str]:
    """APP_AUTH_HEADER ('Name: value', as curl -H takes it) and/or APP_COOKIE."""
    headers = {"Accept": "application/json"}
    if target.app_auth_header is not None and target.app_auth_header.get_secret_value():
        name, colon, value = target.app_auth_header.get_secret_value().partition(":")
        if not colon or not name.strip() or " " in name.strip():
            raise ValueError(BAD_AUTH_HEADER[0])
        headers[name.strip()] = value.strip()
    if target.app_cookie is not None and target.app_cookie.get_secret_value():
        headers["Cookie"] = target.app_cookie.get_secret_value()
    return headers if len(headers) > 1 else {}


def judge(
    response: httpx.Response, latency_ms: float, credentials: bool, lang: Language
) -> AppToken:
    """What the token endpoint's answer means; only a 200 JSON answer carries a token."""
    status = response.status_code
    details: dict[str, object] = {"status": status, "latency_ms": latency_ms}
    if status in (401, 403):
        sent = credentials_sent(credentials, lang)
        summary = say(
            lang,
            f"HTTP {status}: the app refused the session ({sent} sent)",
            f"HTTP {status}: a aplicação recusou a sessão ({sent})",
        )
        return AppToken(None, fail(summary, Problem.TOKEN, "token_unauthorized", **details))
    if 300 <= status < 400:
        where = url_part(response.headers.get("location", ""), "path", "?")
        summary = say(
            lang,
            f"HTTP {status} redirect to {where}: a login page instead of a token",
            f"HTTP {status} redirecionando para {where}: uma página de login em vez de um token",
        )
        details["redirect_path"] = where
        return AppToken(None, fail(summary, Problem.TOKEN, "token_login_redirect", **details))
    if status >= 500:
        summary = say(
            lang,
            f"HTTP {status}: the token endpoint failed on the app's side",
            f"HTTP {status}: o endpoint de token falhou do lado da aplicação",
        )
        return AppToken(None, fail(summary, Problem.TOKEN, "token_server_error", **details))
    if status != 200:
        summary = say(
            lang,
            f"HTTP {status} from APP_TOKEN_URL (expected 200 with a token)",
            f"HTTP {status} do APP_TOKEN_URL (esperado 200 com um token)",
        )
        return AppToken(None, fail(summary, Problem.TOKEN, None, **details))
    return judge_body(response, details, lang)


def credentials_sent(credentials: bool, lang: Language) -> str:
    """What the bot sent with the request, for the refusal's summary."""
    if credentials:
        return say(
            lang,
            "the configured APP_AUTH_HEADER/APP_COOKIE",
            "APP_AUTH_HEADER/APP_COOKIE configurados foram enviados",
        )
    return say(lang, "no credentials", "nenhuma credencial foi enviada")


def judge_body(response: httpx.Response, details: dict[str, object], lang: Language) -> AppToken:
    content_type = response.headers.get("content-type", "?").split(";")[0]
    details["content_type"] = content_type
    try:
        body = response.json()
    except ValueError:
        summary = say(
            lang,
            f"HTTP 200 but {content_type}, not JSON: probably a page, not the API route",
            f"HTTP 200 mas {content_type}, não JSON: provavelmente uma página, não a rota da API",
        )
        return AppToken(None, fail(summary, Problem.TOKEN, "token_not_json", **details))
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        keys = sorted(body)[:10] if isinstance(body, dict) else type(body).__name__
        summary = say(
            lang,
            f'HTTP 200 JSON without a "token" string (got {keys})',
            f'HTTP 200 JSON sem uma string "token" (veio {keys})',
        )
        return AppToken(None, fail(summary, Problem.TOKEN, "token_missing_field", **details))
    latency = details["latency_ms"]
    summary = say(
        lang,
        f"token endpoint answers 200 with a token ({preview(token)}) in {latency} ms",
        f"o endpoint de token responde 200 com um token ({preview(token)}) em {latency} ms",
    )
    return AppToken(token, ok(summary, **details, token_preview=preview(token)))


def transport_failure(exc: CentrifugoError, url: str, waited: float, lang: Language) -> Outcome:
    host = url_part(url, "hostname", "APP_TOKEN_URL")
    if isinstance(exc, UnexpectedBody):
        summary = say(
            lang,
            f"the answer from {host} could not be read: {exc}",
            f"a resposta de {host} não pôde ser lida: {exc}",
        )
        return fail(summary, Problem.TOKEN, "token_not_json")
    if isinstance(exc, NoAnswer):
        summary = say(
            lang,
            f"no answer from {host} within {waited:.3g} s",
            f"sem resposta de {host} em {waited:.3g} s",
        )
        return fail(summary, Problem.TOKEN, "token_timeout")
    if isinstance(exc, TlsFailure):
        summary = say(lang, f"TLS failed for {host}: {exc}", f"falha de TLS com {host}: {exc}")
        return fail(summary, Problem.TLS_CORS, tls_cause(exc))
    reason = str(exc) if isinstance(exc, Unreachable) else type(exc).__name__
    summary = say(
        lang, f"cannot reach {host}: {reason}", f"não foi possível alcançar {host}: {reason}"
    )
    return fail(summary, Problem.TOKEN, "token_unreachable")


def url_part(url: str, part: str, default: str) -> str:
    """One part of a URL for a summary (never the whole URL: its query may carry a session);
    `default` when absent or when the URL does not even parse (urlsplit raises on `http://[x`)."""
    try:
        return str(getattr(urlsplit(url), part) or default)
    except ValueError:
        return default
