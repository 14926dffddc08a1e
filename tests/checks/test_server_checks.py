"""server.ping, server.auth, server.info and admin against the emulator over loopback, with its
fault modes, plus a counting transport for the shapes the emulator cannot produce."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from checks import server
from checks.context import CheckContext, open_context
from checks.model import Outcome, Problem, Status
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import V5, EmulatorConfig, Fault
from tests.fakes.centrifugo.server import Emulator, closed_port

CheckFn = Callable[[CheckContext], Awaitable[Outcome]]


async def run(check: CheckFn, target: Target) -> Outcome:
    async with open_context(target) as ctx:
        return await check(ctx)


@pytest.fixture
async def emulator_v5() -> AsyncIterator[Emulator]:
    async with Emulator(EmulatorConfig(version=V5)) as emu:
        yield emu


# -- server.ping --------------------------------------------------------------------------


async def test_ping_proves_the_api_is_mounted_and_corrects_the_runbook(
    emulator: Emulator, target: Target
) -> None:
    outcome = await run(server.ping, target)

    assert outcome.status is Status.OK
    assert outcome.summary.startswith("API answers in ")
    assert outcome.summary.endswith(
        "(GET /api/info → 405 as expected; Centrifugo has no /api/ping); /health → 200"
    )
    assert outcome.details["observed"] == outcome.details["expected"] == 405
    assert outcome.details["health"] == 200
    assert 0 < outcome.details["latency_ms"] < 1000


async def test_ping_says_when_health_is_not_enabled(emulator: Emulator, target: Target) -> None:
    emulator.config.health_enabled = False

    outcome = await run(server.ping, target)

    assert outcome.status is Status.OK
    assert outcome.summary.endswith("; /health not enabled")


FAULTS = [
    pytest.param(Fault.SERVER_ERROR, "proxy_error", "→ 502 from a proxy", id="502"),
    pytest.param(Fault.NON_JSON, "not_centrifugo", "→ 200: not Centrifugo's API", id="html"),
    pytest.param(Fault.SLOW, "timeout", ": no answer within 0.5 s", id="slow"),
]


@pytest.mark.parametrize(("fault", "cause", "said"), FAULTS)
async def test_ping_fails_for_each_fault(
    emulator: Emulator, fault: Fault, cause: str, said: str
) -> None:
    emulator.config.faults.add(fault)
    emulator.config.slow_seconds = 1.0

    outcome = await run(server.ping, target_for(emulator, check_timeout=0.5))

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.CONNECTION,
        cause,
    )
    assert outcome.summary.startswith(f"GET {emulator.url}/api/info")
    assert said in outcome.summary


async def test_ping_of_a_closed_port_is_unreachable() -> None:
    outcome = await run(server.ping, Target(centrifugo_url=f"http://127.0.0.1:{closed_port()}"))

    assert (outcome.status, outcome.cause) == (Status.FAIL, "unreachable")
    assert ": cannot connect: " in outcome.summary


async def test_ping_of_a_silent_host_times_out_within_the_budget() -> None:
    async with BlackHole() as hole:
        outcome = await run(server.ping, Target(centrifugo_url=hole.url, check_timeout=0.5))

    assert (outcome.status, outcome.cause) == (Status.FAIL, "timeout")
    assert outcome.summary == f"GET {hole.url}/api/info: no answer within 0.5 s"


async def test_ping_of_a_path_without_the_api_is_not_centrifugo(emulator: Emulator) -> None:
    outcome = await run(server.ping, target_for(emulator, centrifugo_url=emulator.url + "/x"))

    assert (outcome.status, outcome.cause) == (Status.FAIL, "not_centrifugo")
    assert "/x/api/info → 404" in outcome.summary
    assert (outcome.details["observed"], outcome.details["expected"]) == (404, 405)


# -- server.auth and server.info ------------------------------------------------------------


async def test_auth_accepts_the_emulator_key(emulator: Emulator, target: Target) -> None:
    outcome = await run(server.auth, target)

    assert (outcome.status, outcome.summary) == (
        Status.OK,
        "API key accepted (POST /api/info → 200, 1 node)",
    )


async def test_auth_refused_key_names_the_v6_env_names(emulator: Emulator) -> None:
    outcome = await run(
        server.auth, target_for(emulator, centrifugo_api_key=SecretStr("not-the-key"))
    )

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.CHECKLIST,
        "api_key_rejected",
    )
    assert outcome.summary == (
        "API key refused (POST /api/info → 401); Centrifugo v6 ignores CENTRIFUGO_API_KEY, "
        "it reads CENTRIFUGO_HTTP_API_KEY"
    )
    assert "not-the-key" not in f"{outcome.summary}{outcome.details}"


async def test_auth_against_a_broker_failure_still_accepts_the_key(
    emulator: Emulator, target: Target
) -> None:
    emulator.config.faults.add(Fault.BROKER_DOWN)  # info does not go through the broker

    assert (await run(server.auth, target)).status is Status.OK


async def test_info_reports_version_major_and_figures_v6(
    emulator: Emulator, target: Target
) -> None:
    outcome = await run(server.info, target)

    assert outcome.status is Status.OK
    assert outcome.summary.startswith(
        "Centrifugo 6.9.1 OSS, 1 node, 0 clients, 0 users, 0 channels, 0 subscriptions, up "
    )
    details = outcome.details
    assert (details["major"], details["versions"], details["nodes"]) == (6, ["6.9.1 OSS"], 1)
    assert details["per_node"][0]["name"] == "emulator_8000"


async def test_info_detects_v5(emulator_v5: Emulator) -> None:
    outcome = await run(server.info, target_for(emulator_v5))

    assert (outcome.status, outcome.details["major"]) == (Status.OK, 5)
    assert outcome.summary.startswith("Centrifugo 5.4.9, 1 node")


def info_transport(nodes: list[dict[str, Any]], calls: list[str]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json={"result": {"nodes": nodes}})

    return httpx.MockTransport(answer)


async def run_with_transport(check: CheckFn, transport: httpx.MockTransport) -> Outcome:
    target = Target(centrifugo_url="http://centrifugo.test", centrifugo_api_key=SecretStr("k"))
    async with open_context(target) as ctx:
        ctx.http = httpx.AsyncClient(transport=transport)
        try:
            return await check(ctx)
        finally:
            await ctx.http.aclose()


async def test_auth_and_info_share_one_info_call() -> None:
    calls: list[str] = []
    node = {"name": "a", "version": "6.9.1 OSS", "num_clients": 3, "num_users": 2}
    transport = info_transport([node], calls)

    async def both(ctx: CheckContext) -> Outcome:
        await server.auth(ctx)
        return await server.info(ctx)

    outcome = await run_with_transport(both, transport)

    assert calls == ["POST /api/info"]
    assert outcome.summary.startswith("Centrifugo 6.9.1 OSS, 1 node, 3 clients, 2 users")
    assert outcome.summary.endswith("up 0s")


async def test_info_warns_on_zero_nodes() -> None:
    outcome = await run_with_transport(server.info, info_transport([], []))

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.WARN,
        Problem.CONNECTION,
        "no_nodes",
    )
    assert (outcome.details["observed"], outcome.details["expected"]) == (0, 1)


async def test_info_warns_on_mixed_versions_and_sums_nodes() -> None:
    nodes = [
        {"name": "a", "version": "5.4.9", "num_clients": 2, "num_subs": 4, "uptime": 7300},
        {"name": "b", "version": "6.9.1 OSS", "num_clients": 1, "num_subs": 1, "uptime": 125},
    ]

    outcome = await run_with_transport(server.info, info_transport(nodes, []))

    assert (outcome.status, outcome.cause) == (Status.WARN, "mixed_versions")
    assert outcome.summary == (
        "nodes run mixed versions: Centrifugo 5.4.9, 6.9.1 OSS, 2 nodes, 3 clients, 0 users, "
        "0 channels, 5 subscriptions, up 2m 5s"
    )


@pytest.mark.parametrize(
    ("version", "major"),
    [("5.4.9", 5), ("6.9.1 OSS", 6), ("0.0.0", None), ("dev", None)],
    ids=["v5", "v6", "dev-build", "garbage"],
)
def test_major_version(version: str, major: int | None) -> None:
    assert server.major_version(version) == major


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0, "0s"), (59, "59s"), (125, "2m 5s"), (7300, "2h 1m"), (90000, "1d 1h")],
)
def test_uptime_wording(seconds: int, said: str) -> None:
    assert server.uptime(seconds) == said


# -- admin --------------------------------------------------------------------------------


async def test_admin_at_the_default_prefix_corrects_the_runbook(
    emulator: Emulator, target: Target
) -> None:
    outcome = await run(server.admin, target)

    assert (outcome.status, outcome.summary) == (
        Status.OK,
        "admin UI at / (GET /admin/init confirms Centrifugo's admin; the runbook's /admin is "
        "404 with the default prefix)",
    )
    assert (outcome.details["page_status"], outcome.details["generation"]) == (200, "v6.5.2+")


async def test_admin_of_v5_is_confirmed_by_settings(emulator_v5: Emulator) -> None:
    outcome = await run(server.admin, target_for(emulator_v5))

    assert outcome.status is Status.OK
    assert outcome.details["probe"] == "/admin/settings"


async def test_admin_under_the_admin_prefix(emulator: Emulator, target: Target) -> None:
    emulator.config.admin_prefix = "/admin"

    outcome = await run(server.admin, target)

    assert (outcome.status, outcome.details["path"]) == (Status.OK, "/admin/")
    assert "admin.handler_prefix is /admin" in outcome.summary


async def test_admin_disabled_warns(emulator: Emulator, target: Target) -> None:
    emulator.config.admin_enabled = False

    outcome = await run(server.admin, target)

    assert (outcome.status, outcome.problem, outcome.cause, outcome.summary) == (
        Status.WARN,
        Problem.CONNECTION,
        "admin_disabled",
        "admin UI not enabled (admin.enabled): GET / → 404, GET /admin/ → 404",
    )


async def test_admin_html_without_the_admin_json_is_not_centrifugo() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, html="<html>app</html>")
        return httpx.Response(404, text="404 page not found")

    outcome = await run_with_transport(server.admin, httpx.MockTransport(answer))

    assert (outcome.status, outcome.cause) == (Status.WARN, "not_centrifugo")


def test_admin_json_needs_the_edition_field() -> None:
    def reply(body: object) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(body).encode())

    assert server.admin_json(reply({"edition": "oss", "insecure": False}))
    assert not server.admin_json(reply({"other": 1}))
    assert not server.admin_json(httpx.Response(200, html="<html/>"))
    assert not server.admin_json(httpx.Response(404, json={"edition": "oss"}))
