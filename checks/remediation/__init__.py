"""The remediation catalogue: the team's runbook as ordered steps, corrected by the protocol facts.

`remediation_for(problem, cause, target, lang, org)` gives a problem's title and steps in English
or Brazilian Portuguese: the cause's own steps first, then the problem's general ones, without
repeats, with commands filled in for the real target and never with a secret. `CAUSES` lists
every cause a check may name per problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from checks.model import LANGUAGES, Language, Problem, Remediation
from checks.remediation import checklist, connection, redis_engine, tls_cors, tokens, updates
from checks.remediation.commands import command_values
from checks.remediation.text import ProblemSteps, Step
from checks.target import Target

__all__ = ["CAUSES", "remediation_for"]

_CATALOGUE: Mapping[Problem, ProblemSteps] = MappingProxyType(
    {
        entry.problem: entry
        for entry in (
            checklist.STEPS,
            tokens.STEPS,
            connection.STEPS,
            updates.STEPS,
            tls_cors.STEPS,
            redis_engine.STEPS,
        )
    }
)

CAUSES: Mapping[Problem, frozenset[str]] = MappingProxyType(
    {problem: frozenset(entry.causes) for problem, entry in _CATALOGUE.items()}
)


def remediation_for(
    problem: Problem,
    cause: str | None,
    target: Target,
    lang: Language = "en",
    org: str | None = None,
) -> Remediation:
    """The runbook's remediation for `problem`, most specific steps first.

    Raises ValueError for a cause the problem does not know, an unknown language or a malformed
    org id (it ends up inside shell commands).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    entry = _CATALOGUE[problem]
    values = command_values(target, org)
    steps = (*_cause_steps(entry, cause), *entry.general)
    texts = (step.render(lang, values) for step in steps)
    return Remediation(problem, entry.title.render(lang, values), tuple(dict.fromkeys(texts)))


def _cause_steps(entry: ProblemSteps, cause: str | None) -> tuple[Step, ...]:
    if cause is None:
        return ()
    if cause not in entry.causes:
        known = ", ".join(sorted(entry.causes))
        raise ValueError(f"unknown cause {cause!r} for {entry.problem.name}; known: {known}")
    return entry.causes[cause]
