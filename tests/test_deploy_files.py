"""The files a team deploys with agree with the code: the Slack manifest creates exactly the
command, events and scopes the bot uses (no more), the image runs `serve` as a non-root user
with a /healthz check, and the compose stack configures Centrifugo v6 under its v6 names."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from bot.slack.listeners import COMMAND

ROOT = Path(__file__).resolve().parents[1]
# Web API method (as slack_sdk names it) -> the bot scope Slack requires for it.
METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "reactions_add": "reactions:write",
    "reactions_remove": "reactions:write",
    "auth_test": None,
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history"}


def yaml_list(text: str, key: str) -> list[str]:
    """The items of the block list under `key:` in a simple YAML file (comments dropped)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    items = []
    for line in lines[start + 1 :]:
        if line.strip().startswith("#"):
            continue
        match = re.match(r"\s*- ([^#]+?)\s*(?:#.*)?$", line)
        if match is None:
            break
        items.append(match.group(1))
    return items


def manifest() -> str:
    return (ROOT / "manifest.yml").read_text()


def used_methods() -> set[str]:
    source = "\n".join(path.read_text() for path in (ROOT / "bot").rglob("*.py"))
    return set(
        re.findall(
            r"\.(chat_\w+|reactions_\w+|conversations_\w+|users_\w+|files_\w+|auth_test)\b", source
        )
    )


def test_the_manifest_creates_the_slash_command_the_bot_listens_to() -> None:
    assert yaml_list(manifest(), "slash_commands")[0] == f"command: {COMMAND}"
    assert re.search(r"usage_hint: .*diagnose \[org ID\]", manifest())


def test_the_manifest_subscribes_to_the_events_the_bot_handles() -> None:
    assert sorted(yaml_list(manifest(), "bot_events")) == ["app_mention", "message.im"]
    assert re.search(r"interactivity:\n\s+is_enabled: true", manifest())
    assert "socket_mode_enabled: true" in manifest()


def test_the_manifest_asks_for_exactly_the_scopes_the_bot_uses() -> None:
    methods = used_methods()
    assert methods <= set(METHOD_SCOPES), f"scope unknown for {methods - set(METHOD_SCOPES)}"
    needed = {"commands"} | {scope for m in methods if (scope := METHOD_SCOPES[m])}
    needed |= {EVENT_SCOPES[event] for event in yaml_list(manifest(), "bot_events")}
    assert sorted(yaml_list(manifest(), "bot")) == sorted(needed)


def test_the_image_serves_as_a_non_root_user_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["centrifugo-bot"] == "bot.cli:main"
    assert 'ENTRYPOINT ["centrifugo-bot"]' in dockerfile and 'CMD ["serve"]' in dockerfile
    assert re.search(r"^USER bot$", dockerfile, re.MULTILINE)
    assert re.search(r"HEALTHCHECK .*\n.*/healthz", dockerfile)
    assert "FROM python:3.11-slim" in dockerfile


def test_the_compose_stack_configures_centrifugo_v6() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "image: centrifugo/centrifugo:v6" in compose
    # v6 ignores the runbook's v5 names, so the stack must hand the secrets over renamed.
    for name in (
        "CENTRIFUGO_HTTP_API_KEY",
        "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY",
        "CENTRIFUGO_ADMIN_PASSWORD",
        "CENTRIFUGO_ADMIN_SECRET",
        "CENTRIFUGO_ENGINE_REDIS_PASSWORD",
        "CENTRIFUGO_CLIENT_ALLOWED_ORIGINS",
    ):
        assert f"      {name}: " in compose
    config = json.loads((ROOT / "deploy" / "centrifugo" / "config.json").read_text())
    assert config["engine"]["type"] == "redis"
    [org] = config["channel"]["namespaces"]
    assert (org["name"], org["allow_subscribe_for_client"]) == ("org", True)
    # The probe channel ("test") has no namespace: the round trip must be able to subscribe.
    assert config["channel"]["without_namespace"]["allow_subscribe_for_client"] is True
    assert "key" not in config.get("http_api", {})  # secrets come from the environment only
