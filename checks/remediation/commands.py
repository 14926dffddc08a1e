"""The shell commands and browser snippets that remediation steps quote, filled from a Target.

Both languages quote the same commands, so they are built once here and handed to the step
templates as placeholder values. Values hold hosts, ports, URLs and channel names only: every
credential is a shell variable (`$CENTRIFUGO_API_KEY`, `$APP_AUTH_HEADER`, `$REDIS_URL`) that the
engineer's own shell expands, so a step can be pasted into Slack without leaking anything.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from checks.target import INVALID_URL, WEBSOCKET_PATH, Target, org_channels, public_url

SERVICE = "whatrack_centrifugo"  # the runbook's Docker Swarm service name
DEFAULT_TOKEN_PATH = "/api/v1/centrifugo/token"  # the runbook's token route
ORG_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what the app uses as an org id (SPEC grammar)
API_KEY = '-H "X-API-Key: $CENTRIFUGO_API_KEY"'
APP_AUTH = '-H "$APP_AUTH_HEADER"'  # a whole header line; `-b "$APP_COOKIE"` for cookie sessions
LOGS = f"docker service logs {SERVICE}"
# Centrifugo in Docker logs JSON to stderr, so every grep over the logs needs 2>&1.
GREP_LOGS = LOGS + " --tail {tail} 2>&1 | grep -iE '{pattern}'"
WS_UPGRADE = (
    "curl -sS --http1.1 -m 5 -o /dev/null -w '%{http_code}\\n' -H 'Connection: Upgrade' "
    "-H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' "
    "-H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='"
)
SECRET_FP_APP = 'printf %s "$CENTRIFUGO_TOKEN_HMAC_SECRET_KEY" | sha256sum'
SECRET_FP_SERVER = (
    f"docker exec $(docker ps -q -f name={SERVICE} | head -n 1) sh -c 'for v in "
    "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY; do "
    'printf "%s " "$v"; printenv "$v" | tr -d "\\n" | sha256sum; done\''
)
HTTP_SCHEME = {"wss": "https", "ws": "http"}  # curl speaks the upgrade over plain HTTP(S)
JWT_PARTS = (
    'python3 -c \'import sys,json,base64; t=json.load(sys.stdin)["token"].split("."); '
    '[print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))) for p in t[:2]]\''
)


def command_values(target: Target, org: str | None) -> dict[str, str]:
    """Every placeholder a step template may use, for this target and org."""
    if org is not None and not ORG_ID.fullmatch(org):
        raise ValueError("org must be 1-64 characters of A-Z, a-z, 0-9, _ or -")
    base = public_url(target.base_url).rstrip("/")
    return {
        **_place_values(target, base, org or "ORG_ID"),
        **_api_commands(base, target.probe_channel, org),
        **_tls_commands(_host_port(target.host, target.port)),
        **_log_commands(),
        **_token_commands(target),
        **_websocket_commands(target, base),
        **_redis_commands(),
    }


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _place_values(target: Target, base: str, org: str) -> dict[str, str]:
    return {
        "host": target.host,
        "port": str(target.port),
        "base_url": base,
        "ws_url": public_url(target.websocket_url),
        "expected_ws_url": public_url(Target(centrifugo_url=base).websocket_url),
        "secure_ws_url": f"wss://{target.host}{WEBSOCKET_PATH}",
        "secure_base_url": f"https://{target.host}",
        "service": SERVICE,
        "probe": target.probe_channel,
        **dict(zip(("ch_messages", "ch_tickets"), org_channels(org), strict=True)),
        "origin": _browser_origin(target),
        "token_url": _token_url(target),
        "token_host": urlsplit(_token_url(target)).hostname or "<app-host>",
    }


def _api_commands(base: str, probe: str, org: str | None) -> dict[str, str]:
    post = f"curl -sS -X POST {base}/api"
    status = "curl -sS -o /dev/null -w '%{http_code}\\n'"
    channel = f"org:{org or 'ORG_ID'}:messages"
    pattern = f"org:{org}:*" if org else "org:*"
    return {
        "reach": f"{status} {base}/api/info",
        "timing": f"curl -sS -m 10 -o /dev/null -w '%{{http_code}} connect=%{{time_connect}}s "
        f"total=%{{time_total}}s\\n' {base}/api/info",
        "health": f"curl -sS {base}/health",
        "info": f"{post}/info {API_KEY} -d '{{}}'",
        "info_status": f"{status} -X POST {base}/api/info {API_KEY} -d '{{}}'",
        "channels": f'{post}/channels {API_KEY} -d \'{{"pattern":"{pattern}"}}\'',
        "presence_stats": f'{post}/presence_stats {API_KEY} -d \'{{"channel":"{channel}"}}\'',
        "publish": f"{post}/publish {API_KEY} "
        f'-d \'{{"channel":"{probe}","data":{{"check":"remediation"}}}}\'',
        "admin_root": f"{status} {base}/",
        "admin_init": f"curl -sS {base}/admin/init",
        "admin_settings": f"curl -sS {base}/admin/settings",
    }


def _tls_commands(host_port: str) -> dict[str, str]:
    host = host_port.rpartition(":")[0].strip("[]")
    s_client = f"openssl s_client -connect {host_port} -servername {host}"
    return {
        "openssl": f"{s_client} </dev/null",
        "cert_dates": f"{s_client} </dev/null 2>/dev/null | openssl x509 -noout -subject "
        "-issuer -dates -ext subjectAltName",
        "verify": f"{s_client} -showcerts </dev/null 2>&1 | grep -E 'depth|verify|Verify return'",
        "dns": f"dig +short {host}",
        "tcp": f"nc -vz -w 5 {host} {host_port.rpartition(':')[2]}",
        "traefik_logs": "docker service logs $(docker service ls -q -f name=traefik) --tail 500 "
        "2>&1 | grep -iE 'acme|certificate'",
    }


def _log_commands() -> dict[str, str]:
    def grep(pattern: str, tail: int | str = 500) -> str:
        return GREP_LOGS.format(tail=tail, pattern=pattern)

    return {
        "logs_errors": grep("error|redis", 200),
        "logs_follow": f"{LOGS} --tail 200 --follow 2>&1",
        "logs_env": grep("unknown var in environment|unknown key in configuration", "all"),
        "logs_version": grep("starting Centrifugo", "all"),
        "logs_origin": grep("origin is not authorized"),
        "logs_token": grep(
            "invalid connection token|invalid subscription token|client credentials not found"
        ),
        "logs_subscribe": grep(
            "unknown channel|sufficient permission|private channel|error adding subscription"
        ),
        "logs_publish": grep("error publishing"),
        "logs_client": grep("client command error|disconnect after handling command"),
        "logs_redis": grep("creating engine|configure engines|pub/sub|redis"),
        "service_ps": f"docker service ps {SERVICE} --no-trunc",
        "service_ls": "docker service ls | grep -iE 'centrifugo|redis|traefik'",
        "service_restart": f"docker service update --force {SERVICE}",
        "service_image": f"docker service inspect {SERVICE} --format "
        "'{{.Spec.TaskTemplate.ContainerSpec.Image}}'",
        "env_names": f"docker service inspect {SERVICE} --format "
        "'{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{println .}}{{end}}' | cut -d= -f1",
        "env_file_names": "grep -oE '^(NEXT_PUBLIC_)?CENTRIFUGO_[A-Z_]+=' .env",
        "secret_fp_app": SECRET_FP_APP,
        "secret_fp_server": SECRET_FP_SERVER,
    }


def _token_commands(target: Target) -> dict[str, str]:
    url = _token_url(target)
    return {
        "token_fetch": f"curl -sS {APP_AUTH} {url}",
        "token_status": "curl -sS -o /dev/null -w '%{http_code} %{content_type} "
        f"%{{redirect_url}}\\n' {APP_AUTH} {url}",
        "token_timing": f"curl -sS -m 10 -o /dev/null -w '%{{http_code}} %{{time_total}}s\\n' "
        f"{APP_AUTH} {url}",
        "token_head": f"curl -sS {APP_AUTH} {url} | head -c 300",
        "token_claims": f"curl -sS {APP_AUTH} {url} | {JWT_PARTS}",
        "js_token": f"fetch('{_token_path(target)}').then(r => r.json())"
        ".then(d => console.log(d.token.slice(0, 20)))",
    }


def _websocket_commands(target: Target, base: str) -> dict[str, str]:
    ws = public_url(target.websocket_url)
    parts = urlsplit(ws)
    http_ws = urlunsplit(parts._replace(scheme=HTTP_SCHEME.get(parts.scheme, parts.scheme)))
    return {
        "ws_upgrade": f"{WS_UPGRADE} {http_ws}",
        "ws_origin": f'{WS_UPGRADE} -H "Origin: {_browser_origin(target)}" {http_ws}',
        # The real first frame, and a pong for every {} ping so the test is not closed 3012.
        "js_connect": f"const ws = new WebSocket('{ws}'); ws.onopen = () => "
        f"fetch('{_token_path(target)}').then(r => r.json()).then(d => "
        "ws.send(JSON.stringify({id: 1, connect: {token: d.token}}))); "
        "ws.onmessage = (e) => { console.log(e.data); if (e.data === '{}') ws.send('{}'); }; "
        "ws.onclose = (e) => console.log('closed', e.code, e.reason);",
    }


def _redis_commands() -> dict[str, str]:
    cli = 'redis-cli -u "$REDIS_URL"'
    return {
        "redis_ping": f"{cli} ping",
        "redis_latency": f"{cli} --latency",
        "redis_slowlog": f"{cli} slowlog get 10",
        "redis_info": f"{cli} info stats",
        "redis_sub": f"{cli} subscribe bot-check",
        "redis_pub": f"{cli} publish bot-check hello",
        "redis_channels": f"{cli} pubsub channels 'centrifugo*'",
    }


def _token_url(target: Target) -> str:
    """APP_TOKEN_URL without its query (a session may ride there), else the shell variable."""
    url = public_url(target.app_token_url or "")
    return url if target.app_token_url and url != INVALID_URL else '"$APP_TOKEN_URL"'


def _token_path(target: Target) -> str:
    url = _token_url(target)
    return (urlsplit(url).path if url.startswith("http") else "") or DEFAULT_TOKEN_PATH


def _browser_origin(target: Target) -> str:
    """The Origin browsers send: BROWSER_ORIGIN, else the app's own origin (it serves the page)."""
    if target.browser_origin:
        return target.browser_origin
    url = _token_url(target)
    if url.startswith("http"):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return "https://<app-host>"
