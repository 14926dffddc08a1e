"""Emulator settings and fault modes; tests flip `faults` while the server runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

V5 = "5.4.9"
V6 = "6.9.1 OSS"


class Fault(StrEnum):
    SLOW = "slow"  # every HTTP/WS answer is delayed by EmulatorConfig.slow_seconds
    SERVER_ERROR = "server_error"  # every HTTP request answers 502 (a proxy with no upstream)
    NON_JSON = "non_json"  # API answers 200 with an HTML body
    # Redis gone: publish/channels -> error 100, subscribe -> close 3004.
    BROKER_DOWN = "broker_down"
    DROP_DELIVERIES = "drop_deliveries"  # publish succeeds but nothing reaches subscribers
    # The following are usually expressed through config (other secret, no namespace, ...),
    # but are also switchable at run time for scheduler tests:
    REJECT_TOKENS = "reject_tokens"  # every connection token fails verification (close 3500)
    NO_ORG_NAMESPACE = "no_org_namespace"  # "org" namespace missing -> 102 unknown channel
    ORG_NOT_PERMITTED = "org_not_permitted"  # org namespace without allow_subscribe_for_client
    ORIGIN_REFUSED = "origin_refused"  # every Origin header gets 403


@dataclass
class Namespace:
    name: str
    allow_subscribe_for_client: bool = True
    allow_subscribe_for_anonymous: bool = True
    history_size: int = 0
    presence: bool = False


@dataclass
class EmulatorConfig:
    version: str = V6
    api_key: str = "emulator-api-key"
    hmac_secret: str = "emulator-hmac-secret"
    node_name: str = "emulator_8000"
    namespaces: dict[str, Namespace] = field(
        default_factory=lambda: {"org": Namespace("org", history_size=10)}
    )
    # Options for channels without a namespace (the probe channel "test").
    top_level: Namespace = field(default_factory=lambda: Namespace("", history_size=10))
    allowed_origins: list[str] = field(default_factory=list)
    admin_enabled: bool = True
    admin_prefix: str = ""
    admin_password: str = "emulator-admin-password"
    admin_secret: str = "emulator-admin-secret"
    health_enabled: bool = True
    allow_anonymous_connect_without_token: bool = False
    ping_interval: float = 25.0
    pong_timeout: float = 8.0
    stale_close_delay: float = 10.0
    slow_seconds: float = 3.0
    # v5 `api_error_mode` / v6 `http_api.error_mode` = "transport": command errors come back
    # as a bare {"code","message"} under a mapped HTTP status, as with the header.
    transport_error_mode: bool = False
    faults: set[Fault] = field(default_factory=set)
