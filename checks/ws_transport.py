"""The WebSocket layer under the Centrifugo protocol: the upgrade, newline-separated JSON
frames, answers to server pings, and the errors a session can end with.

CentrifugoError                (checks.errors)
├── TransportError             Unreachable / NoAnswer / TlsFailure, as for the HTTP API
│   └── NoReply                a NoAnswer of the session's, also worded in Portuguese
└── SessionError               anything else that ends a WebSocket session
    ├── HandshakeFailed        no WebSocket upgrade (not HTTP, not a WebSocket server, bad URI)
    │   └── HandshakeRejected  an HTTP status instead of 101 (.status): 403 Origin, 503 limit
    ├── Closed                 the WebSocket closed (.code, .reason), named by checks.codes
    ├── ReplyError             an error reply to a command         (checks.protocol)
    └── Unsubscribed           the server unsubscribed a channel    (checks.protocol)
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.typing import Origin

from checks.codes import describe_close
from checks.errors import CentrifugoError, NoAnswer, TlsFailure, Unreachable
from checks.model import Language, say

# How long a goodbye may wait for the server's close frame; a server that stopped reading
# (after a connect error, §3.7) is simply dropped after this.
CLOSE_WAIT_SECONDS = 0.3
# Close codes the bot itself sends when the server's (or a proxy's) frames break the rules.
CLIENT_DETECTED = (1002, 1007, 1009)


class SessionError(CentrifugoError):
    def __init__(self, message: str, pt_br: str | None = None) -> None:
        super().__init__(message)
        # Summaries quote some of these errors; without a wording of ours (a library's text),
        # the English one is all there is.
        self.pt_br = message if pt_br is None else pt_br


class NoReply(NoAnswer):
    def __init__(self, message: str, pt_br: str) -> None:
        super().__init__(message)
        self.pt_br = pt_br


def worded(exc: CentrifugoError, lang: Language) -> str:
    """The error's own text in `lang`, for a summary that quotes it."""
    pt_br = exc.pt_br if isinstance(exc, SessionError | NoReply) else str(exc)
    return say(lang, str(exc), pt_br)


class HandshakeFailed(SessionError):
    pass


class HandshakeRejected(HandshakeFailed):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(
            f"upgrade refused with HTTP {status}", f"upgrade recusado com HTTP {status}"
        )
        self.status = status
        self.body = body[:200].decode("utf-8", "replace")


class Closed(SessionError):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(
            f"closed {describe_close(code, reason)}",
            f"conexão fechada com {describe_close(code, reason, 'pt-BR')}",
        )
        self.code = code
        self.reason = reason


@asynccontextmanager
async def bounded(seconds: float, what: str, what_pt_br: str) -> AsyncIterator[None]:
    """Turn a local deadline into NoReply(what), so callers see a reason, not TimeoutError."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as exc:
        raise NoReply(f"{what} within {seconds:.3g} s", f"{what_pt_br} em {seconds:.3g} s") from exc


async def upgrade(
    url: str, within: float, ssl_context: ssl.SSLContext | None, origin: str | None
) -> ClientConnection:
    """Open the WebSocket, mapping every handshake failure onto the tree above."""
    tls: dict[str, Any] = {"ssl": ssl_context} if url.startswith("wss:") and ssl_context else {}
    try:
        return await connect(
            url,
            origin=None if origin is None else Origin(origin),
            open_timeout=within,
            close_timeout=CLOSE_WAIT_SECONDS,
            ping_interval=None,  # Centrifugo pings at the application level
            compression=None,
            user_agent_header="centrifugo-bot",
            **tls,
        )
    except InvalidStatus as exc:
        raise HandshakeRejected(exc.response.status_code, bytes(exc.response.body or b"")) from exc
    except (InvalidURI, InvalidHandshake) as exc:
        raise HandshakeFailed(str(exc)) from exc
    except TimeoutError as exc:
        raise NoReply(
            f"no WebSocket upgrade within {within:g} s", f"sem upgrade do WebSocket em {within:g} s"
        ) from exc
    except ssl.SSLError as exc:
        raise TlsFailure(str(exc)) from exc
    except OSError as exc:  # refused, reset, DNS (socket.gaierror is an OSError)
        raise Unreachable(str(exc) or type(exc).__name__) from exc


class Frames:
    """JSON messages in and out of one WebSocket; answers `{}` pings when asked to (`pong`)."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self.pong = False

    async def send(self, message: dict[str, Any]) -> None:
        try:
            await self._ws.send(json.dumps(message, separators=(",", ":")))
        except ConnectionClosed as exc:
            raise closed_by(exc) from exc

    async def receive(self) -> list[dict[str, Any]]:
        """The messages of the next frame, pings already answered and left out."""
        try:
            frame = await self._ws.recv()
        except ConnectionClosed as exc:
            raise closed_by(exc) from exc
        text = frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame
        messages = [_decode(line) for line in text.split("\n") if line.strip()]
        if self.pong and any(not m for m in messages):
            await self.send({})
        return [m for m in messages if m]

    async def close(self) -> None:
        """Say goodbye (bounded by CLOSE_WAIT_SECONDS); whatever happens, the socket is closed."""
        try:
            await self._ws.close()
        except Exception:  # already broken: nothing left to say goodbye to
            pass
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop the TCP connection now (a no-op once closed)."""
        self._ws.transport.abort()


def closed_by(exc: ConnectionClosed) -> Closed:
    """The close code the server sent; the bot's own 1002/1007/1009 when it was the one that
    caught a broken frame; else 1006, the TCP connection just dropped."""
    if exc.rcvd is not None:
        return Closed(exc.rcvd.code, exc.rcvd.reason)
    if exc.sent is not None and exc.sent.code in CLIENT_DETECTED:
        return Closed(exc.sent.code, f"detected by the bot: {exc.sent.reason}".rstrip(": "))
    return Closed(1006, "")


def _decode(line: str) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError as exc:
        sample = repr(line[:60])
        raise SessionError(
            f"not Centrifugo JSON: {sample}", f"não é JSON do Centrifugo: {sample}"
        ) from exc
    if not isinstance(message, dict):
        sample = repr(line[:60])
        raise SessionError(f"not a JSON object: {sample}", f"não é um objeto JSON: {sample}")
    return message
