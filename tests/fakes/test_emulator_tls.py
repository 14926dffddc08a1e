"""TLS variants served by the emulator: a client trusting the test CA accepts only the valid
and expiring-soon certificates, and each broken one fails with its own verify reason."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.fakes.centrifugo.server import Emulator
from tests.fakes.centrifugo.tls import TlsVariants


@pytest.fixture(scope="module")
def variants() -> TlsVariants:
    return TlsVariants()


async def get_health(emu: Emulator, verify: ssl.SSLContext) -> httpx.Response:
    async with httpx.AsyncClient(verify=verify, timeout=5) as client:
        return await client.get(f"{emu.url}/health")


async def test_valid_certificate_is_accepted(variants: TlsVariants) -> None:
    async with Emulator(tls=variants.valid()) as emu:
        assert emu.url.startswith("https://localhost:") and emu.ws_url.startswith("wss://")
        response = await get_health(emu, variants.client_context())
    assert (response.status_code, response.json()) == (200, {})


async def test_ca_bundle_file_is_enough_to_trust(variants: TlsVariants, tmp_path: Path) -> None:
    bundle = variants.write_ca_bundle(tmp_path / "ca.pem")
    async with Emulator(tls=variants.valid()) as emu:
        response = await get_health(emu, ssl.create_default_context(cafile=str(bundle)))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (TlsVariants.expired, "certificate has expired"),
        (TlsVariants.wrong_host, "Hostname mismatch"),
        (TlsVariants.untrusted_ca, "unable to get local issuer certificate"),
        (TlsVariants.self_signed, "self-signed certificate"),
    ],
    ids=["expired", "wrong-host", "untrusted-ca", "self-signed"],
)
async def test_broken_certificates_fail_verification(
    variants: TlsVariants, make: Callable[[TlsVariants], ssl.SSLContext], reason: str
) -> None:
    async with Emulator(tls=make(variants)) as emu:
        with pytest.raises(httpx.ConnectError) as caught:
            await get_health(emu, variants.client_context())
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert reason in str(caught.value)


async def test_expiring_soon_is_valid_with_days_left(variants: TlsVariants) -> None:
    async with Emulator(tls=variants.expiring_soon(days=5)) as emu:
        _, writer = await asyncio.open_connection(
            "localhost", emu.port, ssl=variants.client_context()
        )
        not_after = writer.get_extra_info("peercert")["notAfter"]
        writer.close()
        await writer.wait_closed()
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC)
    left = expires - datetime.now(UTC)
    assert timedelta(days=4) < left <= timedelta(days=5)
