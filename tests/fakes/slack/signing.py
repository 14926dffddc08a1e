"""Slack's v0 request signature, so HTTP-mode tests can send requests the bot must accept (or,
with a wrong secret or an old timestamp, reject) exactly as it would Slack's."""

from __future__ import annotations

import hashlib
import hmac
import time


def signature(body: str, signing_secret: str, timestamp: int) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(body: str, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends with `body`: timestamp, signature and the body's content type."""
    ts = int(time.time()) if timestamp is None else timestamp
    # Slack posts events as JSON and slash commands / interactions as a form.
    content_type = (
        "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    )
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(body, signing_secret, ts),
    }
