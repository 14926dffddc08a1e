"""Renderers: golden outputs for a fixed report, and Slack's limits however large the report."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

from bot.answers import Notice, NoticeKind, exit_code
from bot.render.blocks import Asked, render_blocks
from bot.render.details import render_details
from bot.render.jsonout import to_json
from bot.render.limits import MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT, clip, pack_lines
from bot.render.mrkdwn import escape, escape_for_slack
from bot.render.text import render_text
from checks.model import CheckResult, Report, Status
from tests.bot.reports import ESCAPED_FIX, MARKUP_FIX, huge_report, sample_report

GOLDEN = Path(__file__).parent.parent / "golden"
ASKED = Asked(by="U123", at=datetime(2026, 11, 28, 3, 50, tzinfo=UTC))


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual)
    assert actual == path.read_text(), f"{name} changed; rerun with UPDATE_GOLDEN=1 if intended"


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
def test_blocks_golden(lang: str) -> None:
    reply = render_blocks(sample_report(), lang, ASKED)  # type: ignore[arg-type]
    payload = {"text": reply.text, "blocks": reply.blocks}
    assert_golden(
        f"report_blocks.{lang}.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    )


def test_json_golden_has_the_spec_shape() -> None:
    output = json.dumps(to_json(sample_report()), ensure_ascii=False, indent=2, default=str)
    assert_golden("report.json", output + "\n")
    data = json.loads(output)
    assert set(data) == {"command", "target", "status", "duration_ms", "checks"}
    assert data["status"] == "fail"
    failing = data["checks"][3]
    assert set(failing) == {
        "id",
        "title",
        "status",
        "summary",
        "duration_ms",
        "details",
        "remediation",
    }
    assert failing["remediation"]["problem"] == "problem1"
    assert data["checks"][0]["remediation"] is None


def test_text_golden() -> None:
    assert_golden("report.txt", render_text(sample_report(), "en") + "\n")


def test_text_colour_only_when_asked() -> None:
    assert "\033[" not in render_text(sample_report())
    assert "\033[31m" in render_text(sample_report(), colour=True)


def test_blocks_escape_markup_in_summaries() -> None:
    text = json.dumps(render_blocks(sample_report()).blocks)
    assert "&lt;unauthorized&gt; &amp; refused" in text


def test_huge_report_stays_within_every_slack_limit() -> None:
    reply = render_blocks(huge_report(), "en", ASKED)
    assert len(reply.blocks) <= MAX_BLOCKS
    for block in reply.blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()  # slack_sdk's own checks of Block Kit limits
        text = block.get("text", {}).get("text", "")
        limit = MAX_HEADER_TEXT if block["type"] == "header" else MAX_SECTION_TEXT
        assert len(text) <= limit
    assert "more checks not shown" in json.dumps(reply.blocks)
    assert len(reply.text) <= 4000


def test_many_failures_with_few_checks_show_remediation_cut_visibly() -> None:
    reply = render_blocks(huge_report(count=12), "en", ASKED)
    dumped = json.dumps(reply.blocks)
    assert len(reply.blocks) <= MAX_BLOCKS
    assert "more steps" in dumped or "more failing checks" in dumped


@pytest.mark.parametrize(
    ("kind", "public", "code"),
    [
        (NoticeKind.INFO, False, 0),
        (NoticeKind.USAGE, False, 2),
        (NoticeKind.REFUSED, False, 2),
        (NoticeKind.ERROR, True, 1),
    ],
    ids=["info", "usage", "refused", "error"],
)
def test_notices_render_and_map_to_exit_codes(kind: NoticeKind, public: bool, code: int) -> None:
    notice = Notice("Title", "line one\nline two", kind, public)
    reply = render_blocks(notice)
    assert reply.public is public
    assert "line two" in reply.blocks[0]["text"]["text"]
    assert render_text(notice) == "Title\nline one\nline two"
    assert to_json(notice)["notice"] == kind.value
    assert exit_code(notice) == code


def test_exit_code_of_reports() -> None:
    assert exit_code(sample_report()) == 1


@pytest.mark.parametrize("length", [0, 10, 2999, 3000, 3001, 100_000])
def test_clip_never_exceeds_the_limit(length: int) -> None:
    clipped = clip("a" * length, 3000)
    assert len(clipped) <= 3000
    assert (clipped == "a" * length) == (length <= 3000)


def test_pack_lines_keeps_order_and_limit() -> None:
    lines = [f"line {n} " + "z" * 700 for n in range(20)]
    texts = pack_lines(lines, 3000)
    assert all(len(t) <= 3000 for t in texts)
    assert "\n".join(texts).split("\n") == lines


@pytest.mark.parametrize(
    ("text", "limit", "code", "shown"),
    [
        pytest.param("<!channel> & `x`", 100, True, "&lt;!channel&gt; &amp; ˋxˋ", id="code"),
        pytest.param("<!channel> & `x`", 100, False, "&lt;!channel&gt; &amp; `x`", id="prose"),
        pytest.param("<<<<", 10, False, "&lt;&lt;…", id="never-half-an-entity"),
        pytest.param("abcdef", 4, False, "abc…", id="clipped"),
    ],
)
def test_escape_for_slack(text: str, limit: int, code: bool, shown: str) -> None:
    assert escape_for_slack(text, limit, code=code) == shown


def test_escape_shows_markup_as_itself() -> None:
    assert escape("2>&1 <JWT> `x`") == "2&gt;&amp;1 &lt;JWT&gt; `x`"


def test_remediation_is_shown_as_written_not_read_as_markup() -> None:
    failing = CheckResult("ws", "WebSocket", Status.FAIL, "refused", 1.0, {}, MARKUP_FIX)
    reply = render_blocks(Report("ws", "https://rt.example.com", (failing,), 1.0), "en", ASKED)
    [fix] = [b["text"]["text"] for b in reply.blocks if "How to fix" in str(b)]
    for shown in ESCAPED_FIX:
        assert shown in fix
    assert "<ip>" not in fix and "<JWT>" not in fix and "2>&1" not in fix


def test_details_escape_then_clip_keeping_the_code_block_whole() -> None:
    lines = [f"<error> line {n} & ```fence```" for n in range(400)]
    check = CheckResult("logs", "Logs", Status.FAIL, "errors", 1.0, {"lines": lines})
    reply = render_details(Report("logs", "https://rt.example.com", (check,), 1.0), "en")
    [_, details] = [b["text"]["text"] for b in reply.blocks]
    assert len(details) <= MAX_SECTION_TEXT
    assert details.count("```") == 2 and details.endswith("```")
    code = details.split("```")[1]
    assert "<" not in code and ">" not in code
    assert re.fullmatch(r"(?:[^&]|&(?:lt|gt|amp);)*…", code), "an entity was cut in half"
