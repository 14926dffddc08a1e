"""Remediation for runbook Problem 1: the browser cannot get a usable Centrifugo token.

Corrects the runbook's `grep CENTRIFUGO_TOKEN_HMAC_SECRET_KEY .env`, which prints the secret,
and adds what Centrifugo does with a bad token (3500, 109, anonymous `sub`) per reference §5.
"""

from __future__ import annotations

from checks.model import Problem
from checks.remediation.text import ProblemSteps, Step

SECRET_NAMES = Step(
    "The app signs with CENTRIFUGO_TOKEN_HMAC_SECRET_KEY; Centrifugo must hold the same value: "
    "v5 token_hmac_secret_key (env CENTRIFUGO_TOKEN_HMAC_SECRET_KEY), v6 "
    "client.token.hmac_secret_key (env CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY; v6 ignores the "
    "v5 name and logs `unknown var in environment`).",
    "A aplicação assina com CENTRIFUGO_TOKEN_HMAC_SECRET_KEY; o Centrifugo precisa ter o mesmo "
    "valor: v5 token_hmac_secret_key (env CENTRIFUGO_TOKEN_HMAC_SECRET_KEY), v6 "
    "client.token.hmac_secret_key (env CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY; a v6 ignora o "
    "nome da v5 e registra `unknown var in environment`).",
)
DECODE = Step(
    "Decode the token's header and claims (no secret needed): `{token_claims}`.",
    "Decodifique o cabeçalho e as claims do token (sem precisar de segredo): `{token_claims}`.",
)
SESSION = Step(
    "Renew the session the bot uses (APP_AUTH_HEADER or APP_COOKIE; for a cookie use "
    '`-b "$APP_COOKIE"` instead of the header) and confirm with `{token_status}`.',
    "Renove a sessão que o bot usa (APP_AUTH_HEADER ou APP_COOKIE; para cookie use "
    '`-b "$APP_COOKIE"` no lugar do cabeçalho) e confirme com `{token_status}`.',
)
BACKEND_SECRET = Step(
    "A backend without the secret logs `[Centrifugo] CENTRIFUGO_TOKEN_HMAC_SECRET_KEY not "
    "configured`; check it is present without printing it: "
    "`grep -c '^CENTRIFUGO_TOKEN_HMAC_SECRET_KEY=.' .env` (1 = set; the runbook's plain grep "
    "prints the secret).",
    "Um backend sem o segredo registra `[Centrifugo] CENTRIFUGO_TOKEN_HMAC_SECRET_KEY not "
    "configured`; confira se está presente sem imprimi-lo: "
    "`grep -c '^CENTRIFUGO_TOKEN_HMAC_SECRET_KEY=.' .env` (1 = definido; o grep simples do "
    "runbook imprime o segredo).",
)

GENERAL = (
    Step(
        "Fetch a token the way the app does: `{token_fetch}` must return "
        '{{"token":"eyJ..."}}. 401 = not logged in, 403 = no access to the organization.',
        "Obtenha um token como a aplicação faz: `{token_fetch}` deve retornar "
        '{{"token":"eyJ..."}}. 401 = não autenticado, 403 = sem acesso à organização.',
    ),
    Step(
        "In the browser, logged in, DevTools console (F12): `{js_token}`; a token starts with eyJ.",
        "No navegador, com login feito, console do DevTools (F12): `{js_token}`; um token começa "
        "com eyJ.",
    ),
    BACKEND_SECRET,
    SECRET_NAMES,
    Step(
        "Browser console lines: `[Centrifugo] Token fetched successfully` is fine; "
        "`[Centrifugo] Token fetch failed: 401` means the user is not authenticated.",
        "Linhas no console do navegador: `[Centrifugo] Token fetched successfully` está ok; "
        "`[Centrifugo] Token fetch failed: 401` significa usuário não autenticado.",
    ),
)

CAUSES = {
    "token_unauthorized": (
        Step(
            "The token endpoint refused the session (401/403): the user is not logged in, the "
            "cookie or bearer expired, or (403) the user has no access to the organization; "
            "check the user's membership in the app.",
            "O endpoint de token recusou a sessão (401/403): usuário sem login, cookie ou bearer "
            "expirado, ou (403) o usuário não tem acesso à organização; confira se ele é membro "
            "da organização na aplicação.",
        ),
        SESSION,
    ),
    "token_login_redirect": (
        Step(
            "The endpoint redirected to a login page: the session is missing or expired (the "
            "auth middleware redirects instead of answering 401); `{token_status}` shows where.",
            "O endpoint redirecionou para a página de login: a sessão falta ou expirou (o "
            "middleware de autenticação redireciona em vez de responder 401); `{token_status}` "
            "mostra para onde.",
        ),
        SESSION,
    ),
    "token_not_json": (
        Step(
            "The endpoint answered HTML or other non-JSON: a login or error page, or "
            "APP_TOKEN_URL ({token_url}) points at a page instead of the API route. Look at the "
            'body: `{token_head}`; it must be application/json {{"token":"eyJ..."}}.',
            "O endpoint respondeu HTML ou outro conteúdo não JSON: página de login ou de erro, ou "
            "APP_TOKEN_URL ({token_url}) aponta para uma página em vez da rota da API. Veja o "
            'corpo: `{token_head}`; deve ser application/json {{"token":"eyJ..."}}.',
        ),
    ),
    "token_missing_field": (
        Step(
            "The JSON has no usable `token` field (missing, empty or not a JWT): the backend "
            'handler must return {{"token":"<JWT>"}}; see what it returns: `{token_fetch}`.',
            "O JSON não tem um campo `token` utilizável (ausente, vazio ou não é JWT): o handler "
            'do backend deve retornar {{"token":"<JWT>"}}; veja o que ele retorna: '
            "`{token_fetch}`.",
        ),
        BACKEND_SECRET,
    ),
    "token_timeout": (
        Step(
            "The token endpoint did not answer in time: check the app's function logs (Vercel) "
            "for cold starts and timeouts, and time it: `{token_timing}`.",
            "O endpoint de token não respondeu a tempo: veja os logs da função da aplicação "
            "(Vercel) atrás de cold starts e timeouts, e meça: `{token_timing}`.",
        ),
    ),
    "token_unreachable": (
        Step(
            "The token endpoint is unreachable (DNS or connection refused): check APP_TOKEN_URL "
            "({token_url}) and that the app is deployed: `dig +short {token_host}`, "
            "`{token_timing}`.",
            "O endpoint de token está inacessível (DNS ou conexão recusada): confira APP_TOKEN_URL "
            "({token_url}) e se a aplicação está publicada: `dig +short {token_host}`, "
            "`{token_timing}`.",
        ),
    ),
    "token_server_error": (
        Step(
            "The app failed (5xx) while issuing the token: read the backend's logs (Vercel "
            "function logs); the usual cause is a missing HMAC secret.",
            "A aplicação falhou (5xx) ao emitir o token: leia os logs do backend (logs da função "
            "na Vercel); a causa comum é o segredo HMAC ausente.",
        ),
        BACKEND_SECRET,
    ),
    "token_expired": (
        Step(
            "The token is already expired (`exp` in the past): Centrifugo answers the connect with "
            "error 109 `token expired`. Check the `exp` the app sets and the app server's clock "
            "(NTP).",
            "O token já está expirado (`exp` no passado): o Centrifugo responde ao connect com o "
            "erro 109 `token expired`. Confira o `exp` que a aplicação define e o relógio do "
            "servidor da aplicação (NTP).",
        ),
        DECODE,
    ),
    "token_expiring": (
        Step(
            "The token expires in under a minute: unless the client refreshes it (getToken in the "
            "SDK), Centrifugo closes the connection with 3005 `connection expired`. Issue tokens "
            "with a longer `exp` and check the clocks (NTP).",
            "O token expira em menos de um minuto: se o cliente não o renovar (getToken no SDK), o "
            "Centrifugo fecha a conexão com 3005 `connection expired`. Emita tokens com `exp` "
            "maior e confira os relógios (NTP).",
        ),
        DECODE,
    ),
    "secret_mismatch": (
        Step(
            "The token's signature does not verify with Centrifugo's HMAC secret: the app and "
            "Centrifugo use different secrets, so every connect is closed with 3500 `invalid "
            "token` (log `invalid connection token`).",
            "A assinatura do token não confere com o segredo HMAC do Centrifugo: a aplicação e o "
            "Centrifugo usam segredos diferentes, então todo connect é fechado com 3500 `invalid "
            "token` (log `invalid connection token`).",
        ),
        SECRET_NAMES,
        Step(
            "Compare fingerprints, never values: `{secret_fp_app}` where the app's env is loaded, "
            "and `{secret_fp_server}` on the Docker host (e3b0c442... = not set). Watch for "
            "trailing spaces or newlines.",
            "Compare impressões digitais, nunca os valores: `{secret_fp_app}` onde o env da "
            "aplicação está carregado, e `{secret_fp_server}` no host Docker (e3b0c442... = não "
            "definido). Atenção a espaços ou quebras de linha no final.",
        ),
    ),
    "token_undecodable": (
        Step(
            "The token is not a decodable JWT (three base64url parts, JSON header and claims): "
            "the app must return the bare JWT, without a `Bearer ` prefix or extra quotes; "
            "Centrifugo closes such connections with 3500.",
            "O token não é um JWT decodificável (três partes base64url, cabeçalho e claims em "
            "JSON): a aplicação deve retornar o JWT puro, sem prefixo `Bearer ` nem aspas extras; "
            "o Centrifugo fecha essas conexões com 3500.",
        ),
        DECODE,
    ),
    "token_alg": (
        Step(
            "The token's `alg` is one Centrifugo cannot verify: HS256/384/512 need the HMAC "
            "secret, RS*/ES* need the public key (v5 token_rsa_public_key / "
            "token_ecdsa_public_key, v6 client.token.rsa_public_key / ecdsa_public_key); `none` "
            "is always rejected with 3500. Sign with HS256 and the shared secret.",
            "O `alg` do token é um que o Centrifugo não consegue verificar: HS256/384/512 precisam "
            "do segredo HMAC, RS*/ES* precisam da chave pública (v5 token_rsa_public_key / "
            "token_ecdsa_public_key, v6 client.token.rsa_public_key / ecdsa_public_key); `none` é "
            "sempre rejeitado com 3500. Assine com HS256 e o segredo compartilhado.",
        ),
        DECODE,
    ),
    "token_no_sub": (
        Step(
            "The token's `sub` is empty, so Centrifugo treats the user as anonymous; with "
            "disallow_anonymous_connection_tokens (v6 client.disallow_anonymous_connection_tokens) "
            "it closes the connection with 3507. Put the user id in `sub` when signing.",
            "O `sub` do token está vazio, então o Centrifugo trata o usuário como anônimo; com "
            "disallow_anonymous_connection_tokens (v6 client.disallow_anonymous_connection_tokens) "
            "ele fecha a conexão com 3507. Coloque o id do usuário em `sub` ao assinar.",
        ),
        DECODE,
    ),
}

STEPS = ProblemSteps(
    Problem.TOKEN,
    Step(
        "Problem 1: failed to get a Centrifugo token",
        "Problema 1: Falha ao obter token do Centrifugo",
    ),
    GENERAL,
    CAUSES,
)
