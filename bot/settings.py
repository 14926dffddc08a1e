"""The bot's settings: one pydantic-settings class reading the environment and `.env`.

Names are the runbook's (CENTRIFUGO_URL, ...) so one `.env` serves the app and the bot.
A bad value becomes a one-line `SettingsError` naming the setting, never a traceback.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.durations import parse_seconds
from checks.model import Language
from checks.target import Target

CommaList = Annotated[tuple[str, ...], NoDecode]


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and is safe to print."""


def default_state_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "centrifugo-bot" / "state.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    # The Centrifugo deployment under diagnosis (runbook checklist names).
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
    probe_channel: str = Field("test", pattern=r"^[A-Za-z0-9_:\-.]{1,255}$")
    redis_url: SecretStr | None = None
    log_command: str | None = None
    check_timeout: float = Field(5.0, gt=0, le=120)
    ssl_cert_file: str | None = None

    # Slack.
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(3000, ge=0, le=65535)
    allowed_channel_ids: CommaList = ()
    privileged_user_ids: CommaList = ()
    bot_language: Language = "en"

    # Scheduled checks.
    alert_channel: str | None = None
    schedule_interval: float = Field(0.0, ge=0)
    schedule_org: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    remind_every: float = Field(3600.0, ge=0)
    alert_after: int = Field(2, ge=1, le=1000)
    resolve_after: int = Field(1, ge=1, le=1000)
    state_path: Path = Field(default_factory=default_state_path)

    # Tail and publish.
    tail_channels: CommaList = ("test", "test:*")
    tail_max_seconds: int = Field(1800, ge=1, le=86400)

    @field_validator("centrifugo_url", "app_token_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return _checked_url(value, ("http", "https"))

    @field_validator("next_public_centrifugo_url")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        return _checked_url(value, ("ws", "wss"))

    @field_validator("browser_origin")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        return _checked_url(value, ("http", "https"))

    @field_validator("ssl_cert_file")
    @classmethod
    def _ca_bundle(cls, value: str | None) -> str | None:
        # Checked here, not where it is loaded: a missing bundle is a configuration error
        # (exit 2, one line), not a FileNotFoundError in the middle of a run.
        if not value:
            return None
        if not (os.path.isfile(value) and os.access(value, os.R_OK)):
            raise ValueError(f"no such file (or not readable): {value}")
        return value

    @field_validator("allowed_channel_ids", "privileged_user_ids", "tail_channels", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("remind_every", "schedule_interval", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        """Seconds (`90`, `1.5`) or a duration (`5m`, `14d`); 0 turns the feature off."""
        if not isinstance(value, str) or not value.strip():
            return value
        try:
            seconds = float(value)
        except ValueError:
            return parse_seconds(value.strip(), allow_zero=True, max_seconds=None)
        if not math.isfinite(seconds):
            raise ValueError("must be a number of seconds or a duration like 30s, 5m or 1h")
        return seconds

    def target(self) -> Target:
        """The checks' view of these settings."""
        fields = {
            name: getattr(self, name)
            for name in Target.__dataclass_fields__
            if name in type(self).model_fields
        }
        return Target(**fields)

    def secrets(self) -> list[str]:
        """Every secret configured, Slack's included, for the redaction layer."""
        slack = [self.slack_bot_token, self.slack_app_token, self.slack_signing_secret]
        return [*self.target().secrets(), *(s.get_secret_value() for s in slack if s)]


def _checked_url(value: str | None, schemes: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"must be a {' or '.join(s + '://' for s in schemes)} URL")
    return value


def load_settings(**overrides: Any) -> Settings:
    """Read the environment and `.env`; a bad value raises SettingsError naming it."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        raise SettingsError(f"{name}: {_short(error['msg'])}") from None


def _short(message: str) -> str:
    return message.removeprefix("Value error, ")[:120]
