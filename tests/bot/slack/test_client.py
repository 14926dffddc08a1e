"""Delivering replies: the response_url while it is valid, the Web API when it is not or when it
refuses, retries on 429/5xx, redaction on the way out, and Slack's limits held by replies of any
size (the stand-in refuses an over-limit message exactly as Slack does)."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from bot.redact import Redactor
from bot.render.blocks import Asked, Reply, render_blocks
from bot.render.details import render_details
from bot.settings import load_settings
from bot.slack.client import (
    RESPONSE_URL_LIFETIME,
    Destination,
    Outbox,
    describe_failure,
    web_client,
)
from checks.model import CheckResult, Problem, Remediation, Report, Status
from tests.fakes.slack import SlackStandIn
from tests.fakes.slack.blocks import block_errors

PUBLIC = Reply("report", [{"type": "section", "text": {"type": "mrkdwn", "text": "*ok*"}}], True)
EPHEMERAL = Reply("only you", [], False)


@dataclass
class Wired:
    slack: SlackStandIn
    outbox: Outbox


@pytest.fixture
async def wired() -> AsyncIterator[Wired]:
    async with SlackStandIn() as slack, aiohttp.ClientSession() as session:
        settings = load_settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url)
        client = web_client(settings, session)
        yield Wired(slack, Outbox(client, session, Redactor(["hunter2-secret"])))


async def test_the_response_url_is_used_while_valid(wired: Wired) -> None:
    dest = Destination("C1", "U1", response_url=wired.slack.response_url("r1"))
    assert await wired.outbox.deliver(dest, PUBLIC)
    [posted] = wired.slack.responses["r1"]
    assert (posted["response_type"], posted["text"]) == ("in_channel", "report")
    assert wired.slack.calls == []


async def test_an_expired_response_url_is_not_even_tried(wired: Wired) -> None:
    old = time.monotonic() - RESPONSE_URL_LIFETIME - 1
    dest = Destination("C1", "U1", response_url=wired.slack.response_url("r1"), received_at=old)
    assert await wired.outbox.deliver(dest, PUBLIC)
    assert wired.slack.response_urls.attempts.get("r1") is None
    [posted] = wired.slack.calls_to("chat.postMessage")
    assert posted.args["channel"] == "C1" and posted.args["text"] == "report"


@pytest.mark.parametrize(
    ("reply", "replace", "method"),
    [
        (PUBLIC, False, "chat.postMessage"),
        (EPHEMERAL, False, "chat.postEphemeral"),
        (PUBLIC, True, "chat.update"),
    ],
    ids=["public", "ephemeral", "replacing"],
)
async def test_a_refused_response_url_falls_back_to_the_web_api(
    wired: Wired, reply: Reply, replace: bool, method: str
) -> None:
    original = await wired.outbox.client.chat_postMessage(channel="C1", text="old report")
    wired.slack.fail_response("r1", status=404)
    dest = Destination(
        "C1",
        "U1",
        response_url=wired.slack.response_url("r1"),
        message_ts=original["ts"],
        replace_original=replace,
    )
    assert await wired.outbox.deliver(dest, reply)
    call = wired.slack.calls_to(method)[-1]  # the first chat.postMessage made the original
    assert call.error is None and call.args["text"] == reply.text
    if method == "chat.postEphemeral":
        assert call.args["user"] == "U1"


async def test_an_unreachable_response_url_falls_back(wired: Wired) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/response/x"
    assert await wired.outbox.deliver(Destination("C1", "U1", response_url=dead), PUBLIC)
    assert len(wired.slack.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_response_url_server_errors_are_retried(wired: Wired, status: int) -> None:
    wired.slack.fail_response("r1", status=status)
    dest = Destination("C1", "U1", response_url=wired.slack.response_url("r1"))
    assert await wired.outbox.deliver(dest, PUBLIC)
    assert wired.slack.response_urls.attempts["r1"] == 2
    assert len(wired.slack.responses["r1"]) == 1 and wired.slack.calls == []


async def test_web_api_gateway_errors_are_retried(wired: Wired) -> None:
    wired.slack.fail_next("chat.postMessage", status=502)
    assert await wired.outbox.deliver(Destination("C1"), PUBLIC)
    assert [c.status for c in wired.slack.calls_to("chat.postMessage")] == [502, 200]


async def test_nothing_left_to_try_is_logged_and_reported(
    wired: Wired, caplog: pytest.LogCaptureFixture
) -> None:
    wired.slack.fail_next("chat.postMessage", error="channel_not_found")
    assert not await wired.outbox.deliver(Destination("C404"), PUBLIC)
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.slack.client"]
    assert "'report' to channel C404 could not be delivered" in line
    assert "channel_not_found" in line


async def test_payloads_are_redacted_on_the_way_out(wired: Wired) -> None:
    reply = Reply("key hunter2-secret", [_section("the key is hunter2-secret")], True)
    await wired.outbox.deliver(Destination("C1"), reply)
    [call] = wired.slack.calls_to("chat.postMessage")
    assert "hunter2-secret" not in str(call.args)
    assert "hun…[redacted]" in call.args["text"]


async def test_a_reaction_that_fails_only_costs_the_reaction(
    wired: Wired, caplog: pytest.LogCaptureFixture
) -> None:
    await wired.outbox.react("C1", "1.0", "eyes")  # no such message
    assert any("reaction eyes" in r.getMessage() for r in caplog.records)


# Slack's limits, whatever the size of the report


def huge_report(checks: int, detail_chars: int) -> Report:
    steps = tuple(f"step {n}: " + "run `curl -sS https://x/api/info` " * 40 for n in range(12))
    fix = Remediation(Problem.CONNECTION, "Problem 2: " + "WebSocket " * 30, steps)
    results = tuple(
        CheckResult(
            f"check.{n}",
            "title",
            Status.FAIL,
            "failed because <reasons> & more " * 30,
            12.5,
            {"body": "x" * detail_chars, "n": n, "nested": {"list": list(range(50))}},
            fix,
        )
        for n in range(checks)
    )
    return Report("diagnose org 123 " + "x" * 3000, "https://c.example.com", results, 900.0)


@pytest.mark.parametrize(("checks", "detail_chars"), [(1, 50_000), (15, 5000), (200, 100)])
async def test_any_report_and_its_details_fit_slack(
    wired: Wired, checks: int, detail_chars: int
) -> None:
    report = huge_report(checks, detail_chars)
    for reply in (
        render_blocks(report, "en", Asked("U1")),
        render_details(report, "pt-BR", rerun=True),
    ):
        assert block_errors(reply.blocks) == []
        assert await wired.outbox.deliver(
            Destination("C1", "U1"), Reply(reply.text, reply.blocks, True)
        )
    assert [c.error for c in wired.slack.calls_to("chat.postMessage")] == [None, None]
    details = wired.slack.calls_to("chat.postMessage")[1].args["blocks"]
    if checks > 48:
        assert "mais" in details[-1]["text"]["text"]  # "… detalhes de mais N verificações"


def _section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_refusal(status: int, data: dict[str, object]) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="",
        req_args={},
        data=data,
        headers={},
        status_code=status,
    )
    return SlackApiError("refused", response)


@pytest.mark.parametrize(
    ("error", "described"),
    [
        (slack_refusal(200, {"ok": False, "error": "not_in_channel"}), "`not_in_channel`"),
        (slack_refusal(503, {"ok": False}), "HTTP 503"),
        (TimeoutError(), "TimeoutError"),
        (
            aiohttp.ClientConnectionError("connection refused"),
            "ClientConnectionError: connection refused",
        ),
    ],
    ids=["code", "no-code", "timeout", "network"],
)
def test_a_failed_slack_call_is_described_in_a_few_words(
    error: BaseException, described: str
) -> None:
    assert describe_failure(error) == described
