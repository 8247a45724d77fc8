"""Admin policy for network drives: ``c.AtriumNetDrive.*`` traitlets.

The frontend receives the public part (``policy()``) to show it; the server enforces all of it.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from traitlets import Bool, Float, Int, List, Unicode, validate
from traitlets.config import Configurable

from .fields import domain_problem

# A host glob and an optional port glob, nothing else ('[...]' classes, schemes, paths): read
# the same way by fnmatch here and by the frontend's serverAllowed (src/netdrive/share.ts),
# both held to tests/fixtures/netdrive/allowed-servers.json.
_SERVER_PATTERN = re.compile(r"[a-z0-9._*?-]+(?::[0-9*?]+)?")


class AtriumNetDrive(Configurable):
    """Network drives (SMB shares) connected by users from JupyterLab, without root."""

    allowed_servers = List(
        Unicode(),
        default_value=[],
        config=True,
        help=(
            "SMB servers users may connect to, as case-insensitive glob patterns matched against "
            "the host name or address, e.g. ['fileserver.uni.example', '*.dept.uni.example', "
            "'10.1.2.*']. A pattern may end in ':port' (or ':*') to restrict the port; "
            "without it any port is allowed. Empty (the default) allows any server."
        ),
    )

    default_domain = Unicode(
        "",
        config=True,
        help="Domain (workgroup) proposed in the connect dialog and used when the user leaves "
        "it empty, e.g. 'UNI'.",
    )

    max_drives = Int(
        10, config=True, help="Maximum number of drives a user may remember (connected or not)."
    )

    fuse_enabled = Bool(
        False,
        config=True,
        help=(
            "Also mount each connected drive under ~/netdrives/<name> through FUSE (rclone's smb "
            "backend), so every kernel and terminal sees a plain directory. Needs a usable "
            "/dev/fuse and fusermount3; no root and no mount.cifs. Off by default."
        ),
    )

    fuse_base_dir = Unicode(
        "",
        config=True,
        help="Directory under which FUSE mode mounts drives (one folder per drive name). "
        "Empty (the default) means ~/netdrives.",
    )

    read_only_default = Bool(
        False, config=True, help="Whether the connect dialog proposes read-only drives."
    )

    state_file = Unicode(
        "",
        config=True,
        help="File (0600) in which the user's drives are remembered across restarts, "
        "without passwords. Empty (the default) means <Jupyter data dir>/atrium/netdrives.json.",
    )

    require_encryption = Bool(
        False,
        config=True,
        help="Refuse to connect unless the SMB session is encrypted (SMB 3). Encryption is "
        "always used when the server offers it.",
    )

    connect_timeout = Float(
        5.0,
        config=True,
        help="Seconds to wait for an SMB server before reporting it unreachable.",
    )

    request_timeout = Float(
        30.0,
        config=True,
        help=(
            "Seconds a connected drive's SMB server has to answer each request (a listing, "
            "one 1 MiB read or write, a rename, ...), in the server and in kernels. Past it "
            "the call fails (HTTP 504 naming the drive), the connection is dropped and the "
            "drive is shown as unreachable until its server answers again."
        ),
    )

    probe_interval = Float(
        10.0,
        config=True,
        help="Seconds between two checks of whether an unreachable drive answers again.",
    )

    worker_threads = Int(
        4,
        config=True,
        help="Worker threads per drive: SMB calls never run on the server's event loop.",
    )

    @validate("max_drives", "worker_threads")
    def _validate_positive(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if value < 1:
            raise ValueError(f"AtriumNetDrive.{proposal['trait'].name} must be at least 1")
        return value

    @validate("connect_timeout", "request_timeout", "probe_interval")
    def _validate_timeout(self, proposal: dict[str, Any]) -> float:
        name, value = proposal["trait"].name, float(proposal["value"])
        limit = 120 if name == "connect_timeout" else 3600
        if not 0 < value <= limit:
            raise ValueError(f"AtriumNetDrive.{name} must be between 0 and {limit} seconds")
        return value

    @validate("allowed_servers")
    def _validate_patterns(self, proposal: dict[str, Any]) -> list[str]:
        patterns = []
        for raw in proposal["value"]:
            pattern = str(raw).strip().lower()
            if pattern and not _SERVER_PATTERN.fullmatch(pattern):
                raise ValueError(
                    f"AtriumNetDrive.allowed_servers: {pattern!r} is not a server pattern "
                    "(a host name or IPv4 address with '*' and '?' as wildcards, optionally "
                    "':port', e.g. '*.dept.uni.example' or '127.0.0.1:14455')"
                )
            if pattern:
                patterns.append(pattern)
        return patterns

    @validate("default_domain")
    def _validate_default_domain(self, proposal: dict[str, Any]) -> str:
        domain = str(proposal["value"])
        problem = domain_problem(domain)
        if problem is not None:
            raise ValueError(f"AtriumNetDrive.default_domain {problem.message}")
        return domain

    def server_allowed(self, server: str, port: int = 445) -> bool:
        """Whether policy allows ``server`` (a validated host name or address) on ``port``."""
        if not self.allowed_servers:
            return True
        host = server.lower()
        for pattern in self.allowed_servers:
            host_pattern, _, port_pattern = pattern.partition(":")
            if fnmatch.fnmatchcase(host, host_pattern) and fnmatch.fnmatchcase(
                str(port), port_pattern or "*"
            ):
                return True
        return False

    def policy(self) -> dict[str, Any]:
        """INetDrivePolicy for the frontend (read-only, nothing secret)."""
        return {
            "allowedServers": list(self.allowed_servers),
            "defaultDomain": self.default_domain,
            "maxDrives": self.max_drives,
            "fuseEnabled": self.fuse_enabled,
            "readOnlyDefault": self.read_only_default,
        }
