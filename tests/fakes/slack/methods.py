"""The Web API methods the bot uses, over a small in-memory workspace: messages by (channel, ts),
their reactions and threads. Each method takes the call's arguments and returns Slack's answer
body, or raises ApiError with the error code Slack would give."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .blocks import MAX_MESSAGE_TEXT, block_errors, decode_blocks
from .identity import Identity

Args = dict[str, Any]
Answer = dict[str, Any]
FIRST_TS = 1_700_000_000


class ApiError(Exception):
    """An `ok: false` answer: `error` is Slack's code, `extra` any fields Slack adds to it."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class Workspace:
    def __init__(self, ids: Identity, socket_url: Callable[[], str]) -> None:
        self.ids = ids
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self._socket_url = socket_url
        self._micros = itertools.count(100, 100)
        self.methods: dict[str, Callable[[Args], Answer]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "chat.update": self.update,
            "chat.postEphemeral": self.post_ephemeral,
            "reactions.add": self.add_reaction,
            "reactions.remove": self.remove_reaction,
            "conversations.replies": self.replies,
            "apps.connections.open": self.open_connection,
        }

    def next_ts(self) -> str:
        """Unique, increasing message timestamps shaped like Slack's ("1700000000.000100")."""
        micros = next(self._micros)
        return f"{FIRST_TS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def auth_test(self, args: Args) -> Answer:
        ids = self.ids
        return {
            "ok": True,
            "url": ids.url,
            "team": ids.team,
            "user": ids.bot_name,
            "team_id": ids.team_id,
            "user_id": ids.bot_user_id,
            "bot_id": ids.bot_id,
            "is_enterprise_install": False,
        }

    def post_message(self, args: Args) -> Answer:
        channel = _channel(args)
        ts = self.next_ts()
        message = {**self._authored(ts), **_content(args)}
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def update(self, args: Args) -> Answer:
        channel, ts = _channel(args), str(args.get("ts", ""))
        message = self._message(channel, ts)
        message.update(_content(args))
        message["edited"] = {"user": self.ids.bot_user_id, "ts": self.next_ts()}
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": message,
        }

    def post_ephemeral(self, args: Args) -> Answer:
        channel, user = _channel(args), _required(args, "user")
        ts = self.next_ts()
        # Slack shows an ephemeral message to one user and never lists it again; keep it here.
        ephemeral = {**self._authored(ts), **_content(args), "channel": channel}
        self.ephemerals.append({**ephemeral, "visible_to": user})
        return {"ok": True, "message_ts": ts}

    def add_reaction(self, args: Args) -> Answer:
        self._react(args, add=True)
        return {"ok": True}

    def remove_reaction(self, args: Args) -> Answer:
        self._react(args, add=False)
        return {"ok": True}

    def replies(self, args: Args) -> Answer:
        channel, ts = _channel(args), str(args.get("ts", ""))
        if (channel, ts) not in self.messages:
            raise ApiError("thread_not_found")
        thread = [
            m
            for (c, t), m in self.messages.items()
            if c == channel and ts in (t, m.get("thread_ts"))
        ]
        thread.sort(key=lambda m: tuple(int(part) for part in m["ts"].split(".")))
        return {"ok": True, "messages": thread, "has_more": False}

    def open_connection(self, args: Args) -> Answer:
        return {"ok": True, "url": self._socket_url()}

    def _authored(self, ts: str) -> dict[str, Any]:
        ids = self.ids
        author = {"user": ids.bot_user_id, "bot_id": ids.bot_id, "app_id": ids.app_id}
        return {"type": "message", **author, "team": ids.team_id, "ts": ts}

    def _message(self, channel: str, ts: str) -> dict[str, Any]:
        if (channel, ts) not in self.messages:
            raise ApiError("message_not_found")
        return self.messages[(channel, ts)]

    def _react(self, args: Args, *, add: bool) -> None:
        message = self._message(_channel(args), str(args.get("timestamp", "")))
        name, me = str(args.get("name", "")).strip(":"), self.ids.bot_user_id
        if not name:
            raise ApiError("invalid_name")
        reactions: list[dict[str, Any]] = message.get("reactions", [])
        users: list[str] = next((r["users"] for r in reactions if r["name"] == name), [])
        if add == (me in users):
            raise ApiError("already_reacted" if add else "no_reaction")
        if not users:
            reactions.append({"name": name, "users": users})
        if add:
            users.append(me)
        else:
            users.remove(me)
        # Slack lists only reactions someone still has, and omits the key when there are none.
        kept = [{**r, "count": len(r["users"])} for r in reactions if r["users"]]
        message.pop("reactions", None)
        if kept:
            message["reactions"] = kept


def _channel(args: Args) -> str:
    channel = str(args.get("channel", ""))
    if not channel:
        raise ApiError("channel_not_found")
    return channel


def _required(args: Args, name: str) -> str:
    if not args.get(name):
        messages = [f"[ERROR] missing required field: {name}"]
        raise ApiError("invalid_arguments", response_metadata={"messages": messages})
    return str(args[name])


def _content(args: Args) -> dict[str, Any]:
    """Validated text and blocks of a post or update, refused as Slack refuses them."""
    text, attachments = str(args.get("text") or ""), args.get("attachments")
    try:
        blocks = decode_blocks(args.get("blocks"))
    except ValueError:
        raise ApiError("invalid_blocks_format") from None
    if not (text or blocks or attachments):
        raise ApiError("no_text")
    if blocks is not None and (errors := block_errors(blocks)):
        raise ApiError("invalid_blocks", errors=errors)
    if len(text) > MAX_MESSAGE_TEXT:
        raise ApiError("msg_too_long")
    content: dict[str, Any] = {"text": text}
    if blocks is not None:
        content["blocks"] = blocks
    if attachments is not None:
        content["attachments"] = attachments
    return content
