"""pt-BR findings of the configuration, server, admin, channels, TLS, Redis and logs checks: each
staged situation (emulator faults, certificates, real Redis, log files, answers only a mock
transport gives) runs in both languages; the Portuguese summary has the same status, is worded
differently from the English one and holds a Portuguese phrase chosen per case."""

from __future__ import annotations

import re
import ssl
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from checks import channels, server, tls
from checks.context import CheckContext, open_context
from checks.model import CheckResult, Language, Outcome, Status
from checks.runner import run_checks
from checks.target import Target
from tests.checks.conftest import REDIS_PASSWORD
from tests.conftest import target_for
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator, closed_port
from tests.fakes.centrifugo.tls import TlsVariants
from tests.redis_server import RedisServer

OK, WARN, FAIL, SKIP = Status.OK, Status.WARN, Status.FAIL, Status.SKIP
# A check id, the status both languages report, and a phrase the pt-BR summary must hold.
Expect = tuple[str, Status, str]
SERVER_IDS = ("config", "server.ping", "server.auth", "server.info", "admin", "channels", "tls")
ORG_CHANNELS = ("org:7:messages", "org:7:tickets")


def shape(text: str) -> str:
    """Numbers blanked: two runs' latencies must not pass for a translation."""
    return re.sub(r"\d+(\.\d+)?", "0", text)


async def both(
    ids: Sequence[str], target: Target, **options: Any
) -> dict[str, tuple[CheckResult, CheckResult]]:
    english = await run_checks(ids, target, **options)
    portuguese = await run_checks(ids, target, lang="pt-BR", **options)
    pairs = zip(english.checks, portuguese.checks, strict=True)
    return {en.id: (en, pt) for en, pt in pairs}


def assert_portuguese(
    results: dict[str, tuple[CheckResult, CheckResult]], expected: Sequence[Expect]
) -> None:
    for check_id, status, phrase in expected:
        en, pt = results[check_id]
        assert (en.status, pt.status) == (status, status), (check_id, en.summary)
        assert shape(pt.summary) != shape(en.summary), (check_id, pt.summary)
        assert phrase in pt.summary, (check_id, pt.summary)


async def ignore(channel: str, publication: dict[str, Any]) -> None:
    """A browser that listens and does nothing with what arrives."""


# -- server, admin and channels against the emulator ----------------------------------------

EMULATOR_CASES = [
    pytest.param(
        {},
        set(),
        ORG_CHANNELS,
        {},
        {"org": "7"},
        [
            ("config", OK, "configurações obrigatórias definidas"),
            ("server.ping", OK, "a API responde em"),
            ("server.auth", OK, "chave de API aceita"),
            ("server.info", OK, "no ar há"),
            ("admin", OK, "confirma o admin do Centrifugo"),
            ("channels", OK, "os canais da org têm assinantes"),
            ("tls", SKIP, "sem TLS"),
        ],
        id="healthy",
    ),
    pytest.param(
        {},
        set(),
        ORG_CHANNELS[:1],
        {},
        {"org": "7"},
        [("channels", WARN, "nenhum navegador está inscrito agora em org:7:tickets")],
        id="one-org-channel-idle",
    ),
    pytest.param(
        {},
        set(),
        (),
        {},
        {"org": "7"},
        [("channels", WARN, "org:7:messages nem em org:7:tickets")],
        id="no-subscribers",
    ),
    pytest.param(
        {},
        set(),
        ORG_CHANNELS,
        {},
        {"channel_pattern": "org:*"},
        [("channels", OK, "canais que casam com 'org:*': 2 ativos, 2 assinantes")],
        id="pattern",
    ),
    pytest.param(
        {},
        set(),
        (),
        {},
        {},
        [("channels", SKIP, "precisa de uma org ou de um padrão")],
        id="neither-org-nor-pattern",
    ),
    pytest.param(
        {},
        {Fault.BROKER_DOWN},
        (),
        {},
        {"org": "7"},
        [("channels", FAIL, "(broker/Redis fora do ar?)")],
        id="broker-down",
    ),
    pytest.param(
        {},
        {Fault.SERVER_ERROR},
        (),
        {},
        {},
        [("server.ping", FAIL, "vindo de um proxy"), ("server.auth", SKIP, "depende de")],
        id="proxy-error",
    ),
    pytest.param(
        {},
        {Fault.NON_JSON},
        (),
        {},
        {},
        [("server.ping", FAIL, "não é a API do Centrifugo nesta URL")],
        id="non-json",
    ),
    pytest.param(
        {},
        set(),
        (),
        {"centrifugo_api_key": SecretStr("not-the-key")},
        {},
        [("server.auth", FAIL, "chave de API recusada"), ("server.auth", FAIL, "o Centrifugo v6")],
        id="wrong-api-key",
    ),
    pytest.param(
        {"admin_enabled": False, "health_enabled": False},
        set(),
        (),
        {},
        {},
        [
            ("admin", WARN, "UI de admin não habilitada"),
            ("server.ping", OK, "/health não habilitado"),
        ],
        id="admin-and-health-off",
    ),
    pytest.param(
        {"admin_prefix": "/admin"},
        set(),
        (),
        {},
        {},
        [("admin", OK, "admin.handler_prefix é /admin")],
        id="admin-prefix",
    ),
]


@pytest.mark.parametrize(
    ("config", "faults", "listening", "settings", "options", "expected"), EMULATOR_CASES
)
async def test_emulator_findings_are_portuguese(
    config: dict[str, Any],
    faults: set[Fault],
    listening: tuple[str, ...],
    settings: dict[str, Any],
    options: dict[str, Any],
    expected: list[Expect],
) -> None:
    async with Emulator(EmulatorConfig(**config, faults=faults)) as emulator:
        emulator.hub.add("42", ignore).channels.update(listening)
        results = await both(SERVER_IDS, target_for(emulator, **settings), **options)
    assert_portuguese(results, expected)


async def test_a_closed_port_is_worded_in_portuguese() -> None:
    target = Target(centrifugo_url=f"http://127.0.0.1:{closed_port()}", check_timeout=1.0)
    results = await both(("server.ping", "admin"), target)
    assert_portuguese(results, [("server.ping", FAIL, "não foi possível conectar")])


async def test_a_silent_host_is_worded_in_portuguese() -> None:
    async with BlackHole() as hole:
        target = Target(centrifugo_url=hole.url, check_timeout=0.5)
        results = await both(("server.ping",), target)
    assert_portuguese(results, [("server.ping", FAIL, "sem resposta em")])


# Answers the emulator cannot give: several nodes, none, another API error, a foreign body.
NODES = [
    {"name": "a", "version": "5.4.9", "num_clients": 2, "num_subs": 4, "uptime": 7300},
    {"name": "b", "version": "6.9.1 OSS", "num_clients": 1, "num_subs": 1, "uptime": 125},
]
ANSWER_CASES = [
    pytest.param(
        server.info,
        {"result": {"nodes": NODES}},
        WARN,
        "os nós rodam versões diferentes: Centrifugo 5.4.9, 6.9.1 OSS, 2 nós, 3 clientes, "
        "0 usuários, 0 canais, 5 inscrições, no ar há 2m 5s",
        id="mixed-versions",
    ),
    pytest.param(server.info, {"result": {"nodes": []}}, WARN, "o info lista 0 nós", id="no-nodes"),
    pytest.param(
        channels.channels,
        {"error": {"code": 103, "message": "permission denied"}},
        FAIL,
        "POST /api/channels falhou: permission denied (erro 103)",
        id="api-error",
    ),
    pytest.param(
        server.auth,
        {"answer": "yes"},
        FAIL,
        "→ 200, mas no result object in the answer: não é a API do Centrifugo",
        id="foreign-body",
    ),
]


async def answered(
    check: Callable[[CheckContext], Awaitable[Outcome]], body: dict[str, Any], lang: Language
) -> Outcome:
    target = Target(centrifugo_url="http://centrifugo.test", centrifugo_api_key=SecretStr("k"))
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    async with open_context(target, org="7", lang=lang) as ctx:
        await ctx.http.aclose()
        ctx.http = httpx.AsyncClient(transport=transport)
        return await check(ctx)


@pytest.mark.parametrize(("check", "body", "status", "phrase"), ANSWER_CASES)
async def test_unusual_answers_are_portuguese(
    check: Callable[[CheckContext], Awaitable[Outcome]],
    body: dict[str, Any],
    status: Status,
    phrase: str,
) -> None:
    en, pt = await answered(check, body, "en"), await answered(check, body, "pt-BR")

    assert (en.status, pt.status) == (status, status)
    assert phrase in pt.summary
    assert shape(pt.summary) != shape(en.summary)


# -- configuration checklist (no I/O) ------------------------------------------------------

SECRETS = {
    "centrifugo_api_key": SecretStr("k"),
    "centrifugo_token_hmac_secret_key": SecretStr("s"),
}
CONFIG_CASES = [
    pytest.param({}, FAIL, "CENTRIFUGO_API_KEY não está definida", id="missing-settings"),
    pytest.param(
        {"centrifugo_url": "http://centrifugo.example.com", **SECRETS},
        WARN,
        "não é https:// fora do localhost",
        id="insecure",
    ),
    pytest.param(
        {
            "centrifugo_url": "https://api.example.com",
            "next_public_centrifugo_url": "wss://ws.example.com/connection/websocket",
            **SECRETS,
        },
        WARN,
        "1 problema: o host ws.example.com da URL do navegador difere do host api.example.com",
        id="other-host",
    ),
    pytest.param(
        {
            "centrifugo_url": "https://api.example.com",
            "next_public_centrifugo_url": "ws://api.example.com/socket",
            **SECRETS,
        },
        FAIL,
        "não termina em /connection/websocket",
        id="wrong-path-and-mixed-content",
    ),
    pytest.param(
        {"next_public_centrifugo_url": "https://localhost:8000/connection/websocket", **SECRETS},
        FAIL,
        "não é ws:// nem wss://",
        id="not-a-websocket-url",
    ),
]


@pytest.mark.parametrize(("settings", "status", "phrase"), CONFIG_CASES)
async def test_configuration_findings_are_portuguese(
    settings: dict[str, Any], status: Status, phrase: str
) -> None:
    results = await both(("config",), Target(**settings))
    assert_portuguese(results, [("config", status, phrase)])


async def test_mixed_content_is_portuguese() -> None:
    target = Target(
        centrifugo_url="http://localhost:8000",
        browser_origin="https://app.example.com",
        **SECRETS,  # type: ignore[arg-type]
    )
    results = await both(("config",), target)
    assert_portuguese(results, [("config", FAIL, "bloqueiam isso como conteúdo misto")])


# -- TLS -----------------------------------------------------------------------------------

Variant = Callable[[TlsVariants], ssl.SSLContext]


@pytest.fixture(scope="module")
def variants() -> TlsVariants:
    return TlsVariants()


@pytest.mark.parametrize(
    ("variant", "status", "phrase"),
    [
        pytest.param(TlsVariants.valid, OK, "certificado válido, faltam", id="valid"),
        pytest.param(TlsVariants.expired, FAIL, "recusado", id="expired"),
        pytest.param(TlsVariants.expiring_soon, WARN, "expira em breve", id="expiring-soon"),
        pytest.param(TlsVariants.wrong_host, FAIL, "emitido por", id="wrong-host"),
        pytest.param(TlsVariants.untrusted_ca, FAIL, "válido até", id="unknown-ca"),
    ],
)
async def test_certificate_findings_are_portuguese(
    variants: TlsVariants, tmp_path: Path, variant: Variant, status: Status, phrase: str
) -> None:
    bundle = str(variants.write_ca_bundle(tmp_path / "ca.pem"))
    async with Emulator(tls=variant(variants)) as emulator:
        target = Target(centrifugo_url=emulator.url, ssl_cert_file=bundle, check_timeout=2.0)
        results = await both(("tls",), target)
    assert_portuguese(results, [("tls", status, phrase)])


async def test_plain_http_behind_an_https_url_is_portuguese(emulator: Emulator) -> None:
    target = Target(centrifugo_url=emulator.url.replace("http://", "https://"), check_timeout=2.0)
    results = await both(("tls",), target)
    assert_portuguese(results, [("tls", FAIL, "o handshake TLS com")])


async def test_a_closed_tls_port_is_portuguese() -> None:
    target = Target(centrifugo_url=f"https://127.0.0.1:{closed_port()}", check_timeout=1.0)
    results = await both(("tls",), target)
    assert_portuguese(results, [("tls", FAIL, "não foi possível conectar a 127.0.0.1:")])


@pytest.mark.parametrize(
    ("days", "phrase"),
    [
        pytest.param(1, "o certificado expira em breve: falta 1 dia (até 2027-01-01)", id="1-day"),
        pytest.param(-2, "certificado expirado em 2027-01-01, emitido por CA", id="expired"),
    ],
)
def test_certificate_days_read_as_portuguese(days: int, phrase: str) -> None:
    facts = {"days_left": days, "not_after": "2027-01-01T00:00:00", "issuer_cn": "CA"}
    outcome = tls.judge_expiry({**facts, "protocol": "TLSv1.3"}, "pt-BR")
    assert phrase in outcome.summary


# -- Redis ----------------------------------------------------------------------------------


def redis_target(url: str, timeout: float = 2.0) -> Target:
    return Target(redis_url=SecretStr(url), check_timeout=timeout)


async def test_healthy_and_killed_redis_are_portuguese(redis_server: RedisServer) -> None:
    healthy = await both(("redis",), redis_target(redis_server.url()))
    redis_server.kill()
    killed = await both(("redis",), redis_target(redis_server.url()))

    assert_portuguese(healthy, [("redis", OK, "ida e volta do pub/sub em")])
    assert_portuguese(killed, [("redis", FAIL, "o bot não consegue acessar o Redis em")])


@pytest.mark.parametrize(
    ("given", "phrase"),
    [
        pytest.param(None, "exige senha", id="missing-password"),
        pytest.param("Wr0ng-password!", "recusou a senha do REDIS_URL", id="wrong-password"),
    ],
)
async def test_redis_credentials_are_portuguese(
    redis_server_with_password: RedisServer, given: str | None, phrase: str
) -> None:
    results = await both(("redis",), redis_target(redis_server_with_password.url(given)))
    assert_portuguese(results, [("redis", FAIL, phrase)])
    en, pt = results["redis"]
    assert REDIS_PASSWORD not in pt.summary + en.summary


async def test_a_silent_redis_and_a_bad_url_are_portuguese() -> None:
    async with BlackHole() as hole:
        silent = await both(("redis",), redis_target(f"redis://127.0.0.1:{hole.port}/0", 0.5))
    invalid = await both(("redis",), redis_target("http://127.0.0.1:6379"))

    assert_portuguese(silent, [("redis", FAIL, "não respondeu em 0.4 s")])
    assert_portuguese(invalid, [("redis", FAIL, "não é uma URL redis:// válida")])


# -- logs -----------------------------------------------------------------------------------

REFUSED = (
    '{"level":"fatal","time":"2026-11-28T01:50:00Z","message":"error creating engine: '
    'dial tcp 172.18.0.3:6379: connect: connection refused"}'
)
STARTUP = '{"level":"info","time":"2026-11-28T01:49:00Z","message":"starting Centrifugo"}'
OTHER_ERROR = '{"level":"error","time":"2026-11-28T01:51:00Z","message":"something odd"}'
ENV = '{"level":"warn","var":"CENTRIFUGO_API_KEY","message":"unknown var in environment"}'
INVALID_TOKEN = '2026-11-28 10:00:01 [INF] invalid connection token client=c1 error="bad sig"'
DISCONNECT = '2026-11-28 10:00:02 [INF] client disconnect client=c2 reason="connection closed"'

LOG_FILES = [
    pytest.param(
        [STARTUP, REFUSED], FAIL, "Redis inacessível na inicialização ×1 (2 linhas lidas)", id="v5"
    ),
    pytest.param([STARTUP], OK, "1 linha lida, nenhum erro conhecido", id="clean"),
    pytest.param([STARTUP, OTHER_ERROR], OK, "; 1 outra linha de erro", id="other-error"),
    pytest.param(
        [ENV],
        WARN,
        "a v6 ignora nomes de env da v5 (CENTRIFUGO_API_KEY → CENTRIFUGO_HTTP",
        id="env",
    ),
    pytest.param([INVALID_TOKEN], WARN, "tokens inválidos ou ausentes ×1", id="invalid-token"),
    pytest.param([DISCONNECT] * 25, WARN, "rajada de desconexões ×25", id="disconnect-storm"),
]


@pytest.mark.parametrize(("lines", "status", "phrase"), LOG_FILES)
async def test_log_findings_are_portuguese(
    tmp_path: Path, lines: list[str], status: Status, phrase: str
) -> None:
    log = tmp_path / "centrifugo.log"
    log.write_text("\n".join(lines) + "\n")
    target = Target(log_command=f"cat {log}", check_timeout=2.0)
    assert_portuguese(await both(("logs",), target), [("logs", status, phrase)])


@pytest.mark.parametrize(
    ("command", "status", "phrase"),
    [
        pytest.param("false", FAIL, "terminou com código 1 sem imprimir nada", id="exit-silently"),
        pytest.param("echo 'no such service'; exit 3", FAIL, "código 3: no such", id="exit"),
        pytest.param("sleep 5", FAIL, "o LOG_COMMAND não imprimiu nada em 0.3 s", id="silent"),
        pytest.param(
            f"echo '{STARTUP}'; sleep 5", OK, "parou no limite de tempo de 0.3 s", id="follow"
        ),
    ],
)
async def test_log_command_troubles_are_portuguese(
    command: str, status: Status, phrase: str
) -> None:
    target = Target(log_command=command, check_timeout=0.4)
    assert_portuguese(await both(("logs",), target), [("logs", status, phrase)])
