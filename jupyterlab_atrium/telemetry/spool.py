"""Batches waiting on disk for the service: bounded, private, written whole or not at all.

One file per batch, named by the time it was spooled, so the names sort in arrival order.
Each is written to a temporary name and renamed into place (a crash leaves no half batch), is
0600 in a 0700 folder (it holds the user's unkeyed cell fingerprints), and the folder is held
to ``max_bytes`` by dropping the oldest batches, whose records are counted and logged.
Every method blocks; the caller runs them on its one spool thread.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

_NAME = re.compile(r"(\d{20})-(\d{1,6})\.json")
_TEMP_PREFIX = ".tmp-"


class Spool:
    def __init__(self, folder: Path, max_bytes: int, log: logging.Logger) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.log = log
        #: Records dropped to keep within ``max_bytes`` since this server started.
        self.dropped = 0
        self._last = 0

    def _files(self) -> list[Path]:
        try:
            names = sorted(
                entry.name for entry in os.scandir(self.folder) if _NAME.fullmatch(entry.name)
            )
        except FileNotFoundError:
            return []
        return [self.folder / name for name in names]

    def pending(self) -> list[Path]:
        """Spooled batches, oldest first."""
        return self._files()

    def count(self) -> int:
        return sum(int(_NAME.fullmatch(path.name).group(2)) for path in self._files())  # type: ignore[union-attr]

    def add(self, batch: dict[str, Any]) -> None:
        data = json.dumps(batch, separators=(",", ":")).encode()
        if len(data) > self.max_bytes:
            self._drop([], len(batch.get("records", [])))
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        self._make_room(len(data))
        stamp = max(time.time_ns(), self._last + 1)
        self._last = stamp
        final = self.folder / f"{stamp:020d}-{len(batch.get('records', []))}.json"
        temp = self.folder / f"{_TEMP_PREFIX}{final.name}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _make_room(self, size: int) -> None:
        files = self._files()
        total = sum(path.stat().st_size for path in files)
        dropped: list[Path] = []
        while files and total + size > self.max_bytes:
            oldest = files.pop(0)
            total -= oldest.stat().st_size
            dropped.append(oldest)
        if dropped:
            self._drop(dropped, 0)

    def _drop(self, files: list[Path], extra_records: int) -> None:
        records = extra_records
        for path in files:
            records += int(_NAME.fullmatch(path.name).group(2))  # type: ignore[union-attr]
            path.unlink(missing_ok=True)
        self.dropped += records
        self.log.warning(
            "Atrium telemetry: the spool is full (%d bytes); dropped %d of the oldest records "
            "(%d since start)",
            self.max_bytes,
            records,
            self.dropped,
        )

    def read(self, path: Path) -> dict[str, Any] | None:
        try:
            return json.loads(path.read_bytes())
        except (OSError, ValueError):
            self.log.warning("Atrium telemetry: dropped an unreadable spool file %s", path.name)
            path.unlink(missing_ok=True)
            return None

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)
