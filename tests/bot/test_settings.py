"""Settings: the runbook's names from the environment and .env, one-line errors, secrets hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings


def test_defaults_match_the_spec() -> None:
    settings = load_settings()
    assert settings.centrifugo_url == "http://localhost:8000"
    assert settings.probe_channel == "test"
    assert settings.check_timeout == 5
    assert settings.port == 3000
    assert settings.schedule_interval == 0
    assert settings.remind_every == 3600
    assert (settings.alert_after, settings.resolve_after) == (2, 1)
    assert settings.tail_channels == ("test", "test:*")
    assert settings.tail_max_seconds == 1800
    assert settings.bot_language == "en"
    assert settings.state_path.name == "state.sqlite3"


def test_reads_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "CENTRIFUGO_URL=https://rt.example.com\nCENTRIFUGO_API_KEY=from-dotenv\n"
    )
    monkeypatch.setenv("CENTRIFUGO_API_KEY", "from-env")
    monkeypatch.setenv("ALLOWED_CHANNEL_IDS", "C1, C2")
    monkeypatch.setenv("REMIND_EVERY", "30m")
    settings = load_settings()
    assert settings.centrifugo_url == "https://rt.example.com"
    assert settings.centrifugo_api_key is not None
    assert settings.centrifugo_api_key.get_secret_value() == "from-env"
    assert settings.allowed_channel_ids == ("C1", "C2")
    assert settings.remind_every == 1800


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CENTRIFUGO_URL", "not-a-url", "CENTRIFUGO_URL: must be a http:// or https:// URL"),
        ("CHECK_TIMEOUT", "-1", "CHECK_TIMEOUT: Input should be greater than 0"),
        ("CHECK_TIMEOUT", "soon", "CHECK_TIMEOUT: Input should be a valid number"),
        (
            "NEXT_PUBLIC_CENTRIFUGO_URL",
            "https://x/connection/websocket",
            "NEXT_PUBLIC_CENTRIFUGO_URL",
        ),
        ("PORT", "70000", "PORT: Input should be less than or equal to 65535"),
        ("BOT_LANGUAGE", "fr", "BOT_LANGUAGE: Input should be 'en' or 'pt-BR'"),
        ("REMIND_EVERY", "often", "REMIND_EVERY"),
        ("REMIND_EVERY", "-5m", "REMIND_EVERY"),
        ("SCHEDULE_INTERVAL", "inf", "SCHEDULE_INTERVAL"),
        ("SCHEDULE_INTERVAL", "1.5m", "SCHEDULE_INTERVAL"),
        ("ALERT_AFTER", "0", "ALERT_AFTER"),
        ("SCHEDULE_ORG", "a b", "SCHEDULE_ORG"),
        ("SSL_CERT_FILE", "/nonexistent/ca.pem", "SSL_CERT_FILE: no such file"),
        ("SSL_CERT_FILE", "/", "SSL_CERT_FILE: no such file"),
    ],
    ids=lambda v: str(v)[:20],
)
def test_bad_value_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert "pydantic" not in message


def test_secrets_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CENTRIFUGO_API_KEY", "super-secret-key")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = load_settings()
    assert "super-secret-key" not in repr(settings)
    assert "xoxb-very-secret" not in str(settings)
    assert {"super-secret-key", "xoxb-very-secret"} <= set(settings.secrets())


def test_target_carries_the_check_settings() -> None:
    settings = Settings(
        centrifugo_url="https://rt.example.com", check_timeout=2, probe_channel="probe"
    )
    target = settings.target()
    assert target.websocket_url == "wss://rt.example.com/connection/websocket"
    assert (target.check_timeout, target.probe_channel) == (2, "probe")


def test_ssl_cert_file_is_an_existing_file(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert load_settings(ssl_cert_file=str(bundle)).ssl_cert_file == str(bundle)
    assert load_settings(ssl_cert_file="").ssl_cert_file is None


@pytest.mark.parametrize(
    ("name", "value", "seconds"),
    [
        ("SCHEDULE_INTERVAL", "1.5", 1.5),
        ("SCHEDULE_INTERVAL", "60", 60),
        ("SCHEDULE_INTERVAL", "0", 0),
        ("SCHEDULE_INTERVAL", "5m", 300),
        ("REMIND_EVERY", "0s", 0),
        ("REMIND_EVERY", "0", 0),
        ("REMIND_EVERY", "14d", 14 * 86400),
        ("REMIND_EVERY", " 1h30m ", 5400),
    ],
    ids=lambda v: str(v),
)
def test_durations_are_seconds_or_units_with_zero_meaning_off(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, seconds: float
) -> None:
    monkeypatch.setenv(name, value)
    assert getattr(load_settings(), name.lower()) == seconds
