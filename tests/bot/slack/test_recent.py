"""Bounded memory of the Slack side: event ids (retries never run twice) and the latest report
per channel and command (Show details)."""

from __future__ import annotations

from bot.slack.recent import RecentEvents, RecentReports
from checks.model import Report


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_event_runs_once_within_the_ttl() -> None:
    clock = Clock()
    seen = RecentEvents(ttl=60, clock=clock)
    assert seen.first_time("Ev1") and not seen.first_time("Ev1")
    clock.now = 61
    assert seen.first_time("Ev1")  # long forgotten: Slack stopped retrying it long ago


def test_event_memory_is_bounded() -> None:
    seen = RecentEvents(limit=3, clock=Clock())
    for n in range(10):
        seen.first_time(f"Ev{n}")
    assert len(seen) == 3
    assert not seen.first_time("Ev9") and seen.first_time("Ev0")


def report(command: str, ms: float = 1.0) -> Report:
    return Report(command, "http://x", (), ms)


def test_latest_report_per_channel_and_command() -> None:
    reports = RecentReports(limit=2)
    reports.remember("C1", report("ping", 1))
    reports.remember("C1", report("ping", 2))
    reports.remember("C2", report("ping", 3))
    assert reports.latest("C1", "ping") == report("ping", 2)
    assert reports.latest("C2", "ping") == report("ping", 3)
    assert reports.latest("C1", "stats") is None


def test_report_memory_forgets_the_least_recent() -> None:
    reports = RecentReports(limit=2)
    reports.remember("C1", report("a"))
    reports.remember("C1", report("b"))
    reports.remember("C1", report("a"))  # refreshed: now the newest
    reports.remember("C1", report("c"))
    assert len(reports) == 2
    assert reports.latest("C1", "b") is None and reports.latest("C1", "a") is not None
