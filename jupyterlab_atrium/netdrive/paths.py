"""Drive-relative path validation shared by the SMB layer, the REST handlers and fsspec.

A drive path is '/'-separated and relative to the drive root ('' is the root). Anything that
could climb out of the drive, be read as an SMB wildcard or option, or confuse a log line is
refused rather than cleaned up.
"""

from __future__ import annotations

import re

from .errors import InvalidPath

MAX_SEGMENT = 255
MAX_PATH = 4096

# Control characters (C0, DEL, C1), backslash, colon, SMB wildcards and reserved characters,
# and lone surrogates: JSON's "\ud800" decodes to one, which no share name can encode.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f-\x9f\\:*?"<>|\ud800-\udfff]')


def normalize_path(path: str, *, what: str = "path") -> str:
    """Return ``path`` as 'a/b/c' (no leading, trailing or doubled '/') or raise InvalidPath.

    Refused: non-strings, NUL and other control characters, lone surrogates, backslashes, ``:``,
    the SMB wildcard and reserved characters ``* ? " < > |``, ``.`` and ``..`` segments,
    segments of only spaces or ending in a space, and overlong names. The message never echoes
    the offending text.
    """
    if not isinstance(path, str):
        raise InvalidPath(f"The {what} must be a string.")
    if len(path) > MAX_PATH:
        raise InvalidPath(f"The {what} is too long.")
    match = _FORBIDDEN.search(path)
    if match:
        char = match.group()
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        raise InvalidPath(f"The {what} contains a character that is not allowed ({shown}).")
    segments = [segment for segment in path.split("/") if segment != ""]
    for segment in segments:
        if segment in (".", ".."):
            raise InvalidPath(f"The {what} must not contain '.' or '..' segments.")
        if segment.strip() == "" or segment.endswith(" "):
            raise InvalidPath(f"The {what} has a name that is blank or ends with a space.")
        if len(segment) > MAX_SEGMENT:
            raise InvalidPath(f"The {what} has a name longer than {MAX_SEGMENT} characters.")
    return "/".join(segments)


def join_path(*parts: str) -> str:
    """Join drive-relative parts (each validated) into one normalised path."""
    return normalize_path("/".join(normalize_path(part) for part in parts if part))


def split_path(path: str) -> tuple[str, str]:
    """('a/b', 'c') for 'a/b/c'; ('', 'c') for 'c'; ('', '') for the root."""
    path = normalize_path(path)
    parent, _, name = path.rpartition("/")
    return parent, name


def to_smb(path: str) -> str:
    """A validated drive path in SMB notation ('a\\b')."""
    return normalize_path(path).replace("/", "\\")
