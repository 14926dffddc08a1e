"""Same content in both languages: every check, in every situation the emulator can stage,
words its finding in Brazilian Portuguese too, never leaving an English line in a pt-BR report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import SecretStr

from checks.catalogue import catalogue
from checks.model import Report
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.app_token import FakeApp, Mode
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator, closed_port
from tests.redis_server import RedisServer

ORIGIN = "http://localhost:3000"
LOG_LINES = (
    '{"level":"fatal","time":"2026-11-28T01:50:00Z","message":"error creating engine: '
    'dial tcp 172.18.0.3:6379: connect: connection refused"}\n'
    '{"level":"info","client":"c1","time":"2026-11-28T01:50:01Z",'
    '"message":"invalid connection token"}\n'
)
SCENARIOS = {
    "healthy": (set(), Mode.OK),
    "broker-down": ({Fault.BROKER_DOWN}, Mode.OK),
    "tokens-rejected": ({Fault.REJECT_TOKENS}, Mode.OTHER_SECRET),
    "no-namespace": ({Fault.NO_ORG_NAMESPACE}, Mode.EXPIRED),
    "not-permitted": ({Fault.ORG_NOT_PERMITTED, Fault.ORIGIN_REFUSED}, Mode.UNAUTHORIZED),
    "dropped": ({Fault.DROP_DELIVERIES}, Mode.LOGIN_REDIRECT),
    "proxy-error": ({Fault.SERVER_ERROR}, Mode.HTML),
}


def shape(text: str) -> str:
    """The text with its numbers blanked, so two runs' latencies do not count as wording."""
    return re.sub(r"\d+(\.\d+)?", "0", text)


def untranslated(english: Report, portuguese: Report) -> list[str]:
    return [
        f"{en.id}: {en.summary}"
        for en, pt in zip(english.checks, portuguese.checks, strict=True)
        if shape(en.summary) == shape(pt.summary)
    ]


async def both_languages(target: Target) -> tuple[Report, Report]:
    ids = tuple(catalogue())
    english = await run_checks(ids, target, org="123")
    portuguese = await run_checks(ids, target, org="123", lang="pt-BR")
    return english, portuguese


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_every_finding_is_worded_in_both_languages(
    scenario: str, tmp_path: Path, redis_server: RedisServer
) -> None:
    faults, mode = SCENARIOS[scenario]
    config = EmulatorConfig(allowed_origins=[ORIGIN])
    log = tmp_path / "centrifugo.log"
    log.write_text(LOG_LINES)
    async with Emulator(config) as emulator, FakeApp(config.hmac_secret, mode=mode) as app:
        emulator.config.faults.update(faults)
        target = target_for(
            emulator,
            app_token_url=app.url,
            browser_origin=ORIGIN,
            redis_url=SecretStr(redis_server.url()),
            log_command=f"cat {log}",
        )
        english, portuguese = await both_languages(target)
    assert untranslated(english, portuguese) == []


async def test_unreachable_everything_is_worded_in_both_languages() -> None:
    async with BlackHole() as hole:
        target = Target(
            centrifugo_url=hole.url,
            centrifugo_api_key=SecretStr("k"),
            centrifugo_token_hmac_secret_key=SecretStr("s" * 32),
            app_token_url=f"http://127.0.0.1:{closed_port()}/api/v1/centrifugo/token",
            browser_origin=ORIGIN,
            redis_url=SecretStr(f"redis://127.0.0.1:{closed_port()}/0"),
            log_command="false",
            check_timeout=1.0,
        )
        english, portuguese = await both_languages(target)
    assert untranslated(english, portuguese) == []
