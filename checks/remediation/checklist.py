"""Remediation for the runbook's configuration checklist (settings, schemes, the API key).

Corrects the runbook where it is silent about versions: the names in its `.env` checklist are the
app's and Centrifugo v5's; Centrifugo v6 reads other environment names and ignores the old ones.
"""

from __future__ import annotations

from checks.model import Problem
from checks.remediation.text import ProblemSteps, Step

VERSION = Step(
    "Find the server's version with `{info}`: `version` is `5.x.y` on v5 and `6.x.y OSS` on v6 "
    "(or `{logs_version}`).",
    "Descubra a versão do servidor com `{info}`: `version` é `5.x.y` na v5 e `6.x.y OSS` na v6 "
    "(ou `{logs_version}`).",
)
V6_NAMES = Step(
    "The Centrifugo service itself reads different names per version: v5 CENTRIFUGO_API_KEY and "
    "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY; v6 CENTRIFUGO_HTTP_API_KEY (http_api.key) and "
    "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY (client.token.hmac_secret_key). v6 ignores the v5 "
    "names and logs `unknown var in environment`: `{logs_env}`. CENTRIFUGO_ADMIN_PASSWORD and "
    "CENTRIFUGO_ADMIN_SECRET are valid in both. List the service's variable names (no values) "
    "with `{env_names}`.",
    "O próprio serviço do Centrifugo lê nomes diferentes conforme a versão: v5 CENTRIFUGO_API_KEY "
    "e CENTRIFUGO_TOKEN_HMAC_SECRET_KEY; v6 CENTRIFUGO_HTTP_API_KEY (http_api.key) e "
    "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY (client.token.hmac_secret_key). A v6 ignora os nomes "
    "da v5 e registra `unknown var in environment`: `{logs_env}`. CENTRIFUGO_ADMIN_PASSWORD e "
    "CENTRIFUGO_ADMIN_SECRET valem nas duas. Liste os nomes das variáveis do serviço (sem os "
    "valores) com `{env_names}`.",
)
KEY_STATUS = Step(
    "Test the key with `{info_status}`: 200 = accepted, 401 = rejected (the key is checked only "
    "on POST; a GET answers 405 before any key check).",
    "Teste a chave com `{info_status}`: 200 = aceita, 401 = recusada (a chave só é verificada em "
    "POST; um GET responde 405 antes de qualquer verificação de chave).",
)
REACH = Step(
    "Traefik must route {host} to Centrifugo:8000: `{reach}` must print 405, which proves the "
    "API is mounted there (API calls are POST only, so GET is refused by design).",
    "O Traefik deve rotear {host} para Centrifugo:8000: `{reach}` deve imprimir 405, o que prova "
    "que a API está montada ali (chamadas da API são só POST, então GET é recusado por projeto).",
)

GENERAL = (
    Step(
        "Backend `.env` must set CENTRIFUGO_URL={base_url}, CENTRIFUGO_API_KEY, "
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY, CENTRIFUGO_ADMIN_PASSWORD and CENTRIFUGO_ADMIN_SECRET. "
        "List what is set without printing values: `{env_file_names}`.",
        "O `.env` do backend deve definir CENTRIFUGO_URL={base_url}, CENTRIFUGO_API_KEY, "
        "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY, CENTRIFUGO_ADMIN_PASSWORD e CENTRIFUGO_ADMIN_SECRET. "
        "Liste o que está definido sem imprimir valores: `{env_file_names}`.",
    ),
    Step(
        "Frontend `.env` must set NEXT_PUBLIC_CENTRIFUGO_URL={expected_ws_url}: same host as the "
        "API, wss:// outside localhost, path /connection/websocket.",
        "O `.env` do frontend deve definir NEXT_PUBLIC_CENTRIFUGO_URL={expected_ws_url}: mesmo "
        "host da API, wss:// fora do localhost, caminho /connection/websocket.",
    ),
    V6_NAMES,
    VERSION,
    Step(
        "Docker stack: Redis and Centrifugo services running (`{service_ls}`), no restart loop "
        "(`{service_ps}`).",
        "Stack Docker: serviços Redis e Centrifugo rodando (`{service_ls}`), sem loop de "
        "reinício (`{service_ps}`).",
    ),
    REACH,
    Step(
        "TLS certificates valid for {host}: `{cert_dates}`.",
        "Certificados TLS válidos para {host}: `{cert_dates}`.",
    ),
)

CAUSES = {
    "missing_setting": (
        Step(
            "Set the missing setting named in the check result in the bot's and the app's `.env` "
            "(take the value from your secret store, never paste it into chat) and redeploy.",
            "Defina a configuração ausente indicada no resultado da verificação no `.env` do bot e "
            "da aplicação (pegue o valor do seu cofre de segredos, nunca cole no chat) e faça o "
            "deploy de novo.",
        ),
    ),
    "insecure_scheme": (
        Step(
            "Outside localhost use CENTRIFUGO_URL={secure_base_url} and "
            "NEXT_PUBLIC_CENTRIFUGO_URL={secure_ws_url}: an https page cannot open ws:// (mixed "
            "content) and over http the API key travels in clear text.",
            "Fora do localhost use CENTRIFUGO_URL={secure_base_url} e "
            "NEXT_PUBLIC_CENTRIFUGO_URL={secure_ws_url}: uma página https não consegue abrir ws:// "
            "(mixed content) e via http a chave da API trafega em texto puro.",
        ),
    ),
    "ws_url_mismatch": (
        Step(
            "NEXT_PUBLIC_CENTRIFUGO_URL is {ws_url}; it must be on the API's host and end in "
            "/connection/websocket: set it to {expected_ws_url} and rebuild the frontend "
            "(Next.js bakes NEXT_PUBLIC_ variables in at build time).",
            "NEXT_PUBLIC_CENTRIFUGO_URL está como {ws_url}; deve estar no host da API e terminar "
            "em /connection/websocket: defina {expected_ws_url} e refaça o build do frontend (o "
            "Next.js embute as variáveis NEXT_PUBLIC_ no momento do build).",
        ),
    ),
    "api_key_rejected": (
        Step(
            "The API answered 401: the key sent is not the server's key, or the server has none "
            "(then every call is 401 and it logs `API key is empty`).",
            "A API respondeu 401: a chave enviada não é a do servidor, ou o servidor não tem "
            "nenhuma (aí toda chamada é 401 e ele registra `API key is empty`).",
        ),
        V6_NAMES,
        KEY_STATUS,
    ),
    "api_key_missing": (
        Step(
            "Set CENTRIFUGO_API_KEY for the bot and the app to the server's key (v5 api_key, v6 "
            "http_api.key); without it only keyless probes work, such as `{reach}` (405).",
            "Defina CENTRIFUGO_API_KEY no bot e na aplicação com a chave do servidor (v5 api_key, "
            "v6 http_api.key); sem ela só funcionam testes sem chave, como `{reach}` (405).",
        ),
        KEY_STATUS,
    ),
}

STEPS = ProblemSteps(
    Problem.CHECKLIST,
    Step("Configuration checklist", "Checklist de Configuração"),
    GENERAL,
    CAUSES,
)
