"""The words of scheduled-check alerts and of `status`, `mute`, `unmute`, in each supported
language; `bot.render.labels` merges them into its table, so `label(lang, key)` stays the one
way to get a word."""

from __future__ import annotations

from checks.model import Language

ALERT_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "alert_failing": "Centrifugo failing: {checks}",
        "alert_resolved": "Resolved after {span}: {checks}",
        "alert_facts": "*Target:* `{target}` · *failing since* {since} · "
        "*failing runs:* {runs} · *last seen* {last_seen}",
        "alert_resolved_facts": "*Target:* `{target}` · failing from {since} to {resolved} · "
        "*failing runs:* {runs}",
        "alert_since": "since {since}",
        "alert_passes_again": "passes again",
        "alert_resolved_reply": "Resolved after {span}: {checks} pass again.",
        "alert_reminder": "Still failing after {span}: {checks} ({runs} failing runs, "
        "last seen {last_seen}).",
        "cert_notice": "TLS certificate of `{target}` expires in {days} days "
        "(under the {threshold}-day mark)",
        "cert_notice_today": "TLS certificate of `{target}` expires within a day",
        "rerun_check": "Re-run {check}",
        "status_title": "Scheduled checks: {state}",
        "status_none": "no run yet",
        "status_state_ok": "all passing",
        "status_state_failing": "incident open",
        "status_state_muted": "muted until {until}",
        "status_target": "*{target}* · last run {last_run}",
        "status_line": "{emoji} *{check}* {status} · {fails} failures in a row",
        "status_incident": "Open incident since {since}: {link}",
        "status_incident_unposted": "Open incident since {since}, not posted yet",
        "status_every": "Every {interval} into {channel}; alert after {alert_after} failures "
        "in a row, resolve after {resolve_after} passes.",
        "mute_done": "Alerts muted until {until}",
        "mute_done_why": "Checks still run and are recorded; nothing is posted to {channel} "
        "until then. `/centrifugo unmute` ends it early.",
        "unmute_done": "Alerts unmuted",
        "unmute_nothing": "Nothing was held back.",
        "unmute_posted": "The open incident is in {channel}: {link}",
        "unmute_pending": "The open incident will be posted to {channel} at the next run.",
        "unmute_not_muted": "Alerts were not muted",
        "schedule_no_channel": "Scheduled checks are off",
        "schedule_no_channel_why": "SCHEDULE_INTERVAL is set but ALERT_CHANNEL is not: "
        "set it to the channel that should get the alerts.",
    },
    "pt-BR": {
        "alert_failing": "Centrifugo falhando: {checks}",
        "alert_resolved": "Resolvido após {span}: {checks}",
        "alert_facts": "*Alvo:* `{target}` · *falhando desde* {since} · "
        "*execuções com falha:* {runs} · *visto por último* {last_seen}",
        "alert_resolved_facts": "*Alvo:* `{target}` · falhou de {since} até {resolved} · "
        "*execuções com falha:* {runs}",
        "alert_since": "desde {since}",
        "alert_passes_again": "passa de novo",
        "alert_resolved_reply": "Resolvido após {span}: {checks} passam de novo.",
        "alert_reminder": "Ainda falhando após {span}: {checks} ({runs} execuções com falha, "
        "visto por último {last_seen}).",
        "cert_notice": "O certificado TLS de `{target}` expira em {days} dias "
        "(abaixo da marca de {threshold} dias)",
        "cert_notice_today": "O certificado TLS de `{target}` expira em menos de um dia",
        "rerun_check": "Executar {check} de novo",
        "status_title": "Verificações agendadas: {state}",
        "status_none": "nenhuma execução ainda",
        "status_state_ok": "tudo passando",
        "status_state_failing": "incidente aberto",
        "status_state_muted": "silenciadas até {until}",
        "status_target": "*{target}* · última execução {last_run}",
        "status_line": "{emoji} *{check}* {status} · {fails} falhas seguidas",
        "status_incident": "Incidente aberto desde {since}: {link}",
        "status_incident_unposted": "Incidente aberto desde {since}, ainda não publicado",
        "status_every": "A cada {interval} em {channel}; alerta após {alert_after} falhas "
        "seguidas, resolve após {resolve_after} sucessos.",
        "mute_done": "Alertas silenciados até {until}",
        "mute_done_why": "As verificações continuam rodando e sendo registradas; nada é "
        "publicado em {channel} até lá. `/centrifugo unmute` encerra antes.",
        "unmute_done": "Alertas reativados",
        "unmute_nothing": "Nada ficou retido.",
        "unmute_posted": "O incidente aberto está em {channel}: {link}",
        "unmute_pending": "O incidente aberto será publicado em {channel} na próxima execução.",
        "unmute_not_muted": "Os alertas não estavam silenciados",
        "schedule_no_channel": "As verificações agendadas estão desligadas",
        "schedule_no_channel_why": "SCHEDULE_INTERVAL está definido, mas ALERT_CHANNEL não: "
        "defina-o com o canal que deve receber os alertas.",
    },
}
