"""Loads every check module, in the runbook's order, and exposes the resulting catalogue.

To add a check: write its module, then add its name to CHECK_MODULES (the registration line).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping

from checks.registry import CheckSpec, registered

# Import order is report order: the runbook's order.
CHECK_MODULES = (
    "checks.config",
    "checks.server",
    "checks.tls",
    "checks.tokens",
    "checks.websocket",
    "checks.subscribe",
    "checks.roundtrip",
    "checks.channels",
    "checks.redis_health",
    "checks.logs",
)


def catalogue() -> Mapping[str, CheckSpec]:
    """All checks by id, in runbook order."""
    for module in CHECK_MODULES:
        importlib.import_module(module)
    return registered()


def with_prerequisites(ids: Iterable[str], specs: Mapping[str, CheckSpec]) -> list[str]:
    """The given checks plus everything they need, in catalogue order."""
    wanted: set[str] = set()
    pending = list(ids)
    while pending:
        check_id = pending.pop()
        if check_id not in wanted:
            wanted.add(check_id)
            pending.extend(specs[check_id].needs)
    return [check_id for check_id in specs if check_id in wanted]
