"""One reading of TLS failures for every place a handshake happens."""

from __future__ import annotations

import ssl

import pytest

from checks.errors import TlsFailure
from checks.tls_causes import tls_cause


def verification_error(code: int) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError("certificate verify failed")
    error.verify_code = code
    return error


def wrapped(inner: BaseException) -> TlsFailure:
    """How httpx and websockets hand it over: OpenSSL's error somewhere down the chain."""
    try:
        try:
            raise inner
        except ssl.SSLError as exc:
            raise ConnectionError("handshake failed") from exc
    except ConnectionError as exc:
        failure = TlsFailure(str(exc))
        failure.__cause__ = exc
        return failure


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (wrapped(verification_error(10)), "cert_expired"),
        (wrapped(verification_error(62)), "hostname_mismatch"),
        (wrapped(verification_error(18)), "untrusted"),
        (wrapped(verification_error(9)), "cert_not_yet_valid"),
        (wrapped(verification_error(26)), "tls_handshake"),
        (TlsFailure("certificate has expired"), "cert_expired"),
        (TlsFailure("Hostname mismatch, certificate is not valid for 'x'"), "hostname_mismatch"),
        (TlsFailure("self-signed certificate in certificate chain"), "untrusted"),
        (TlsFailure("wrong version number"), "tls_handshake"),
    ],
    ids=[
        "code-expired",
        "code-host",
        "code-self-signed",
        "code-not-yet",
        "code-other",
        "text-expired",
        "text-host",
        "text-untrusted",
        "text-other",
    ],
)
def test_cause_from_code_then_words(error: BaseException, cause: str) -> None:
    assert tls_cause(error) == cause
