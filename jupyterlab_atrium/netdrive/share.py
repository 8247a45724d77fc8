"""Parse and validate the share address of the connect dialog (the other fields: fields.py).

Every value that reaches the SMB layer, the remembered-drives file or (in FUSE mode) a child
process passes through here first. The rules are deliberately strict: a field that could be
pasted into an option string (``user=x,uid=0``), a path (``../../etc``) or a log line
(newlines) is refused with a message naming the field, never silently cleaned.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

from ..errors import AtriumError
from .errors import InvalidPath
from .paths import normalize_path

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
# A host whose last label is a number (or 0x...) is read as an IPv4 address by the resolver
# (inet_aton: '12345', '1.2.3', '010.0.0.1', '0x7f.0.0.1'); only the canonical dotted quad is
# accepted, so what the policy matches is what is dialled.
_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0x[0-9a-f]*)$", re.IGNORECASE)
_OCTET = r"(?:0|[1-9][0-9]{0,2})"
_IPV4_RE = re.compile(rf"^{_OCTET}(?:\.{_OCTET}){{3}}$")
# Characters Windows refuses in share names, plus '%' (format/escape injection).
_SHARE_BAD = set('"/\\[]:|<>+=;,?*%')
# Refused in folder names on top of what every drive path refuses (paths.normalize_path):
# option separators and escapes, since the folder ends up in option strings (FUSE mode).
_FOLDER_BAD = set(",=%")
_FIELD_LABELS = {
    "domain": "Domain",
    "username": "User name",
    "displayName": "Display name",
    "name": "Name",
    "share": "Share",
    "password": "Password",
    "server": "Server",
}
MAX_SHARE_TEXT = 2048  # a pre-parse bound only: every valid address is shorter
MAX_SHARE_NAME = 80
MAX_FOLDER = 1024


class FieldError(AtriumError):
    """A dialog field is invalid: 400 with the field's name, so the dialog can point at it."""

    status = 400
    reason = "invalid-field"

    def __init__(
        self,
        field: str,
        message: str,
        *,
        reason: str | None = None,
        code: str | None = None,
        detail: str | None = None,
    ):
        label = _FIELD_LABELS.get(field, field)
        super().__init__(f"{label}: {message}", reason=reason)
        self.field = field
        # Why, as the frontend's rule says it (tests/fixtures/netdrive/connect-fields.json).
        self.code = code
        self.detail = detail


class ShareError(FieldError):
    def __init__(self, message: str):
        super().__init__("share", message, reason="invalid-share")


class NotAllowed(AtriumError):
    status = 403
    reason = "not-allowed"


@dataclass(frozen=True)
class ShareLocation:
    server: str  # host name or IPv4 address, lower case
    share: str
    folder: str = ""  # '' or 'a/b'
    port: int = 445

    @property
    def unc(self) -> str:
        """The normalised ``\\\\server\\share\\folder`` form shown to users."""
        host = self.server
        if self.port != 445:
            host = f"{host}:{self.port}"
        parts = [host, self.share, *([self.folder.replace("/", "\\")] if self.folder else [])]
        return "\\\\" + "\\".join(parts)


def has_control(text: str) -> bool:
    """Control and format characters (Cc, Cf, Zl, Zp): line breaks, NUL, bidi overrides;
    and lone surrogates (Cs), which JSON can carry but no UTF-8 (SMB, the state file) can."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in text)


def check_slug(value: object) -> str:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        raise FieldError(
            "name",
            "must be 1-32 characters: lower-case letters, digits, '_' and '-', "
            "starting with a letter or digit.",
        )
    return value


def slugify(text: str) -> str:
    """A drive name proposal from a display or share name: ``Dept Data`` -> ``dept-data``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text).strip("-_")[:32].strip("-_")
    return slug or "drive"


def _check_server(host: str) -> str:
    if not host:
        raise ShareError("the server name is missing (expected \\\\server\\share).")
    if host.startswith("["):
        raise ShareError("IPv6 addresses are not supported: use the server's host name.")
    if len(host) > 253 or not _HOST_RE.fullmatch(host):
        raise ShareError(
            "the server must be a host name or IPv4 address (letters, digits, '.', '-', '_')."
        )
    host = host.lower()
    if _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]):
        if not _IPV4_RE.fullmatch(host) or not all(int(p) <= 255 for p in host.split(".")):
            raise ShareError("the server must be a host name or IPv4 address (e.g. 10.0.0.5).")
        ipaddress.IPv4Address(host)  # belt and braces: the regex already guarantees this
    return host


def _check_share_name(name: str) -> str:
    if not name:
        raise ShareError("the share name is missing (expected \\\\server\\share).")
    if len(name) > MAX_SHARE_NAME:
        raise ShareError(f"the share name is too long (at most {MAX_SHARE_NAME} characters).")
    if has_control(name):
        raise ShareError("the share name must not contain control characters.")
    bad = sorted(set(name) & _SHARE_BAD)
    if bad:
        raise ShareError(f"the share name must not contain {' '.join(bad)}.")
    if name.startswith("-") or name.strip(" ") != name or not name.strip() or name in (".", ".."):
        raise ShareError(
            "the share name must not start with '-', start or end with a space, or be '.' or '..'."
        )
    return name


def check_folder(folder: str) -> str:
    """The folder part of a share: a drive path (``paths.normalize_path``) whose names also
    carry no ``,`` ``=`` ``%``, do not start with ``-`` or a space, and are at most
    ``MAX_FOLDER`` characters in all. ``a..b`` is a name; ``.`` and ``..`` are refused."""
    bad = sorted(set(folder) & _FOLDER_BAD)
    if bad:
        raise ShareError(f"the folder must not contain {' '.join(bad)}.")
    try:
        normal = normalize_path(folder, what="folder")
    except InvalidPath as err:
        raise ShareError(err.message[0].lower() + err.message[1:]) from None
    if any(name.startswith(("-", " ")) for name in normal.split("/")):
        raise ShareError("a folder name must not start with '-' or a space.")
    if len(normal) > MAX_FOLDER:
        raise ShareError(f"the folder is too long (at most {MAX_FOLDER} characters).")
    return normal


def parse_share(text: object) -> ShareLocation:
    r"""Parse ``\\server\share\folder``, ``//server/share/folder`` or ``smb://server/share``.

    The server is a host name or an IPv4 address and may carry ``:port`` (test servers).
    IPv6 literals and a trailing '.' are refused (as in the frontend's ``src/netdrive/share.ts``;
    both follow ``tests/fixtures/netdrive/shares.json``). After the prefix, ``\\`` and ``/``
    both separate; one trailing separator is ignored.
    """
    if not isinstance(text, str) or not text.strip():
        raise ShareError(r"enter a share such as \\server\share or smb://server/share.")
    if len(text) > MAX_SHARE_TEXT:
        raise ShareError("the share is too long.")
    if has_control(text):  # NUL and line breaks among them
        raise ShareError("the share must not contain control characters or line breaks.")
    raw = text.strip()
    if raw.lower().startswith("smb://"):
        rest = raw[6:].replace("\\", "/")
        if "?" in rest:
            raise ShareError("an smb:// address must not carry a '?' query.")
    elif raw.startswith("\\\\") or raw.startswith("//"):
        rest = raw[2:].replace("\\", "/")
    else:
        raise ShareError(r"start with \\server\share, //server/share or smb://server/share.")
    if "@" in rest.split("/", 1)[0]:
        raise ShareError("put the user name in its own field, not in the share.")
    if "%" in rest:
        raise ShareError("the share must not contain '%' (no URL escapes).")
    hostport, _, path = rest.partition("/")
    port = 445
    if hostport.startswith("["):
        raise ShareError("IPv6 addresses are not supported: use the server's host name.")
    host, sep, port_text = hostport.partition(":")
    if sep and not port_text:
        raise ShareError("the port after ':' is missing.")
    if sep:
        # ASCII digits only: str.isdigit() would also accept full-width digits.
        if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
            raise ShareError("the port must be a number between 1 and 65535.")
        port = int(port_text)
    server = _check_server(host)
    parts = path.split("/")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # one trailing separator
    if parts == [""]:
        raise ShareError(r"the share name is missing (expected \\server\share).")
    if any(p == "" for p in parts):
        raise ShareError("empty path component (two separators in a row).")
    share = _check_share_name(parts[0])
    folder = check_folder("/".join(parts[1:]))
    return ShareLocation(server=server, share=share, folder=folder, port=port)


def check_allowed(policy: object, location: ShareLocation) -> None:
    """Refuse servers outside the admin's ``allowed_servers`` with a message naming them."""
    allowed = getattr(policy, "allowed_servers", [])
    if policy is not None and not policy.server_allowed(location.server, location.port):  # type: ignore[attr-defined]
        listed = ", ".join(allowed)
        raise NotAllowed(
            f"The server '{location.server}' is not allowed by your administrator. "
            f"Allowed servers: {listed}."
        )
