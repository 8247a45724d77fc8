"""Writes that replace a drive file only once they are complete.

Every write to a drive (uploads, saves, copies, ``netdrive://`` files from kernels) goes to a
temporary file in the target's folder and is renamed over the target, on the handle that
wrote it, once every byte has been acknowledged (SMB2 SET_INFO FileRenameInformation with
replace-if-exists: one extra round trip per file). Until then the target keeps its old
content; a write that fails or is dropped deletes its temporary file through the same handle.

- Names: ``.~atrium-upload-<32 hex>.tmp``: recognisably ours, hidden from listings, and
  random, so that concurrent writes (other tabs, kernels, servers) never share one. The
  temporary file is created with FILE_CREATE and no sharing, so no other open, and no
  clean-up, can touch it while its writer holds it.
- When the connection is gone, the temporary file cannot be deleted: its name is remembered
  (per share, in this process) and deleted at the next connect, reconnect or write.
- A process that died mid-write (a killed kernel or server) leaves a temporary file nobody
  holds: connecting a drive removes such files from its top folder, and listing a folder from
  that folder, once they have not changed for ``STALE_AFTER`` (a file still open by its
  writer cannot be deleted anyway).
"""

from __future__ import annotations

import re
import secrets
import threading
from datetime import timedelta
from typing import Any

from smbprotocol.file_info import FileDispositionInformation, FileRenameInformation
from smbprotocol.header import NtStatus
from smbprotocol.open import FilePipePrinterAccessMask, SMB2SetInfoRequest

from .errors import IsADirectory

PREFIX = ".~atrium-upload-"
SUFFIX = ".tmp"
_NAME_RE = re.compile(re.escape(PREFIX) + r"[0-9a-f]{32}" + re.escape(SUFFIX))

#: Age after which a temporary file that no process holds open counts as left behind.
STALE_AFTER = timedelta(hours=1)

#: What the writer's handle needs: write the data, and rename or delete the file.
WRITE_ACCESS = (
    FilePipePrinterAccessMask.FILE_WRITE_DATA
    | FilePipePrinterAccessMask.FILE_WRITE_ATTRIBUTES
    | FilePipePrinterAccessMask.FILE_READ_ATTRIBUTES
    | FilePipePrinterAccessMask.DELETE
)
#: What renaming a finished temporary file (a server-side copy) needs.
RENAME_ACCESS = FilePipePrinterAccessMask.FILE_READ_ATTRIBUTES | FilePipePrinterAccessMask.DELETE


def new_name() -> str:
    return f"{PREFIX}{secrets.token_hex(16)}{SUFFIX}"


def is_temporary(name: str) -> bool:
    """Whether ``name`` (a file name, not a path) is one of our temporary files."""
    return _NAME_RE.fullmatch(name) is not None


# -- temporary files that could not be deleted ---------------------------------------------------

ShareKey = tuple[str, int, str]
_orphans: dict[ShareKey, set[str]] = {}
_orphans_lock = threading.Lock()


def remember(share: ShareKey, share_path: str) -> None:
    """Remember a temporary file to delete once the share answers again."""
    with _orphans_lock:
        _orphans.setdefault(share, set()).add(share_path)


def remembered(share: ShareKey) -> list[str]:
    with _orphans_lock:
        return sorted(_orphans.get(share, ()))


def forget(share: ShareKey, share_path: str) -> None:
    with _orphans_lock:
        paths = _orphans.get(share)
        if paths is not None:
            paths.discard(share_path)
            if not paths:
                del _orphans[share]


# -- the handle's side ----------------------------------------------------------------------------


def _set_info(open_: Any, info: Any) -> None:
    request = SMB2SetInfoRequest()
    request["info_type"] = info.INFO_TYPE
    request["file_info_class"] = info.INFO_CLASS
    request["file_id"] = open_.file_id
    request["buffer"] = info
    tree = open_.tree_connect
    sent = open_.connection.send(request, sid=tree.session.session_id, tid=tree.tree_connect_id)
    open_.connection.receive(sent)


class PendingFile:
    """An open temporary file (an smbclient raw file opened with DELETE access) and the
    target it becomes (``name``: its drive path, for messages). ``commit`` or ``discard``
    ends it; both close the handle."""

    def __init__(
        self,
        raw: Any,
        share: ShareKey,
        temp_path: str,
        target_path: str,
        *,
        replace: bool,
        name: str,
    ) -> None:
        self.raw = raw
        self.share = share
        self.temp_path = temp_path  # share-relative, '\\'-separated
        self.target_path = target_path
        self.replace = replace
        self.name = name
        self.done = False

    def commit(self) -> None:
        """Rename over the target (only over an existing one if ``replace``). On failure the
        temporary file is discarded and the error raised (smbprotocol's, for the caller to
        map): the target is as it was."""
        if self.done:
            return
        rename = FileRenameInformation()
        rename["replace_if_exists"] = self.replace
        rename["file_name"] = self.target_path
        try:
            _set_info(self.raw.fd, rename)
        except BaseException as err:
            self.discard()
            if self.replace and getattr(err, "status", None) == (
                NtStatus.STATUS_OBJECT_NAME_COLLISION
            ):
                # Only a folder is not replaced by a rename with replace-if-exists.
                raise IsADirectory(f"'{self.name}' is a folder.") from None
            raise
        self.done = True
        # The file is in place: a close that fails now (a connection lost after the rename
        # was answered) loses nothing; the server closes the handle with the connection.
        try:
            self.raw.close()
        except Exception:  # noqa: S110
            pass

    def discard(self) -> None:
        """Delete the temporary file (never raises); remembered for later when the share
        cannot be reached."""
        if self.done:
            return
        self.done = True
        disposition = FileDispositionInformation()
        disposition["delete_pending"] = True
        try:
            _set_info(self.raw.fd, disposition)
            self.raw.close()
        except Exception:
            remember(self.share, self.temp_path)
            try:
                self.raw.close()
            except Exception:  # noqa: S110 - the connection is gone; so is the handle
                pass
