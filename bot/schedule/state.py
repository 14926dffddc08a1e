"""The alert state in SQLite at STATE_PATH: streaks, incidents with their Slack ts, mutes.

Small synchronous writes (WAL, one transaction per save) so a restart resumes exactly where the
last run stopped. Anything wrong with the file (corrupt, unwritable, from a newer version)
becomes a StateError naming STATE_PATH when the store opens, not at the first alert.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from bot.schedule.model import CertNotice, Incident, IncidentCheck, Streak, TargetState
from checks.model import Status

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE targets (target TEXT PRIMARY KEY, opened INTEGER NOT NULL,
    cert_threshold INTEGER, notice TEXT, last_run REAL);
CREATE TABLE streaks (target TEXT NOT NULL, check_id TEXT NOT NULL, status TEXT NOT NULL,
    fails INTEGER NOT NULL, passes INTEGER NOT NULL, failing_since REAL,
    alerting INTEGER NOT NULL, summary TEXT NOT NULL, last_run REAL NOT NULL,
    duration_ms REAL NOT NULL, PRIMARY KEY (target, check_id));
CREATE TABLE incidents (target TEXT NOT NULL, seq INTEGER NOT NULL, since REAL NOT NULL,
    opened_at REAL NOT NULL, last_seen REAL NOT NULL, runs INTEGER NOT NULL, checks TEXT NOT NULL,
    resolved_at REAL, channel TEXT, ts TEXT, link TEXT, stale INTEGER NOT NULL,
    refreshed_at REAL NOT NULL, remind_due INTEGER NOT NULL, reminded_at REAL,
    resolve_due INTEGER NOT NULL, silenced INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (target, seq));
CREATE TABLE mutes (target TEXT PRIMARY KEY, until REAL NOT NULL);
"""


def _insert(table: str, columns: list[str]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({marks})"


STREAK_FIELDS = [f.name for f in fields(Streak)]
INCIDENT_FIELDS = [f.name for f in fields(Incident)]
STREAK_INSERT = _insert("streaks", ["target", "check_id", *STREAK_FIELDS])
INCIDENT_INSERT = _insert("incidents", ["target", *INCIDENT_FIELDS, "done"])
BOOL_FIELDS = {"alerting", "stale", "remind_due", "resolve_due", "silenced"}


class StateError(Exception):
    """The state file cannot be used; the message names STATE_PATH and what to do."""


class StateStore:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> StateStore:
        """Open (creating it and its folders) or fail now with a StateError."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(
                f"STATE_PATH {path}: cannot create its folder: {_why(exc, path)}"
            ) from None
        try:
            db = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateError(f"STATE_PATH {path}: {_diagnosis(exc)}") from None
        try:
            _prepare(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StateError(f"STATE_PATH {path}: {_diagnosis(exc)}") from None
        except StateError as exc:
            db.close()
            raise StateError(f"STATE_PATH {path}: {exc}") from None
        db.row_factory = sqlite3.Row
        return cls(db, path)

    def close(self) -> None:
        self._db.close()

    def load(self, target: str) -> TargetState:
        head = self._db.execute("SELECT * FROM targets WHERE target = ?", (target,)).fetchone()
        if head is None:
            return TargetState(target)
        streaks = self._db.execute("SELECT * FROM streaks WHERE target = ?", (target,))
        incidents = self._db.execute(
            "SELECT * FROM incidents WHERE target = ? AND done = 0 ORDER BY seq", (target,)
        )
        return TargetState(
            target,
            {row["check_id"]: _streak(row) for row in streaks},
            tuple(_incident(row) for row in incidents),
            head["opened"],
            head["cert_threshold"],
            _notice(head["notice"]),
            head["last_run"],
        )

    def save(self, state: TargetState) -> None:
        """Replace the target's state in one transaction; finished incidents are archived."""
        notice = json.dumps(asdict(state.notice)) if state.notice else None
        head = (state.target, state.opened, state.cert_threshold, notice, state.last_run)
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?)", head)
            db.execute("DELETE FROM streaks WHERE target = ?", (state.target,))
            db.executemany(
                STREAK_INSERT,
                [_streak_row(state.target, k, s) for k, s in state.streaks.items()],
            )
            db.execute(
                "UPDATE incidents SET done = 1 WHERE target = ? AND done = 0", (state.target,)
            )
            db.executemany(
                INCIDENT_INSERT,
                [_incident_row(state.target, i) for i in state.incidents],
            )

    def muted_until(self, target: str) -> float | None:
        row = self._db.execute("SELECT until FROM mutes WHERE target = ?", (target,)).fetchone()
        return None if row is None else float(row["until"])

    def set_mute(self, targets: Sequence[str], until: float | None) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM mutes WHERE target = ?", [(t,) for t in targets])
            if until is not None:
                db.executemany("INSERT INTO mutes VALUES (?, ?)", [(t, until) for t in targets])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StateError(f"STATE_PATH {self.path}: cannot write: {exc}") from None


def _prepare(db: sqlite3.Connection) -> None:
    """Check the file and bring its schema up to date; any write problem shows here."""
    # WAL with synchronous=NORMAL: a commit does not wait for fsync, and a crash loses at most
    # the last commits, never the file's consistency.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise StateError("the file is corrupt; move it away to start with a fresh state")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StateError(f"schema {version} is newer than this bot's ({SCHEMA_VERSION})")
    # Taking the write lock now makes an unwritable file fail at start, not at the first alert.
    db.execute("BEGIN IMMEDIATE")
    try:
        if version == 0:
            for statement in filter(str.strip, SCHEMA.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _diagnosis(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "not a valid SQLite file (corrupt?); move it away to start with a fresh state"
    if "readonly" in text or "unable to open" in text:
        return f"cannot write it ({text}); fix its permissions or point STATE_PATH elsewhere"
    return text


def _why(exc: OSError, path: Path) -> str:
    # mkdir says "File exists" when a file sits where a folder should be: name that file.
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return f"{blocker} is a file, not a folder"
    return exc.strerror or type(exc).__name__


def _streak(row: sqlite3.Row) -> Streak:
    values: dict[str, Any] = {name: row[name] for name in STREAK_FIELDS}
    return Streak(**{**values, "status": Status(row["status"]), "alerting": bool(row["alerting"])})


def _streak_row(target: str, check_id: str, streak: Streak) -> tuple[Any, ...]:
    return (target, check_id, *(getattr(streak, name) for name in STREAK_FIELDS))


def _incident(row: sqlite3.Row) -> Incident:
    values: dict[str, Any] = {name: row[name] for name in INCIDENT_FIELDS}
    values.update({name: bool(values[name]) for name in BOOL_FIELDS & values.keys()})
    values["checks"] = tuple(IncidentCheck(**check) for check in json.loads(row["checks"]))
    return Incident(**values)


def _incident_row(target: str, incident: Incident) -> tuple[Any, ...]:
    values = [getattr(incident, name) for name in INCIDENT_FIELDS]
    values[INCIDENT_FIELDS.index("checks")] = json.dumps([asdict(c) for c in incident.checks])
    return (target, *values, 0)


def _notice(text: str | None) -> CertNotice | None:
    return None if text is None else CertNotice(**json.loads(text))
