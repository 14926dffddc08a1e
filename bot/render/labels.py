"""The words renderers wrap around results, in each supported language, and status marks."""

from __future__ import annotations

from bot.render.labels_alerts import ALERT_LABELS
from bot.render.labels_app import APP_LABELS
from bot.render.labels_tail import TAIL_LABELS
from checks.model import Language, Status

STATUS_EMOJI = {
    Status.OK: ":white_check_mark:",
    Status.WARN: ":warning:",
    Status.FAIL: ":x:",
    Status.SKIP: ":white_circle:",
}

STATUS_MARK = {Status.OK: "✔", Status.WARN: "▲", Status.FAIL: "✖", Status.SKIP: "–"}

_LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "ok": "OK",
        "warn": "WARNING",
        "fail": "FAILING",
        "skip": "NOTHING RAN",
        "target": "Target",
        "fix": "How to fix",
        "asked_by": "Asked by",
        "took": "took",
        "rerun": "Re-run",
        "full": "Full diagnosis",
        "details": "Show details",
        "more_checks": "… {n} more checks not shown",
        "more_steps": "… {n} more steps",
        "more_problems": "… {n} more failing checks with remediation not shown",
        "counts": "{ok} ok · {warn} warn · {fail} fail · {skip} skipped",
    },
    "pt-BR": {
        "ok": "OK",
        "warn": "ATENÇÃO",
        "fail": "FALHANDO",
        "skip": "NADA EXECUTADO",
        "target": "Alvo",
        "fix": "Como corrigir",
        "asked_by": "Pedido por",
        "took": "levou",
        "rerun": "Executar de novo",
        "full": "Diagnóstico completo",
        "details": "Mostrar detalhes",
        "more_checks": "… mais {n} verificações não mostradas",
        "more_steps": "… mais {n} passos",
        "more_problems": "… mais {n} verificações com falha não mostradas",
        "counts": "{ok} ok · {warn} atenção · {fail} falha · {skip} puladas",
    },
}
# tail and publish keep their many words in their own module.
for _lang, _words in TAIL_LABELS.items():
    _LABELS[_lang] |= _words
# Scheduled-check alerts, status, mute and unmute, likewise.
for _lang, _words in ALERT_LABELS.items():
    _LABELS[_lang] |= _words
# The Slack app's acks, refusals and endings, likewise.
for _lang, _words in APP_LABELS.items():
    _LABELS[_lang] |= _words


def label(lang: Language, key: str, **values: object) -> str:
    return _LABELS[lang][key].format(**values)


def status_word(lang: Language, status: Status) -> str:
    return label(lang, status.value)
