"""Deadlines for a connected drive: a server that stops answering fails the call, not hangs it.

smbprotocol waits for a response without limit and sends on a blocking socket, so a server
that stops answering (paused, hung, a dead VPN: the TCP connection stays open) held the
calling thread forever: a listing waited minutes, an upload stopped once the socket buffer
was full, and closing the connection waited for the lock its blocked sender held. Here:

- every response is waited for at most ``request_timeout`` seconds (``DeadlineConnection.
  receive``), and every send blocks at most as long (``SO_SNDTIMEO``: a send that cannot
  hand the kernel one byte in that time fails with ``BlockingIOError``);
- past either, the connection is cut (``cut``): every other call waiting on it fails at
  once instead of each waiting out its own deadline, and the next call reconnects;
- ``cut`` shuts the socket down without taking smbprotocol's locks (a blocked sender holds
  them), which is also how a disconnect abandons the calls in flight.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any

from smbprotocol.connection import Connection

from .errors import TimedOut


def _plural(seconds: float) -> str:
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def timed_out(server: str, seconds: float) -> TimedOut:
    return TimedOut(f"The server {server} did not answer within {_plural(seconds)}.")


def set_send_timeout(sock: socket.socket, seconds: float) -> None:
    """Make a blocking ``send`` on ``sock`` give up after ``seconds`` without progress."""
    if sys.platform == "win32":  # pragma: no cover - a DWORD of milliseconds there
        value = struct.pack("<I", max(1, int(seconds * 1000)))
    else:
        whole = int(seconds)
        value = struct.pack("ll", whole, int((seconds - whole) * 1_000_000))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)


class DeadlineConnection(Connection):
    """An smbprotocol ``Connection`` whose requests have a deadline (see the module doc).

    ``check`` is called before each wait for a response and may raise to stop the call (the
    drive was disconnected); ``on_timeout`` is told when the server did not answer.
    """

    request_timeout: float = 30.0
    check: Callable[[], None] | None = None
    on_timeout: Callable[[TimedOut], None] | None = None

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        result = super().connect(*args, **kwargs)
        self.set_request_timeout(self.request_timeout)
        return result

    def set_request_timeout(self, seconds: float) -> None:
        """The deadline of each request from now on (and of each send on the socket)."""
        self.request_timeout = seconds
        sock = getattr(getattr(self, "transport", None), "_sock", None)
        if isinstance(sock, socket.socket):
            set_send_timeout(sock, seconds)

    def receive(
        self, request: Any, wait: bool = True, timeout: Any = None, resolve_symlinks: bool = True
    ) -> Any:
        if self.check is not None:
            self.check()
        if timeout is None:
            # smbprotocol's own timeout has whole-second steps; this wait is exact.
            timeout = self.request_timeout
            if not request.response_event.wait(timeout):
                raise self.timed_out()
        return super().receive(
            request, wait=wait, timeout=timeout, resolve_symlinks=resolve_symlinks
        )

    def timed_out(self) -> TimedOut:
        """Cut this connection and tell ``on_timeout``; the error to raise."""
        error = timed_out(self.server_name, self.request_timeout)
        self.cut()
        if self.on_timeout is not None:
            self.on_timeout(error)
        return error

    def cut(self) -> None:
        """End the connection now: calls blocked on it fail at once, nothing waits here."""
        transport = getattr(self, "transport", None)  # set by connect()
        sock = getattr(transport, "_sock", None)
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        elif transport is not None:  # pragma: no cover - a transport that looks different
            threading.Thread(target=self.disconnect, args=(False,), daemon=True).start()
