"""A throwaway Samba share for the network-drive UI tests (ui-tests/tests/netdrive.spec.ts).

Starts ``tests/samba_server.py``'s ``SambaServer`` in a temporary directory, puts a small
notebook, a CSV and a PNG into the ``data`` share and prints one JSON line on stdout:

    {"port": 41234, "user": "atriumtest", "password": "...", "dataDir": "/tmp/.../shares/data"}

(the user and password are the throwaway server's test values), or
``{"unavailable": "<reason>"}`` when Samba cannot run here (the spec then skips). It keeps
running until its stdin is closed (the spec ends, or is killed), then stops smbd (resuming it
first if paused) and removes the directory. Meanwhile a line ``pause`` on stdin freezes smbd
(SIGSTOP: a file server that stops answering) and ``resume`` lets it go on; each is answered
with one JSON line once done.

    python ui-tests/netdrive-samba.py
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from samba_server import SambaServer, SambaUnavailable, unavailable_reason  # noqa: E402

NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "intro",
            "metadata": {},
            "source": ["# Results on the department drive"],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "count",
            "metadata": {},
            "outputs": [],
            "source": ["samples = 12"],
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def plot_png(width: int = 48, height: int = 32) -> bytes:
    """A small RGB gradient PNG: a binary file that JupyterLab opens as base64."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\0" + bytes(v for x in range(width) for v in (x * 5 % 256, y * 8 % 256, 160))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def emit(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def main() -> int:
    reason = unavailable_reason()
    if reason:
        emit({"unavailable": reason})
        return 0
    tmp = tempfile.mkdtemp(prefix="atrium-ui-samba-")
    samba = SambaServer(tmp)
    try:
        try:
            samba.start()
        except SambaUnavailable as err:
            emit({"unavailable": str(err).splitlines()[0]})
            return 0
        data = samba.share_path("data")
        project = data / "project"
        project.mkdir()
        (project / "analysis.ipynb").write_text(json.dumps(NOTEBOOK, indent=1), "utf-8")
        (project / "raw.csv").write_text("sample,value\na,1\nb,2\n", "utf-8")
        (project / "plot.png").write_bytes(plot_png())
        (data / "README.txt").write_text("Department share (test data).\n", "utf-8")
        samba.own(data)
        emit(
            {
                "port": samba.port,
                "user": samba.user,
                "password": samba.password,
                "dataDir": str(data),
            }
        )
        # Until the spec closes our stdin (or dies, which closes it too).
        for line in sys.stdin:
            command = line.strip()
            if command == "pause":
                samba.pause()
            elif command == "resume":
                samba.resume()
            else:
                continue
            emit({"done": command})
        return 0
    finally:
        samba.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
