"""The alert policy: a pure state machine from one scheduled run to incident transitions.

`observe(state, report, now, rules)` updates each check's streak, opens an incident once a check
failed ALERT_AFTER runs in a row, adds checks that join it, resolves it after RESOLVE_AFTER
passing runs, marks reminders and certificate-expiry notices due. No I/O and no clock: the
scheduler stores the new state and delivery posts what it marks due.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from bot.schedule.model import (
    CertNotice,
    Change,
    Incident,
    IncidentCheck,
    Observation,
    Rules,
    Streak,
    TargetState,
    Transition,
)
from checks.model import CheckResult, Report, Status


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NEUTRAL = "neutral"  # could not run because a prerequisite failed: no evidence either way


def verdict(result: CheckResult) -> Verdict:
    if result.status is Status.FAIL:
        return Verdict.FAIL
    # A skip for a failed prerequisite says nothing about this check; a skip for "not
    # configured" means there is nothing to fail, which must let an old incident resolve.
    if result.status is Status.SKIP and "blocked_by" in result.details:
        return Verdict.NEUTRAL
    return Verdict.PASS


def step(previous: Streak | None, result: CheckResult, now: float, rules: Rules) -> Streak:
    """One check's streak after one more result."""
    before = previous or Streak(result.status)
    match verdict(result):
        case Verdict.FAIL:
            fails = before.fails + 1
            since = before.failing_since if before.failing_since is not None else now
            alerting = before.alerting or fails >= rules.alert_after
            after = Streak(result.status, fails, 0, since, alerting)
        case Verdict.PASS:
            passes = before.passes + 1
            alerting = before.alerting and passes < rules.resolve_after
            after = Streak(result.status, 0, passes, None, alerting)
        case _:
            after = replace(before, status=result.status)
    return replace(after, summary=result.summary, last_run=now, duration_ms=result.duration_ms)


def observe(
    state: TargetState, report: Report, now: float, rules: Rules, *, muted: bool = False
) -> Observation:
    """The target's state after `report`, and what changed."""
    streaks = {r.id: step(state.streaks.get(r.id), r, now, rules) for r in report.checks}
    state = replace(state, streaks=streaks, last_run=now)
    state, changes = _incident(state, report, now, rules, muted)
    state, cert = _certificate(state, report, now, rules)
    transitions = tuple(
        Transition(change, state.target, ids, now, _held(change, state, muted))
        for change, ids in (*changes, *cert)
    )
    return Observation(state, transitions)


Found = list[tuple[Change, tuple[str, ...]]]


def _held(change: Change, state: TargetState, muted: bool) -> bool:
    """Whether a mute keeps this change out of Slack (for now, or for good)."""
    if change is Change.RESOLVED:
        return state.incidents[-1].silenced
    return muted


def _incident(
    state: TargetState, report: Report, now: float, rules: Rules, muted: bool
) -> tuple[TargetState, Found]:
    alerting = [check_id for check_id, s in state.streaks.items() if s.alerting]
    current = state.open_incident
    if current is None:
        if not alerting:
            return state, []
        return _open(state, alerting, now, muted), [(Change.OPENED, tuple(alerting))]
    found: Found = []
    incident = _count_run(current, report, now, rules)
    joining = [check_id for check_id in alerting if check_id not in incident.check_ids]
    if joining:
        incident = _join(incident, state, joining, now)
        found.append((Change.GREW, tuple(joining)))
    if not alerting:
        incident = _resolve(incident, now, muted)
        found.append((Change.RESOLVED, incident.check_ids))
    elif _reminder_due(incident, now, rules, muted):
        incident = replace(incident, remind_due=True, reminded_at=now)
        found.append((Change.REMINDER, incident.check_ids))
    return replace(state, incidents=(*state.incidents[:-1], incident)), found


def _open(state: TargetState, alerting: list[str], now: float, muted: bool) -> TargetState:
    checks = tuple(_incident_check(state, check_id, now) for check_id in alerting)
    streaks = [state.streaks[check_id] for check_id in alerting]
    incident = Incident(
        seq=state.opened + 1,
        since=min(check.since for check in checks),
        opened_at=now,
        last_seen=now,
        runs=max(s.fails for s in streaks),
        checks=checks,
        refreshed_at=now,
    )
    return replace(state, incidents=(*state.incidents, incident), opened=state.opened + 1)


def _incident_check(state: TargetState, check_id: str, now: float) -> IncidentCheck:
    streak = state.streaks[check_id]
    since = streak.failing_since if streak.failing_since is not None else now
    return IncidentCheck(check_id, since, streak.summary)


def _count_run(incident: Incident, report: Report, now: float, rules: Rules) -> Incident:
    """A failing run bumps the count and "last seen"; the message is edited at most every
    `refresh_every` for that alone."""
    if not any(c.status is Status.FAIL for c in report.checks):
        return incident
    incident = replace(incident, runs=incident.runs + 1, last_seen=now)
    if now - incident.refreshed_at >= rules.refresh_every:
        incident = replace(incident, stale=True, refreshed_at=now)
    return incident


def _join(incident: Incident, state: TargetState, joining: list[str], now: float) -> Incident:
    added = tuple(_incident_check(state, check_id, now) for check_id in joining)
    return replace(incident, checks=(*incident.checks, *added), stale=True, refreshed_at=now)


def _resolve(incident: Incident, now: float, muted: bool) -> Incident:
    # Never posted and resolved while muted: the maintenance it belonged to is over, so it stays
    # a record and never reaches Slack.
    silenced = muted and incident.ts is None
    return replace(
        incident,
        resolved_at=now,
        stale=True,
        resolve_due=not silenced,
        remind_due=False,
        silenced=silenced,
    )


def _reminder_due(incident: Incident, now: float, rules: Rules, muted: bool) -> bool:
    if rules.remind_every <= 0 or muted or incident.remind_due:
        return False
    last = incident.reminded_at if incident.reminded_at is not None else incident.opened_at
    return now - last >= rules.remind_every


def _certificate(
    state: TargetState, report: Report, now: float, rules: Rules
) -> tuple[TargetState, Found]:
    """One notice per expiry threshold crossed (14, 7, 1 days), reset when renewed."""
    tls = report.get("tls")
    days = tls.details.get("days_left") if tls is not None else None
    if tls is None or not isinstance(days, int):
        return state, []
    if tls.status is Status.OK:
        return replace(state, cert_threshold=None), []
    crossed = [t for t in rules.cert_thresholds if days <= t]
    if tls.status is not Status.WARN or not crossed:
        return state, []
    threshold = min(crossed)
    if state.cert_threshold is not None and threshold >= state.cert_threshold:
        return state, []
    # A newer notice replaces one still waiting to be posted: only the latest is true.
    notice = CertNotice(threshold, days, tls.summary, now)
    return replace(state, cert_threshold=threshold, notice=notice), [
        (Change.CERT_EXPIRING, ("tls",))
    ]
