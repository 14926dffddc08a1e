"""What an HTTP answer instead of the WebSocket upgrade's 101 means: a refused Origin, a
connection limit, a proxy that cannot reach Centrifugo, or a URL that is not Centrifugo's.
"""

from __future__ import annotations

from checks.model import Language, Outcome, Problem, fail, say

ORIGIN_SETTINGS = (
    "allowed_origins (v5, env CENTRIFUGO_ALLOWED_ORIGINS) or client.allowed_origins "
    "(v6, env CENTRIFUGO_CLIENT_ALLOWED_ORIGINS)"
)
ORIGIN_SETTINGS_PT_BR = (
    "allowed_origins (v5, env CENTRIFUGO_ALLOWED_ORIGINS) ou client.allowed_origins "
    "(v6, env CENTRIFUGO_CLIENT_ALLOWED_ORIGINS)"
)
# Why an upgrade got this HTTP status instead of 101: (English, Brazilian Portuguese).
HANDSHAKE_REFUSALS: dict[int, tuple[str, str]] = {
    403: (
        "no Origin was sent and Centrifugo refuses only Origins, so a proxy or WAF did",
        "nenhuma Origin foi enviada e o Centrifugo só recusa Origins, então foi um proxy ou WAF",
    ),
    404: (
        "nothing serves that path; the URL must end in /connection/websocket",
        "nada responde nesse path; a URL deve terminar em /connection/websocket",
    ),
    400: (
        "the Upgrade/Connection headers did not arrive (stripped by a proxy?)",
        "os headers Upgrade/Connection não chegaram (removidos por um proxy?)",
    ),
    401: (
        "a proxy in front demands authentication",
        "um proxy na frente exige autenticação",
    ),
}
NOT_A_WEBSOCKET = ("not a WebSocket endpoint", "não é um endpoint WebSocket")


def rejected(status: int, origin: str | None, lang: Language = "en") -> Outcome:
    """An HTTP answer instead of the 101 upgrade."""
    says = say(lang, f"upgrade refused with HTTP {status}", f"upgrade recusado com HTTP {status}")
    if status == 403 and origin:
        summary = say(
            lang,
            f"{says} for Origin {origin}: add it to {ORIGIN_SETTINGS}",
            f"{says} para a Origin {origin}: adicione-a em {ORIGIN_SETTINGS_PT_BR}",
        )
        return fail(summary, Problem.TLS_CORS, "origin_refused", status=status, origin=origin)
    if status == 503:
        why = say(
            lang,
            "connection limit/rate limit reached, or no upstream behind the proxy",
            "limite de conexões/rate limit atingido, ou nenhum upstream atrás do proxy",
        )
        return fail(f"{says}: {why}", Problem.CONNECTION, "ws_connection_limit", status=status)
    if status in (502, 504):
        why = say(
            lang,
            "the proxy in front (Traefik/LB) cannot reach Centrifugo",
            "o proxy na frente (Traefik/LB) não alcança o Centrifugo",
        )
        return fail(f"{says}: {why}", Problem.CONNECTION, "proxy_error", status=status)
    en, pt_br = HANDSHAKE_REFUSALS.get(status, NOT_A_WEBSOCKET)
    summary = f"{says}: {say(lang, en, pt_br)}"
    return fail(summary, Problem.CONNECTION, "ws_handshake_failed", status=status)
