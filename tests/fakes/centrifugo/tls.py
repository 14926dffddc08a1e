"""TLS material for the emulator: one trusted test CA and the server certificates a TLS check
must tell apart (valid, expired, expiring soon, wrong host, unknown CA, self-signed), plus the
client context and CA bundle file that trust the CA."""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# The emulator serves TLS at https://localhost:PORT bound to 127.0.0.1; cover both names.
LOCAL_NAMES = ("localhost", "127.0.0.1")


class TlsVariants:
    """Server SSL contexts keyed by what is wrong with them; only `ca` is trusted by clients."""

    def __init__(self) -> None:
        self.ca = trustme.CA()
        self._stranger = trustme.CA()  # a CA nobody was told to trust

    def valid(self) -> ssl.SSLContext:
        return server_context(self.ca.issue_cert(*LOCAL_NAMES))

    def expired(self) -> ssl.SSLContext:
        now = datetime.now(UTC)
        leaf = self.ca.issue_cert(
            *LOCAL_NAMES, not_before=now - timedelta(days=90), not_after=now - timedelta(days=1)
        )
        return server_context(leaf)

    def expiring_soon(self, days: float = 5.0) -> ssl.SSLContext:
        """Valid now, but notAfter is `days` away (for "renew soon" warnings)."""
        now = datetime.now(UTC)
        leaf = self.ca.issue_cert(
            *LOCAL_NAMES, not_before=now - timedelta(days=85), not_after=now + timedelta(days=days)
        )
        return server_context(leaf)

    def wrong_host(self) -> ssl.SSLContext:
        return server_context(self.ca.issue_cert("wrong.example"))

    def untrusted_ca(self) -> ssl.SSLContext:
        """Signed by a CA the client does not know: "unable to get local issuer certificate"."""
        return server_context(self._stranger.issue_cert(*LOCAL_NAMES))

    def self_signed(self) -> ssl.SSLContext:
        """A leaf that is its own issuer: "self-signed certificate"."""
        return server_context(self_signed_leaf())

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only the test CA."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def write_ca_bundle(self, path: Path) -> Path:
        """Write the CA certificate as PEM (for SSL_CERT_FILE or a `verify=` path)."""
        self.ca.cert_pem.write_to_path(str(path))
        return path


def server_context(leaf: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    return context


def self_signed_leaf() -> trustme.LeafCert:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    alt_names = x509.SubjectAlternativeName(
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(alt_names, critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return trustme.LeafCert(key_pem, cert.public_bytes(serialization.Encoding.PEM), [])
