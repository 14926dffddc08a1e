"""The token and real-time checks word every finding in Brazilian Portuguese for a pt-BR run:
the same check, in the same situation, gives the same status in both languages, and the
pt-BR summary is a different text holding a Portuguese word chosen for that finding."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import pytest
from pydantic import SecretStr

from checks import codes, realtime, subscribe
from checks.connection_token import ConnectionToken
from checks.errors import CentrifugoError, NoAnswer, TlsFailure, Unreachable
from checks.model import CheckResult, Language, Outcome, Status
from checks.protocol import (
    Closed,
    HandshakeFailed,
    HandshakeRejected,
    ReplyError,
    SessionError,
    Unsubscribed,
)
from checks.runner import run_checks
from checks.target import Target
from checks.ws_transport import bounded
from tests.conftest import target_for
from tests.fakes.app_token import FakeApp, Mode
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator, closed_port

ORIGIN = "http://localhost:3000"
ORG = "123"


@dataclass(frozen=True)
class Case:
    check: str
    status: Status
    word: str  # Portuguese, and absent from the English summary
    faults: frozenset[Fault] = frozenset()
    app: Mode | None = None  # None: no APP_TOKEN_URL
    settings: dict[str, object] = field(default_factory=dict)


CASES = {
    # token.endpoint
    "endpoint-healthy": Case("token.endpoint", Status.OK, "responde", app=Mode.OK),
    "endpoint-unauthorized": Case(
        "token.endpoint", Status.FAIL, "nenhuma credencial", app=Mode.UNAUTHORIZED
    ),
    "endpoint-login-redirect": Case(
        "token.endpoint", Status.FAIL, "redirecionando", app=Mode.LOGIN_REDIRECT
    ),
    "endpoint-html": Case("token.endpoint", Status.FAIL, "provavelmente", app=Mode.HTML),
    "endpoint-missing-field": Case(
        "token.endpoint", Status.FAIL, "sem uma string", app=Mode.MISSING_FIELD
    ),
    "endpoint-bad-header": Case(
        "token.endpoint",
        Status.FAIL,
        "deve ser uma linha",
        app=Mode.OK,
        settings={"app_auth_header": SecretStr("no colon here")},
    ),
    # token.claims
    "claims-healthy": Case("token.claims", Status.OK, "assinatura verificada", app=Mode.OK),
    "claims-expired": Case("token.claims", Status.FAIL, "expirou há", app=Mode.EXPIRED),
    "claims-expiring": Case("token.claims", Status.WARN, "menos de", app=Mode.EXPIRING),
    "claims-other-secret": Case("token.claims", Status.FAIL, "não confere", app=Mode.OTHER_SECRET),
    # websocket.connect
    "connect-healthy": Case("websocket.connect", Status.OK, "conectado com", app=Mode.OK),
    "connect-minted": Case("websocket.connect", Status.OK, "assinado pelo bot"),
    "connect-unauthorized": Case(
        "websocket.connect",
        Status.OK,
        "endpoint de token da aplicação falhou",
        app=Mode.UNAUTHORIZED,
    ),
    "connect-expired": Case(
        "websocket.connect", Status.FAIL, "o token da aplicação expirou", app=Mode.EXPIRED
    ),
    "connect-other-secret": Case(
        "websocket.connect", Status.FAIL, "assina de outro jeito", app=Mode.OTHER_SECRET
    ),
    "connect-reject-tokens": Case(
        "websocket.connect", Status.FAIL, "conexão fechada", frozenset({Fault.REJECT_TOKENS})
    ),
    "connect-reject-app-token": Case(
        "websocket.connect",
        Status.FAIL,
        "também difere",
        frozenset({Fault.REJECT_TOKENS}),
        app=Mode.OK,
    ),
    "connect-no-token": Case(
        "websocket.connect",
        Status.FAIL,
        "nenhum token foi enviado",
        settings={"centrifugo_token_hmac_secret_key": None},
    ),
    "connect-proxy-502": Case(
        "websocket.connect", Status.FAIL, "não alcança", frozenset({Fault.SERVER_ERROR})
    ),
    # websocket.origin
    "origin-accepted": Case("websocket.origin", Status.OK, "aceito"),
    "origin-refused": Case(
        "websocket.origin", Status.FAIL, "adicione-a em", frozenset({Fault.ORIGIN_REFUSED})
    ),
    # subscribe
    "subscribe-healthy": Case("subscribe", Status.OK, "inscrito em"),
    "subscribe-no-namespace": Case(
        "subscribe", Status.FAIL, "não está configurado", frozenset({Fault.NO_ORG_NAMESPACE})
    ),
    "subscribe-not-permitted": Case(
        "subscribe", Status.FAIL, "tokens de inscrição", frozenset({Fault.ORG_NOT_PERMITTED})
    ),
    "subscribe-broker-down": Case(
        "subscribe", Status.FAIL, "durante a inscrição", frozenset({Fault.BROKER_DOWN})
    ),
    # roundtrip
    "roundtrip-healthy": Case("roundtrip", Status.OK, "chegou pelo WebSocket"),
    "roundtrip-dropped": Case(
        "roundtrip", Status.FAIL, "nada chegou", frozenset({Fault.DROP_DELIVERIES})
    ),
    "roundtrip-broker-down": Case(
        "roundtrip", Status.FAIL, "está falhando", frozenset({Fault.BROKER_DOWN})
    ),
    "roundtrip-org-probe": Case(
        "roundtrip", Status.FAIL, "canal de org", settings={"probe_channel": "org:1:messages"}
    ),
    "roundtrip-unknown-namespace": Case(
        "roundtrip", Status.FAIL, "não está configurado", settings={"probe_channel": "nope:x"}
    ),
}


@asynccontextmanager
async def staged(case: Case) -> AsyncIterator[Target]:
    """The emulator (with the case's faults) and, when asked, the fake app in its mode."""
    async with AsyncExitStack() as stack:
        config = EmulatorConfig(allowed_origins=[ORIGIN])
        emulator = await stack.enter_async_context(Emulator(config))
        emulator.config.faults.update(case.faults)
        settings: dict[str, object] = {"browser_origin": ORIGIN, **case.settings}
        if case.app is not None:
            app = await stack.enter_async_context(FakeApp(config.hmac_secret, mode=case.app))
            settings["app_token_url"] = app.url
        yield target_for(emulator, **settings)


async def in_both_languages(check: str, target: Target) -> tuple[CheckResult, CheckResult]:
    async def one(lang: Language) -> CheckResult:
        result = (await run_checks([check], target, org=ORG, lang=lang)).get(check)
        assert result is not None
        return result

    english, portuguese = await asyncio.gather(one("en"), one("pt-BR"))
    return english, portuguese


def assert_translated(
    english: CheckResult, portuguese: CheckResult, status: Status, word: str
) -> None:
    assert (english.status, portuguese.status) == (status, status), english.summary
    assert portuguese.summary != english.summary
    assert word in portuguese.summary, portuguese.summary
    assert word not in english.summary, english.summary


@pytest.mark.parametrize("name", list(CASES))
async def test_emulator_findings_are_worded_in_portuguese(name: str) -> None:
    case = CASES[name]
    async with staged(case) as target:
        english, portuguese = await in_both_languages(case.check, target)

    assert_translated(english, portuguese, case.status, case.word)


SILENT = {
    "token.endpoint": "sem resposta de",
    "websocket.connect": "sem upgrade do WebSocket",
    "websocket.origin": "sem upgrade do WebSocket",
}
REFUSED = {
    "token.endpoint": "não foi possível alcançar",
    "websocket.connect": "não foi possível alcançar o endpoint WebSocket",
    "websocket.origin": "não foi possível alcançar o endpoint WebSocket",
}


@pytest.mark.parametrize(("check", "word"), SILENT.items(), ids=list(SILENT))
async def test_a_silent_host_is_worded_in_portuguese(check: str, word: str) -> None:
    async with BlackHole() as hole:
        target = Target(
            centrifugo_url=hole.url,
            centrifugo_token_hmac_secret_key=SecretStr("s" * 32),
            app_token_url=f"{hole.url}/api/v1/centrifugo/token",
            browser_origin=ORIGIN,
            check_timeout=0.5,
        )
        english, portuguese = await in_both_languages(check, target)

    assert_translated(english, portuguese, Status.FAIL, word)


@pytest.mark.parametrize(("check", "word"), REFUSED.items(), ids=list(REFUSED))
async def test_a_closed_port_is_worded_in_portuguese(check: str, word: str) -> None:
    port = closed_port()
    target = Target(
        centrifugo_url=f"http://127.0.0.1:{port}",
        app_token_url=f"http://127.0.0.1:{port}/api/v1/centrifugo/token",
        browser_origin=ORIGIN,
        check_timeout=1.0,
    )

    english, portuguese = await in_both_languages(check, target)

    assert_translated(english, portuguese, Status.FAIL, word)


# -- readings the emulator cannot stage: every branch of explain() and the code tables ----------

APP = ConnectionToken("t", "app")
MINTED = ConnectionToken("t", "minted")
NONE = ConnectionToken(None, "none")


FAILURES: dict[str, tuple[CentrifugoError, ConnectionToken | None, str]] = {
    "handshake-failed": (HandshakeFailed("did not receive a valid HTTP response"), None, "falhou"),
    "404": (HandshakeRejected(404, b""), None, "deve terminar em"),
    "400": (HandshakeRejected(400, b""), None, "não chegaram"),
    "401": (HandshakeRejected(401, b""), None, "exige autenticação"),
    "403-no-origin": (HandshakeRejected(403, b""), None, "nenhuma Origin"),
    "418": (HandshakeRejected(418, b""), None, "não é um endpoint WebSocket"),
    "503": (HandshakeRejected(503, b""), None, "limite de conexões"),
    "504": (HandshakeRejected(504, b""), None, "não alcança"),
    "3500-app": (Closed(3500, "invalid token"), APP, "diferente do Centrifugo"),
    "3500-minted": (Closed(3500, "invalid token"), MINTED, "difere do secret do bot"),
    "3501-no-token": (Closed(3501, "bad request"), NONE, "não achou credenciais"),
    "3502": (Closed(3502, "stale"), None, "prazo de stale"),
    "1006": (Closed(1006, ""), None, "sem frame de close"),
    "4000": (Closed(4000, ""), None, "definido por um proxy"),
    "3999": (Closed(3999, ""), None, "desconhecido"),
    "connect-102": (ReplyError(102, "unknown channel"), APP, "cita um namespace"),
    "connect-110": (ReplyError(110, "expired"), None, "o token expirou"),
    "connect-111": (ReplyError(111, "too many requests"), None, "o connect respondeu"),
    "connect-999": (ReplyError(999, ""), None, "definido pela aplicação"),
    "tls": (TlsFailure("certificate verify failed"), None, "falha de TLS"),
    "unreachable": (Unreachable("connection refused"), None, "não foi possível alcançar"),
    "not-json": (
        SessionError("not Centrifugo JSON: 'x'", "não é JSON do Centrifugo: 'x'"),
        None,
        "não é o protocolo do Centrifugo: não é JSON",
    ),
    "unsubscribed": (Unsubscribed("test", 2000, "server unsubscribe"), None, "cancelada"),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_every_session_failure_is_worded_in_portuguese(name: str) -> None:
    exc, token, word = FAILURES[name]

    english = realtime.explain(exc, token, lang="en")
    portuguese = realtime.explain(exc, token, lang="pt-BR")

    assert_same_finding(english, portuguese, word)


async def timed_out() -> NoAnswer:
    with pytest.raises(NoAnswer) as caught:
        async with bounded(0.01, "no reply to subscribe", "sem resposta ao subscribe"):
            await asyncio.sleep(1)
    return caught.value


async def test_a_timeout_is_worded_in_portuguese() -> None:
    exc = await timed_out()

    english = realtime.explain(exc, lang="en")
    portuguese = realtime.explain(exc, lang="pt-BR")

    assert english.summary == "no reply to subscribe within 0.01 s"
    assert_same_finding(english, portuguese, "sem resposta ao subscribe em 0.01 s")


@pytest.mark.parametrize(
    ("code", "word"),
    [
        (102, "nível superior"),
        (103, "tokens de inscrição"),
        (105, "já estava inscrita"),
        (109, "expirou"),
        (112, "veja o significado"),
    ],
)
def test_subscribe_refusals_are_worded_in_portuguese(code: int, word: str) -> None:
    exc = ReplyError(code, "message")

    english = subscribe.refused("news", exc, {}, "en")
    portuguese = subscribe.refused("news", exc, {}, "pt-BR")

    assert_same_finding(english, portuguese, word)


def test_closing_while_subscribing_is_worded_in_portuguese() -> None:
    english = subscribe.subscribe_closed(Closed(3012, "no pong"), {"a": "no reply"}, "en")
    portuguese = subscribe.subscribe_closed(Closed(3012, "no pong"), {"a": "no reply"}, "pt-BR")

    assert_same_finding(english, portuguese, "não respondeu ao ping")
    assert portuguese.details == english.details


def assert_same_finding(english: Outcome, portuguese: Outcome, word: str) -> None:
    """Same verdict and data; only the words differ."""
    same = (english.status, english.problem, english.cause, dict(english.details))
    assert (
        portuguese.status,
        portuguese.problem,
        portuguese.cause,
        dict(portuguese.details),
    ) == same
    assert portuguese.summary != english.summary
    assert word in portuguese.summary, portuguese.summary
    assert word not in english.summary, english.summary


def test_every_code_has_a_portuguese_meaning() -> None:
    tables = (codes.CLIENT_ERRORS, codes.UNSUBSCRIBES, codes.DISCONNECTS, codes.WEBSOCKET_CLOSES)
    known = {code for table in tables for code in table}

    assert set(codes.MEANINGS_PT_BR) == known
    for table in tables:
        for code, entry in table.items():
            assert codes.MEANINGS_PT_BR[code] != entry.meaning, code


def test_codes_keep_centrifugos_own_message() -> None:
    assert codes.describe_close(3500, lang="pt-BR") == (
        "3500 invalid token (o JWT de conexão foi rejeitado: assinatura, alg ou claims)"
    )
    assert codes.describe_error(109, lang="pt-BR").startswith("109 token expired (o exp do JWT")
