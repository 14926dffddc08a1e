"""The `tls` check: the certificate the browser sees at CENTRIFUGO_URL's host and port.

One verified handshake decides the status; when verification fails, a second handshake that
verifies nothing fetches the certificate anyway, so the result can still say who issued it and
when it expires (what `openssl s_client` would show).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import ssl
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from checks.context import CheckContext
from checks.model import Language, Outcome, Problem, fail, ok, say, skip, warn
from checks.registry import check
from checks.tls_causes import tls_cause

EXPIRY_WARNING_DAYS = 14
# Share of the check's budget for the verified handshake; the unverified one gets what is left.
VERIFIED_SHARE = 0.6
UNVERIFIED_SHARE = 0.3


@check("tls", "TLS certificate", problem=Problem.TLS_CORS)
async def tls(ctx: CheckContext) -> Outcome:
    target = ctx.target
    if not target.is_https:
        scheme = target.base_url.partition(":")[0]
        return skip(ctx.say(f"target is {scheme}://, no TLS", f"o alvo é {scheme}://, sem TLS"))
    where = f"{target.host}:{target.port}"
    try:
        der, protocol = await handshake(
            target.host, target.port, ctx.ssl_context, ctx.timeout * VERIFIED_SHARE
        )
    except ssl.SSLCertVerificationError as exc:
        return await rejected(ctx, where, exc)
    except ssl.SSLError as exc:
        reason = exc.reason or str(exc)
        said = ctx.say(
            f"TLS handshake with {where} failed: {reason}",
            f"o handshake TLS com {where} falhou: {reason}",
        )
        return fail(said, Problem.TLS_CORS, "tls_handshake")
    except TimeoutError:
        budget = f"{ctx.timeout * VERIFIED_SHARE:g} s"
        said = ctx.say(
            f"no TLS handshake from {where} within {budget}",
            f"sem handshake TLS de {where} em {budget}",
        )
        return fail(said, Problem.CONNECTION, "timeout")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        said = ctx.say(
            f"cannot connect to {where}: {reason}", f"não foi possível conectar a {where}: {reason}"
        )
        return fail(said, Problem.CONNECTION, "unreachable")
    facts = {**certificate_facts(der), "protocol": protocol}
    return judge_expiry(facts, ctx.lang)


def judge_expiry(facts: dict[str, Any], lang: Language) -> Outcome:
    days, until, issuer = facts["days_left"], facts["not_after"][:10], facts["issuer_cn"]
    said = say(
        lang,
        f"{days} days left (until {until}), issued by {issuer}",
        f"{'falta' if days == 1 else 'faltam'} {days} {'dia' if days == 1 else 'dias'} "
        f"(até {until}), emitido por {issuer}",
    )
    if days < 0:
        expired = say(
            lang,
            f"certificate expired: {said}",
            f"certificado expirado em {until}, emitido por {issuer}",
        )
        return fail(expired, Problem.TLS_CORS, "cert_expired", **facts)
    if days < EXPIRY_WARNING_DAYS:
        return warn(
            say(
                lang, f"certificate expires soon: {said}", f"o certificado expira em breve: {said}"
            ),
            Problem.TLS_CORS,
            "cert_expiring",
            observed=days,
            expected=EXPIRY_WARNING_DAYS,
            **facts,
        )
    valid = say(lang, f"certificate valid, {said}", f"certificado válido, {said}")
    return ok(f"{valid}, {facts['protocol']}", **facts)


async def rejected(ctx: CheckContext, where: str, exc: ssl.SSLCertVerificationError) -> Outcome:
    """Fail with the verification error's cause, plus the certificate's facts when obtainable."""
    cause = tls_cause(exc)
    facts: dict[str, Any] = {"verify_code": exc.verify_code}
    with contextlib.suppress(OSError, TimeoutError, ValueError):
        der, protocol = await handshake(
            ctx.target.host, ctx.target.port, unverified_context(), ctx.timeout * UNVERIFIED_SHARE
        )
        facts |= {**certificate_facts(der), "protocol": protocol}
    # OpenSSL's own words stay as they are: they are what one searches for.
    message = (exc.verify_message or str(exc)).rstrip(".")
    if "issuer_cn" in facts:
        issuer, until = facts["issuer_cn"], facts["not_after"][:10]
        message += ctx.say(
            f" (issued by {issuer}, until {until})", f" (emitido por {issuer}, válido até {until})"
        )
    said = ctx.say(
        f"certificate of {where} rejected: {message}",
        f"certificado de {where} recusado: {message}",
    )
    return fail(said, Problem.TLS_CORS, cause, **facts)


async def handshake(
    host: str, port: int, context: ssl.SSLContext, budget: float
) -> tuple[bytes, str]:
    """One TLS handshake; the peer's certificate (DER) and the negotiated protocol version."""
    async with asyncio.timeout(budget):
        _reader, writer = await asyncio.open_connection(
            host, port, ssl=context, server_hostname=host, ssl_handshake_timeout=budget
        )
    try:
        tls_object = writer.get_extra_info("ssl_object")
        der = tls_object.getpeercert(binary_form=True) if tls_object else None
        if not der:
            raise ssl.SSLError("the server sent no certificate")
        return der, str(tls_object.version())
    finally:
        writer.close()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            async with asyncio.timeout(budget):
                await writer.wait_closed()


def unverified_context() -> ssl.SSLContext:
    """Accepts any certificate: only used to read a certificate already judged invalid."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def certificate_facts(der: bytes, now: datetime | None = None) -> dict[str, Any]:
    cert = x509.load_der_x509_certificate(der)
    not_after = cert.not_valid_after_utc
    seconds_left = (not_after - (now or datetime.now(UTC))).total_seconds()
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "issuer_cn": common_name(cert.issuer),
        "sans": alternative_names(cert),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": not_after.isoformat(),
        # Floor: 0 means under a day left, negative means expired.
        "days_left": math.floor(seconds_left / 86400),
    }


def common_name(name: x509.Name) -> str:
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        attributes = name.get_attributes_for_oid(oid)
        if attributes:
            return str(attributes[0].value)
    return name.rfc4514_string() or "?"


def alternative_names(cert: x509.Certificate) -> list[str]:
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    ips = [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)]
    return [*sans.get_values_for_type(x509.DNSName), *ips]
