"""The `logs` check: runs LOG_COMMAND and reports the known kinds of trouble in Centrifugo's logs.

Reading is bounded (a share of CHECK_TIMEOUT, MAX_BYTES, MAX_LINES; see `checks.log_command`);
with a following command (`--follow`) the lines read before the limit are still classified.
Every example line shown is scrubbed of the target's secrets and of anything shaped like one.
"""

from __future__ import annotations

from typing import Any

from checks.context import CheckContext
from checks.log_command import CommandOutput, run_bounded
from checks.log_lines import SHOWN_CHARS, LogLine, parse_line, scrub
from checks.log_patterns import ENV, Finding, Tally, tally
from checks.model import SEVERITY, Language, Outcome, Problem, fail, ok, plural, say
from checks.registry import check

# The rest of CHECK_TIMEOUT is left for killing and reaping the command.
BUDGET_SHARE = 0.75
# v5 names v6 ignores, and what v6 reads instead (reference §0, §5.1, §7, §8.1).
V6_NAMES = {
    "CENTRIFUGO_API_KEY": "CENTRIFUGO_HTTP_API_KEY",
    "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY": "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY",
    "CENTRIFUGO_ALLOWED_ORIGINS": "CENTRIFUGO_CLIENT_ALLOWED_ORIGINS",
    "CENTRIFUGO_ENGINE": "CENTRIFUGO_ENGINE_TYPE",
    "CENTRIFUGO_REDIS_ADDRESS": "CENTRIFUGO_ENGINE_REDIS_ADDRESS",
}


@check("logs", "Centrifugo logs", requires=("LOG_COMMAND",), problem=Problem.CONNECTION)
async def logs(ctx: CheckContext) -> Outcome:
    command = ctx.target.log_command or ""
    secrets = ctx.target.secrets()
    budget = round(ctx.timeout * BUDGET_SHARE, 2)
    output = await run_bounded(command, budget)
    parsed = parse_lines(output.lines)
    facts = _facts(output, scrub(command, secrets)[:SHOWN_CHARS], budget)
    broken = _command_failure(output, parsed, budget, secrets, facts, ctx.lang)
    read = _read(output, budget, ctx.lang)
    return broken or verdict(tally(parsed, secrets), facts, read, ctx.lang)


def parse_lines(lines: tuple[str, ...]) -> list[LogLine]:
    return [parse_line(line) for line in lines if line.strip()]


def _facts(output: CommandOutput, command: str, budget: float) -> dict[str, Any]:
    return {
        "command": command,
        "lines_read": len(output.lines),
        "exit_code": output.exit_code,
        # Details are API, so always in English.
        "stopped_at": _limit(output.stopped, budget, "en"),
    }


def _limit(stopped: str | None, budget: float, lang: Language) -> str | None:
    """Which of the bot's limits cut the command short, if one did."""
    if stopped == "time":
        return say(lang, f"time limit of {budget:g} s", f"limite de tempo de {budget:g} s")
    if stopped == "size":
        return say(lang, "output limit", "limite de saída")
    return None


def _read(output: CommandOutput, budget: float, lang: Language) -> str:
    """How many lines were read, and which limit stopped the reading, if one did."""
    lines = len(output.lines)
    read = say(
        lang,
        f"{plural(lines, 'line')} read",
        f"{lines} {'linha lida' if lines == 1 else 'linhas lidas'}",
    )
    limit = _limit(output.stopped, budget, lang)
    if limit:
        read += say(lang, f", stopped at the {limit}", f", parou no {limit}")
    return read


def _command_failure(
    output: CommandOutput,
    parsed: list[LogLine],
    budget: float,
    secrets: list[str],
    facts: dict[str, Any],
    lang: Language,
) -> Outcome | None:
    """A fail when the command gave nothing to classify: no output, or only its own error."""
    code = output.exit_code
    if not parsed:
        if code:
            summary = say(
                lang,
                f"LOG_COMMAND exited {code} with no output",
                f"o LOG_COMMAND terminou com código {code} sem imprimir nada",
            )
            return fail(summary, Problem.CONNECTION, **facts)
        if output.stopped == "time":
            summary = say(
                lang,
                f"LOG_COMMAND printed nothing within {budget:g} s",
                f"o LOG_COMMAND não imprimiu nada em {budget:g} s",
            )
            return fail(summary, Problem.CONNECTION, **facts)
        return None
    if code and not any(line.level for line in parsed):
        first = scrub(parsed[0].text, secrets)[:SHOWN_CHARS]
        summary = say(
            lang,
            f"LOG_COMMAND exited {code}: {first}",
            f"o LOG_COMMAND terminou com código {code}: {first}",
        )
        return fail(summary, Problem.CONNECTION, **facts, first_line=first)
    return None


def verdict(found: Tally, facts: dict[str, Any], read: str, lang: Language) -> Outcome:
    facts = {**facts, "recognised_lines": found.recognised}
    facts["findings"] = [_finding_facts(finding) for finding in found.findings]
    if found.other_errors:
        facts["other_errors"] = {"count": found.other_errors, "last": found.last_other_error}
    if not found.findings:
        return ok(_clean(read, found.other_errors, lang), **facts)
    worst = max(found.findings, key=lambda f: SEVERITY[f.log_class.status])
    kinds = "; ".join(_describe(finding, lang) for finding in found.findings)
    status, log_class = worst.log_class.status, worst.log_class
    return Outcome(status, f"{kinds} ({read})", facts, log_class.problem, log_class.cause)


def _clean(read: str, other_errors: int, lang: Language) -> str:
    """The summary of a read with no known trouble, counting error lines no class explains."""
    others = ""
    if other_errors:
        others = say(
            lang,
            f"; {plural(other_errors, 'other error line')}",
            f"; {other_errors} "
            + ("outra linha de erro" if other_errors == 1 else "outras linhas de erro"),
        )
    return read + say(lang, f", no known errors{others}", f", nenhum erro conhecido{others}")


def _describe(finding: Finding, lang: Language) -> str:
    log_class = finding.log_class
    text = f"{say(lang, log_class.label, log_class.label_pt_br)} ×{finding.count}"
    if log_class.id == ENV and finding.names:
        renamed = ", ".join(
            f"{name} → {V6_NAMES[name]}" if name in V6_NAMES else name for name in finding.names
        )
        text += say(
            lang,
            f": v6 ignores v5 env names ({renamed})",
            f": a v6 ignora nomes de env da v5 ({renamed})",
        )
    return text


def _finding_facts(finding: Finding) -> dict[str, Any]:
    log_class = finding.log_class
    facts: dict[str, Any] = {
        "class": log_class.id,
        "label": log_class.label,
        "status": str(log_class.status),
        "count": finding.count,
        "last": finding.last,
        "problem": str(log_class.problem),
        "cause": log_class.cause,
    }
    if finding.names:
        facts["names"] = list(finding.names)
    return facts
