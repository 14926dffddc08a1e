"""The deployment under diagnosis: where Centrifugo and the app live and which secrets to use.

Field names are the runbook's setting names lower-cased, so a check can declare what it needs
as `requires=("APP_TOKEN_URL",)` and be skipped with "not configured: APP_TOKEN_URL". Also the
two names every output uses for it: a URL as it may be shown, and an org's channels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

WEBSOCKET_PATH = "/connection/websocket"
# The app's per-org channels (SPEC): `org:ID:messages` and `org:ID:tickets`.
ORG_CHANNEL_KINDS = ("messages", "tickets")
# Stands for a URL that does not even parse; safe in a chat message and in a shell command.
INVALID_URL = "invalid-url"


@dataclass(frozen=True)
class Target:
    centrifugo_url: str = "http://localhost:8000"
    centrifugo_api_key: SecretStr | None = None
    centrifugo_token_hmac_secret_key: SecretStr | None = None
    centrifugo_admin_password: SecretStr | None = None
    centrifugo_admin_secret: SecretStr | None = None
    next_public_centrifugo_url: str | None = None
    app_token_url: str | None = None
    app_auth_header: SecretStr | None = None
    app_cookie: SecretStr | None = None
    browser_origin: str | None = None
    probe_channel: str = "test"
    redis_url: SecretStr | None = None
    log_command: str | None = None
    check_timeout: float = 5.0
    # Extra CA bundle for TLS verification (tests point it at a trustme CA); None = system store.
    ssl_cert_file: str | None = None
    secrets_extra: tuple[str, ...] = field(default=())

    def is_set(self, setting: str) -> bool:
        value = getattr(self, setting.lower())
        if isinstance(value, SecretStr):
            return bool(value.get_secret_value())
        return bool(value)

    @property
    def base_url(self) -> str:
        return self.centrifugo_url.rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.centrifugo_url).hostname or "localhost"

    @property
    def port(self) -> int:
        parts = urlsplit(self.centrifugo_url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    @property
    def is_https(self) -> bool:
        return urlsplit(self.centrifugo_url).scheme == "https"

    @property
    def websocket_url(self) -> str:
        """The browser's WebSocket URL, derived from CENTRIFUGO_URL when not set."""
        if self.next_public_centrifugo_url:
            return self.next_public_centrifugo_url
        parts = urlsplit(self.centrifugo_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urlunsplit((scheme, parts.netloc, WEBSOCKET_PATH, "", ""))

    def secrets(self) -> list[str]:
        """Every secret value configured, for redaction and for tests asserting none leaks."""
        values = [
            self.centrifugo_api_key,
            self.centrifugo_token_hmac_secret_key,
            self.centrifugo_admin_password,
            self.centrifugo_admin_secret,
            self.app_auth_header,
            self.app_cookie,
            self.redis_url,
        ]
        found = [v.get_secret_value() for v in values if v is not None]
        return [s for s in (*found, *self.secrets_extra) if s]


def public_url(url: str) -> str:
    """The URL as any output may show it: without user:password@, query or fragment, each of
    which may carry a credential (`APP_TOKEN_URL?session=…`); INVALID_URL if it does not parse."""
    try:
        parts = urlsplit(url)
    except ValueError:  # `http://[::1/x`: urlsplit refuses it
        return INVALID_URL
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def org_channels(org: str) -> list[str]:
    return [f"org:{org}:{kind}" for kind in ORG_CHANNEL_KINDS]
