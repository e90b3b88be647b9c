"""Every listener the emulator opens hands out sockets with Nagle's algorithm off.

The e2e ratio tests show the effect over HTTP; this checks the option itself on what
`accept()` returns, which is what the WebSocket endpoint (same listener as HTTP) and any
further listener built with `emulator.sockets` serve on.
"""

from __future__ import annotations

import asyncio
import socket

from emulator.sockets import listening_socket, nodelay_listener


def _accepted_nodelay(listener: socket.socket) -> int:
    client = socket.create_connection(listener.getsockname()[:2], timeout=30)
    try:
        accepted, _ = listener.accept()
        with accepted:
            return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        client.close()


def test_accepted_sockets_have_tcp_nodelay():
    with listening_socket("127.0.0.1", 0) as listener:
        assert listener.proto == socket.IPPROTO_TCP
        assert _accepted_nodelay(listener) != 0


def test_a_plain_listener_gets_it_too():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        assert _accepted_nodelay(listener) == 0  # what servers get by default
        nodelay_listener(listener)
        assert _accepted_nodelay(listener) != 0


async def test_asyncio_transports_on_the_listener_have_tcp_nodelay():
    seen: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    with listening_socket("127.0.0.1", 0) as listener:
        server = await asyncio.start_server(handle, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        while not seen:
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
    assert seen[0] != 0
