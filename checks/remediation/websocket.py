"""Remediation for runbook Problem 2 when the WebSocket fails: upgrade statuses, close codes.

Corrects the runbook's reading of close codes (reference §4): 1002 is a framing violation by a
proxy, not auth; Centrifugo's own closes are 3000-3999; its `{type:1, token}` frame gets 3501.
"""

from __future__ import annotations

from checks.remediation.text import Step

CONNECT_FRAME = Step(
    "The first frame must be the connect command "
    '{{"id":1,"connect":{{"token":"<JWT>"}}}}. The runbook\'s {{type: 1, token}} snippet is not '
    "Centrifugo's protocol: the server closes it with 3501 bad request. Test in the DevTools "
    "console with the real frame (it also answers pings): `{js_connect}`.",
    "O primeiro frame deve ser o comando connect "
    '{{"id":1,"connect":{{"token":"<JWT>"}}}}. O trecho {{type: 1, token}} do runbook não é o '
    "protocolo do Centrifugo: o servidor o fecha com 3501 bad request. Teste no console do "
    "DevTools com o frame real (ele também responde aos pings): `{js_connect}`.",
)
UPGRADE = Step(
    "Test the upgrade: `{ws_upgrade}` prints 101 when it works (curl then waits, -m 5 ends it); "
    "400 = the proxy dropped the Upgrade/Connection headers, 403 = Origin refused (Problem 4), "
    "404 = wrong path (must be /connection/websocket), 502/503/504 = Traefik has no backend.",
    "Teste o upgrade: `{ws_upgrade}` imprime 101 quando funciona (o curl fica esperando, -m 5 "
    "encerra); 400 = o proxy removeu os cabeçalhos Upgrade/Connection, 403 = Origin recusada "
    "(Problema 4), 404 = caminho errado (deve ser /connection/websocket), 502/503/504 = o Traefik "
    "está sem backend.",
)
CLIENT_LOGS = Step(
    "Server-side reasons for closes and error replies: `{logs_client}`.",
    "Motivos do lado do servidor para fechamentos e respostas de erro: `{logs_client}`.",
)

WS_CAUSES = {
    "ws_handshake_failed": (
        Step(
            "The WebSocket upgrade at {ws_url} got an HTTP status instead of 101.",
            "O upgrade do WebSocket em {ws_url} recebeu um status HTTP em vez de 101.",
        ),
        UPGRADE,
    ),
    "ws_connection_limit": (
        Step(
            "A connection limit was hit. Node-wide limits answer the upgrade with HTTP 503 (v5 "
            "client_connection_limit / client_connection_rate_limit, v6 client.connection_limit / "
            "client.connection_rate_limit); the per-user limit closes with 3504 (v5 "
            "client_user_connection_limit, v6 client.user_connection_limit). See clients per node "
            "with `{info}`, then raise the limit or find the client leaking connections.",
            "Um limite de conexões foi atingido. Limites por nó respondem ao upgrade com HTTP 503 "
            "(v5 client_connection_limit / client_connection_rate_limit, v6 "
            "client.connection_limit / client.connection_rate_limit); o limite por usuário fecha "
            "com 3504 (v5 client_user_connection_limit, v6 client.user_connection_limit). Veja os "
            "clientes por nó com `{info}` e aumente o limite ou ache o cliente que vaza conexões.",
        ),
    ),
    "ws_invalid_token": (
        Step(
            "Close 3500 invalid token: Centrifugo rejected the connection JWT (bad signature "
            "because the app's and Centrifugo's HMAC secrets differ, unsupported alg, aud/iss "
            "mismatch, or a `channel` claim); it logs `invalid connection token`: `{logs_token}`. "
            "Fix the secret as in Problem 1 (v6 reads CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY, "
            "not CENTRIFUGO_TOKEN_HMAC_SECRET_KEY).",
            "Fechamento 3500 invalid token: o Centrifugo rejeitou o JWT de conexão (assinatura "
            "inválida porque os segredos HMAC da aplicação e do Centrifugo diferem, alg não "
            "suportado, aud/iss divergente ou uma claim `channel`); ele registra `invalid "
            "connection token`: `{logs_token}`. Corrija o segredo como no Problema 1 (a v6 lê "
            "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY, não CENTRIFUGO_TOKEN_HMAC_SECRET_KEY).",
        ),
    ),
    "ws_bad_request": (
        Step(
            "Close 3501 bad request: the first frame was not a connect command, or the connect "
            "carried no token (log `client credentials not found`).",
            "Fechamento 3501 bad request: o primeiro frame não foi um comando connect, ou o "
            "connect veio sem token (log `client credentials not found`).",
        ),
        CONNECT_FRAME,
    ),
    "ws_protocol_error": (
        Step(
            "Close 1002 is a WebSocket framing violation (RFC 6455), not an authentication "
            "problem: something between the browser and Centrifugo (a Traefik middleware, a load "
            "balancer, a compressing proxy) mangles frames. Review the middlewares on the {host} "
            "router and test the upgrade: `{ws_upgrade}`.",
            "O fechamento 1002 é uma violação de enquadramento do WebSocket (RFC 6455), não um "
            "problema de autenticação: algo entre o navegador e o Centrifugo (um middleware do "
            "Traefik, um balanceador, um proxy que comprime) corrompe os frames. Revise os "
            "middlewares do router de {host} e teste o upgrade: `{ws_upgrade}`.",
        ),
    ),
    "ws_abnormal": (
        Step(
            "Close 1006 (abnormal closure): the TCP connection dropped without a close frame. "
            "Causes: network loss, a proxy idle timeout shorter than Centrifugo's 25 s ping "
            "interval, a TLS failure, the server restarting (`{service_ps}`), or a connect "
            "answered with an error (such as 109 token expired) after which the server drops the "
            "socket.",
            "Fechamento 1006 (anormal): a conexão TCP caiu sem frame de fechamento. Causas: perda "
            "de rede, timeout ocioso do proxy menor que o intervalo de ping de 25 s do "
            "Centrifugo, falha de TLS, servidor reiniciando (`{service_ps}`), ou um connect "
            "respondido com erro (como 109 token expired), depois do qual o servidor derruba o "
            "socket.",
        ),
        CLIENT_LOGS,
    ),
    "ws_closed": (
        Step(
            "The server closed with the code in the check details: 3000-3499 are reconnectable "
            "(3001 shutdown, 3004 internal server error, 3005 connection expired, 3012 no pong), "
            "3500-3999 are terminal (3503 force disconnect, 3507 permission denied, 3509 too many "
            "errors), 4000-4999 come from the application.",
            "O servidor fechou com o código mostrado nos detalhes da verificação: 3000-3499 "
            "permitem reconectar (3001 shutdown, 3004 internal server error, 3005 connection "
            "expired, 3012 no pong), 3500-3999 são terminais (3503 force disconnect, 3507 "
            "permission denied, 3509 too many errors), 4000-4999 vêm da aplicação.",
        ),
        CLIENT_LOGS,
    ),
    "ws_stale": (
        Step(
            "Close 3502 stale: no connect command arrived within 10 s of opening (v5 "
            "client_stale_close_delay, v6 client.stale_close_delay). Fetch the token first, then "
            "open the WebSocket and send connect at once.",
            "Fechamento 3502 stale: nenhum comando connect chegou em 10 s após a abertura (v5 "
            "client_stale_close_delay, v6 client.stale_close_delay). Obtenha o token antes, "
            "depois abra o WebSocket e envie o connect imediatamente.",
        ),
        CONNECT_FRAME,
    ),
    "ws_no_pong": (
        Step(
            "Close 3012 no pong: the server sends {{}} pings every 25 s and, when the connect "
            "reply has pong:true, expects {{}} back within 8 s (v5 ping_interval / pong_timeout, "
            "v6 client.ping_interval / client.pong_timeout). A raw WebSocket test must answer "
            "pings; with the SDK this points at a blocked client or a buffering proxy.",
            "Fechamento 3012 no pong: o servidor envia pings {{}} a cada 25 s e, quando a resposta "
            "do connect tem pong:true, espera {{}} de volta em até 8 s (v5 ping_interval / "
            "pong_timeout, v6 client.ping_interval / client.pong_timeout). Um teste com WebSocket "
            "puro precisa responder aos pings; com o SDK isso indica cliente travado ou proxy "
            "que acumula mensagens.",
        ),
    ),
}
