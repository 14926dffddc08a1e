"""Centrifugo's numeric codes as data: client error replies, unsubscribe and disconnect codes,
and the standard WebSocket close codes (reference §4), each with a short explanation in English
and Brazilian Portuguese (Centrifugo's own messages stay as it sends them).

Checks and renderers name a code through `describe_error` / `describe_close` so every message
says what the number means instead of leaving the reader to look it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from checks.model import Language, say


@dataclass(frozen=True)
class Code:
    code: int
    message: str  # Centrifugo's own wording (error message or close reason)
    meaning: str  # what it usually means for this deployment
    reconnect: bool | None = None  # for disconnects: does a client SDK reconnect by itself?


def _table(*codes: Code) -> Mapping[int, Code]:
    return MappingProxyType({c.code: c for c in codes})


# §4.1: error replies to a command ({"id":N,"error":{"code","message"}}).
CLIENT_ERRORS = _table(
    Code(100, "internal server error", "server or broker (Redis) failure; temporary"),
    Code(101, "unauthorized", "request unauthorized (usually a proxy's answer)"),
    Code(102, "unknown channel", "the channel's namespace is not configured"),
    Code(103, "permission denied", "no right to subscribe/publish, or a bad subscription token"),
    Code(104, "method not found", "unknown RPC method"),
    Code(105, "already subscribed", "second subscribe to the same channel on one connection"),
    Code(106, "limit exceeded", "too many channels on one connection"),
    Code(107, "bad request", "channel name too long or not ASCII, or malformed fields"),
    Code(108, "not available", "feature off for the namespace (history, presence, RPC)"),
    Code(109, "token expired", "the JWT's exp is past (or nbf in the future)"),
    Code(110, "expired", "the token's expire_at is already past"),
    Code(111, "too many requests", "rate limited; temporary"),
    Code(112, "unrecoverable position", "history cannot serve the requested offset/epoch"),
    Code(113, "concurrent pagination", "a second page request while one is in flight (v6.8+)"),
)

# §4.2: {"push":{"channel":…,"unsubscribe":{"code","reason"}}}.
UNSUBSCRIBES = _table(
    Code(2000, "server unsubscribe", "unsubscribed through the server API"),
    Code(2500, "insufficient state", "message loss detected; resubscribe"),
    Code(2501, "subscription expired", "subscription token expired; resubscribe with a new one"),
    Code(2502, "state invalidated", "drop subscription state and resubscribe (v6.8+)"),
)

# §4.3: Centrifugo disconnects; on WebSocket the close code and reason are these.
DISCONNECTS = _table(
    Code(3000, "connection closed", "client-side or network close", True),
    Code(3001, "shutdown", "the node is shutting down", True),
    Code(3004, "internal server error", "server failure, e.g. broker (Redis) down", True),
    Code(3005, "connection expired", "token expired and was not refreshed in time", True),
    Code(3006, "subscription expired", "subscription token expired, not refreshed", True),
    Code(3008, "slow", "the client could not keep up; queue overflow", True),
    Code(3009, "write error", "writing to the socket failed", True),
    Code(3010, "insufficient state", "message loss in a recoverable stream", True),
    Code(3011, "force reconnect", "the server asked the client to reconnect", True),
    Code(3012, "no pong", "the client did not answer the server's ping in time", True),
    Code(3013, "too many requests", "command flood", True),
    Code(3014, "state invalidated", "drop token/state and reconnect (v6.8+)", True),
    Code(3500, "invalid token", "the connection JWT was rejected: signature, alg or claims", False),
    Code(
        3501, "bad request", "malformed frame, first command not connect, or no credentials", False
    ),
    Code(3502, "stale", "no connect command within the stale delay (10 s)", False),
    Code(3503, "force disconnect", "disconnected through the server API", False),
    Code(3504, "connection limit", "per-user connection limit reached", False),
    Code(3505, "channel limit", "too many server-side subscriptions", False),
    Code(3506, "inappropriate protocol", "a JSON client received binary data", False),
    Code(3507, "permission denied", "e.g. an anonymous token while those are refused", False),
    Code(3508, "not available", "`send` without a message handler", False),
    Code(3509, "too many errors", "the client produced too many errors", False),
)

# §4.4: standard WebSocket close codes (RFC 6455), not Centrifugo's.
WEBSOCKET_CLOSES = _table(
    Code(1000, "normal closure", "a side closed on purpose"),
    Code(1001, "going away", "page unload, or a proxy/server restarting"),
    Code(
        1002,
        "protocol error",
        "a WebSocket framing violation: usually a broken proxy, load balancer or middleware"
        " in between, not authentication",
    ),
    Code(1005, "no status", "closed without a status code"),
    Code(
        1006,
        "abnormal closure",
        "TCP dropped without a close frame: network loss, proxy idle timeout, server killed,"
        " or TLS failure",
    ),
    Code(1009, "message too big", "a frame over the 64 KiB limit"),
    Code(1011, "internal error", "the server hit an unexpected condition"),
    Code(1015, "TLS failure", "the TLS handshake failed"),
)

# The `meaning` column of every table above, in Brazilian Portuguese (same keys, by test).
MEANINGS_PT_BR: Mapping[int, str] = MappingProxyType(
    {
        100: "falha no servidor ou no broker (Redis); temporária",
        101: "requisição não autorizada (geralmente resposta de um proxy)",
        102: "o namespace do canal não está configurado",
        103: "sem permissão para subscribe/publish, ou token de inscrição inválido",
        104: "método RPC desconhecido",
        105: "segundo subscribe no mesmo canal na mesma conexão",
        106: "canais demais em uma conexão",
        107: "nome de canal longo demais ou não ASCII, ou campos malformados",
        108: "recurso desligado no namespace (history, presence, RPC)",
        109: "o exp do JWT já passou (ou o nbf está no futuro)",
        110: "o expire_at do token já passou",
        111: "rate limit atingido; temporário",
        112: "o histórico não consegue servir o offset/epoch pedido",
        113: "um segundo pedido de página com outro em andamento (v6.8+)",
        2000: "inscrição cancelada pela API do servidor",
        2500: "perda de mensagens detectada; inscreva-se de novo",
        2501: "o token de inscrição expirou; inscreva-se de novo com um novo token",
        2502: "descarte o estado da inscrição e inscreva-se de novo (v6.8+)",
        3000: "fechada pelo cliente ou pela rede",
        3001: "o nó está desligando",
        3004: "falha no servidor, p.ex. broker (Redis) fora do ar",
        3005: "o token expirou e não foi renovado a tempo",
        3006: "o token de inscrição expirou e não foi renovado",
        3008: "o cliente não deu conta; a fila estourou",
        3009: "falha ao escrever no socket",
        3010: "perda de mensagens em um stream recuperável",
        3011: "o servidor pediu ao cliente para reconectar",
        3012: "o cliente não respondeu ao ping do servidor a tempo",
        3013: "excesso de comandos",
        3014: "descarte token/estado e reconecte (v6.8+)",
        3500: "o JWT de conexão foi rejeitado: assinatura, alg ou claims",
        3501: "frame malformado, primeiro comando não foi connect, ou sem credenciais",
        3502: "nenhum comando connect dentro do prazo de stale (10 s)",
        3503: "desconectado pela API do servidor",
        3504: "limite de conexões por usuário atingido",
        3505: "inscrições server-side demais",
        3506: "um cliente JSON recebeu dados binários",
        3507: "p.ex. um token anônimo quando esses são recusados",
        3508: "`send` sem handler de mensagens",
        3509: "o cliente gerou erros demais",
        1000: "um dos lados fechou de propósito",
        1001: "página descarregada, ou proxy/servidor reiniciando",
        1002: "violação de framing do WebSocket: geralmente um proxy, load balancer ou"
        " middleware quebrado no caminho, não autenticação",
        1005: "fechada sem código de status",
        1006: "o TCP caiu sem frame de close: perda de rede, idle timeout do proxy, servidor"
        " derrubado ou falha de TLS",
        1009: "um frame acima do limite de 64 KiB",
        1011: "o servidor encontrou uma condição inesperada",
        1015: "o handshake TLS falhou",
    }
)


def describe_error(code: int, message: str = "", lang: Language = "en") -> str:
    """'109 token expired (the JWT's exp is past ...)' for an error reply."""
    known = CLIENT_ERRORS.get(code)
    if known is None:
        if 400 <= code <= 1999:
            kind = say(lang, "application-defined", "definido pela aplicação")
        else:
            kind = say(lang, "unknown", "desconhecido")
        return f"{code} {message or kind}".strip()
    return f"{code} {known.message} ({meaning(known, lang)})"


def describe_close(code: int, reason: str = "", lang: Language = "en") -> str:
    """'3500 invalid token (...)' for a WebSocket close, whichever table the code is in."""
    known = DISCONNECTS.get(code) or WEBSOCKET_CLOSES.get(code) or UNSUBSCRIBES.get(code)
    if known is not None:
        return f"{code} {known.message} ({meaning(known, lang)})"
    if 4000 <= code <= 4999:
        kind = reason or say(lang, "application-defined", "definido pela aplicação")
        return f"{code} {kind} " + say(
            lang, "(set by a proxy or the app)", "(definido por um proxy ou pela aplicação)"
        )
    return f"{code} {reason or say(lang, 'unknown', 'desconhecido')}".strip()


def meaning(known: Code, lang: Language) -> str:
    """What the code means, in `lang`; Centrifugo's own message stays as it sends it."""
    return say(lang, known.meaning, MEANINGS_PT_BR[known.code])


def reconnects(code: int) -> bool:
    """Whether a client SDK reconnects by itself after this close (the library's ranges)."""
    known = DISCONNECTS.get(code)
    if known is not None and known.reconnect is not None:
        return known.reconnect
    return not (3500 <= code <= 3999 or 4500 <= code <= 4999)
