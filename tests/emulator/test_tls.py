"""The emulator's CA and server certificate, checked with Python's own TLS stack."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509

from emulator.tls import (
    CA_FILE,
    CA_KEY_FILE,
    SERVER_VALIDITY,
    issue_server_certificate,
    load_or_create_ca,
    server_names,
)


def handshake(files, server_hostname: str, context: ssl.SSLContext) -> str:
    """One real TLS handshake on loopback; returns the protocol version agreed."""
    listener = socket.create_server(("127.0.0.1", 0))
    server_context = files.server_context()

    def serve() -> None:
        connection, _ = listener.accept()
        try:
            with server_context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with (
            socket.create_connection(listener.getsockname()) as raw,
            context.wrap_socket(raw, server_hostname=server_hostname) as tls,
        ):
            version = tls.version()
            tls.send(b"x")
            return version
    finally:
        thread.join(timeout=10)
        listener.close()


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "::1"])
def test_a_client_trusting_the_ca_accepts_every_loopback_name(tmp_path: Path, name: str):
    files = issue_server_certificate(tmp_path, server_names("127.0.0.1"))
    assert handshake(files, name, files.client_context()) in ("TLSv1.2", "TLSv1.3")


def test_a_name_the_certificate_does_not_cover_is_refused(tmp_path: Path):
    files = issue_server_certificate(tmp_path, server_names("127.0.0.1"))
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(files, "chat.example.com", files.client_context())


def test_a_client_without_the_ca_refuses_the_certificate(tmp_path: Path):
    files = issue_server_certificate(tmp_path, server_names("127.0.0.1"))
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(files, "localhost", ssl.create_default_context())


def test_the_ca_is_kept_and_reused_and_its_key_is_private(tmp_path: Path):
    first, _ = load_or_create_ca(tmp_path)
    issue_server_certificate(tmp_path, ["localhost"])
    again, _ = load_or_create_ca(tmp_path)
    assert again == first
    assert (tmp_path / CA_KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert x509.load_pem_x509_certificate((tmp_path / CA_FILE).read_bytes()) == first


def test_a_certificate_issued_by_a_kept_ca_verifies_after_a_restart(tmp_path: Path):
    old = issue_server_certificate(tmp_path, ["localhost", "127.0.0.1"])
    trusted_before = old.client_context()
    new = issue_server_certificate(tmp_path, ["localhost", "127.0.0.1"])
    assert handshake(new, "localhost", trusted_before)


def test_the_server_certificate_names_the_host_and_stays_under_browser_limits(tmp_path: Path):
    files = issue_server_certificate(tmp_path, server_names("192.0.2.10"))
    leaf = x509.load_pem_x509_certificates(files.certificate.read_bytes())[0]
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} >= {
        "127.0.0.1",
        "::1",
        "192.0.2.10",
    }
    lifetime = leaf.not_valid_after_utc - leaf.not_valid_before_utc
    assert lifetime <= SERVER_VALIDITY
    assert lifetime.days < 398
