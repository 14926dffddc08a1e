"""The Slack stand-in is only useful if it behaves like Slack to Slack's own clients: these tests
drive it with slack_sdk (Web API, retry handlers, webhooks, Socket Mode, signature verifier) and
slack_bolt, and check that what they send is recorded and what they expect is answered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fakes.slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SlackStandIn,
    app_mention,
    block_action_body,
    event_body,
    signed_headers,
    slash_command_body,
    slash_command_payload,
)

SECRET = "stand-in-signing-secret"
FIRST_TS = "1700000000.000100"  # the stand-in's first message ts


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


def web_client(slack: SlackStandIn, token: str = BOT_TOKEN, **options: Any) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=slack.api_url, **options)


async def slack_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


async def test_post_update_react_and_thread_round_trip(slack: SlackStandIn) -> None:
    client = web_client(slack)
    first = await client.chat_postMessage(
        channel="C1", text="checking", blocks=[SectionBlock(text="*1*")]
    )
    reply = await client.chat_postMessage(channel="C1", text="in thread", thread_ts=first["ts"])
    await client.chat_update(channel="C1", ts=first["ts"], text="done")
    await client.reactions_add(channel="C1", timestamp=first["ts"], name="white_check_mark")

    assert float(reply["ts"]) > float(first["ts"])
    assert first["message"]["bot_id"] == slack.ids.bot_id
    post = slack.calls_to("chat.postMessage")[0]
    assert post.args["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": "*1*"}}]
    assert post.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert slack.calls_to("reactions.add")[0].args == {
        "channel": "C1",
        "timestamp": first["ts"],
        "name": "white_check_mark",
    }
    thread = await client.conversations_replies(channel="C1", ts=first["ts"])
    assert [m["text"] for m in thread["messages"]] == ["done", "in thread"]
    assert thread["messages"][0]["reactions"] == [
        {"name": "white_check_mark", "users": [slack.ids.bot_user_id], "count": 1}
    ]
    methods = "chat.postMessage chat.postMessage chat.update reactions.add conversations.replies"
    assert [c.method for c in slack.calls] == methods.split()


async def test_ephemeral_and_reaction_removal(slack: SlackStandIn) -> None:
    client = web_client(slack)
    ts = (await client.chat_postMessage(channel="C1", text="x"))["ts"]
    await client.reactions_add(channel="C1", timestamp=ts, name="eyes")
    await client.reactions_remove(channel="C1", timestamp=ts, name="eyes")
    assert "reactions" not in slack.messages[("C1", ts)]
    answer = await client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert float(answer["message_ts"]) > float(ts)
    assert slack.workspace.ephemerals[0]["visible_to"] == "U1"


ON_FIRST = {"channel": "C1", "timestamp": FIRST_TS}
UNKNOWN_TS = {"channel": "C1", "ts": "1.000001"}
REFUSALS = [
    ("reactions.add", {**ON_FIRST, "name": "eyes"}, "already_reacted"),
    ("reactions.remove", {**ON_FIRST, "name": "tada"}, "no_reaction"),
    ("chat.update", {**UNKNOWN_TS, "text": "x"}, "message_not_found"),
    ("conversations.replies", UNKNOWN_TS, "thread_not_found"),
    ("chat.postEphemeral", {"channel": "C1", "text": "x"}, "invalid_arguments"),
    ("chat.postMessage", {"channel": "C1"}, "no_text"),
    ("chat.postMessage", {"text": "x"}, "channel_not_found"),
]


@pytest.mark.parametrize(("method", "args", "error"), REFUSALS, ids=[r[2] for r in REFUSALS])
async def test_workspace_refuses_like_slack(
    slack: SlackStandIn, method: str, args: dict[str, str], error: str
) -> None:
    client = web_client(slack)
    assert (await client.chat_postMessage(channel="C1", text="x"))["ts"] == FIRST_TS
    await client.reactions_add(channel="C1", timestamp=FIRST_TS, name="eyes")
    failure = await slack_error(client.api_call(method, json=args))
    assert failure.response["error"] == error


async def test_auth_test_names_the_bot(slack: SlackStandIn) -> None:
    answer = await web_client(slack).auth_test()
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == ("UBOT", "BBOT", "T1")
    assert answer["url"] == "https://stand-in.slack.com/"


@pytest.mark.parametrize(
    ("token", "method", "error"),
    [
        ("xoxb-wrong", "chat.postMessage", "invalid_auth"),
        ("", "chat.postMessage", "not_authed"),
        (APP_TOKEN, "chat.postMessage", "not_allowed_token_type"),
        (BOT_TOKEN, "apps.connections.open", "not_allowed_token_type"),
        (BOT_TOKEN, "chat.unknownThing", "unknown_method"),
    ],
    ids=["wrong-token", "no-token", "app-token-for-bot-method", "bot-token-for-socket", "unknown"],
)
async def test_tokens_and_methods_are_checked(
    slack: SlackStandIn, token: str, method: str, error: str
) -> None:
    client = web_client(slack, token=token)
    failure = await slack_error(client.api_call(method, json={"channel": "C1", "text": "x"}))
    assert failure.response["error"] == error


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"error": "channel_not_found"}, "channel_not_found"),
        ({"status": 503}, "service_unavailable"),
        ({"status": 429, "retry_after": 7}, "ratelimited"),
    ],
    ids=["ok-false", "5xx", "429"],
)
async def test_injected_faults_reach_the_client_then_clear(
    slack: SlackStandIn, fault: dict[str, Any], error: str
) -> None:
    slack.fail_next("chat.postMessage", **fault)
    client = web_client(slack, retry_handlers=[])
    failure = await slack_error(client.chat_postMessage(channel="C1", text="x"))
    assert failure.response["error"] == error
    assert failure.response.status_code == fault.get("status", 200)
    if "retry_after" in fault:
        assert failure.response.headers["Retry-After"] == "7"
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]


async def test_rate_limit_is_retried_after_retry_after(slack: SlackStandIn) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    client = web_client(slack, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]
    limited, accepted = slack.calls_to("chat.postMessage")
    assert (limited.status, accepted.status) == (429, 200)
    assert accepted.timestamp - limited.timestamp >= 1.0


async def test_server_error_is_retried_by_sdk_handler(slack: SlackStandIn) -> None:
    slack.fail_next("chat.update", status=503, times=1)
    client = web_client(slack, retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)])
    ts = (await client.chat_postMessage(channel="C1", text="x"))["ts"]
    assert (await client.chat_update(channel="C1", ts=ts, text="y"))["ok"]
    assert [c.status for c in slack.calls_to("chat.update")] == [503, 200]


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "divider"}] * 51,
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
    ],
    ids=["51-blocks", "long-section", "long-header", "11-fields"],
)
async def test_block_kit_limits_are_enforced(slack: SlackStandIn, blocks: list[Any]) -> None:
    failure = await slack_error(
        web_client(slack).chat_postMessage(channel="C1", text="t", blocks=blocks)
    )
    assert failure.response["error"] == "invalid_blocks"


async def test_form_bodies_are_parsed_like_json(slack: SlackStandIn) -> None:
    data = {"channel": "C1", "text": "x", "blocks": '[{"type": "divider"}]'}
    answer = await web_client(slack).api_call("chat.postMessage", data=data)
    assert slack.calls[0].args == data
    assert answer["message"]["blocks"] == [{"type": "divider"}]


async def test_wait_for_times_out_naming_what_it_waited_for(slack: SlackStandIn) -> None:
    with pytest.raises(TimeoutError, match=r"chat.update"):
        await slack.wait_for("chat.update", timeout=0.05)


async def test_response_url_records_posts_and_fails_on_demand(slack: SlackStandIn) -> None:
    hook = AsyncWebhookClient(slack.response_url("r1"))
    sent = await hook.send(text="hello", response_type="in_channel")
    assert (sent.status_code, sent.body) == (200, "ok")
    assert await slack.wait_for_response("r1") == [{"text": "hello", "response_type": "in_channel"}]
    slack.fail_response("r1", status=500)
    assert (await hook.send(text="again")).status_code == 500
    for _ in range(4):  # Slack allows five uses of one response_url
        assert (await hook.send(text="more")).status_code == 200
    expired = await hook.send(text="sixth")
    assert (expired.status_code, expired.body) == (404, "expired_url")
    assert slack.response_urls.attempts["r1"] == 7


def test_signed_headers_pass_slack_sdk_verification() -> None:
    body = slash_command_body("diagnose", response_url="http://127.0.0.1:1/response/r1")
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, signed_headers(body, SECRET))
    assert not verifier.is_valid_request(body, signed_headers(body, "other-secret"))
    stale = int(time.time()) - 600
    assert not verifier.is_valid_request(body, signed_headers(body, SECRET, timestamp=stale))


async def eventually(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(2):
        # slack_sdk offers no event for a pong, only the attribute it sets.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


def bolt_app(slack: SlackStandIn) -> AsyncApp:
    """A bolt app whose command and button listeners answer through respond()."""
    app = AsyncApp(client=web_client(slack), signing_secret=SECRET)

    @app.command("/centrifugo")
    async def command(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"ran {command['text']}", response_type="in_channel")

    @app.action("rerun")
    async def rerun(ack: Any, respond: Any, action: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"rerun {action['value']}")

    @app.event("app_mention")
    async def mention(event: dict[str, Any], say: Any) -> None:
        await say(text=f"heard {event['text']}", thread_ts=event["ts"])

    return app


async def test_bolt_accepts_signed_http_requests_built_by_the_helpers(slack: SlackStandIn) -> None:
    app = bolt_app(slack)
    bodies = [
        slash_command_body("diagnose", response_url=slack.response_url("cmd")),
        block_action_body(
            "rerun",
            "diagnose",
            response_url=slack.response_url("btn"),
            message_ts="1.2",
            message={"type": "message", "ts": "1.2", "text": "report"},
        ),
        event_body(app_mention("<@UBOT> diagnose", ts="1700000001.000200"), "Ev9"),
    ]
    for body in bodies:
        request = AsyncBoltRequest(body=body, headers=signed_headers(body, SECRET))
        assert (await app.async_dispatch(request)).status == 200
    assert await slack.wait_for_response("cmd") == [
        {"text": "ran diagnose", "response_type": "in_channel"}
    ]
    assert (await slack.wait_for_response("btn"))[0]["text"] == "rerun diagnose"
    said = (await slack.wait_for("chat.postMessage"))[0]
    assert said.args["thread_ts"] == "1700000001.000200"
    assert len(slack.calls_to("auth.test")) >= 1  # bolt learns its identity from the stand-in

    forged = slash_command_body("diagnose", response_url=slack.response_url("forged"))
    request = AsyncBoltRequest(body=forged, headers=signed_headers(forged, "wrong-secret"))
    assert (await app.async_dispatch(request)).status == 401


async def test_socket_mode_client_connects_acks_pongs_and_refreshes(slack: SlackStandIn) -> None:
    greetings: list[str] = []
    client = SocketModeClient(
        app_token=APP_TOKEN, web_client=AsyncWebClient(base_url=slack.api_url)
    )

    async def on_message(message: aiohttp.WSMessage) -> None:
        greetings.append(message.data)

    async def ack(client: Any, request: Any) -> None:
        response = SocketModeResponse(request.envelope_id, payload={"text": "on it"})
        await client.send_socket_mode_response(response)

    client.on_message_listeners.append(on_message)
    client.socket_mode_request_listeners.append(ack)
    try:
        await client.connect()
        opened = await slack.wait_for("apps.connections.open")
        assert opened[0].headers["Authorization"] == f"Bearer {APP_TOKEN}"
        payload = slash_command_payload("diagnose", response_url=slack.response_url())
        envelope_id = await slack.send_envelope("slash_commands", payload)
        acked = await slack.wait_for_ack(envelope_id)
        assert (acked.payload, acked.latency_ms > 0) == ({"text": "on it"}, True)
        assert '"type": "hello"' in greetings[0]
        await eventually(lambda: client.last_ping_pong_time is not None)  # ping echoed as pong

        await slack.send_disconnect()
        await slack.wait_connected(count=2)
        second = await slack.send_envelope("events_api", {"event": {"type": "app_mention"}})
        assert (await slack.wait_for_ack(second)).payload == {"text": "on it"}
        assert len(slack.calls_to("apps.connections.open")) == 2
        assert slack.socket_mode.other_frames == []
    finally:
        await client.close()


async def test_bolt_socket_mode_handler_acks_commands(slack: SlackStandIn) -> None:
    handler = AsyncSocketModeHandler(bolt_app(slack), APP_TOKEN)
    try:
        await handler.connect_async()
        payload = slash_command_payload("diagnose", response_url=slack.response_url("sm"))
        envelope_id = await slack.send_envelope("slash_commands", payload)
        assert (await slack.wait_for_ack(envelope_id)).envelope_id == envelope_id
        assert (await slack.wait_for_response("sm"))[0]["text"] == "ran diagnose"
    finally:
        await handler.close_async()


async def test_socket_refuses_unissued_tickets(slack: SlackStandIn) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"{slack.socket_mode.ws_base}/link/?ticket=forged")
    assert refused.value.status == 401


async def test_without_app_token_socket_mode_is_refused() -> None:
    async with SlackStandIn(app_token=None) as slack:
        client = AsyncWebClient(base_url=slack.api_url)
        failure = await slack_error(client.apps_connections_open(app_token="xapp-1-guess"))
        assert failure.response["error"] == "invalid_auth"
