"""HTTPS and WSS for the emulator: a local certificate authority and a server certificate.

Amplify JS always opens the real-time connection with `wss://` (it derives the URL from
the GraphQL endpoint and has no setting for it), and browsers need HTTPS pages for much
of what an app does, so the emulator serves TLS as AppSync does. It generates its own CA
once (RSA 2048, ten years) and keeps it in its key directory (`--data-dir`, or the outputs
file's folder): trust that one file and every later run is trusted too
(`NODE_EXTRA_CA_CERTS=<ca.pem>` for Node, the system or browser store for a browser).
The server certificate is issued by that CA at every start for the names the emulator
answers on (localhost, 127.0.0.1, ::1 and `--host`), valid for 90 days, well under the
398 days browsers accept. The private keys are written with mode 0600.

All of it is `cryptography`'s X.509 builder; nothing is committed to the repository.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
SERVER_FILE = "server.pem"
SERVER_KEY_FILE = "server-key.pem"
CA_NAME = "realtime-chat emulator local CA"
CA_VALIDITY = datetime.timedelta(days=3650)
SERVER_VALIDITY = datetime.timedelta(days=90)
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class TlsFiles:
    """Where the PEM files are: `certificate` holds the server certificate then the CA."""

    ca_certificate: Path
    certificate: Path
    private_key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.certificate, self.private_key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """What a client that trusts the emulator's CA uses (tests, scripts)."""
        return ssl.create_default_context(cafile=str(self.ca_certificate))


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_private(path: Path, key: rsa.RSAPrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    os.replace(temporary, path)


def _write_public(path: Path, *certificates: x509.Certificate) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(
        b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)
    )
    os.replace(temporary, path)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def load_or_create_ca(directory: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The CA kept in `directory`, made on first use (and again if it has expired)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / CA_FILE, directory / CA_KEY_FILE
    if cert_path.exists() and key_path.exists():
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if isinstance(key, rsa.RSAPrivateKey) and certificate.not_valid_after_utc > _now():
            return certificate, key
    key = _new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    start = _now() - datetime.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, key)
    _write_public(cert_path, certificate)
    return certificate, key


def server_names(host: str) -> list[str]:
    """The names a server certificate covers: loopback, plus `host` or this machine's name."""
    names = list(LOOPBACK_NAMES)
    extra = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    if extra and extra not in names:
        names.append(extra)
    return names


def _subject_alternative_names(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def issue_server_certificate(directory: Path, names: list[str]) -> TlsFiles:
    """A fresh server key and certificate for `names`, signed by the CA in `directory`."""
    ca_certificate, ca_key = load_or_create_ca(directory)
    key = _new_key()
    start = _now() - datetime.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + SERVER_VALIDITY)
        .add_extension(_subject_alternative_names(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = TlsFiles(directory / CA_FILE, directory / SERVER_FILE, directory / SERVER_KEY_FILE)
    _write_private(files.private_key, key)
    _write_public(files.certificate, certificate, ca_certificate)
    return files


def spki_sha256(certificate_file: Path) -> str:
    """Base64 SHA-256 of the first certificate's public key (Chromium's SPKI pin format)."""
    import base64

    certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
    der = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return base64.b64encode(digest.finalize()).decode()
