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
from checks.errors import NoAnswer, TlsFailure, TransportError, Unreachable
from checks.model import Outcome, Problem, fail, ok
from checks.target import Target

MEMO_KEY = "app_token"
# Leave the check room to report its own verdict before the runner's CHECK_TIMEOUT.
BUDGET_SHARE = 0.6


@dataclass(frozen=True)
class AppToken:
    token: str | None  # None when the endpoint did not give one; `outcome` says why
    outcome: Outcome  # token.endpoint's verdict


def preview(token: str) -> str:
    """The most of a token any output may show: its first 10 characters."""
    return f"{token[:10]}…"


async def app_token(ctx: CheckContext) -> AppToken:
    """The app's token for this run, fetched once however many checks ask."""
    return await ctx.memo(MEMO_KEY, lambda: fetch_app_token(ctx.target, ctx.http, ctx.timeout))


async def fetch_app_token(target: Target, http: httpx.AsyncClient, budget: float) -> AppToken:
    url = target.app_token_url or ""
    try:
        headers = session_headers(target)
    except ValueError as exc:
        return AppToken(None, fail(str(exc), Problem.TOKEN, "token_unauthorized"))
    started = time.perf_counter()
    try:
        response = await send(
            http, "GET", url, headers=headers, timeout=budget * BUDGET_SHARE, follow_redirects=False
        )
    except TransportError as exc:
        return AppToken(None, transport_failure(exc, url, budget * BUDGET_SHARE))
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return judge(response, latency_ms, bool(headers))


def session_headers(target: Target) -> dict[str, str]:
    """APP_AUTH_HEADER ('Name: value', as curl -H takes it) and/or APP_COOKIE."""
    headers = {"Accept": "application/json"}
    if target.app_auth_header is not None and target.app_auth_header.get_secret_value():
        name, colon, value = target.app_auth_header.get_secret_value().partition(":")
        if not colon or not name.strip() or " " in name.strip():
            raise ValueError("APP_AUTH_HEADER must be a header line like 'Authorization: Bearer …'")
        headers[name.strip()] = value.strip()
    if target.app_cookie is not None and target.app_cookie.get_secret_value():
        headers["Cookie"] = target.app_cookie.get_secret_value()
    return headers if len(headers) > 1 else {}


def judge(response: httpx.Response, latency_ms: float, credentials: bool) -> AppToken:
    """What the token endpoint's answer means; only a 200 JSON answer carries a token."""
    status = response.status_code
    details: dict[str, object] = {"status": status, "latency_ms": latency_ms}
    if status in (401, 403):
        sent = "the configured APP_AUTH_HEADER/APP_COOKIE" if credentials else "no credentials"
        summary = f"HTTP {status}: the app refused the session ({sent} sent)"
        return AppToken(None, fail(summary, Problem.TOKEN, "token_unauthorized", **details))
    if 300 <= status < 400:
        where = urlsplit(response.headers.get("location", "")).path or "?"
        summary = f"HTTP {status} redirect to {where}: a login page instead of a token"
        details["redirect_path"] = where
        return AppToken(None, fail(summary, Problem.TOKEN, "token_login_redirect", **details))
    if status >= 500:
        summary = f"HTTP {status}: the token endpoint failed on the app's side"
        return AppToken(None, fail(summary, Problem.TOKEN, "token_server_error", **details))
    if status != 200:
        summary = f"HTTP {status} from APP_TOKEN_URL (expected 200 with a token)"
        return AppToken(None, fail(summary, Problem.TOKEN, None, **details))
    return judge_body(response, details)


def judge_body(response: httpx.Response, details: dict[str, object]) -> AppToken:
    content_type = response.headers.get("content-type", "?").split(";")[0]
    details["content_type"] = content_type
    try:
        body = response.json()
    except ValueError:
        summary = f"HTTP 200 but {content_type}, not JSON: probably a page, not the API route"
        return AppToken(None, fail(summary, Problem.TOKEN, "token_not_json", **details))
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        keys = sorted(body)[:10] if isinstance(body, dict) else type(body).__name__
        summary = f'HTTP 200 JSON without a "token" string (got {keys})'
        return AppToken(None, fail(summary, Problem.TOKEN, "token_missing_field", **details))
    latency = details["latency_ms"]
    summary = f"token endpoint answers 200 with a token ({preview(token)}) in {latency} ms"
    return AppToken(token, ok(summary, **details, token_preview=preview(token)))


def transport_failure(exc: TransportError, url: str, waited: float) -> Outcome:
    host = urlsplit(url).hostname or url
    if isinstance(exc, NoAnswer):
        return fail(f"no answer from {host} within {waited:.3g} s", Problem.TOKEN, "token_timeout")
    if isinstance(exc, TlsFailure):
        return fail(f"TLS failed for {host}: {exc}", Problem.TLS_CORS, tls_cause(exc))
    reason = str(exc) if isinstance(exc, Unreachable) else type(exc).__name__
    return fail(f"cannot reach {host}: {reason}", Problem.TOKEN, "token_unreachable")


def tls_cause(exc: Exception) -> str:
    """The TLS_CORS cause a TLS failure names, read from OpenSSL's verify message."""
    text = str(exc).lower()
    if "hostname mismatch" in text or "doesn't match" in text:
        return "hostname_mismatch"
    if "certificate has expired" in text:
        return "cert_expired"
    return "untrusted" if "certificate" in text else "tls_handshake"
