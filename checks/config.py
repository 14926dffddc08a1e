"""The runbook's configuration checklist, checked without any I/O.

Required settings present, https/wss outside localhost, and the browser's WebSocket URL on the
API's host at /connection/websocket. Only setting names and URLs are reported, never values of
secrets.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from checks.context import CheckContext
from checks.model import SEVERITY, Language, Outcome, Problem, Status, ok, say
from checks.registry import check
from checks.target import WEBSOCKET_PATH, Target, public_url

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Without the API key nothing server-side can be checked; without the HMAC secret the bot can
# neither verify the app's tokens nor mint its own, which is a gap, not an outage.
REQUIRED_SETTINGS = {
    "CENTRIFUGO_URL": Status.FAIL,
    "CENTRIFUGO_API_KEY": Status.FAIL,
    "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY": Status.WARN,
}


@dataclass(frozen=True)
class Finding:
    status: Status
    problem: Problem
    cause: str
    message: str


@check("config", "Configuration checklist", problem=Problem.CHECKLIST)
async def config(ctx: CheckContext) -> Outcome:
    target = ctx.target
    findings = audit(target, ctx.lang)
    browser, api = public_url(target.websocket_url), public_url(target.base_url)
    if not findings:
        return ok(
            ctx.say(
                f"{len(REQUIRED_SETTINGS)} required settings set; browser URL {browser} matches "
                f"CENTRIFUGO_URL {api}",
                f"{len(REQUIRED_SETTINGS)} configurações obrigatórias definidas; a URL do "
                f"navegador {browser} bate com CENTRIFUGO_URL {api}",
            ),
            websocket_url=browser,
        )
    worst = max(findings, key=lambda f: SEVERITY[f.status])
    one = len(findings) == 1
    issues = ctx.say("issue" if one else "issues", "problema" if one else "problemas")
    return Outcome(
        worst.status,
        f"{len(findings)} {issues}: " + "; ".join(f.message for f in findings),
        {
            "observed": len(findings),
            "expected": 0,
            "findings": [{"cause": f.cause, "status": str(f.status)} for f in findings],
            "websocket_url": public_url(target.websocket_url),
        },
        worst.problem,
        worst.cause,
    )


def audit(target: Target, lang: Language = "en") -> list[Finding]:
    """Every checklist item the target's settings break, in checklist order."""
    return [
        *missing_settings(target, lang),
        *insecure_schemes(target, lang),
        *websocket_url_mismatches(target, lang),
        *mixed_content(target, lang),
    ]


def missing_settings(target: Target, lang: Language) -> list[Finding]:
    return [
        Finding(
            status,
            Problem.CHECKLIST,
            "missing_setting",
            say(lang, f"{name} is not set", f"{name} não está definida"),
        )
        for name, status in REQUIRED_SETTINGS.items()
        if not target.is_set(name)
    ]


def insecure_schemes(target: Target, lang: Language) -> list[Finding]:
    api = urlsplit(target.centrifugo_url)
    browser = urlsplit(target.websocket_url)
    findings = []
    if api.scheme == "http" and not is_local(api.hostname):
        findings.append(insecure("CENTRIFUGO_URL", target.centrifugo_url, "https", lang))
    if browser.scheme == "ws" and not is_local(browser.hostname):
        findings.append(insecure("NEXT_PUBLIC_CENTRIFUGO_URL", target.websocket_url, "wss", lang))
    return findings


def insecure(setting: str, url: str, wanted: str, lang: Language) -> Finding:
    return Finding(
        Status.WARN,
        Problem.CHECKLIST,
        "insecure_scheme",
        say(
            lang,
            f"{setting} {public_url(url)} is not {wanted}:// outside localhost",
            f"{setting} {public_url(url)} não é {wanted}:// fora do localhost",
        ),
    )


def websocket_url_mismatches(target: Target, lang: Language) -> list[Finding]:
    api = urlsplit(target.centrifugo_url)
    browser = urlsplit(target.websocket_url)
    url = public_url(target.websocket_url)
    findings = []
    if browser.scheme not in ("ws", "wss"):
        said = say(
            lang,
            f"browser URL {url} is not ws:// or wss://",
            f"a URL do navegador {url} não é ws:// nem wss://",
        )
        findings.append(mismatch(Status.FAIL, said))
    if not browser.path.rstrip("/").endswith(WEBSOCKET_PATH):
        said = say(
            lang,
            f"browser URL {url} does not end {WEBSOCKET_PATH}",
            f"a URL do navegador {url} não termina em {WEBSOCKET_PATH}",
        )
        findings.append(mismatch(Status.FAIL, said))
    # An internal API address (http://centrifugo:8000) beside a public browser URL can be
    # deliberate, so another host is only a warning.
    if browser.hostname != api.hostname:
        said = say(
            lang,
            f"browser URL host {browser.hostname} differs from CENTRIFUGO_URL host {api.hostname}",
            f"o host {browser.hostname} da URL do navegador difere do host {api.hostname} de "
            "CENTRIFUGO_URL",
        )
        findings.append(mismatch(Status.WARN, said))
    return findings


def mismatch(status: Status, message: str) -> Finding:
    return Finding(status, Problem.CHECKLIST, "ws_url_mismatch", message)


def mixed_content(target: Target, lang: Language) -> list[Finding]:
    """A ws:// URL from an https page is blocked by the browser as mixed content."""
    if urlsplit(target.websocket_url).scheme != "ws":
        return []
    pages = {"CENTRIFUGO_URL": target.centrifugo_url, "BROWSER_ORIGIN": target.browser_origin}
    https = [name for name, url in pages.items() if url and urlsplit(url).scheme == "https"]
    if not https:
        return []
    return [
        Finding(
            Status.FAIL,
            Problem.TLS_CORS,
            "mixed_content",
            say(
                lang,
                f"browser URL is ws:// while {https[0]} is https: browsers block it as mixed "
                "content",
                f"a URL do navegador é ws:// enquanto {https[0]} é https: os navegadores bloqueiam "
                "isso como conteúdo misto (mixed content)",
            ),
        )
    ]


def is_local(host: str | None) -> bool:
    return host in LOCAL_HOSTS
