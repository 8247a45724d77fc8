"""A TCP address on loopback that never answers: connects to it hang until their deadline.

Tests of connect deadlines need a peer that swallows the SYN. A listener whose accept queue
is full is exactly that on Linux (the kernel drops further SYNs), and it stays on this
machine, unlike an unrouted address.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def blackhole() -> Iterator[tuple[str, int]]:
    listener = socket.socket()
    filler = socket.socket()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)  # room for one pending connection, which the filler takes
        address = listener.getsockname()
        filler.settimeout(10)
        filler.connect(address)
        yield address
    finally:
        filler.close()
        listener.close()
