"""Reading the files a brand spec names: confined to the spec's folder, checked by content."""

from __future__ import annotations

import os
import stat
import struct
from pathlib import PurePosixPath

from .svg import SvgError, sanitize_svg_report

MAX_FILE_SIZE = 1024 * 1024

CONTENT_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class FileRefused(ValueError):
    """A referenced file is unsafe or unusable; the message is safe to show the admin."""


def spec_folder(spec_path: str) -> str:
    """The folder every referenced file must stay in (symbolic links resolved)."""
    return os.path.realpath(os.path.dirname(os.path.abspath(spec_path)))


def read_limited(path: str, what: str) -> bytes:
    """A regular file's bytes, at most :data:`MAX_FILE_SIZE`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileRefused(f"{what} does not exist") from None
    except OSError as exc:
        raise FileRefused(f"{what} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"{what} is not a regular file")
    if info.st_size > MAX_FILE_SIZE:
        raise FileRefused(f"{what} is larger than 1 MiB")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        raise FileRefused(f"{what} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_SIZE:  # it grew between stat and read
        raise FileRefused(f"{what} is larger than 1 MiB")
    return data


def read_confined(folder: str, relative: str) -> bytes:
    """The bytes of ``relative`` inside ``folder``; refuses anything that leads elsewhere."""
    parts = PurePosixPath(relative).parts
    if (
        not relative
        or relative.startswith(("/", "\\"))
        or os.path.isabs(relative)
        or ".." in parts
        or "\\" in relative
        or "\x00" in relative
    ):
        raise FileRefused(
            f"{relative!r} must be a path relative to the spec's folder, without '..'"
        )
    target = os.path.realpath(os.path.join(folder, relative))
    if os.path.commonpath([folder, target]) != folder:
        raise FileRefused(
            f"{relative!r} resolves outside the spec's folder (through a symbolic link?)"
        )
    return read_limited(target, repr(relative))


def _check_ico(data: bytes) -> bool:
    if len(data) < 6 + 16:
        return False
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    return reserved == 0 and kind == 1 and count > 0


def checked_image(relative: str, data: bytes) -> tuple[bytes, str, list[str]]:
    """The bytes to serve, their content type and warnings for the admin (what sanitising
    removed); the extension must match the content."""
    warnings: list[str] = []
    ext = PurePosixPath(relative).suffix.lower()
    if ext == ".png":
        if not data.startswith(_PNG_SIGNATURE):
            raise FileRefused(f"{relative!r} is named .png but is not a PNG image")
    elif ext == ".ico":
        if not _check_ico(data):
            raise FileRefused(f"{relative!r} is named .ico but is not an ICO icon")
    elif ext == ".svg":
        try:
            sanitized = sanitize_svg_report(data)
        except SvgError as exc:
            raise FileRefused(f"{relative!r} cannot be used as an SVG image: {exc}") from None
        data = sanitized.data
        warnings = [f"{relative!r}: {note}" for note in sanitized.warnings()]
    else:
        raise FileRefused(f"{relative!r} must be an .svg, .png or .ico file")
    return data, CONTENT_TYPES[ext], warnings
