"""Remediation for runbook Problem 2: the WebSocket connection fails (server, proxy, admin, socket).

Corrects the runbook's checks (reference §0, §1.5, §2): there is no /api/ping (404) nor /api/stats,
every API call is a POST with a JSON body, and the admin UI lives at / unless its prefix is /admin.
"""

from __future__ import annotations

from checks.model import Problem
from checks.remediation.text import ProblemSteps, Step
from checks.remediation.websocket import CONNECT_FRAME, WS_CAUSES

REACH = Step(
    "Reachability: `{reach}` must print 405, which proves the API is mounted (it refuses GET by "
    "design). The runbook's /api/ping check is wrong: Centrifugo has no ping method, so "
    "/api/ping answers 404 in every version.",
    "Acessibilidade: `{reach}` deve imprimir 405, o que prova que a API está montada (ela recusa "
    "GET por projeto). O teste /api/ping do runbook está errado: o Centrifugo não tem método "
    "ping, então /api/ping responde 404 em todas as versões.",
)
INFO = Step(
    "Every API call is a POST with a JSON body: `{info}` returns nodes, version and clients "
    "(there is no /api/stats; info replaces it).",
    "Toda chamada da API é um POST com corpo JSON: `{info}` retorna nós, versão e clientes (não "
    "existe /api/stats; o info o substitui).",
)
SERVICE = Step(
    "On the Docker host: is the service running, or restarting? `{service_ps}`.",
    "No host Docker: o serviço está rodando ou reiniciando? `{service_ps}`.",
)
LOGS = Step(
    "Server logs (SSH to the Docker host): `{logs_errors}`. Centrifugo logs JSON to stderr, so "
    "the runbook's grep without 2>&1 misses them.",
    "Logs do servidor (SSH no host Docker): `{logs_errors}`. O Centrifugo registra JSON no "
    "stderr, então o grep do runbook sem 2>&1 não os encontra.",
)
ADMIN_ROOT = Step(
    "The admin UI is served at {base_url}/ (`{admin_root}` → 200), not at /admin: /admin is 404 "
    "unless admin.handler_prefix is /admin. JSON probe: `{admin_init}` (v6.5.2+; "
    "`{admin_settings}` on v5 and older v6).",
    "O painel admin é servido em {base_url}/ (`{admin_root}` → 200), não em /admin: /admin é 404 "
    "a menos que admin.handler_prefix seja /admin. Teste JSON: `{admin_init}` (v6.5.2+; "
    "`{admin_settings}` na v5 e v6 antigas).",
)

GENERAL = (
    REACH,
    Step(
        "Health endpoint, when enabled (v5 health: true, v6 health.enabled: true): `{health}` "
        "answers {{}}. It does not test Redis.",
        "Endpoint de saúde, quando habilitado (v5 health: true, v6 health.enabled: true): "
        "`{health}` responde {{}}. Ele não testa o Redis.",
    ),
    INFO,
    ADMIN_ROOT,
    Step(
        "Certificate: `{openssl}`.",
        "Certificado: `{openssl}`.",
    ),
    LOGS,
    CONNECT_FRAME,
    Step(
        "Follow the logs while reproducing: `{logs_follow}`; look for Redis errors, `invalid "
        "connection token`, `client credentials not found`, `request Origin is not authorized`.",
        "Acompanhe os logs enquanto reproduz: `{logs_follow}`; procure erros de Redis, `invalid "
        "connection token`, `client credentials not found`, `request Origin is not authorized`.",
    ),
    Step(
        "Browser console: `[Centrifugo] Connected` is fine; `[Centrifugo] Connection error:` "
        "and `[Centrifugo] Disconnected` carry the close code: 3500 invalid token, 3501 bad "
        "request, 1006 network or proxy, 1002 a proxy breaking frames (not auth).",
        "Console do navegador: `[Centrifugo] Connected` está ok; `[Centrifugo] Connection "
        "error:` e `[Centrifugo] Disconnected` trazem o código de fechamento: 3500 token "
        "inválido, 3501 requisição inválida, 1006 rede ou proxy, 1002 proxy corrompendo frames "
        "(não é autenticação).",
    ),
)

HTTP_CAUSES = {
    "unreachable": (
        Step(
            "Nothing accepts connections at {host}:{port} (refused or DNS): check DNS with "
            "`{dns}` and the port with `{tcp}`, then the service and Traefik's router for {host}.",
            "Nada aceita conexões em {host}:{port} (recusada ou DNS): confira o DNS com `{dns}` e "
            "a porta com `{tcp}`, depois o serviço e o router do Traefik para {host}.",
        ),
        SERVICE,
    ),
    "timeout": (
        Step(
            "{host}:{port} accepts TCP but never answers: usually Traefik routing to a dead "
            "backend, a firewall dropping packets, or an overloaded node. Time it: `{timing}`.",
            "{host}:{port} aceita TCP mas nunca responde: em geral o Traefik roteando para um "
            "backend morto, um firewall descartando pacotes ou um nó sobrecarregado. Meça: "
            "`{timing}`.",
        ),
        SERVICE,
        LOGS,
    ),
    "proxy_error": (
        Step(
            "Traefik answered 502/503/504: it has no healthy Centrifugo behind {host}. Check that "
            "its router and service for {host} point at port 8000, and that Centrifugo did not "
            "exit at start (an unreachable Redis is fatal at start: `{logs_redis}`).",
            "O Traefik respondeu 502/503/504: não há Centrifugo saudável atrás de {host}. Confira "
            "se o router e o service de {host} apontam para a porta 8000 e se o Centrifugo não "
            "saiu na inicialização (Redis inacessível é fatal na inicialização: `{logs_redis}`).",
        ),
        SERVICE,
    ),
    "not_centrifugo": (
        Step(
            "{base_url} answers, but not like Centrifugo (GET /api/info should give 405): "
            "CENTRIFUGO_URL or Traefik points at another service, the API prefix was changed "
            "(v5 api_handler_prefix, v6 http_api.handler_prefix; default /api), or the API sits "
            "on an internal port (v5 internal_port, v6 http_server.internal_port).",
            "{base_url} responde, mas não como o Centrifugo (GET /api/info deveria dar 405): "
            "CENTRIFUGO_URL ou o Traefik apontam para outro serviço, o prefixo da API foi mudado "
            "(v5 api_handler_prefix, v6 http_api.handler_prefix; padrão /api), ou a API está numa "
            "porta interna (v5 internal_port, v6 http_server.internal_port).",
        ),
    ),
    "no_nodes": (
        Step(
            "info lists no running node: check every replica with `{service_ps}` and their logs, "
            "then restart the service: `{service_restart}`.",
            "O info não lista nenhum nó rodando: confira cada réplica com `{service_ps}` e seus "
            "logs, depois reinicie o serviço: `{service_restart}`.",
        ),
        LOGS,
    ),
    "api_error": (
        Step(
            'An API call answered {{"error":{{"code":N}}}} (with HTTP 200): 100 internal '
            "server error means the engine failed, usually Redis (publish and channels go through "
            "it); 107 bad request means a malformed body; 108 not available means "
            "the feature is off. The code is in the check details.",
            'Uma chamada da API respondeu {{"error":{{"code":N}}}} (com HTTP 200): 100 '
            "internal server error indica falha do engine, em geral o Redis (publish e channels "
            "passam por ele); 107 bad request indica corpo malformado; 108 not "
            "available indica recurso desligado. O código está nos detalhes da verificação.",
        ),
        Step(
            "For 100, look at Redis in the logs: `{logs_redis}`, and test it: `{redis_ping}`.",
            "Para 100, veja o Redis nos logs: `{logs_redis}`, e teste-o: `{redis_ping}`.",
        ),
    ),
    "mixed_versions": (
        Step(
            "The nodes report different versions (info has one entry per node): a rolling update "
            "is stuck or replicas run different images. v5 and v6 read different option and "
            "environment names, so mixed nodes behave differently. Compare the service's image "
            "(`{service_image}`) with each task's (`{service_ps}`) and finish the update: "
            "`{service_restart}`.",
            "Os nós informam versões diferentes (o info tem uma entrada por nó): uma atualização "
            "gradual travou ou as réplicas rodam imagens diferentes. v5 e v6 leem nomes de opções "
            "e de variáveis de ambiente diferentes, então nós mistos se comportam de forma "
            "diferente. Compare a imagem do serviço (`{service_image}`) com a de cada tarefa "
            "(`{service_ps}`) e conclua a atualização: `{service_restart}`.",
        ),
    ),
    "admin_not_found": (
        Step(
            "The runbook's /admin is 404 by design: with the default admin.handler_prefix (empty) "
            "the panel is at {base_url}/.",
            "O /admin do runbook dá 404 por projeto: com o admin.handler_prefix padrão (vazio) o "
            "painel fica em {base_url}/.",
        ),
        ADMIN_ROOT,
    ),
    "admin_disabled": (
        Step(
            "The admin UI is off. It is optional (nothing else depends on it); to enable it set "
            "v5 admin: true + admin_password + admin_secret, v6 admin.enabled + admin.password + "
            "admin.secret (env CENTRIFUGO_ADMIN_PASSWORD and CENTRIFUGO_ADMIN_SECRET work in "
            "both). With an internal port it is only served there.",
            "O painel admin está desligado. Ele é opcional (nada depende dele); para habilitar "
            "defina v5 admin: true + admin_password + admin_secret, v6 admin.enabled + "
            "admin.password + admin.secret (as env CENTRIFUGO_ADMIN_PASSWORD e "
            "CENTRIFUGO_ADMIN_SECRET valem nas duas). Com porta interna ele só é servido nela.",
        ),
    ),
}

STEPS = ProblemSteps(
    Problem.CONNECTION,
    Step("Problem 2: WebSocket connection failed", "Problema 2: Conexão WebSocket falhou"),
    GENERAL,
    {**HTTP_CAUSES, **WS_CAUSES},
)
