"""A few sandboxed runners started ahead of need, so an official grade does not wait for an
interpreter and IPython to load. Each runner serves one submission and is then discarded:
nothing one student's code left behind (modules, files, processes) meets the next one's.

Thread-safe; ``take`` blocks only when the pool is empty (it then starts a runner itself).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from .sandbox import Sandbox, SandboxUnavailable, Started

log = logging.getLogger(__name__)


class WarmPool:
    def __init__(
        self, sandbox: Sandbox, size: int = 2, *, ipython: bool = True, max_age: float = 600.0
    ) -> None:
        self.sandbox = sandbox
        self.size = size
        self.ipython = ipython
        #: A runner waiting longer than this is replaced (its interpreter may be stale).
        self.max_age = max_age
        self._ready: deque[Started] = deque()
        self._lock = threading.Lock()
        self._filling = False
        self._closed = False

    def take(self) -> Started:
        """A started runner for one run; the pool refills behind it."""
        fresh = None
        with self._lock:
            while self._ready:
                candidate = self._ready.popleft()
                alive = candidate.proc.poll() is None
                if alive and time.monotonic() - candidate.at < self.max_age:
                    fresh = candidate
                    break
                threading.Thread(target=self.sandbox.discard, args=(candidate,)).start()
        self.refill()
        return fresh if fresh is not None else self.sandbox.start(ipython=self.ipython)

    def refill(self) -> None:
        with self._lock:
            if self._filling or self._closed:
                return
            self._filling = True
        threading.Thread(target=self._fill, name="atrium-sandbox-pool", daemon=True).start()

    def _fill(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closed or len(self._ready) >= self.size:
                        return
                try:
                    runner = self.sandbox.start(ipython=self.ipython)
                except SandboxUnavailable as err:
                    log.warning("Atrium grading: the warm pool cannot start a sandbox: %s", err)
                    return
                with self._lock:
                    if self._closed:
                        self.sandbox.discard(runner)
                        return
                    self._ready.append(runner)
        finally:
            with self._lock:
                self._filling = False

    @property
    def ready(self) -> int:
        with self._lock:
            return len(self._ready)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            waiting = list(self._ready)
            self._ready.clear()
        for runner in waiting:
            self.sandbox.discard(runner)
