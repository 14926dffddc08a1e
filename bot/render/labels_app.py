"""The Slack app's words (acks, refusals, endings, details, features not built), in each
supported language; bot/render/labels.py merges them into its table."""

from __future__ import annotations

from checks.model import Language

APP_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "running": "Running `{command}`…",
        "usage_hint": "Usage: `{usage}`",
        "help_hint": "`/centrifugo help` lists every command.",
        "channel_refused": "I don't answer in this channel",
        "channel_refused_why": "ALLOWED_CHANNEL_IDS limits me to: {channels}. "
        "Ask whoever runs the bot to add this channel, or use one of those.",
        "user_refused": "`{verb}` is for privileged users",
        "user_refused_why": "Only the users in PRIVILEGED_USER_IDS may publish, tail, mute or "
        "unmute. Ask whoever runs the bot to add you.",
        "interrupted": "`{command}` was interrupted by a bot restart: run it again.",
        "internal_error": "Internal error while running `{command}`",
        "internal_error_why": "The bot logged what went wrong. Try again; "
        "if it keeps failing, tell whoever runs the bot.",
        "schedule_off": "Scheduled checks are off",
        "schedule_off_why": "SCHEDULE_INTERVAL is 0. Set it (e.g. `300`) and ALERT_CHANNEL "
        "to run the diagnosis on an interval.",
        "slack_only": "`{command}` is not available here",
        "slack_only_why": "It runs in Slack, through `centrifugo-bot serve`.",
        "details_title": "Details of `{command}`",
        "details_rerun": "The earlier result is no longer in memory, so these details "
        "come from a new run.",
        "details_none": "No details recorded.",
        "more_details": "… {n} more checks' details not shown",
    },
    "pt-BR": {
        "running": "Executando `{command}`…",
        "usage_hint": "Uso: `{usage}`",
        "help_hint": "`/centrifugo help` lista todos os comandos.",
        "channel_refused": "Não respondo neste canal",
        "channel_refused_why": "ALLOWED_CHANNEL_IDS me limita a: {channels}. "
        "Peça a quem administra o bot para incluir este canal, ou use um desses.",
        "user_refused": "`{verb}` é só para usuários privilegiados",
        "user_refused_why": "Só os usuários em PRIVILEGED_USER_IDS podem publicar, acompanhar "
        "(tail), silenciar (mute) ou reativar (unmute). "
        "Peça a quem administra o bot para incluir você.",
        "interrupted": "`{command}` foi interrompido por um reinício do bot: execute de novo.",
        "internal_error": "Erro interno ao executar `{command}`",
        "internal_error_why": "O bot registrou o que deu errado no log. Tente de novo; "
        "se continuar falhando, avise quem administra o bot.",
        "schedule_off": "As verificações agendadas estão desligadas",
        "schedule_off_why": "SCHEDULE_INTERVAL é 0. Defina-o (ex.: `300`) e ALERT_CHANNEL "
        "para rodar o diagnóstico periodicamente.",
        "slack_only": "`{command}` não está disponível aqui",
        "slack_only_why": "Ele roda no Slack, via `centrifugo-bot serve`.",
        "details_title": "Detalhes de `{command}`",
        "details_rerun": "O resultado anterior não está mais na memória, então estes detalhes "
        "vêm de uma nova execução.",
        "details_none": "Nenhum detalhe registrado.",
        "more_details": "… detalhes de mais {n} verificações não mostrados",
    },
}
