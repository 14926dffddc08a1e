"""Which runbook cause (problem 4) a failed TLS handshake names, read the same way wherever
the handshake happened: the tls check, the HTTP API, the app's token endpoint, the WebSocket.
"""

from __future__ import annotations

import ssl

# OpenSSL X509_V_ERR_* codes carried by ssl.SSLCertVerificationError.verify_code.
VERIFY_CAUSES = {
    9: "cert_not_yet_valid",
    10: "cert_expired",
    2: "untrusted",  # unable to get issuer certificate
    18: "untrusted",  # self-signed certificate
    19: "untrusted",  # self-signed certificate in chain
    20: "untrusted",  # unable to get local issuer certificate
    21: "untrusted",  # unable to verify the first certificate
    62: "hostname_mismatch",
    64: "hostname_mismatch",  # IP address mismatch
}


def tls_cause(exc: BaseException) -> str:
    """The cause of a TLS failure: OpenSSL's verify code when the error chain carries one
    (httpx and websockets wrap it), else OpenSSL's words, else a generic handshake failure."""
    verify = _verification_error(exc)
    if verify is not None:
        return VERIFY_CAUSES.get(verify.verify_code, "tls_handshake")
    text = str(exc).lower()
    if "hostname mismatch" in text or "doesn't match" in text:
        return "hostname_mismatch"
    if "certificate has expired" in text:
        return "cert_expired"
    return "untrusted" if "certificate" in text else "tls_handshake"


def _verification_error(exc: BaseException | None) -> ssl.SSLCertVerificationError | None:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None
