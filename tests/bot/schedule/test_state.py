"""The SQLite state store: what is saved is what a new process loads, and every way the file
can be unusable is a StateError at open that names STATE_PATH."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.schedule.model import CertNotice, Incident, IncidentCheck, Streak, TargetState
from bot.schedule.state import StateError, StateStore
from checks.model import Status


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "deep" / "er" / "state.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[StateStore]:
    opened = StateStore.open(path)
    yield opened
    opened.close()


def busy_state(target: str = "http://c:8000 org 1") -> TargetState:
    resolved = Incident(
        seq=1,
        since=10.0,
        opened_at=20.0,
        last_seen=30.0,
        runs=3,
        checks=(IncidentCheck("server.ping", 10.0, "refused"),),
        resolved_at=40.0,
        channel="C1",
        ts="1700000000.000100",
        link="https://x.slack.com/archives/C1/p1700000000000100",
        stale=False,
        refreshed_at=20.0,
        resolve_due=True,
    )
    open_one = Incident(
        seq=2,
        since=50.0,
        opened_at=60.0,
        last_seen=60.0,
        runs=2,
        checks=(IncidentCheck("redis", 50.0, "PING timed out"), IncidentCheck("logs", 55.0, "x")),
        refreshed_at=60.0,
        remind_due=True,
        reminded_at=58.5,
    )
    return TargetState(
        target,
        {
            "server.ping": Streak(Status.OK, 0, 3, None, False, "ok in 3 ms", 60.0, 3.2),
            "redis": Streak(Status.FAIL, 2, 0, 50.0, True, "PING timed out", 60.0, 2000.0),
        },
        (resolved, open_one),
        opened=2,
        cert_threshold=7,
        notice=CertNotice(7, 6, "expires in 6 days", 59.0),
        last_run=60.0,
    )


def test_a_new_process_loads_what_was_saved(store: StateStore, path: Path) -> None:
    state = busy_state()
    store.save(state)
    again = StateStore.open(path)
    try:
        assert again.load(state.target) == state
    finally:
        again.close()


def test_an_unknown_target_starts_empty(store: StateStore) -> None:
    assert store.load("never seen") == TargetState("never seen")


def test_targets_are_kept_apart(store: StateStore) -> None:
    store.save(busy_state("a"))
    store.save(TargetState("b", last_run=1.0))
    assert store.load("a") == busy_state("a")
    assert store.load("b") == TargetState("b", last_run=1.0)


def test_incidents_left_out_of_the_state_are_archived(store: StateStore, path: Path) -> None:
    state = busy_state()
    store.save(state)
    store.save(TargetState(state.target, state.streaks, state.incidents[1:], opened=2))
    assert [i.seq for i in store.load(state.target).incidents] == [2]
    with closing(sqlite3.connect(path)) as db, db:
        rows = db.execute("SELECT seq, done FROM incidents ORDER BY seq").fetchall()
    assert rows == [(1, 1), (2, 0)]


def test_mutes_persist_and_clear(store: StateStore, path: Path) -> None:
    store.set_mute(["a", "b"], 1234.5)
    again = StateStore.open(path)
    try:
        assert (again.muted_until("a"), again.muted_until("b")) == (1234.5, 1234.5)
        again.set_mute(["a", "b"], None)
        assert again.muted_until("a") is None
    finally:
        again.close()


def test_open_creates_the_folders(path: Path) -> None:
    StateStore.open(path).close()
    assert path.is_file()


def test_a_corrupt_file_is_refused_at_open(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite " * 400)
    with pytest.raises(StateError, match=r"STATE_PATH .*state\.sqlite3: not a valid SQLite file"):
        StateStore.open(path)


def test_a_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateError, match=r"cannot create its folder: .*/file is a file, not a"):
        StateStore.open(tmp_path / "file" / "state.sqlite3")


def test_a_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateError, match=f"STATE_PATH {tmp_path}: cannot write it"):
        StateStore.open(tmp_path)


def test_a_file_from_a_newer_bot_is_refused(path: Path) -> None:
    StateStore.open(path).close()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StateError, match="schema 99 is newer"):
        StateStore.open(path)
