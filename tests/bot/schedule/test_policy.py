"""The alert policy as a table: sequences of run results in, transitions per run out.

Letters stand for one check's result per run: F fail, P pass (ok), W warn, S skipped because
a prerequisite failed (no evidence), N skipped as not configured (nothing to fail).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.schedule.model import Change, Rules, TargetState, Transition
from bot.schedule.policy import Verdict, observe, verdict
from checks.model import CheckResult, Report, Status

TARGET = "http://centrifugo:8000 org 1"
LETTERS = {"F": Status.FAIL, "P": Status.OK, "W": Status.WARN, "S": Status.SKIP, "N": Status.SKIP}


def result(check_id: str, letter: str, **details: object) -> CheckResult:
    if letter == "S":
        details = {"blocked_by": "server.ping", **details}
    return CheckResult(check_id, check_id, LETTERS[letter], f"{check_id} {letter}", 1.0, details)


def report(**letters: str) -> Report:
    """report(server_ping="F") -> a report where server.ping failed."""
    checks = tuple(result(name.replace("_", "."), letter) for name, letter in letters.items())
    return Report("diagnose", TARGET, checks, 5.0)


def play(
    runs: list[Report], rules: Rules, *, step: float = 10.0, muted: bool = False
) -> tuple[TargetState, list[list[Change]]]:
    """Observe each report in turn, `step` seconds apart; the changes of every run."""
    state, changes = TargetState(TARGET), []
    for n, run in enumerate(runs):
        observation = observe(state, run, n * step, rules, muted=muted)
        state = observation.state
        changes.append([t.change for t in observation.transitions])
    return state, changes


def single(sequence: str) -> list[Report]:
    return [report(server_ping=letter) for letter in sequence]


OPEN, RES, GREW = Change.OPENED, Change.RESOLVED, Change.GREW


@pytest.mark.parametrize(
    ("sequence", "rules", "expected"),
    [
        ("F", Rules(alert_after=2), [[]]),
        ("FF", Rules(alert_after=2), [[], [OPEN]]),
        ("FFF", Rules(alert_after=2), [[], [OPEN], []]),
        ("F", Rules(alert_after=1), [[OPEN]]),
        ("FFP", Rules(alert_after=2, resolve_after=1), [[], [OPEN], [RES]]),
        ("FFPP", Rules(alert_after=2, resolve_after=2), [[], [OPEN], [], [RES]]),
        ("FFPFPP", Rules(alert_after=2, resolve_after=2), [[], [OPEN], [], [], [], [RES]]),
        ("FPFPFP", Rules(alert_after=2), [[]] * 6),
        ("FWFW", Rules(alert_after=2), [[]] * 4),
        ("FSF", Rules(alert_after=2), [[], [], [OPEN]]),
        ("FFSSP", Rules(alert_after=2), [[], [OPEN], [], [], [RES]]),
        ("FFN", Rules(alert_after=2), [[], [OPEN], [RES]]),
        ("FFPFF", Rules(alert_after=2), [[], [OPEN], [RES], [], [OPEN]]),
        ("PPPP", Rules(), [[]] * 4),
    ],
    ids=[
        "one-failure-is-not-an-incident",
        "alert-after-two",
        "further-failures-do-not-reopen",
        "alert-after-one",
        "resolve-after-one",
        "resolve-after-two",
        "a-failure-resets-the-passes",
        "flapping-never-opens",
        "warn-counts-as-passing",
        "blocked-skip-is-no-evidence",
        "blocked-skip-does-not-resolve",
        "not-configured-resolves",
        "reopens-after-a-full-cycle",
        "healthy",
    ],
)
def test_single_check_sequences(sequence: str, rules: Rules, expected: list[list[Change]]) -> None:
    _, changes = play(single(sequence), rules)
    assert changes == expected


def test_the_incident_says_since_when_and_counts_failing_runs() -> None:
    state, _ = play(single("PFFF"), Rules(alert_after=2, refresh_every=0))
    incident = state.open_incident
    assert incident is not None
    assert (incident.seq, incident.since, incident.opened_at) == (1, 10.0, 20.0)
    assert (incident.runs, incident.last_seen, incident.check_ids) == (3, 30.0, ("server.ping",))
    assert incident.checks[0].summary == "server.ping F"


def test_a_check_that_starts_failing_during_an_incident_joins_it() -> None:
    runs = [
        report(server_ping="F", subscribe="P"),
        report(server_ping="F", subscribe="P"),
        report(server_ping="F", subscribe="F"),
        report(server_ping="F", subscribe="F"),
        report(server_ping="P", subscribe="F"),
        report(server_ping="P", subscribe="P"),
    ]
    state, changes = play(runs, Rules(alert_after=2))
    assert changes == [[], [OPEN], [], [GREW], [], [RES]]
    (incident,) = state.incidents
    assert incident.check_ids == ("server.ping", "subscribe")
    assert incident.checks[1].since == 20.0
    assert incident.resolved_at == 50.0 and incident.resolve_due


def test_transitions_name_target_checks_and_time() -> None:
    observation = observe(TargetState(TARGET), report(server_ping="F"), 7.0, Rules(alert_after=1))
    assert observation.transitions == (Transition(OPEN, TARGET, ("server.ping",), 7.0),)


def test_count_only_edits_wait_for_refresh_every() -> None:
    rules = Rules(alert_after=1, refresh_every=60)
    state = observe(TargetState(TARGET), report(server_ping="F"), 0.0, rules).state
    delivered = replace(state.incidents[0], stale=False, ts="1.0")
    state = replace(state, incidents=(delivered,))
    soon = observe(state, report(server_ping="F"), 30.0, rules).state
    assert not soon.incidents[0].stale and soon.incidents[0].runs == 2
    later = observe(soon, report(server_ping="F"), 61.0, rules).state
    assert later.incidents[0].stale and later.incidents[0].runs == 3


@pytest.mark.parametrize(
    ("remind_every", "expected_at"),
    [(25.0, [30.0, 60.0]), (0.0, [])],
    ids=["every-25s", "off"],
)
def test_reminders_while_open(remind_every: float, expected_at: list[float]) -> None:
    rules = Rules(alert_after=1, remind_every=remind_every)
    state, at = TargetState(TARGET), []
    for now in range(0, 70, 10):
        observation = observe(state, report(server_ping="F"), float(now), rules)
        # Delivery clears what it posts; here every reminder counts as delivered at once.
        state = observation.state
        incident = state.incidents[0]
        state = replace(state, incidents=(replace(incident, remind_due=False),))
        at += [t.at for t in observation.transitions if t.change is Change.REMINDER]
    assert at == expected_at


def test_no_reminder_while_muted() -> None:
    rules = Rules(alert_after=1, remind_every=5)
    state, changes = play(single("FFFF"), rules, muted=True)
    assert all(Change.REMINDER not in run for run in changes)
    assert not state.incidents[0].remind_due


def tls(letter: str, days: int) -> Report:
    return Report("diagnose", TARGET, (result("tls", letter, days_left=days),), 1.0)


def test_certificate_notice_once_per_threshold() -> None:
    days = [("W", 13), ("W", 12), ("W", 7), ("W", 6), ("W", 1), ("W", 0), ("P", 89), ("W", 13)]
    state, changes = play([tls(letter, n) for letter, n in days], Rules())
    crossed = [i for i, c in enumerate(changes) if c == [Change.CERT_EXPIRING]]
    assert crossed == [0, 2, 4, 7]
    assert state.cert_threshold == 14 and state.notice is not None
    assert (state.notice.threshold, state.notice.days_left) == (14, 13)


def test_an_expired_certificate_is_an_incident_not_a_notice() -> None:
    state, changes = play([tls("F", -1), tls("F", -1)], Rules(alert_after=2))
    assert changes == [[], [OPEN]] and state.notice is None


def test_a_failed_tls_check_does_not_reset_the_threshold() -> None:
    runs = [tls("W", 5), tls("F", 5), tls("W", 5)]
    _, changes = play(runs, Rules(alert_after=5))
    assert changes == [[Change.CERT_EXPIRING], [], []]


def test_opened_while_muted_is_held_and_marked() -> None:
    observation = observe(
        TargetState(TARGET), report(server_ping="F"), 1.0, Rules(alert_after=1), muted=True
    )
    assert [t.muted for t in observation.transitions] == [True]
    assert observation.state.open_incident is not None


def test_opened_and_resolved_within_a_mute_is_never_posted() -> None:
    state, _ = play(single("FP"), Rules(alert_after=1), muted=True)
    (incident,) = state.incidents
    assert incident.silenced and incident.finished and not incident.resolve_due


def test_a_posted_incident_still_resolves_in_its_thread_while_muted() -> None:
    rules = Rules(alert_after=1)
    state = observe(TargetState(TARGET), report(server_ping="F"), 0.0, rules).state
    posted = replace(state.incidents[0], ts="1.0", stale=False)
    state = replace(state, incidents=(posted,))
    observation = observe(state, report(server_ping="P"), 10.0, rules, muted=True)
    (incident,) = observation.state.incidents
    assert incident.resolve_due and not incident.silenced
    assert [t.muted for t in observation.transitions] == [False]


@pytest.mark.parametrize(
    ("letter", "expected"),
    [("F", Verdict.FAIL), ("P", Verdict.PASS), ("W", Verdict.PASS), ("S", Verdict.NEUTRAL)],
    ids=["fail", "ok", "warn", "blocked"],
)
def test_verdicts(letter: str, expected: Verdict) -> None:
    assert verdict(result("x", letter)) is expected


def test_checks_missing_from_a_report_are_forgotten() -> None:
    state, _ = play([report(server_ping="F", admin="F")] * 2, Rules(alert_after=2))
    after = observe(state, report(admin="P"), 30.0, Rules()).state
    assert set(after.streaks) == {"admin"}
    assert after.incidents[0].resolved_at == 30.0
