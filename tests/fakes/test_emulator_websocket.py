"""The emulator's WebSocket side as Centrifugo's official Python SDK (centrifuge-python) sees
it: connect, subscribe, publications, and how each refusal surfaces (reference §10.1).
Frame-level details are pinned in test_emulator_websocket_raw.py and _upgrade.py."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from centrifuge import Client
from websockets.exceptions import InvalidStatus

from tests.fakes.centrifugo.config import Fault
from tests.fakes.centrifugo.jwt_check import mint_token
from tests.fakes.centrifugo.server import Emulator
from tests.fakes.ws_clients import CHANNEL, ClientEvents, SubEvents, token

MakeClient = Callable[..., tuple[Client, ClientEvents]]


@pytest.fixture
async def make_client(emulator: Emulator) -> AsyncIterator[MakeClient]:
    made: list[Client] = []

    def make(**kwargs: Any) -> tuple[Client, ClientEvents]:
        events = ClientEvents()
        client = Client(emulator.ws_url, events=events, proxy=None, timeout=2.0, **kwargs)
        made.append(client)
        return client, events

    yield make
    for client in made:
        await client.disconnect()
    # The SDK closes sockets in background tasks: let them finish before the loop ends.
    for client in made:
        await asyncio.gather(*client._background_tasks, return_exceptions=True)


async def test_connect_reports_client_id_and_version(
    emulator: Emulator, make_client: MakeClient
) -> None:
    client, events = make_client(token=token(emulator))
    await client.connect()
    connected = await events.next("connected")
    assert connected.client in emulator.hub.connections
    assert connected.version == emulator.config.version
    assert emulator.hub.connections[connected.client].user == "42"


async def subscribed(client: Client, channel: str = CHANNEL) -> SubEvents:
    events = SubEvents()
    await client.new_subscription(channel, events=events).subscribe()
    await events.next("subscribed")
    return events


async def test_publication_from_the_hub_arrives(
    emulator: Emulator, make_client: MakeClient
) -> None:
    client, _ = make_client(token=token(emulator))
    await client.connect()
    sub = await subscribed(client)
    assert emulator.hub.channels() == {CHANNEL: 1}
    await emulator.hub.publish(CHANNEL, {"text": "hi"})
    pub = (await sub.next("publication")).pub
    assert (pub.data, pub.offset) == ({"text": "hi"}, 1)


async def test_publication_from_the_http_api_arrives(
    emulator: Emulator, make_client: MakeClient
) -> None:
    client, _ = make_client(token=token(emulator))
    await client.connect()
    sub = await subscribed(client)
    async with httpx.AsyncClient(timeout=2.0) as http:
        response = await http.post(
            f"{emulator.api_url}/publish",
            json={"channel": CHANNEL, "data": {"n": 7}},
            headers={"X-API-Key": emulator.config.api_key},
        )
    assert response.status_code == 200
    assert (await sub.next("publication")).pub.data == {"n": 7}


async def test_dropped_deliveries_never_arrive(emulator: Emulator, make_client: MakeClient) -> None:
    client, _ = make_client(token=token(emulator))
    await client.connect()
    sub = await subscribed(client)
    emulator.config.faults.add(Fault.DROP_DELIVERIES)
    await emulator.hub.publish(CHANNEL, {"lost": True})
    with pytest.raises(TimeoutError):
        await sub.next("publication", within=0.3)
    emulator.config.faults.discard(Fault.DROP_DELIVERIES)
    await emulator.hub.publish(CHANNEL, {"lost": False})
    assert (await sub.next("publication")).pub.offset == 2


async def test_bad_signature_disconnects_3500(emulator: Emulator, make_client: MakeClient) -> None:
    forged = mint_token({"sub": "42"}, "some-other-secret")
    client, events = make_client(token=forged)
    await client.connect()
    disconnected = await events.next("disconnected")
    assert (disconnected.code, disconnected.reason) == (3500, "invalid token")


async def test_rejected_tokens_fault_disconnects_3500(
    emulator: Emulator, make_client: MakeClient
) -> None:
    emulator.config.faults.add(Fault.REJECT_TOKENS)
    client, events = make_client(token=token(emulator))
    await client.connect()
    assert (await events.next("disconnected")).code == 3500


async def test_expired_token_is_error_109_then_unauthorized(
    emulator: Emulator, make_client: MakeClient
) -> None:
    client, events = make_client(token=token(emulator, exp=int(time.time()) - 10))
    await client.connect()
    error = await events.next("error")
    assert (error.code, error.error.code, error.error.message) == (13, 109, "token expired")
    disconnected = await events.next("disconnected")
    assert (disconnected.code, disconnected.reason) == (1, "unauthorized")


@pytest.mark.parametrize(
    ("channel", "fault", "code", "reason"),
    [
        ("nope:1:messages", None, 102, "unknown channel"),
        (CHANNEL, Fault.NO_ORG_NAMESPACE, 102, "unknown channel"),
        (CHANNEL, Fault.ORG_NOT_PERMITTED, 103, "permission denied"),
        ("$org:123:private", None, 103, "permission denied"),
        ("org:" + "x" * 300, None, 107, "bad request"),
    ],
    ids=["unknown_namespace", "org_namespace_removed", "org_not_permitted", "private", "too_long"],
)
async def test_subscribe_refusals_unsubscribe_with_the_server_code(
    emulator: Emulator,
    make_client: MakeClient,
    channel: str,
    fault: Fault | None,
    code: int,
    reason: str,
) -> None:
    if fault is not None:
        emulator.config.faults.add(fault)
    client, _ = make_client(token=token(emulator))
    await client.connect()
    events = SubEvents()
    await client.new_subscription(channel, events=events).subscribe()
    unsubscribed = await events.next("unsubscribed")
    assert (unsubscribed.code, unsubscribed.reason) == (code, reason)


async def test_private_channel_with_subscription_token(
    emulator: Emulator, make_client: MakeClient
) -> None:
    client, _ = make_client(token=token(emulator))
    await client.connect()
    channel = "$org:123:private"
    events = SubEvents()
    sub_token = token(emulator, channel=channel)
    await client.new_subscription(channel, events=events, token=sub_token).subscribe()
    await events.next("subscribed")


async def test_refused_origin_is_a_403_handshake_error(
    emulator: Emulator, make_client: MakeClient
) -> None:
    emulator.config.allowed_origins = ["https://app.example.com"]
    client, events = make_client(token=token(emulator), headers={"Origin": "https://evil.example"})
    await client.connect()
    error = await events.next("error")
    assert error.code == 2
    assert isinstance(error.error, InvalidStatus)
    assert error.error.response.status_code == 403


@pytest.mark.parametrize(
    "allowed",
    [["https://app.example.com"], ["https://*.EXAMPLE.com"], ["*"]],
    ids=["exact", "glob_any_case", "star"],
)
async def test_allowed_origin_connects(
    emulator: Emulator, make_client: MakeClient, allowed: list[str]
) -> None:
    emulator.config.allowed_origins = allowed
    client, events = make_client(
        token=token(emulator), headers={"Origin": "https://App.example.com"}
    )
    await client.connect()
    await events.next("connected")


async def test_server_side_channels_from_the_token(
    emulator: Emulator, make_client: MakeClient
) -> None:
    client, events = make_client(token=token(emulator, channels=[CHANNEL]))
    await client.connect()
    await events.next("connected")
    assert emulator.hub.channels() == {CHANNEL: 1}
