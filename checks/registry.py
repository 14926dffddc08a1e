"""The check catalogue: `@check` registers an async check function under its stable id.

Adding a check is one module with a decorated function plus one import line in
`checks/catalogue.py`; the runner, the parser and every renderer pick it up from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checks.model import Outcome, Problem

if TYPE_CHECKING:
    from checks.context import CheckContext

CheckFn = Callable[["CheckContext"], Awaitable[Outcome]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    run: CheckFn
    # Checks that must pass (ok or warn) first; a failure makes this one a skip.
    needs: tuple[str, ...] = ()
    # Settings (runbook names) without which the check is skipped as "not configured".
    requires: tuple[str, ...] = ()
    # Org-specific checks run only when the command names an org.
    needs_org: bool = False
    # The runbook problem a timeout or an unexpected error of this check maps to.
    problem: Problem = Problem.CONNECTION


_REGISTRY: dict[str, CheckSpec] = {}


def check(
    check_id: str,
    title: str,
    *,
    needs: tuple[str, ...] = (),
    requires: tuple[str, ...] = (),
    needs_org: bool = False,
    problem: Problem = Problem.CONNECTION,
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as the check `check_id`."""

    def register(run: CheckFn) -> CheckFn:
        if check_id in _REGISTRY:
            raise ValueError(f"check {check_id!r} registered twice")
        _REGISTRY[check_id] = CheckSpec(check_id, title, run, needs, requires, needs_org, problem)
        return run

    return register


def registered() -> dict[str, CheckSpec]:
    """Every registered check, in registration (runbook) order."""
    return dict(_REGISTRY)
