"""The words of `tail` and `publish` in each supported language; `bot.render.labels` merges
them into its table, so `label(lang, key)` is still the one way to get a word."""

from __future__ import annotations

from checks.model import Language

TAIL_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "channel_not_allowed": "`{channel}` is not open to tail and publish",
        "channel_not_allowed_why": "TAIL_CHANNELS allows {patterns}. Org channels reach "
        "customers' browsers, so only test channels may be tailed or published to.",
        "publish_org_refused": "`{channel}` is an org channel: the bot never publishes there",
        "publish_org_refused_why": "Whatever is published on an org channel reaches customers' "
        "browsers, even when TAIL_CHANNELS lists it. Publish to a test channel, or tail the "
        "org channel to watch it.",
        "publish_ok": "Published to `{channel}`",
        "publish_position": "offset {offset}, epoch `{epoch}`",
        "publish_no_position": "accepted; the channel keeps no history, so there is no offset",
        "publish_failed": "Publishing to `{channel}` failed",
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
        "tail_parent": ":mag: Tailing `{channel}` for {duration} (until {until} UTC), asked by "
        "{who}. What arrives follows in this thread, at most one post a second. "
        "`/centrifugo tail stop {channel}` ends it.",
        "tail_parent_done": ":checkered_flag: Tail of `{channel}` ended ({reason}), asked by "
        "{who}: {counts}.",
        "tail_summary": ":checkered_flag: Tail of `{channel}` ended: {reason}.\n{counts}",
        "tail_counts": "seen {seen} · shown {shown} · not shown {not_shown} · "
        "reconnects {reconnects} · ran {elapsed}",
        "tail_someone": "someone",
        "end_duration": "duration reached",
        "end_stopped": "stopped by {who}",
        "end_shutdown": "the bot is shutting down",
        "end_interrupted": "interrupted",
        "end_failed": "Centrifugo ended it",
        "tail_hidden": "… {n} more not shown (offsets {first}–{last})",
        "tail_hidden_plain": "… {n} more not shown",
        "tail_hidden_events": "… {n} more connection events",
        "ev_subscribed": ":link: subscribed to `{channel}`",
        "ev_resubscribed": ":link: subscribed again",
        "ev_recovered": ":link: subscribed again; missed publications recovered",
        "ev_not_recovered": ":warning: subscribed again, but recovery failed: publications "
        "sent while disconnected may be missing",
        "ev_disconnected": ":warning: connection lost ({what}); reconnecting",
        "ev_reconnected": ":arrows_counterclockwise: reconnected",
        "ev_connect_failed": ":warning: connection attempt failed ({what}); trying again",
        "ev_subscribe_failed": ":warning: subscribe failed ({what}); trying again",
        "ev_refused": ":x: Centrifugo refused the subscription: {what}",
        "ev_closed": ":x: Centrifugo closed the connection for good: {what}",
        "tail_started": "Tailing `{channel}` for {duration}",
        "tail_started_why": "What arrives follows in the thread under the message in this channel.",
        "tail_capped": " {requested} is over TAIL_MAX_SECONDS, so it runs for {duration}.",
        "tail_running": "`{channel}` is already being tailed",
        "tail_running_why": "In <#{slack_channel}>, asked by {who}, {left} left. "
        "`/centrifugo tail stop {channel}` ends it.",
        "tail_no_thread": "Could not start the tail's thread",
        "tail_no_thread_why": "Slack refused the post: {error}. Is the bot a member of this "
        "channel?",
        "tail_stopping": "Stopping the tail of `{channel}`",
        "tail_stopping_why": "Its summary follows in its thread.",
        "tail_none": "No tail is running",
        "tail_closing": "The bot is shutting down: no new tail was started",
        "tail_which": "Several tails are running",
        "tail_which_why": "Say which: {channels}, e.g. `/centrifugo tail stop {first}`.",
        "tail_not_running": "`{channel}` is not being tailed",
        "tail_not_running_why": "Running: {channels}.",
        "tails_title": "Tails running",
        "tails_line": "• `{channel}` in <#{slack_channel}>, asked by {who}: seen {seen}, "
        "{left} left",
    },
    "pt-BR": {
        "channel_not_allowed": "`{channel}` não está liberado para tail e publish",
        "channel_not_allowed_why": "TAIL_CHANNELS permite {patterns}. Canais de org chegam ao "
        "navegador dos clientes, então só canais de teste podem ser acompanhados ou receber "
        "publicações.",
        "publish_org_refused": "`{channel}` é um canal de org: o bot nunca publica nele",
        "publish_org_refused_why": "O que é publicado num canal de org chega ao navegador dos "
        "clientes, mesmo que TAIL_CHANNELS o liste. Publique num canal de teste, ou use tail "
        "no canal da org para observá-lo.",
        "publish_ok": "Publicado em `{channel}`",
        "publish_position": "offset {offset}, epoch `{epoch}`",
        "publish_no_position": "aceito; o canal não guarda histórico, então não há offset",
        "publish_failed": "A publicação em `{channel}` falhou",
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
        "tail_parent": ":mag: Acompanhando `{channel}` por {duration} (até {until} UTC), pedido "
        "por {who}. O que chegar aparece nesta thread, no máximo um post por segundo. "
        "`/centrifugo tail stop {channel}` encerra.",
        "tail_parent_done": ":checkered_flag: Tail de `{channel}` terminou ({reason}), pedido "
        "por {who}: {counts}.",
        "tail_summary": ":checkered_flag: Tail de `{channel}` terminou: {reason}.\n{counts}",
        "tail_counts": "vistas {seen} · mostradas {shown} · não mostradas {not_shown} · "
        "reconexões {reconnects} · durou {elapsed}",
        "tail_someone": "alguém",
        "end_duration": "duração atingida",
        "end_stopped": "parado por {who}",
        "end_shutdown": "o bot está sendo desligado",
        "end_interrupted": "interrompido",
        "end_failed": "o Centrifugo encerrou",
        "tail_hidden": "… mais {n} não mostradas (offsets {first}–{last})",
        "tail_hidden_plain": "… mais {n} não mostradas",
        "tail_hidden_events": "… mais {n} eventos de conexão",
        "ev_subscribed": ":link: inscrito em `{channel}`",
        "ev_resubscribed": ":link: inscrito de novo",
        "ev_recovered": ":link: inscrito de novo; publicações perdidas recuperadas",
        "ev_not_recovered": ":warning: inscrito de novo, mas a recuperação falhou: publicações "
        "enviadas durante a desconexão podem faltar",
        "ev_disconnected": ":warning: conexão perdida ({what}); reconectando",
        "ev_reconnected": ":arrows_counterclockwise: reconectado",
        "ev_connect_failed": ":warning: tentativa de conexão falhou ({what}); tentando de novo",
        "ev_subscribe_failed": ":warning: inscrição falhou ({what}); tentando de novo",
        "ev_refused": ":x: o Centrifugo recusou a inscrição: {what}",
        "ev_closed": ":x: o Centrifugo fechou a conexão de vez: {what}",
        "tail_started": "Acompanhando `{channel}` por {duration}",
        "tail_started_why": "O que chegar aparece na thread da mensagem neste canal.",
        "tail_capped": " {requested} passa de TAIL_MAX_SECONDS, então dura {duration}.",
        "tail_running": "`{channel}` já está sendo acompanhado",
        "tail_running_why": "Em <#{slack_channel}>, pedido por {who}, faltam {left}. "
        "`/centrifugo tail stop {channel}` encerra.",
        "tail_no_thread": "Não foi possível abrir a thread do tail",
        "tail_no_thread_why": "O Slack recusou o post: {error}. O bot é membro deste canal?",
        "tail_stopping": "Parando o tail de `{channel}`",
        "tail_stopping_why": "O resumo aparece na thread dele.",
        "tail_none": "Nenhum tail em andamento",
        "tail_closing": "O bot está sendo desligado: nenhum tail novo foi iniciado",
        "tail_which": "Há vários tails em andamento",
        "tail_which_why": "Diga qual: {channels}, ex.: `/centrifugo tail stop {first}`.",
        "tail_not_running": "`{channel}` não está sendo acompanhado",
        "tail_not_running_why": "Em andamento: {channels}.",
        "tails_title": "Tails em andamento",
        "tails_line": "• `{channel}` em <#{slack_channel}>, pedido por {who}: vistas {seen}, "
        "faltam {left}",
    },
}
