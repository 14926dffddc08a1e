"""SlackStandIn: one loopback aiohttp server playing Slack for the bot's tests and benchmarks:
the Web API at `api_url`, response_url webhooks and the Socket Mode WebSocket, each recorded.

    async with SlackStandIn() as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)
        await client.chat_postMessage(channel="C1", text="hi")
        assert slack.calls_to("chat.postMessage")[0].args["text"] == "hi"
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from aiohttp import web

from .identity import DEFAULT, Identity
from .methods import Workspace
from .response_urls import ResponseUrls
from .socket_mode import Ack, SocketMode
from .web_api import ApiCall, WebApi

BOT_TOKEN = "xoxb-1-stand-in-bot-token"
APP_TOKEN = "xapp-1-A1-stand-in-app-token"


class SlackStandIn:
    def __init__(
        self,
        *,
        bot_token: str = BOT_TOKEN,
        app_token: str | None = APP_TOKEN,
        ids: Identity = DEFAULT,
    ) -> None:
        """`app_token=None` is an app without Socket Mode: apps.connections.open is refused."""
        if not bot_token.startswith("xoxb-") or not (app_token or "xapp-").startswith("xapp-"):
            raise ValueError("bot tokens start with xoxb-, app-level tokens with xapp-")
        self.bot_token, self.app_token, self.ids = bot_token, app_token, ids
        self.socket_mode = SocketMode(ids)
        self.workspace = Workspace(ids, self.socket_mode.issue_url)
        self.web_api = WebApi(self.workspace, bot_token, app_token)
        self.response_urls = ResponseUrls()
        self.base_url = ""  # "http://127.0.0.1:PORT" while running
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> SlackStandIn:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.web_api.handle)
        app.router.add_post("/response/{name}", self.response_urls.handle)
        app.router.add_get("/link/", self.socket_mode.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        self.response_urls.base = self.base_url
        self.socket_mode.ws_base = f"ws://{host}:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.socket_mode.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """The Web API base for AsyncWebClient(base_url=...): slack_sdk joins method names onto
        it, so it ends with a slash (slack_sdk adds one if missing)."""
        return f"{self.base_url}/api/"

    # Web API

    @property
    def calls(self) -> list[ApiCall]:
        return self.web_api.journal.items

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5) -> list[ApiCall]:  # noqa: ASYNC109
        """Until `count` calls to `method` (answered ok or not) arrived; returns them all."""

        def enough(calls: list[ApiCall]) -> list[ApiCall] | None:
            matching = [c for c in calls if c.method == method]
            return matching if len(matching) >= count else None

        return await self.web_api.journal.wait(enough, timeout, f"{count} call(s) to {method}")

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """See WebApi.fail_next: 429 by default, a 5xx, or `ok: false` with `error`."""
        self.web_api.fail_next(
            method, status=status, error=error, retry_after=retry_after, times=times
        )

    @property
    def messages(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every message posted and not deleted, by (channel, ts), as updated since."""
        return self.workspace.messages

    # response_url

    def response_url(self, name: str = "r1") -> str:
        return self.response_urls.url(name)

    @property
    def responses(self) -> dict[str, list[dict[str, Any]]]:
        return self.response_urls.responses

    def fail_response(self, name: str, status: int = 404, times: int = 1) -> None:
        self.response_urls.fail(name, status, times)

    async def wait_for_response(
        self,
        name: str,
        count: int = 1,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        return await self.response_urls.wait_for_response(name, count, timeout)

    # Socket Mode

    async def wait_connected(self, count: int = 1, timeout: float = 5) -> None:  # noqa: ASYNC109
        await self.socket_mode.wait_connected(count, timeout)

    async def send_envelope(self, type: str, payload: dict[str, Any], **options: Any) -> str:
        return await self.socket_mode.send_envelope(type, payload, **options)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5) -> Ack:  # noqa: ASYNC109
        return await self.socket_mode.wait_for_ack(envelope_id, timeout)

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        await self.socket_mode.send_disconnect(reason)
