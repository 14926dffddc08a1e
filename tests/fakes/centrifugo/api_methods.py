"""The emulator's server-API commands: decoded params in, `{"result": ...}` or
`{"error": ...}` out, checked in Centrifugo's order (empty channel or data 107, unknown
namespace 102, feature off 108, broker failure 100). Transport concerns live in http_api."""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from .api_errors import ApiError, error_body
from .api_history import history_page
from .channel_glob import GlobError, compile_glob
from .config import EmulatorConfig, Fault, Namespace
from .hub import Hub

Reply = dict[str, Any]
Params = dict[str, Any]


class ApiExecutor:
    """Runs API commands against the shared hub; one per emulator (it owns node uid/uptime)."""

    def __init__(self, config: EmulatorConfig, hub: Hub) -> None:
        self.config = config
        self.hub = hub
        self.uid = str(uuid.uuid4())
        self.started = time.monotonic()
        self.history_floor: dict[str, int] = {}  # offsets at or below were history_remove'd
        self.methods: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "publish": self.publish,
            "broadcast": self.broadcast,
            "subscribe": self.subscribe,
            "unsubscribe": self.user_command,
            "disconnect": self.user_command,
            "refresh": self.user_command,
            "presence": self.presence,
            "presence_stats": self.presence_stats,
            "history": self.history,
            "history_remove": self.history_remove,
            "channels": self.channels,
            "info": self.info,
            "rpc": self.rpc,
        }

    async def execute(self, method: str, params: Params) -> Reply:
        params = {k: v for k, v in params.items() if v is not None}  # Go's zero values
        if method == "batch":
            return {"replies": [await self._batch_item(cmd) for cmd in params.get("commands", [])]}
        handler = self.methods.get(method)
        if handler is None:
            return {"error": error_body(104)}
        try:
            return {"result": await handler(params)}
        except ApiError as exc:
            return {"error": error_body(exc.code)}

    async def _batch_item(self, command: Params) -> Reply:
        ((method, params),) = command.items()
        reply = await self.execute(method, params)
        return reply if "error" in reply else {method: reply["result"]}

    # -- checks shared by the commands ------------------------------------------------
    def namespace(self, channel: str) -> Namespace:
        if not channel:
            raise ApiError(107)
        name, sep, _ = channel.removeprefix("$").partition(":")
        if not sep:
            return self.config.top_level
        found = self.config.namespaces.get(name)
        if found is None or (name == "org" and Fault.NO_ORG_NAMESPACE in self.config.faults):
            raise ApiError(102)
        return found

    def broker(self) -> None:
        """Every engine call goes through Redis; with the broker gone it fails with 100."""
        if Fault.BROKER_DOWN in self.config.faults:
            raise ApiError(100)

    # -- commands ---------------------------------------------------------------------
    async def publish(self, params: Params) -> Params:
        channel = params.get("channel", "")
        if not channel:
            raise ApiError(107)
        return await self._publish_one(channel, publication_data(params), params)

    async def broadcast(self, params: Params) -> Params:
        channels = params.get("channels") or []
        if not channels:
            raise ApiError(107)
        data = publication_data(params)
        responses = []
        for channel in channels:
            try:
                responses.append({"result": await self._publish_one(channel, data, params)})
            except ApiError as exc:
                responses.append({"error": error_body(exc.code)})
        return {"responses": responses}

    async def _publish_one(self, channel: str, data: Any, params: Params) -> Params:
        options = self.namespace(channel)
        self.broker()
        deliver = Fault.DROP_DELIVERIES not in self.config.faults
        offset, epoch = await self.hub.publish(channel, data, deliver=deliver)
        if options.history_size <= 0 or params.get("skip_history"):
            return {}  # zero offset and empty epoch are omitted on the wire
        return {"offset": offset, "epoch": epoch}

    async def subscribe(self, params: Params) -> Params:
        self.namespace(params.get("channel", ""))
        self.broker()
        return {}

    async def user_command(self, params: Params) -> Params:
        """unsubscribe/disconnect/refresh: a control message to all nodes, no result fields."""
        if params.get("channel"):
            self.namespace(params["channel"])
        self.broker()
        return {}

    async def presence(self, params: Params) -> Params:
        subscribers = self.hub.subscribers(self._presence_channel(params))
        clients = {c.client_id: {"user": c.user, "client": c.client_id} for c in subscribers}
        return {"presence": clients}

    async def presence_stats(self, params: Params) -> Params:
        subscribers = self.hub.subscribers(self._presence_channel(params))
        return {"num_clients": len(subscribers), "num_users": len({c.user for c in subscribers})}

    def _presence_channel(self, params: Params) -> str:
        channel: str = params.get("channel", "")
        if not self.namespace(channel).presence:
            raise ApiError(108)
        self.broker()
        return channel

    async def history(self, params: Params) -> Params:
        channel, size = self._history_channel(params)
        epoch = self.hub.epochs.setdefault(channel, uuid.uuid4().hex[:8])
        since = params.get("since")
        if since and since.get("epoch") and since["epoch"] != epoch:
            raise ApiError(112)
        stored = [data for ch, data in self.hub.published if ch == channel]
        top = self.hub.offsets.get(channel, 0)
        floor = max(self.history_floor.get(channel, 0), top - size)
        return history_page(stored, top, floor, epoch, params)

    async def history_remove(self, params: Params) -> Params:
        channel, _ = self._history_channel(params)
        self.history_floor[channel] = self.hub.offsets.get(channel, 0)
        return {}

    def _history_channel(self, params: Params) -> tuple[str, int]:
        channel: str = params.get("channel", "")
        size = self.namespace(channel).history_size
        if size <= 0:
            raise ApiError(108)
        self.broker()
        return channel, size

    async def channels(self, params: Params) -> Params:
        self.broker()  # the survey across nodes goes through the broker
        pattern = params.get("pattern", "")
        try:
            match = compile_glob(pattern).fullmatch if pattern else None
        except GlobError:
            raise ApiError(100) from None
        counts = sorted(self.hub.channels().items())
        found = {ch: {"num_clients": n} for ch, n in counts if match is None or match(ch)}
        return {"channels": found}

    async def info(self, params: Params) -> Params:
        node: Params = {
            "uid": self.uid,
            "name": self.config.node_name,
            "version": self.config.version,
            "num_clients": self.hub.num_clients,
            "num_users": self.hub.num_users,
            "num_channels": len(self.hub.channels()),
            "num_subs": self.hub.num_subs,
        }
        uptime = int(time.monotonic() - self.started)
        if uptime:  # omitted when zero, like every zero field of the protobuf result
            node["uptime"] = uptime
        return {"nodes": [node]}

    async def rpc(self, params: Params) -> Params:
        # No RPC extensions are configured, so every named method is unknown.
        raise ApiError(107 if not params.get("method") else 104)


def publication_data(params: Params) -> Any:
    """The publication payload: `b64data` wins over `data`; absent or empty is 107."""
    if params.get("b64data"):
        try:
            return base64.b64decode(params["b64data"], validate=True).decode("latin-1")
        except binascii.Error:
            raise ApiError(107) from None
    if "data" not in params:
        raise ApiError(107)
    return params["data"]
