"""The emulator's HTTP API through Centrifugo's own `cent` client (reference §1, §9, §10.2):
every cent outcome (result, API error, 401, transport, network, timeout, decode) must arise
exactly as it would against a real server."""

from __future__ import annotations

from typing import Any

import pytest
from cent import (
    AsyncClient,
    BroadcastRequest,
    ChannelsRequest,
    InfoRequest,
    PublishRequest,
)
from cent.exceptions import (
    CentApiResponseError,
    CentDecodeError,
    CentNetworkError,
    CentTimeoutError,
    CentTransportError,
    CentUnauthorizedError,
)

from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.config import V5, EmulatorConfig, Fault, Namespace
from tests.fakes.centrifugo.listener import listen
from tests.fakes.centrifugo.server import Emulator, closed_port


async def cent_call(api_url: str, key: str, call: Any, seconds: float = 5.0) -> Any:
    async with AsyncClient(api_url, key, timeout=seconds) as client:
        return await call(client)


# -- through cent, Centrifugo's official HTTP API client ------------------------------------


@pytest.mark.parametrize("version", [V5, "6.9.1 OSS"])
async def test_cent_info_reports_the_configured_node(version: str) -> None:
    async with Emulator(EmulatorConfig(version=version, node_name="node_1")) as emu:
        listen(emu.hub, "42", "org:1", "test")
        result = await cent_call(emu.api_url, emu.config.api_key, lambda c: c.info(InfoRequest()))
    (node,) = result.nodes
    assert (node.name, node.version) == ("node_1", version)
    assert (node.num_clients, node.num_users, node.num_channels, node.num_subs) == (1, 1, 2, 2)
    assert node.uid


async def test_cent_publish_returns_a_position_only_with_history(emulator: Emulator) -> None:
    emulator.config.namespaces["plain"] = Namespace("plain")
    received = listen(emulator.hub, "42", "org:1")

    async def publish_twice(client: AsyncClient) -> tuple[Any, Any]:
        with_history = await client.publish(PublishRequest(channel="org:1", data={"n": 1}))
        without = await client.publish(PublishRequest(channel="plain:1", data={"n": 2}))
        return with_history, without

    with_history, without = await cent_call(
        emulator.api_url, emulator.config.api_key, publish_twice
    )
    assert with_history.offset == 1 and with_history.epoch
    assert (without.offset, without.epoch) == (0, "")
    assert received == [("org:1", {"n": 1})]


async def test_cent_channels_pattern_star_crosses_colons(emulator: Emulator) -> None:
    listen(emulator.hub, "1", "org:1:messages", "test")
    listen(emulator.hub, "2", "org:1:messages", "org:2")
    request = ChannelsRequest(pattern="org:*")
    result = await cent_call(
        emulator.api_url, emulator.config.api_key, lambda c: c.channels(request)
    )
    counts = {name: info.num_clients for name, info in result.channels.items()}
    assert counts == {"org:1:messages": 2, "org:2": 1}


async def test_cent_wrong_key_is_unauthorized(emulator: Emulator) -> None:
    with pytest.raises(CentUnauthorizedError):
        await cent_call(emulator.api_url, "wrong", lambda c: c.info(InfoRequest()))


@pytest.mark.parametrize(
    ("channel", "faults"),
    [("nope:1", set()), ("org:1", {Fault.NO_ORG_NAMESPACE})],
    ids=["unknown-namespace", "org-namespace-removed"],
)
async def test_cent_unknown_namespace_is_error_102(
    emulator: Emulator, channel: str, faults: set[Fault]
) -> None:
    emulator.config.faults |= faults
    request = PublishRequest(channel=channel, data={})
    with pytest.raises(CentApiResponseError) as caught:
        await cent_call(emulator.api_url, emulator.config.api_key, lambda c: c.publish(request))
    assert (caught.value.code, caught.value.message) == (102, "unknown channel")


async def test_cent_wrong_prefix_is_transport_404(emulator: Emulator) -> None:
    with pytest.raises(CentTransportError) as caught:
        await cent_call(
            f"{emulator.url}/v1", emulator.config.api_key, lambda c: c.info(InfoRequest())
        )
    assert caught.value.status_code == 404


async def test_cent_closed_port_is_network_error() -> None:
    with pytest.raises(CentNetworkError):
        await cent_call(
            f"http://127.0.0.1:{closed_port()}/api", "k", lambda c: c.info(InfoRequest())
        )


async def test_cent_black_hole_times_out() -> None:
    async with BlackHole() as hole:
        with pytest.raises(CentTimeoutError):
            await cent_call(f"{hole.url}/api", "k", lambda c: c.info(InfoRequest()), seconds=0.2)
        assert hole.connections == 1


async def test_cent_non_json_fault_is_decode_error(emulator: Emulator) -> None:
    emulator.config.faults.add(Fault.NON_JSON)
    with pytest.raises(CentDecodeError):
        await cent_call(emulator.api_url, emulator.config.api_key, lambda c: c.info(InfoRequest()))


async def test_cent_broadcast_reports_per_channel_errors(emulator: Emulator) -> None:
    request = BroadcastRequest(channels=["org:1", "nope:1", "test"], data={"x": 1})
    result = await cent_call(
        emulator.api_url, emulator.config.api_key, lambda c: c.broadcast(request)
    )
    outcomes = [(r.error.code if r.error else None) for r in result.responses]
    assert outcomes == [None, 102, None]
