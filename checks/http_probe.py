"""Keyless HTTP probes and the one place a failed Centrifugo call becomes a check outcome.

Every server-side check reports transport errors, proxies and foreign servers the same way,
with the same cause ids and in the run's language, so "unreachable" reads the same everywhere.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from checks.centrifugo_api import send
from checks.context import CheckContext
from checks.errors import (
    ApiError,
    CentrifugoError,
    HttpStatusError,
    NoAnswer,
    TlsFailure,
    Unauthorized,
    UnexpectedBody,
    Unreachable,
)
from checks.model import Outcome, Problem, fail
from checks.tls_causes import tls_cause

# A reverse proxy (Traefik) answers these when its Centrifugo upstream is down or slow.
PROXY_STATUSES = frozenset({502, 503, 504})

Answer = httpx.Response | CentrifugoError


async def timed_get(ctx: CheckContext, path: str) -> tuple[Answer, float]:
    """GET base+path; the response or the mapped error, and how long it took in ms."""
    started = time.perf_counter()
    try:
        answer: Answer = await send(ctx.http, "GET", ctx.target.base_url + path)
    except CentrifugoError as exc:
        answer = exc
    return answer, (time.perf_counter() - started) * 1000


def api_failure(exc: CentrifugoError, call: str, ctx: CheckContext, **details: Any) -> Outcome:
    """The fail outcome for a call to Centrifugo that went wrong, named after what went wrong."""
    say = ctx.say
    match exc:
        case NoAnswer():
            limit = f"{ctx.timeout:g} s"
            return fail(
                say(f"{call}: no answer within {limit}", f"{call}: sem resposta em {limit}"),
                Problem.CONNECTION,
                "timeout",
            )
        case TlsFailure():
            return fail(
                say(f"{call}: TLS failed: {exc}", f"{call}: falha de TLS: {exc}"),
                Problem.TLS_CORS,
                tls_cause(exc),
            )
        case Unreachable():
            return fail(
                say(f"{call}: cannot connect: {exc}", f"{call}: não foi possível conectar: {exc}"),
                Problem.CONNECTION,
                "unreachable",
            )
        case Unauthorized():
            return fail(
                say(f"{call} → 401: API key refused", f"{call} → 401: chave de API recusada"),
                Problem.CHECKLIST,
                "api_key_rejected",
                observed=401,
                **details,
            )
        case HttpStatusError(status=status) if status in PROXY_STATUSES:
            return fail(
                say(
                    f"{call} → {status} from a proxy: Centrifugo behind it is down or not routed",
                    f"{call} → {status} vindo de um proxy: o Centrifugo atrás dele está fora do ar "
                    "ou sem rota",
                ),
                Problem.CONNECTION,
                "proxy_error",
                observed=status,
                **details,
            )
        case HttpStatusError(status=status):
            return fail(
                say(
                    f"{call} → {status}: not Centrifugo's API at this URL (wrong host, port or "
                    "prefix)",
                    f"{call} → {status}: não é a API do Centrifugo nesta URL (host, porta ou "
                    "prefixo errado)",
                ),
                Problem.CONNECTION,
                "not_centrifugo",
                observed=status,
                **details,
            )
        case UnexpectedBody():
            return fail(
                say(
                    f"{call} → 200 but {exc}: not Centrifugo's API",
                    f"{call} → 200, mas {exc}: não é a API do Centrifugo",
                ),
                Problem.CONNECTION,
                "not_centrifugo",
                **details,
            )
        case ApiError(code=code, message=message):
            return fail(
                say(
                    f"{call} failed: {message} (error {code})",
                    f"{call} falhou: {message} (erro {code})",
                ),
                Problem.CONNECTION,
                "api_error",
                code=code,
                **details,
            )
    return fail(
        say(f"{call} failed: {exc}", f"{call} falhou: {exc}"), Problem.CONNECTION, **details
    )


def ms(value: float) -> str:
    """Milliseconds for a summary: one decimal below 10 ms, where the decimal still matters."""
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"
