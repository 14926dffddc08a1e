"""The words of `tail` and `publish` in each supported language; `bot.render.labels` merges
them into its table, so `label(lang, key)` is still the one way to get a word."""

from __future__ import annotations

from checks.model import Language

TAIL_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "channel_not_allowed": "`{channel}` is not open to tail and publish",
        "channel_not_allowed_why": "TAIL_CHANNELS allows {patterns}. Org channels reach "
        "customers' browsers, so only test channels may be tailed or published to.",
        "publish_ok": "Published to `{channel}`",
        "publish_position": "offset {offset}, epoch `{epoch}`",
        "publish_no_position": "accepted; the channel keeps no history, so there is no offset",
        "publish_failed": "Publishing to `{channel}` failed",
        "publish_too_big": "JSON too big: {size} bytes encoded, the limit is {limit}.",
        "api_401": "Centrifugo refused the API key (HTTP 401): check CENTRIFUGO_API_KEY "
        "(Centrifugo v6 reads CENTRIFUGO_HTTP_API_KEY, not the v5 name).",
        "api_404": "HTTP 404 at {url}: the server API is not there; check CENTRIFUGO_URL "
        "and the API prefix (http_api.handler_prefix, default /api).",
        "api_status": "Centrifugo answered HTTP {status}.",
        "api_100": "error 100 internal server error: usually the broker (Redis) is unreachable.",
        "api_102": "error 102 unknown channel: the channel's namespace is not configured "
        "in Centrifugo.",
        "api_103": "error 103 permission denied.",
        "api_107": "error 107 bad request: Centrifugo refused the channel name or the data.",
        "api_108": "error 108 not available for this channel.",
        "api_other": "error {code}: {message}",
        "unreachable": "Cannot reach Centrifugo at {url}: {error}",
        "no_answer": "No answer from Centrifugo at {url} within {seconds}s.",
        "tls_failure": "TLS failure talking to {url}: {error}",
        "unexpected_body": "Unexpected answer from Centrifugo: {error}",
    },
    "pt-BR": {
        "channel_not_allowed": "`{channel}` não está liberado para tail e publish",
        "channel_not_allowed_why": "TAIL_CHANNELS permite {patterns}. Canais de org chegam ao "
        "navegador dos clientes, então só canais de teste podem ser acompanhados ou receber "
        "publicações.",
        "publish_ok": "Publicado em `{channel}`",
        "publish_position": "offset {offset}, epoch `{epoch}`",
        "publish_no_position": "aceito; o canal não guarda histórico, então não há offset",
        "publish_failed": "A publicação em `{channel}` falhou",
        "publish_too_big": "JSON grande demais: {size} bytes codificado, o limite é {limit}.",
        "api_401": "O Centrifugo recusou a chave da API (HTTP 401): confira CENTRIFUGO_API_KEY "
        "(o Centrifugo v6 lê CENTRIFUGO_HTTP_API_KEY, não o nome da v5).",
        "api_404": "HTTP 404 em {url}: a API do servidor não está aí; confira CENTRIFUGO_URL "
        "e o prefixo da API (http_api.handler_prefix, padrão /api).",
        "api_status": "O Centrifugo respondeu HTTP {status}.",
        "api_100": "erro 100 internal server error: normalmente o broker (Redis) está inacessível.",
        "api_102": "erro 102 unknown channel: o namespace do canal não está configurado "
        "no Centrifugo.",
        "api_103": "erro 103 permission denied.",
        "api_107": "erro 107 bad request: o Centrifugo recusou o nome do canal ou os dados.",
        "api_108": "erro 108 not available para este canal.",
        "api_other": "erro {code}: {message}",
        "unreachable": "Não foi possível alcançar o Centrifugo em {url}: {error}",
        "no_answer": "Sem resposta do Centrifugo em {url} dentro de {seconds}s.",
        "tls_failure": "Falha de TLS ao falar com {url}: {error}",
        "unexpected_body": "Resposta inesperada do Centrifugo: {error}",
    },
}
