"""A loopback stand-in for Slack, for the bot's tests and benchmarks: `SlackStandIn` serves the
Web API, response_url webhooks and Socket Mode on one aiohttp server and records the traffic;
`signing` and `payloads` build what Slack sends an app in HTTP mode or inside envelopes.

    standin.py       the server and the test-facing API (calls, fail_next, wait_for, ...)
    web_api.py       /api/<method>: argument parsing, tokens, injected faults, recording
    methods.py       the workspace behind the methods (messages, reactions, threads)
    blocks.py        Block Kit limits Slack enforces (invalid_blocks)
    response_urls.py response_url webhooks
    socket_mode.py   the Socket Mode WebSocket: hello, envelopes, acks, disconnect
    signing.py       v0 request signatures
    payloads.py      slash command, block action and event payloads and bodies
"""

from .identity import DEFAULT, Identity
from .methods import ApiError
from .payloads import (
    app_mention,
    block_action_body,
    block_action_payload,
    direct_message,
    event_body,
    event_payload,
    slash_command_body,
    slash_command_payload,
    url_verification_body,
)
from .signing import signature, signed_headers
from .socket_mode import Ack
from .standin import APP_TOKEN, BOT_TOKEN, SlackStandIn
from .web_api import ApiCall

__all__ = [
    "APP_TOKEN",
    "BOT_TOKEN",
    "DEFAULT",
    "Ack",
    "ApiCall",
    "ApiError",
    "Identity",
    "SlackStandIn",
    "app_mention",
    "block_action_body",
    "block_action_payload",
    "direct_message",
    "event_body",
    "event_payload",
    "signature",
    "signed_headers",
    "slash_command_body",
    "slash_command_payload",
    "url_verification_body",
]
