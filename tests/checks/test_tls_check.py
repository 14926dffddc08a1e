"""The `tls` check against the emulator served with each kind of test certificate (trustme),
the client trusting only the test CA through Target.ssl_cert_file."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from checks.context import open_context
from checks.model import Outcome, Problem, Status
from checks.target import Target
from checks.tls import certificate_facts, tls
from tests.fakes.centrifugo.blackhole import BlackHole
from tests.fakes.centrifugo.server import Emulator, closed_port
from tests.fakes.centrifugo.tls import TlsVariants


@pytest.fixture(scope="module")
def variants() -> TlsVariants:
    return TlsVariants()


@pytest.fixture
def ca_bundle(variants: TlsVariants, tmp_path: Path) -> str:
    return str(variants.write_ca_bundle(tmp_path / "ca.pem"))


async def check_tls(url: str, ca_bundle: str | None = None, budget: float = 2.0) -> Outcome:
    target = Target(centrifugo_url=url, ssl_cert_file=ca_bundle, check_timeout=budget)
    async with open_context(target) as ctx:
        return await tls(ctx)


async def served_with(server_context: ssl.SSLContext, ca_bundle: str) -> Outcome:
    async with Emulator(tls=server_context) as emulator:
        return await check_tls(emulator.url, ca_bundle)


async def test_a_valid_certificate_reports_its_facts(variants: TlsVariants, ca_bundle: str) -> None:
    outcome = await served_with(variants.valid(), ca_bundle)

    assert outcome.status is Status.OK
    assert outcome.problem is None
    facts = outcome.details
    assert facts["sans"] == ["localhost", "127.0.0.1"]
    assert facts["issuer_cn"] in facts["issuer"]
    assert facts["protocol"] in ("TLSv1.2", "TLSv1.3")
    assert facts["days_left"] > 14
    assert outcome.summary == (
        f"certificate valid, {facts['days_left']} days left (until {facts['not_after'][:10]}), "
        f"issued by {facts['issuer_cn']}, {facts['protocol']}"
    )


Variant = Callable[[TlsVariants], ssl.SSLContext]

REJECTIONS = [
    pytest.param(TlsVariants.expired, "cert_expired", "certificate has expired", id="expired"),
    pytest.param(TlsVariants.wrong_host, "hostname_mismatch", "Hostname mismatch", id="wrong-host"),
    pytest.param(
        TlsVariants.untrusted_ca,
        "untrusted",
        "unable to get local issuer certificate",
        id="unknown-ca",
    ),
    pytest.param(TlsVariants.self_signed, "untrusted", "self-signed certificate", id="self-signed"),
]


@pytest.mark.parametrize(("variant", "cause", "reason"), REJECTIONS)
async def test_each_rejected_certificate_fails_with_its_cause_and_still_shows_facts(
    variants: TlsVariants, ca_bundle: str, variant: Variant, cause: str, reason: str
) -> None:
    outcome = await served_with(variant(variants), ca_bundle)

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.TLS_CORS,
        cause,
    )
    assert outcome.summary.startswith("certificate of localhost:")
    assert reason in outcome.summary
    # The unverified second handshake still read the certificate.
    assert f"(issued by {outcome.details['issuer_cn']}, until " in outcome.summary
    assert "not_after" in outcome.details


async def test_expired_certificate_has_negative_days_left(
    variants: TlsVariants, ca_bundle: str
) -> None:
    outcome = await served_with(variants.expired(), ca_bundle)

    assert outcome.details["days_left"] < 0


async def test_a_certificate_expiring_soon_warns(variants: TlsVariants, ca_bundle: str) -> None:
    outcome = await served_with(variants.expiring_soon(days=5.5), ca_bundle)

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.WARN,
        Problem.TLS_CORS,
        "cert_expiring",
    )
    assert (outcome.details["observed"], outcome.details["expected"]) == (5, 14)
    assert outcome.summary.startswith("certificate expires soon: 5 days left (until ")


async def test_an_http_target_is_skipped() -> None:
    outcome = await check_tls("http://127.0.0.1:8000")

    assert (outcome.status, outcome.summary) == (Status.SKIP, "target is http://, no TLS")


async def test_plain_http_on_an_https_url_is_a_handshake_failure(emulator: Emulator) -> None:
    outcome = await check_tls(emulator.url.replace("http://", "https://"))

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.TLS_CORS,
        "tls_handshake",
    )
    assert outcome.summary.startswith(f"TLS handshake with 127.0.0.1:{emulator.port} failed: ")


async def test_a_closed_port_is_unreachable() -> None:
    port = closed_port()

    outcome = await check_tls(f"https://127.0.0.1:{port}")

    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.FAIL,
        Problem.CONNECTION,
        "unreachable",
    )
    assert outcome.summary.startswith(f"cannot connect to 127.0.0.1:{port}: ")


async def test_a_silent_host_times_out_inside_the_check_budget() -> None:
    async with BlackHole() as hole:
        outcome = await check_tls(hole.url.replace("http://", "https://"), budget=0.5)

    assert (outcome.status, outcome.cause) == (Status.FAIL, "timeout")
    assert outcome.summary == f"no TLS handshake from 127.0.0.1:{hole.port} within 0.3 s"


def test_days_left_counts_whole_days(variants: TlsVariants) -> None:
    now = datetime.now(UTC)
    leaf = variants.ca.issue_cert("x.example", not_after=now + timedelta(days=3, hours=23))
    der = ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())

    facts = certificate_facts(der, now=now)

    assert facts["days_left"] == 3
    assert facts["sans"] == ["x.example"]
    assert certificate_facts(der, now=now + timedelta(days=4))["days_left"] == -1
