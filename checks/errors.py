"""Errors raised while talking to Centrifugo; checks turn them into results with a reason.

CentrifugoError
├── TransportError        the request did not get an HTTP answer
│   ├── Unreachable       refused, DNS failure, reset
│   ├── NoAnswer          connected (or not) but no answer within the timeout
│   │   └── NoReply       a WebSocket session's NoAnswer, worded in Portuguese too (ws_transport)
│   └── TlsFailure        certificate or handshake rejected
├── HttpStatusError       an HTTP answer other than 200 (.status, .body)
│   └── Unauthorized      401: the API key was refused
├── UnexpectedBody        200 but not the JSON envelope Centrifugo sends
├── ApiError              200 {"error": {"code", "message"}}: the command itself failed
│                         (transport error mode: a bare {"code", "message"}, status mapped)
└── SessionError          a WebSocket session ended otherwise (ws_transport, protocol)
    ├── HandshakeFailed   no WebSocket upgrade
    │   └── HandshakeRejected   an HTTP status instead of 101 (.status)
    ├── Closed            the WebSocket closed (.code, .reason)
    ├── ReplyError        an error reply to a protocol command
    └── Unsubscribed      the server unsubscribed a channel
"""

from __future__ import annotations


class CentrifugoError(Exception):
    """Base of every error about the Centrifugo deployment under diagnosis."""


class TransportError(CentrifugoError):
    pass


class Unreachable(TransportError):
    pass


class NoAnswer(TransportError):
    pass


class TlsFailure(TransportError):
    pass


class HttpStatusError(CentrifugoError):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body[:200]


class Unauthorized(HttpStatusError):
    pass


class UnexpectedBody(CentrifugoError):
    pass


class ApiError(CentrifugoError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"error {code}: {message}")
        self.code = code
        self.message = message
