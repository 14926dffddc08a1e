"""What Slack sends the bot: slash commands, button clicks and events, as the dicts Socket Mode
puts in an envelope's `payload` and as the HTTP bodies Slack posts (a form for commands, a
`payload=<json>` form for interactions, JSON for events). Field sets follow Slack's samples."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from .identity import DEFAULT, Identity

# Commands and actions need a response_url the test controls (SlackStandIn.response_url), so it
# has no default: a made-up hooks.slack.com URL would send the bot to the internet.
TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"


def slash_command_payload(
    text: str,
    *,
    response_url: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    command: str = "/centrifugo",
    team_id: str = DEFAULT.team_id,
    trigger_id: str = TRIGGER_ID,
    ids: Identity = DEFAULT,
) -> dict[str, str]:
    return {
        "token": ids.verification_token,
        "team_id": team_id,
        "team_domain": ids.team,
        "channel_id": channel_id,
        "channel_name": "incidents",
        "user_id": user_id,
        "user_name": f"user-{user_id.lower()}",
        "command": command,
        "text": text,
        "api_app_id": ids.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def slash_command_body(text: str, *, response_url: str, **fields: Any) -> str:
    """The form-urlencoded body Slack posts for a slash command (see slash_command_payload)."""
    return urlencode(slash_command_payload(text, response_url=response_url, **fields))


def block_action_payload(
    action_id: str,
    value: str,
    *,
    response_url: str,
    message_ts: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    block_id: str = "actions",
    message: dict[str, Any] | None = None,
    ids: Identity = DEFAULT,
) -> dict[str, Any]:
    """A button click on a message; `message=None` means the message was ephemeral, which is
    how Slack marks it (no `message` key, container.is_ephemeral true)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": f"user-{user_id.lower()}", "team_id": ids.team_id},
        "api_app_id": ids.app_id,
        "token": ids.verification_token,
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": message is None,
        },
        "trigger_id": TRIGGER_ID,
        "team": {"id": ids.team_id, "domain": ids.team},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "incidents"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [_button(action_id, value, block_id, message_ts)],
    }
    if message is not None:
        payload["message"] = message
    return payload


def _button(action_id: str, value: str, block_id: str, message_ts: str) -> dict[str, Any]:
    return {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": action_id, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": message_ts,
    }


def block_action_body(action_id: str, value: str, **fields: Any) -> str:
    """The `payload=<json>` form body Slack posts for a button click (see block_action_payload)."""
    return urlencode({"payload": json.dumps(block_action_payload(action_id, value, **fields))})


def app_mention(
    text: str, *, user_id: str = "U1", channel_id: str = "C1", ts: str
) -> dict[str, Any]:
    event = _message_fields(text, user_id, channel_id, ts)
    return {"type": "app_mention", **event}


def direct_message(
    text: str, *, user_id: str = "U1", channel_id: str = "D1", ts: str
) -> dict[str, Any]:
    """A `message.im` event: a message in the bot's DM channel."""
    return {
        "type": "message",
        "channel_type": "im",
        **_message_fields(text, user_id, channel_id, ts),
    }


def _message_fields(text: str, user_id: str, channel_id: str, ts: str) -> dict[str, Any]:
    return {
        "user": user_id,
        "text": text,
        "ts": ts,
        "channel": channel_id,
        "event_ts": ts,
        "team": DEFAULT.team_id,
    }


def event_payload(
    event: dict[str, Any], event_id: str = "Ev1", *, ids: Identity = DEFAULT
) -> dict[str, Any]:
    """The event_callback wrapper; `authorizations` names the bot, which bolt uses to ignore the
    bot's own messages."""
    return {
        "token": ids.verification_token,
        "team_id": ids.team_id,
        "api_app_id": ids.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(float(event.get("event_ts", "1700000000"))),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": ids.team_id,
                "user_id": ids.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def event_body(event: dict[str, Any], event_id: str = "Ev1", *, ids: Identity = DEFAULT) -> str:
    return json.dumps(event_payload(event, event_id, ids=ids))


def url_verification_body(challenge: str) -> str:
    """The handshake Slack posts when the events URL is configured; the app echoes `challenge`."""
    token = DEFAULT.verification_token
    return json.dumps({"token": token, "challenge": challenge, "type": "url_verification"})
