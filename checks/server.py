"""Server-side checks over HTTP: reachability, API key, `info` figures and the admin UI.

Centrifugo has no ping method (`/api/ping` is 404, reference §1.5), so reachability is proven
the way the real server allows: `GET /api/info` answers 405 before any key check.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from checks.context import CheckContext
from checks.errors import CentrifugoError, HttpStatusError, Unauthorized
from checks.http_probe import Answer, api_failure, ms, timed_get
from checks.model import Outcome, Problem, fail, ok, plural, warn
from checks.registry import check

V6_KEY_NOTE = "Centrifugo v6 ignores CENTRIFUGO_API_KEY, it reads CENTRIFUGO_HTTP_API_KEY"
V6_KEY_NOTE_PT_BR = "o Centrifugo v6 ignora CENTRIFUGO_API_KEY, ele lê CENTRIFUGO_HTTP_API_KEY"
INFO_CALL = "POST /api/info"
# Admin UI prefixes: "" is the default (UI at /), "/admin" is the one the runbook assumes.
ADMIN_PREFIXES = ("", "/admin")
# The admin's JSON probe: /admin/init from v6.5.2, /admin/settings before.
ADMIN_PROBES = {"/admin/init": "v6.5.2+", "/admin/settings": "v5 or v6 < 6.5.2"}


@check("server.ping", "Centrifugo HTTP server answers", problem=Problem.CONNECTION)
async def ping(ctx: CheckContext) -> Outcome:
    (api, latency_ms), (health, _) = await asyncio.gather(
        timed_get(ctx, "/api/info"), timed_get(ctx, "/health")
    )
    call = f"GET {ctx.target.base_url}/api/info"
    if isinstance(api, CentrifugoError):
        return api_failure(api, call, ctx)
    if api.status_code != 405:
        return api_failure(HttpStatusError(api.status_code, ""), call, ctx, expected=405)
    health_status = status_of(health)
    not_enabled = ctx.say("not enabled", "não habilitado")
    health_note = {200: "; /health → 200", 404: f"; /health {not_enabled}"}.get(
        health_status or 0, ""
    )
    return ok(
        ctx.say(
            f"API answers in {ms(latency_ms)} (GET /api/info → 405 as expected; Centrifugo has no "
            f"/api/ping){health_note}",
            f"a API responde em {ms(latency_ms)} (GET /api/info → 405, como esperado; o "
            f"Centrifugo não tem /api/ping){health_note}",
        ),
        latency_ms=round(latency_ms, 1),
        observed=405,
        expected=405,
        health=health_status,
    )


@check(
    "server.auth",
    "API key accepted",
    needs=("server.ping",),
    requires=("CENTRIFUGO_API_KEY",),
    problem=Problem.CHECKLIST,
)
async def auth(ctx: CheckContext) -> Outcome:
    try:
        result = await ctx.memo("info", ctx.api.info)
    except Unauthorized:
        return fail(
            ctx.say(
                f"API key refused ({INFO_CALL} → 401); {V6_KEY_NOTE}",
                f"chave de API recusada ({INFO_CALL} → 401); {V6_KEY_NOTE_PT_BR}",
            ),
            Problem.CHECKLIST,
            "api_key_rejected",
            observed=401,
            expected=200,
        )
    except CentrifugoError as exc:
        return api_failure(exc, INFO_CALL, ctx)
    count = len(nodes_of(result))
    said = ctx.say(
        f"API key accepted ({INFO_CALL} → 200, {plural(count, 'node')})",
        f"chave de API aceita ({INFO_CALL} → 200, {plural(count, 'nó', 'nós')})",
    )
    return ok(said, observed=200, expected=200)


@check("server.info", "Server version and load", needs=("server.auth",))
async def info(ctx: CheckContext) -> Outcome:
    try:
        nodes = nodes_of(await ctx.memo("info", ctx.api.info))
    except CentrifugoError as exc:
        return api_failure(exc, INFO_CALL, ctx)
    if not nodes:
        return warn(
            ctx.say(
                "info lists 0 nodes (expected at least 1)",
                "o info lista 0 nós (esperado pelo menos 1)",
            ),
            Problem.CONNECTION,
            "no_nodes",
            observed=0,
            expected=1,
        )
    versions = sorted({str(node.get("version", "?")) for node in nodes})
    figures = {name: total(nodes, f"num_{name}") for name in ("clients", "users", "channels")}
    figures["subs"] = total(nodes, "num_subs")
    youngest = min(int(node.get("uptime", 0)) for node in nodes)
    details: dict[str, Any] = {
        "versions": versions,
        "major": major_version(versions[0]),
        "nodes": len(nodes),
        **figures,
        "uptime_s": youngest,
        "per_node": [{key: node.get(key) for key in NODE_KEYS} for node in nodes],
    }
    summary = ctx.say(
        f"Centrifugo {', '.join(versions)}, {plural(len(nodes), 'node')}, "
        f"{plural(figures['clients'], 'client')}, {plural(figures['users'], 'user')}, "
        f"{plural(figures['channels'], 'channel')}, {plural(figures['subs'], 'subscription')}, "
        f"up {uptime(youngest)}",
        f"Centrifugo {', '.join(versions)}, {plural(len(nodes), 'nó', 'nós')}, "
        f"{plural(figures['clients'], 'cliente')}, {plural(figures['users'], 'usuário')}, "
        f"{plural(figures['channels'], 'canal', 'canais')}, "
        f"{plural(figures['subs'], 'inscrição', 'inscrições')}, no ar há {uptime(youngest)}",
    )
    if len(versions) > 1:
        mixed = ctx.say(
            f"nodes run mixed versions: {summary}", f"os nós rodam versões diferentes: {summary}"
        )
        return warn(mixed, Problem.CONNECTION, "mixed_versions", **details)
    return ok(summary, **details)


NODE_KEYS = ("name", "version", "num_clients", "num_users", "num_channels", "num_subs", "uptime")


def nodes_of(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    nodes = result.get("nodes") or []
    return [node for node in nodes if isinstance(node, Mapping)] if isinstance(nodes, list) else []


def total(nodes: Sequence[Mapping[str, Any]], key: str) -> int:
    """Sum over nodes; counts are per node, so users and channels may be counted twice."""
    return sum(int(node.get(key, 0) or 0) for node in nodes)


def major_version(version: str) -> int | None:
    """5 for "5.4.9", 6 for "6.9.1 OSS"; None for dev builds ("0.0.0") and unknown strings."""
    match = re.match(r"(\d+)\.", version)
    major = int(match.group(1)) if match else 0
    return major or None


def uptime(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s" if minutes else f"{secs}s"


@check("admin", "Admin UI answers", needs=("server.ping",))
async def admin(ctx: CheckContext) -> Outcome:
    paths = [prefix + path for prefix in ADMIN_PREFIXES for path in ("/", *ADMIN_PROBES)]
    answers = await asyncio.gather(*(timed_get(ctx, path) for path in paths))
    by_path = {path: answer for path, (answer, _) in zip(paths, answers, strict=True)}
    for prefix in ADMIN_PREFIXES:
        found = admin_at(ctx, prefix, by_path)
        if found is not None:
            return found
    errors = [answer for answer in by_path.values() if isinstance(answer, CentrifugoError)]
    if errors:
        return api_failure(errors[0], ctx.say("GET admin UI", "GET na UI de admin"), ctx)
    statuses = {path: status_of(answer) for path, answer in by_path.items()}
    if statuses.get("/") == 200:
        return warn(
            ctx.say(
                "GET / → 200 but neither /admin/init nor /admin/settings answers Centrifugo's "
                "admin JSON: something else is served at /",
                "GET / → 200, mas nem /admin/init nem /admin/settings respondem com o JSON do "
                "admin do Centrifugo: outra coisa está sendo servida em /",
            ),
            Problem.CONNECTION,
            "not_centrifugo",
            statuses=statuses,
        )
    answered = f"GET / → {statuses.get('/')}, GET /admin/ → {statuses.get('/admin/')}"
    return warn(
        ctx.say(
            f"admin UI not enabled (admin.enabled): {answered}",
            f"UI de admin não habilitada (admin.enabled): {answered}",
        ),
        Problem.CONNECTION,
        "admin_disabled",
        statuses=statuses,
    )


def admin_at(ctx: CheckContext, prefix: str, answers: Mapping[str, Answer]) -> Outcome | None:
    """ok when the admin's JSON probe answers under `prefix`, else None."""
    probe = next((p for p in ADMIN_PROBES if admin_json(answers[prefix + p])), None)
    if probe is None:
        return None
    page = prefix + "/"
    if prefix:
        note = ctx.say("admin.handler_prefix is /admin", "admin.handler_prefix é /admin")
    else:
        note = ctx.say(
            "the runbook's /admin is 404 with the default prefix",
            "o /admin do runbook dá 404 com o prefixo padrão",
        )
    return ok(
        ctx.say(
            f"admin UI at {page} (GET {prefix + probe} confirms Centrifugo's admin; {note})",
            f"UI de admin em {page} (GET {prefix + probe} confirma o admin do Centrifugo; {note})",
        ),
        path=page,
        probe=prefix + probe,
        page_status=status_of(answers[page]),
        generation=ADMIN_PROBES[probe],
    )


def status_of(answer: Answer) -> int | None:
    return answer.status_code if isinstance(answer, httpx.Response) else None


def admin_json(answer: Answer) -> bool:
    """The admin probe's JSON: `{"edition": "oss", "insecure": false, ...}`."""
    if not isinstance(answer, httpx.Response) or answer.status_code != 200:
        return False
    try:
        body = answer.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "edition" in body
