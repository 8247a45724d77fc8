"""A TCP relay in front of the test Samba that cuts connections at a chosen point.

It interrupts a transfer for real, at a known place: the client's SMB messages (each one
frame: a 4-byte length prefix, then the message) are forwarded whole, one by one. Once armed,
the relay drops both sides of the connection instead of forwarding the first frame that
would start once ``after_bytes`` bytes or ``after_frames`` frames have gone through since
arming. Counting frames finds every step of an operation (create, each write, the rename,
the close): run it once armed with nothing to cut at and read ``frames``, then cut before
each. Armed with ``lose_reply``, the relay forwards that frame and cuts when the server
answers it, dropping the answer: the request was carried out, the client never hears of it
(for a client that waits for each answer before its next request). With ``refuse`` set, new
connections are closed at once: the share is gone until ``refuse`` is cleared.
"""

from __future__ import annotations

import contextlib
import socket
import threading


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        try:
            chunk = sock.recv(min(size - len(data), 1 << 20))
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return bytes(data)


class _Link:
    """One client connection and its upstream connection to Samba."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client, self.upstream = client, upstream
        self._closed = threading.Lock()
        #: Cut at the server's next bytes instead of forwarding them.
        self.doomed = False

    def kill(self) -> None:
        if not self._closed.acquire(blocking=False):
            return
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


class CutProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._limits: tuple[int | None, int | None] | None = None
        self._lose_reply = False
        self._links: set[_Link] = set()
        #: Bytes and frames forwarded from clients since the last ``arm``.
        self.bytes = 0
        self.frames = 0
        #: Set when a connection has been cut.
        self.cut = threading.Event()
        #: Close new connections at once (the share is gone).
        self.refuse = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def arm(
        self,
        *,
        after_bytes: int | None = None,
        after_frames: int | None = None,
        lose_reply: bool = False,
    ) -> None:
        """Start counting; cut at the given point (nothing to cut at: just count), before the
        frame there or, with ``lose_reply``, after it, in place of the server's answer."""
        with self._lock:
            self.bytes = self.frames = 0
            self.cut.clear()
            self._limits = (after_bytes, after_frames)
            self._lose_reply = lose_reply

    def disarm(self) -> None:
        with self._lock:
            self._limits = None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.close()
        for link in list(self._links):
            link.kill()

    # -- relaying -------------------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            link = _Link(client, upstream)
            self._links.add(link)
            threading.Thread(target=self._from_client, args=(link,), daemon=True).start()
            threading.Thread(target=self._from_server, args=(link,), daemon=True).start()

    def _due(self, size: int) -> bool:
        """Whether the next frame (``size`` bytes) is where to cut; else count it."""
        with self._lock:
            if self._limits is not None:
                after_bytes, after_frames = self._limits
                if (after_bytes is not None and self.bytes >= after_bytes) or (
                    after_frames is not None and self.frames >= after_frames
                ):
                    self._limits = None
                    return True
            self.bytes += size
            self.frames += 1
            return False

    def _from_client(self, link: _Link) -> None:
        try:
            while True:
                head = _recv_exact(link.client, 4)
                if head is None:
                    return
                body = _recv_exact(link.client, int.from_bytes(head[1:], "big"))
                if body is None:
                    return
                if self._due(len(head) + len(body)):
                    if not self._lose_reply:
                        self.cut.set()
                        return
                    link.doomed = True  # before sending: the answer may come at once
                link.upstream.sendall(head + body)
        except OSError:
            return
        finally:
            link.kill()
            self._links.discard(link)

    def _from_server(self, link: _Link) -> None:
        try:
            while chunk := link.upstream.recv(1 << 20):
                if link.doomed:
                    self.cut.set()
                    return
                link.client.sendall(chunk)
        except OSError:
            pass
        finally:
            link.kill()
