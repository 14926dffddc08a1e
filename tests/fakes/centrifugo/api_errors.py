"""Server-API error codes and their messages (reference §1.4), which differ from the client
protocol's for 104 and 113, and the exception that carries one out of a command."""

from __future__ import annotations

from typing import Any

MESSAGES = {
    100: "internal server error",
    102: "unknown channel",
    104: "not found",
    107: "bad request",
    108: "not available",
    112: "unrecoverable position",
    113: "conflict",
}


class ApiError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(MESSAGES[code])
        self.code = code


def error_body(code: int) -> dict[str, Any]:
    return {"code": code, "message": MESSAGES[code]}
