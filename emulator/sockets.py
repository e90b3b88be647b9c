"""Listening sockets without Nagle's algorithm, for every server the emulator runs.

A keep-alive client (gql, Amplify, browsers, boto3) that gets a small response written
in two pieces (uvicorn, werkzeug and `http.server` send headers and body separately)
waits about 40 ms for its own delayed ACK before the second piece leaves: every request
pays it. TCP_NODELAY on the listener is inherited by each accepted socket on Linux, and
asyncio sets it on accepted sockets too, but only when the listener was made with
`IPPROTO_TCP` (a socket made with protocol 0 does not qualify), so both are done here.
"""

from __future__ import annotations

import socket


def nodelay_listener(sock: socket.socket) -> socket.socket:
    """Turn Nagle off on a listening TCP socket; its accepted sockets inherit that."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def listening_socket(host: str, port: int, backlog: int = 512) -> socket.socket:
    """A bound, listening TCP socket (port 0: a free one) with TCP_NODELAY.

    OSError propagates with the operating system's reason (address in use, ...).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        nodelay_listener(sock)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
