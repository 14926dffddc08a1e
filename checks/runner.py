"""Runs a set of checks concurrently and absorbs every failure into a result.

Each check waits only for the checks it needs; a dependency that did not pass turns its
dependants into skips with the reason; every check is bounded by CHECK_TIMEOUT; an
unexpected exception becomes a `fail` naming it (and is logged with its traceback).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence

from checks.catalogue import catalogue, with_prerequisites
from checks.context import CheckContext, open_context
from checks.model import (
    CheckResult,
    Language,
    Outcome,
    Problem,
    Remediation,
    Report,
    Status,
    fail,
    skip,
)
from checks.registry import CheckSpec
from checks.remediation import CAUSES, remediation_for
from checks.target import Target

log = logging.getLogger(__name__)

PASSING = (Status.OK, Status.WARN)


async def run_checks(
    check_ids: Sequence[str],
    target: Target,
    *,
    command: str = "",
    org: str | None = None,
    channel_pattern: str | None = None,
    lang: Language = "en",
    specs: Mapping[str, CheckSpec] | None = None,
) -> Report:
    """Run the named checks and whatever they need; results come back in catalogue order."""
    specs = specs if specs is not None else catalogue()
    ids = with_prerequisites(check_ids, specs)
    started = time.perf_counter()
    async with open_context(target, org=org, channel_pattern=channel_pattern, lang=lang) as ctx:
        done: dict[str, asyncio.Future[CheckResult]] = {
            check_id: asyncio.get_running_loop().create_future() for check_id in ids
        }
        async with asyncio.TaskGroup() as group:
            for check_id in ids:
                group.create_task(
                    _run_one(specs[check_id], ctx, done, lang), name=f"check:{check_id}"
                )
    results = tuple(done[check_id].result() for check_id in ids)
    elapsed = (time.perf_counter() - started) * 1000
    return Report(command, target.base_url, results, round(elapsed, 1))


async def _run_one(
    spec: CheckSpec,
    ctx: CheckContext,
    done: Mapping[str, asyncio.Future[CheckResult]],
    lang: Language,
) -> None:
    needed = [await asyncio.shield(done[dep]) for dep in spec.needs]
    started = time.perf_counter()
    outcome = _precondition(spec, ctx, needed) or await _bounded(spec, ctx)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    result = CheckResult(
        spec.id,
        spec.title,
        outcome.status,
        outcome.summary,
        elapsed,
        dict(outcome.details),
        _remediation(spec.id, outcome, ctx, lang),
    )
    done[spec.id].set_result(result)


def _remediation(
    check_id: str, outcome: Outcome, ctx: CheckContext, lang: Language
) -> Remediation | None:
    if outcome.problem is None or outcome.status not in (Status.WARN, Status.FAIL):
        return None
    cause = outcome.cause
    if cause is not None and cause not in CAUSES[outcome.problem]:
        # The general steps still help the user, but the check and the catalogue disagree.
        log.warning(
            "check %s named cause %r, unknown to %s: general steps only",
            check_id,
            cause,
            outcome.problem.name,
        )
        cause = None
    try:
        return remediation_for(outcome.problem, cause, ctx.target, lang, ctx.org)
    except ValueError:
        # A result without steps beats a run that dies (and leaves its dependants waiting).
        log.exception("no remediation for %s/%s", outcome.problem, cause)
        return None


def _precondition(
    spec: CheckSpec, ctx: CheckContext, needed: Sequence[CheckResult]
) -> Outcome | None:
    """Why the check cannot run at all, or None when it can."""
    for dep in needed:
        if dep.status is Status.SKIP:
            why = ctx.say(
                f"needs {dep.id}, which was skipped", f"depende de {dep.id}, que foi pulada"
            )
            return skip(why, blocked_by=dep.id)
        if dep.status not in PASSING:
            return skip(
                ctx.say(f"needs {dep.id}, which failed", f"depende de {dep.id}, que falhou"),
                blocked_by=dep.id,
            )
    missing = ", ".join(name for name in spec.requires if not ctx.target.is_set(name))
    if missing:
        why = ctx.say(f"not configured: {missing}", f"não configurado: {missing}")
        return skip(why, missing=missing.split(", "))
    if spec.needs_org and ctx.org is None:
        return skip(
            ctx.say(
                "needs an org: run it as `diagnose org ID`",
                "precisa de uma org: rode `diagnose org ID`",
            )
        )
    return None


async def _bounded(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    try:
        async with asyncio.timeout(ctx.timeout):
            return await spec.run(ctx)
    except TimeoutError:
        why = ctx.say(f"no answer within {ctx.timeout:g} s", f"sem resposta em {ctx.timeout:g} s")
        # Whatever the check diagnoses, a check with no answer is a target that does not
        # answer, and only the connection problem has steps for that cause.
        return fail(why, Problem.CONNECTION, "timeout")
    except Exception as exc:
        log.exception("check %s raised", spec.id)
        error = f"{type(exc).__name__}: {exc}"
        return fail(ctx.say(f"internal error: {error}", f"erro interno: {error}"), spec.problem)
