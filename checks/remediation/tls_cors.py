"""Remediation for runbook Problem 4: certificate, Origin ("CORS") and mixed-content errors.

Corrects the runbook (reference §0, §7): its `curl .../admin` proves nothing (404 by default);
only the WebSocket checks the Origin (403 on upgrade), the HTTP API has no CORS at all.
"""

from __future__ import annotations

from checks.model import Problem
from checks.remediation.text import ProblemSteps, Step

CERT_DATES = Step(
    "Certificate dates and names: `{cert_dates}` (notAfter in the future, subjectAltName "
    "includes {host}).",
    "Datas e nomes do certificado: `{cert_dates}` (notAfter no futuro, subjectAltName inclui "
    "{host}).",
)
CHAIN = Step(
    "Chain: `{verify}` must end in `Verify return code: 0 (ok)`.",
    "Cadeia: `{verify}` deve terminar em `Verify return code: 0 (ok)`.",
)
RENEWAL = Step(
    "Renewal: Traefik's ACME certresolver for {host} must succeed; its errors: `{traefik_logs}`.",
    "Renovação: o certresolver ACME do Traefik para {host} deve funcionar; seus erros: "
    "`{traefik_logs}`.",
)
ORIGINS = Step(
    "Origin check (WebSocket only; the HTTP API has no CORS): `{ws_origin}` → 101 accepted, "
    "403 refused. Allowed origins: v5 allowed_origins (env CENTRIFUGO_ALLOWED_ORIGINS), v6 "
    "client.allowed_origins (env CENTRIFUGO_CLIENT_ALLOWED_ORIGINS, space-separated).",
    "Checagem de Origin (só no WebSocket; a API HTTP não tem CORS): `{ws_origin}` → 101 aceita, "
    "403 recusada. Origens permitidas: v5 allowed_origins (env CENTRIFUGO_ALLOWED_ORIGINS), v6 "
    "client.allowed_origins (env CENTRIFUGO_CLIENT_ALLOWED_ORIGINS, separadas por espaço).",
)

GENERAL = (
    CERT_DATES,
    CHAIN,
    Step(
        "In the browser: the page is https and the WebSocket URL is wss:// ({ws_url}); an https "
        "page cannot open ws://.",
        "No navegador: a página é https e a URL do WebSocket é wss:// ({ws_url}); uma página "
        "https não consegue abrir ws://.",
    ),
    ORIGINS,
    Step(
        "The runbook's curl on /admin proves nothing here (/admin is 404 by default); "
        "`{reach}` printing 405 shows TLS and routing work.",
        "O curl do runbook em /admin não prova nada aqui (/admin é 404 por padrão); `{reach}` "
        "imprimindo 405 mostra que TLS e roteamento funcionam.",
    ),
)

CAUSES = {
    "cert_expired": (
        Step(
            "The certificate for {host} has expired: renew it now.",
            "O certificado de {host} expirou: renove-o agora.",
        ),
        RENEWAL,
        CERT_DATES,
    ),
    "cert_expiring": (
        Step(
            "The certificate for {host} expires within 14 days: make sure automatic renewal "
            "works before it lapses.",
            "O certificado de {host} expira em até 14 dias: garanta que a renovação automática "
            "funcione antes do vencimento.",
        ),
        RENEWAL,
    ),
    "cert_not_yet_valid": (
        Step(
            "The certificate for {host} is not valid yet (notBefore in the future): a clock is "
            "wrong, on the server that issued it or on the machine checking it. Compare `date -u` "
            "on both with the dates from `{cert_dates}` and fix NTP.",
            "O certificado de {host} ainda não é válido (notBefore no futuro): algum relógio está "
            "errado, no servidor que o emitiu ou na máquina que o verifica. Compare `date -u` nas "
            "duas com as datas de `{cert_dates}` e corrija o NTP.",
        ),
    ),
    "hostname_mismatch": (
        Step(
            "The certificate does not cover {host}: Traefik serves its default certificate when "
            "no router or certificate matches the requested name (SNI). Fix the router's Host "
            "rule and the certresolver.",
            "O certificado não cobre {host}: o Traefik serve o certificado padrão quando nenhum "
            "router ou certificado corresponde ao nome pedido (SNI). Corrija a regra Host do "
            "router e o certresolver.",
        ),
        CERT_DATES,
    ),
    "untrusted": (
        Step(
            "The certificate is not trusted (self-signed, unknown CA or incomplete chain): serve "
            "the full chain (leaf plus intermediates) from a public CA.",
            "O certificado não é confiável (autoassinado, CA desconhecida ou cadeia incompleta): "
            "sirva a cadeia completa (folha mais intermediários) de uma CA pública.",
        ),
        CHAIN,
    ),
    "tls_handshake": (
        Step(
            "The TLS handshake with {host}:{port} failed: the port may speak plain HTTP, or the "
            "TLS versions/ciphers do not match. See where it stops: `{openssl}` (add -tls1_2 or "
            "-tls1_3 to test versions) and check Traefik's entrypoint for port {port}.",
            "O handshake TLS com {host}:{port} falhou: a porta pode falar HTTP puro, ou as "
            "versões/cifras TLS não batem. Veja onde para: `{openssl}` (adicione -tls1_2 ou "
            "-tls1_3 para testar versões) e confira o entrypoint do Traefik na porta {port}.",
        ),
    ),
    "origin_refused": (
        Step(
            "The WebSocket upgrade with Origin {origin} got 403: that origin is not in "
            "Centrifugo's allowed origins (an empty list refuses every browser). Add it: v5 "
            'allowed_origins: ["{origin}"], v6 client.allowed_origins: ["{origin}"]. The log says '
            "`request Origin is not authorized`: `{logs_origin}`.",
            "O upgrade do WebSocket com Origin {origin} recebeu 403: essa origem não está nas "
            "origens permitidas do Centrifugo (lista vazia recusa todo navegador). Adicione: v5 "
            'allowed_origins: ["{origin}"], v6 client.allowed_origins: ["{origin}"]. O log diz '
            "`request Origin is not authorized`: `{logs_origin}`.",
        ),
        ORIGINS,
    ),
    "mixed_content": (
        Step(
            "The page is https but the WebSocket URL is ws:// ({ws_url}): browsers block it as "
            "mixed content. Set NEXT_PUBLIC_CENTRIFUGO_URL={secure_ws_url} and rebuild the "
            "frontend.",
            "A página é https mas a URL do WebSocket é ws:// ({ws_url}): navegadores bloqueiam "
            "como mixed content. Defina NEXT_PUBLIC_CENTRIFUGO_URL={secure_ws_url} e refaça o "
            "build do frontend.",
        ),
    ),
}

STEPS = ProblemSteps(
    Problem.TLS_CORS,
    Step("Problem 4: certificate or CORS error", "Problema 4: Erro de Certificado ou CORS"),
    GENERAL,
    CAUSES,
)
