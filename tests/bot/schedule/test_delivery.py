"""Delivery of what the policy marked due, against a recording poster that can fail on demand:
every confirmed call is committed before the next, a failed one is retried by the next pass,
and nothing is ever posted twice."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.render.blocks import Reply
from bot.schedule.delivery import Delivery, MessageGone, Posted, deliver
from bot.schedule.model import CertNotice, Incident, IncidentCheck, TargetState
from bot.schedule.state import StateError

TARGET = "http://c:8000"


@dataclass
class FakePoster:
    calls: list[tuple[str, str, str | None]] = field(default_factory=list)  # (kind, text, ts)
    fail_next: list[Exception] = field(default_factory=list)
    count: int = 0

    async def post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> Posted:
        self._maybe_fail()
        self.count += 1
        self.calls.append(("post", reply.text, thread_ts))
        return Posted("C1", f"{self.count}.0", f"https://x/{self.count}")

    async def update(self, channel: str, ts: str, reply: Reply) -> None:
        self._maybe_fail()
        self.calls.append(("update", reply.text, ts))

    def _maybe_fail(self) -> None:
        if self.fail_next:
            raise self.fail_next.pop(0)


def opened(**changes: object) -> Incident:
    base = Incident(1, 0.0, 10.0, 10.0, 2, (IncidentCheck("server.ping", 0.0, "refused"),))
    return replace(base, **changes)  # type: ignore[arg-type]


async def run(
    state: TargetState, poster: FakePoster, *, muted: bool = False
) -> tuple[TargetState, list[TargetState]]:
    commits: list[TargetState] = []
    how = Delivery(poster, "#alerts", TARGET, None, "en")
    after = await deliver(state, None, how, now=100.0, muted=muted, commit=commits.append)
    return after, commits


def kinds(poster: FakePoster) -> list[tuple[str, str | None]]:
    return [(kind, ts) for kind, _, ts in poster.calls]


async def test_a_new_incident_is_posted_once_and_its_ts_committed() -> None:
    poster = FakePoster()
    state, commits = await run(TargetState(TARGET, incidents=(opened(),)), poster)
    assert kinds(poster) == [("post", None)]
    (incident,) = state.incidents
    assert (incident.channel, incident.ts, incident.link, incident.stale) == (
        "C1",
        "1.0",
        "https://x/1",
        False,
    )
    assert commits[-1] == state
    await run(state, poster)
    assert len(poster.calls) == 1


async def test_a_failed_post_stays_due_and_goes_out_next_time_once() -> None:
    poster = FakePoster(fail_next=[ConnectionError("Slack is down")])
    first = TargetState(TARGET, incidents=(opened(),))
    state, commits = await run(first, poster)
    assert (state, commits, poster.calls) == (first, [], [])
    state, _ = await run(state, poster)
    state, _ = await run(state, poster)
    assert kinds(poster) == [("post", None)]


async def test_an_edit_that_fails_after_the_post_is_retried_without_reposting() -> None:
    poster = FakePoster(fail_next=[TimeoutError()])
    state = TargetState(TARGET, incidents=(opened(ts="5.0", channel="C1"),))
    state, _ = await run(state, poster)
    assert state.incidents[0].stale and poster.calls == []
    state, _ = await run(state, poster)
    assert kinds(poster) == [("update", "5.0")] and not state.incidents[0].stale


async def test_a_resolution_edits_the_top_replies_in_the_thread_and_finishes() -> None:
    poster = FakePoster()
    done = opened(ts="5.0", channel="C1", resolved_at=70.0, resolve_due=True)
    state, _ = await run(TargetState(TARGET, incidents=(done,)), poster)
    assert kinds(poster) == [("update", "5.0"), ("post", "5.0")]
    assert poster.calls[1][1] == "✅ Resolved after 1m10s: `server.ping` pass again."
    assert state.incidents == ()


async def test_opened_and_resolved_while_slack_was_down_is_still_told() -> None:
    poster = FakePoster()
    done = opened(resolved_at=70.0, resolve_due=True)
    state, _ = await run(TargetState(TARGET, incidents=(done,)), poster)
    assert kinds(poster) == [("post", None), ("post", "1.0")]
    assert poster.calls[0][1].startswith("✅ Resolved") and state.incidents == ()


async def test_a_reminder_goes_into_the_thread() -> None:
    poster = FakePoster()
    due = opened(ts="5.0", channel="C1", stale=False, remind_due=True)
    state, _ = await run(TargetState(TARGET, incidents=(due,)), poster)
    assert kinds(poster) == [("post", "5.0")] and poster.calls[0][1].startswith("⏰ Still failing")
    assert not state.incidents[0].remind_due


async def test_a_mute_holds_new_posts_but_not_the_resolution_of_a_posted_alert() -> None:
    poster = FakePoster()
    notice = CertNotice(7, 6, "expires in 6 days", 1.0)
    resolved = opened(ts="5.0", channel="C1", stale=False, resolved_at=70.0, resolve_due=True)
    held = opened(seq=2)
    state = TargetState(TARGET, incidents=(resolved, held), notice=notice)
    state, _ = await run(state, poster, muted=True)
    assert kinds(poster) == [("post", "5.0")]
    assert [i.seq for i in state.incidents] == [2] and state.notice == notice
    state, _ = await run(state, poster)
    assert kinds(poster)[1:] == [("post", None), ("post", None)]
    assert state.notice is None and state.incidents[0].ts == "2.0"


async def test_an_incident_silenced_by_a_mute_is_dropped_without_a_word() -> None:
    poster = FakePoster()
    silent = opened(resolved_at=20.0, silenced=True)
    state, _ = await run(TargetState(TARGET, incidents=(silent,)), poster)
    assert poster.calls == [] and state.incidents == ()


async def test_a_deleted_alert_is_posted_again() -> None:
    poster = FakePoster(fail_next=[MessageGone("5.0")])
    state = TargetState(TARGET, incidents=(opened(ts="5.0", channel="C1"),))
    state, _ = await run(state, poster)
    assert kinds(poster) == [("post", None)] and state.incidents[0].ts == "1.0"


async def test_a_store_failure_after_a_post_does_not_repeat_it() -> None:
    poster = FakePoster()
    state = TargetState(TARGET, incidents=(opened(),))

    def broken_disk(_: TargetState) -> None:
        raise StateError("STATE_PATH x: cannot write: disk I/O error")

    how = Delivery(poster, "#alerts", TARGET, None, "en")
    after = await deliver(state, None, how, now=1.0, muted=False, commit=broken_disk)
    assert after.incidents[0].ts == "1.0"
    await run(after, poster)
    assert len(poster.calls) == 1
