"""The runner: concurrency, dependency order, skip propagation, per-check timeout, exceptions
absorbed into results, remediation attached; then the server-side checks through it against the
emulator, faults included."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable

import pytest
from pydantic import SecretStr

from checks.context import CheckContext
from checks.model import Outcome, Problem, Report, Status, fail, ok, warn
from checks.registry import CheckFn, CheckSpec, registered
from checks.runner import run_checks
from checks.target import Target
from tests.conftest import target_for
from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.server import Emulator

TARGET = Target(centrifugo_url="http://127.0.0.1:9", check_timeout=0.3)


def spec(
    check_id: str,
    run: CheckFn,
    *,
    needs: tuple[str, ...] = (),
    requires: tuple[str, ...] = (),
    needs_org: bool = False,
    problem: Problem = Problem.CONNECTION,
) -> CheckSpec:
    return CheckSpec(check_id, check_id.title(), run, needs, requires, needs_org, problem)


def returning(outcome: Outcome) -> CheckFn:
    async def run(ctx: CheckContext) -> Outcome:
        return outcome

    return run


def specs_of(*items: CheckSpec) -> dict[str, CheckSpec]:
    return {item.id: item for item in items}


def statuses(report: Report) -> dict[str, str]:
    return {result.id: str(result.status) for result in report.checks}


async def test_independent_checks_run_at_the_same_time() -> None:
    started = {name: asyncio.Event() for name in ("a", "b")}

    def meeting(me: str, other: str) -> CheckFn:
        async def run(ctx: CheckContext) -> Outcome:
            started[me].set()
            await started[other].wait()  # never returns if the runner ran us one by one
            return ok(f"{me} met {other}")

        return run

    specs = specs_of(spec("a", meeting("a", "b")), spec("b", meeting("b", "a")))

    report = await run_checks(["a", "b"], TARGET, specs=specs)

    assert statuses(report) == {"a": "ok", "b": "ok"}


async def test_a_check_starts_after_what_it_needs_and_warn_counts_as_passing() -> None:
    finished: list[str] = []

    def recording(name: str, outcome: Outcome, delay: float = 0.0) -> CheckFn:
        async def run(ctx: CheckContext) -> Outcome:
            await asyncio.sleep(delay)
            finished.append(name)
            return outcome

        return run

    specs = specs_of(
        spec("first", recording("first", warn("slowish", Problem.CONNECTION), delay=0.05)),
        spec("second", recording("second", ok("fine")), needs=("first",)),
    )

    report = await run_checks(["second"], TARGET, specs=specs)

    assert finished == ["first", "second"]
    assert statuses(report) == {"first": "warn", "second": "ok"}


async def test_failure_skips_dependants_transitively_with_the_reason() -> None:
    specs = specs_of(
        spec("root", returning(fail("down", Problem.CONNECTION, "unreachable"))),
        spec("child", returning(ok("never")), needs=("root",)),
        spec("grandchild", returning(ok("never")), needs=("child",)),
        spec("sibling", returning(ok("independent"))),
    )

    report = await run_checks(list(specs), TARGET, specs=specs)

    child, grandchild = report.get("child"), report.get("grandchild")
    assert child is not None and grandchild is not None
    assert (child.status, child.summary) == (Status.SKIP, "needs root, which failed")
    assert child.details == {"blocked_by": "root"}
    assert grandchild.summary == "needs child, which was skipped"
    assert statuses(report)["sibling"] == "ok"
    assert report.status is Status.FAIL


async def test_results_come_back_in_catalogue_order_with_prerequisites_added() -> None:
    specs = specs_of(
        spec("one", returning(ok("1"))),
        spec("two", returning(ok("2")), needs=("one",)),
        spec("three", returning(ok("3"))),
    )

    report = await run_checks(["three", "two"], TARGET, specs=specs)

    assert [result.id for result in report.checks] == ["one", "two", "three"]


async def test_a_hung_check_fails_on_timeout_and_others_still_finish() -> None:
    async def hang(ctx: CheckContext) -> Outcome:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    specs = specs_of(
        spec("hung", hang, problem=Problem.REDIS), spec("quick", returning(ok("done")))
    )

    report = await run_checks(list(specs), TARGET, specs=specs)

    hung = report.get("hung")
    assert hung is not None
    assert (hung.status, hung.summary) == (Status.FAIL, "no answer within 0.3 s")
    # Reported as the target not answering, whatever problem the check diagnoses, so the
    # "timeout" cause keeps its steps (only the connection problem has them).
    assert hung.remediation is not None and hung.remediation.problem is Problem.CONNECTION
    assert "accepts TCP but never answers" in hung.remediation.steps[0]
    assert 250 <= hung.duration_ms < 1000
    assert statuses(report)["quick"] == "ok"


async def test_an_exception_becomes_a_fail_naming_it_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(ctx: CheckContext) -> Outcome:
        raise ValueError("boom")

    specs = specs_of(spec("broken", broken, problem=Problem.TOKEN))

    with caplog.at_level(logging.ERROR, logger="checks.runner"):
        report = await run_checks(["broken"], TARGET, specs=specs)

    result = report.checks[0]
    assert (result.status, result.summary) == (Status.FAIL, "internal error: ValueError: boom")
    assert result.remediation is not None and result.remediation.problem is Problem.TOKEN
    assert "check broken raised" in caplog.text and "ValueError: boom" in caplog.text


async def test_unconfigured_and_org_less_checks_are_skipped_without_running() -> None:
    ran: list[str] = []

    async def run(ctx: CheckContext) -> Outcome:
        ran.append("ran")
        return ok("ran")

    specs = specs_of(
        spec("token", run, requires=("APP_TOKEN_URL", "BROWSER_ORIGIN")),
        spec("org-only", run, needs_org=True),
    )

    report = await run_checks(list(specs), TARGET, specs=specs)

    assert [r.summary for r in report.checks] == [
        "not configured: APP_TOKEN_URL, BROWSER_ORIGIN",
        "needs an org: run it as `diagnose org ID`",
    ]
    assert ran == []
    assert report.status is Status.SKIP


async def test_remediation_only_for_warn_and_fail_and_unknown_causes_fall_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    specs = specs_of(
        spec("good", returning(ok("fine"))),
        spec("odd", returning(fail("odd", Problem.CONNECTION, "no_such_cause"))),
        spec("known", returning(fail("down", Problem.CONNECTION, "unreachable"))),
    )

    with caplog.at_level(logging.WARNING, logger="checks.runner"):
        report = await run_checks(list(specs), TARGET, lang="pt-BR", specs=specs)

    good, odd, _ = report.checks
    assert good.remediation is None
    assert odd.remediation is not None and odd.remediation.problem is Problem.CONNECTION
    assert odd.remediation.steps
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "check odd named cause 'no_such_cause', unknown to CONNECTION: general steps only"
    ]


async def test_a_remediation_error_does_not_sink_the_run() -> None:
    specs = specs_of(
        spec("bad", returning(fail("down", Problem.CONNECTION, "unreachable"))),
        spec("after", returning(ok("ran")), needs=("bad",)),
    )

    # A malformed org id is refused by the remediation catalogue (it would enter shell commands).
    report = await run_checks(list(specs), TARGET, org="1; rm -rf /", specs=specs)

    assert statuses(report) == {"bad": "fail", "after": "skip"}
    assert report.checks[0].remediation is None


# -- the server-side checks through the runner, against the emulator ----------------------

SERVER_MODULES = ("checks.config", "checks.server", "checks.tls", "checks.channels")


def server_specs() -> dict[str, CheckSpec]:
    for module in SERVER_MODULES:
        importlib.import_module(module)
    wanted = ("config", "server.ping", "server.auth", "server.info", "tls", "admin", "channels")
    return {check_id: registered()[check_id] for check_id in wanted}


async def test_a_healthy_emulator_passes_every_server_check(
    emulator: Emulator, target: Target
) -> None:
    emulator.hub.add("42", ignore).channels.update({"org:7:messages", "org:7:tickets"})

    report = await run_checks(list(server_specs()), target, org="7", specs=server_specs())

    assert statuses(report) == {
        "config": "ok",
        "server.ping": "ok",
        "server.auth": "ok",
        "server.info": "ok",
        "tls": "skip",
        "admin": "ok",
        "channels": "ok",
    }
    assert target.centrifugo_api_key is not None
    secret = target.centrifugo_api_key.get_secret_value()
    assert all(secret not in f"{r.summary}{r.details}{r.remediation}" for r in report.checks)


async def ignore(channel: str, publication: dict[str, object]) -> None:
    """A subscribed browser that drops what it receives."""


Setup = Callable[[Emulator], Target]

FAULTS = [
    pytest.param(
        lambda emu: target_for(emu, centrifugo_api_key=None),
        {"server.auth": "skip", "server.info": "skip", "channels": "skip"},
        "server.auth",
        "not configured: CENTRIFUGO_API_KEY",
        None,
        id="no-api-key",
    ),
    pytest.param(
        lambda emu: target_for(emu, centrifugo_api_key=SecretStr("wrong")),
        {"server.auth": "fail", "server.info": "skip", "channels": "skip"},
        "server.auth",
        "API key refused (POST /api/info → 401); Centrifugo v6 ignores CENTRIFUGO_API_KEY, "
        "it reads CENTRIFUGO_HTTP_API_KEY",
        Problem.CHECKLIST,
        id="wrong-api-key",
    ),
    pytest.param(
        lambda emu: emu.config.faults.add(Fault.SERVER_ERROR) or target_for(emu),
        {"server.ping": "fail", "server.auth": "skip", "admin": "skip", "channels": "skip"},
        "server.ping",
        None,
        Problem.CONNECTION,
        id="proxy-502",
    ),
    pytest.param(
        lambda emu: emu.config.faults.add(Fault.BROKER_DOWN) or target_for(emu),
        {"server.ping": "ok", "server.auth": "ok", "channels": "fail"},
        "channels",
        "channels call failed: internal server error (broker/Redis down?)",
        Problem.REDIS,
        id="broker-down",
    ),
    pytest.param(
        lambda emu: setattr(emu.config, "admin_enabled", False) or target_for(emu),
        {"admin": "warn", "server.info": "ok"},
        "admin",
        "admin UI not enabled (admin.enabled): GET / → 404, GET /admin/ → 404",
        Problem.CONNECTION,
        id="admin-off",
    ),
]


@pytest.mark.parametrize(("setup", "expected", "focus", "summary", "problem"), FAULTS)
async def test_each_fault_through_the_runner(
    emulator: Emulator,
    setup: Setup,
    expected: dict[str, str],
    focus: str,
    summary: str | None,
    problem: Problem | None,
) -> None:
    target = setup(emulator)

    report = await run_checks(list(server_specs()), target, org="7", specs=server_specs())

    assert {check_id: statuses(report)[check_id] for check_id in expected} == expected
    result = report.get(focus)
    assert result is not None
    if summary is not None:
        assert result.summary == summary
    assert (result.remediation.problem if result.remediation else None) == problem


async def test_a_slow_server_is_reported_inside_the_budget(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.SLOW)
    emulator.config.slow_seconds = 5.0
    target = target_for(emulator, check_timeout=0.5)

    report = await run_checks(["server.ping", "admin"], target, specs=server_specs())

    ping = report.get("server.ping")
    assert ping is not None
    assert (ping.status, ping.summary) == (
        Status.FAIL,
        f"GET {emulator.url}/api/info: no answer within 0.5 s",
    )
    assert ping.remediation is not None and ping.remediation.problem is Problem.CONNECTION
    assert statuses(report)["admin"] == "skip"
    assert report.duration_ms < 1500
