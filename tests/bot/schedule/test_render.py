"""Alert messages: what an engineer reads in the alert channel, in both languages, and Slack's
limits however many checks fail or how long their remediation."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.render.blocks import ALERT_FULL_ACTION, ALERT_RERUN_ACTION
from bot.render.limits import MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT
from bot.schedule.model import CertNotice, Incident, IncidentCheck
from bot.schedule.render import (
    render_cert_notice,
    render_incident,
    render_reminder,
    render_resolved_reply,
    slack_date,
)
from checks.model import CheckResult, Problem, Remediation, Report, Status
from tests.bot.reports import ESCAPED_FIX, MARKUP_FIX
from tests.fakes.slack.blocks import block_errors

TARGET = "https://rt.example.com org 123"
FIX = Remediation(Problem.CONNECTION, "Problem 2: WebSocket connection failed", ("a", "b"))
T0 = 1_700_000_000.0


def incident(**changes: Any) -> Incident:
    base = Incident(
        seq=1,
        since=T0,
        opened_at=T0 + 60,
        last_seen=T0 + 300,
        runs=6,
        checks=(
            IncidentCheck("server.ping", T0, "connection refused"),
            IncidentCheck("subscribe", T0 + 120, "permission denied <org:123>"),
        ),
    )
    return replace(base, **changes)


def report() -> Report:
    checks = (
        CheckResult("server.ping", "", Status.FAIL, "connection refused at :8000", 1.0, {}, FIX),
        CheckResult("subscribe", "", Status.SKIP, "needs server.ping", 0.0),
    )
    return Report("diagnose org 123", "https://rt.example.com", checks, 3.0)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if "text" in b]


def test_an_open_incident_says_what_fails_since_when_and_how_to_fix() -> None:
    reply = render_incident(incident(), report(), TARGET, "123", "en")
    header, facts, lines, divider, fix, actions = reply.blocks
    assert header["text"]["text"] == "🚨 Centrifugo failing: server.ping, subscribe"
    assert facts["text"]["text"] == (
        f"*Target:* `{TARGET}` · *failing since* {slack_date(T0)} · *failing runs:* 6 · "
        f"*last seen* {slack_date(T0 + 300)}"
    )
    assert lines["text"]["text"].splitlines() == [
        f":x: *server.ping* connection refused at :8000 _(since {slack_date(T0)})_",
        f":white_circle: *subscribe* needs server.ping _(since {slack_date(T0 + 120)})_",
    ]
    assert divider["type"] == "divider"
    assert fix["text"]["text"] == (
        "*How to fix: Problem 2: WebSocket connection failed* (server.ping)\n1. a\n2. b"
    )
    buttons = [(e["action_id"], e["value"]) for e in actions["elements"]]
    assert buttons == [
        (ALERT_RERUN_ACTION, "check server.ping org 123"),
        (ALERT_FULL_ACTION, "diagnose org 123"),
    ]
    assert reply.text == "🚨 Centrifugo failing: server.ping, subscribe" and reply.public


def test_without_a_report_the_stored_summaries_are_shown_escaped() -> None:
    reply = render_incident(incident(), None, TARGET, None, "en")
    dumped = json.dumps(reply.blocks)
    assert "permission denied &lt;org:123&gt;" in dumped
    assert '"value": "diagnose"' in dumped


def test_a_resolved_incident_is_rewritten_as_resolved() -> None:
    reply = render_incident(incident(resolved_at=T0 + 720), report(), TARGET, "123", "en")
    header, facts, lines, _actions = reply.blocks
    assert header["text"]["text"] == "✅ Resolved after 12m: server.ping, subscribe"
    assert "failing from" in facts["text"]["text"]
    assert lines["text"]["text"].count("passes again") == 2


@pytest.mark.parametrize(
    ("lang", "open_title", "resolved"),
    [
        ("en", "🚨 Centrifugo failing", "✅ Resolved after 1h30m: `server.ping`, `subscribe` pass"),
        ("pt-BR", "🚨 Centrifugo falhando", "✅ Resolvido após 1h30m: `server.ping`, `subscribe`"),
    ],
)
def test_both_languages(lang: str, open_title: str, resolved: str) -> None:
    done = incident(resolved_at=T0 + 5400)
    assert render_incident(incident(), report(), TARGET, "1", lang).text.startswith(open_title)  # type: ignore[arg-type]
    assert render_resolved_reply(done, lang).text.startswith(resolved)  # type: ignore[arg-type]


def test_reminder_says_how_long_and_how_often() -> None:
    reply = render_reminder(incident(), T0 + 7200, "en")
    assert reply.text == (
        "⏰ Still failing after 2h: `server.ping`, `subscribe` (6 failing runs, "
        f"last seen {slack_date(T0 + 300)})."
    )


@pytest.mark.parametrize(
    ("days", "title"),
    [
        (6, "TLS certificate of `x` expires in 6 days (under the 7-day mark)"),
        (0, "TLS certificate of `x` expires within a day"),
    ],
)
def test_certificate_notice(days: int, title: str) -> None:
    tls = CheckResult("tls", "", Status.WARN, "certificate expires soon", 1.0, {}, FIX)
    notice = CertNotice(7 if days else 1, days, "certificate expires soon", T0)
    reply = render_cert_notice(notice, Report("d", "x", (tls,), 1.0), "x", "en")
    assert reply.text == title
    assert "How to fix" in json.dumps(reply.blocks)


def test_a_huge_incident_stays_within_every_slack_limit() -> None:
    long_fix = Remediation(Problem.CONNECTION, "P" * 500, tuple("step " * 300 for _ in range(30)))
    checks = tuple(IncidentCheck(f"check.{n}", T0, "x" * 5000) for n in range(400))
    results = tuple(
        CheckResult(c.id, "", Status.FAIL, "y" * 5000, 1.0, {}, long_fix) for c in checks
    )
    reply = render_incident(
        incident(checks=checks), Report("d", "t", results, 1.0), "t" * 300, "9" * 64, "en"
    )
    assert len(reply.blocks) <= MAX_BLOCKS and block_errors(reply.blocks) == []
    for block in reply.blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
    assert all(len(t) <= MAX_SECTION_TEXT for t in texts(reply.blocks))
    assert len(reply.blocks[0]["text"]["text"]) <= MAX_HEADER_TEXT
    assert "more checks not shown" in json.dumps(reply.blocks)


def test_alert_and_cert_notice_show_remediation_as_written_not_read_as_markup() -> None:
    failing = CheckResult("server.ping", "", Status.FAIL, "refused", 1.0, {}, MARKUP_FIX)
    tls = CheckResult("tls", "", Status.WARN, "expires", 1.0, {}, MARKUP_FIX)
    latest = Report("diagnose", "https://rt.example.com", (failing, tls), 1.0)
    alert = render_incident(incident(), latest, TARGET, None, "en")
    notice = render_cert_notice(CertNotice(7, 6, "expires in 6 days", T0), latest, TARGET, "en")
    for reply in (alert, notice):
        [fix] = [text for text in texts(reply.blocks) if "How to fix" in text]
        for shown in ESCAPED_FIX:
            assert shown in fix
        assert "<ip>" not in fix and "<JWT>" not in fix and "2>&1" not in fix
