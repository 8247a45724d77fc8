r"""The connect form's account fields: domain, user name, display name and password.

One rule per field, implemented here and in the frontend's ``src/netdrive/fields.ts``; both
run ``tests/fixtures/netdrive/connect-fields.json``, so the dialog accepts exactly what the
server does and refuses for the same reason (the ``code`` of a ``FieldError``).

- A name (domain, user name, display name) has no control or format characters, none of
  ``, = % / \ : ; " * ? < > |``, no ``..``, does not start with ``-`` and does not start or
  end with a space. Lengths count characters (code points).
- Domain: at most 255 characters, letters, digits, ``.``, ``_``, ``-``, starting with a
  letter or digit (``UNI``, ``uni.example``).
- User name: required, at most 128 characters. ``UNI\alice`` names its domain (checked as a
  domain); ``alice@uni.example`` is a user principal name, sent as it is. A user name that
  names its domain is used with that domain, whatever the Domain field says; otherwise the
  Domain field, or the admin's ``default_domain`` when it is empty.
- Display name: optional, at most 80 characters. Left empty, the drive is named after its
  folder's last name, else its share, else its server: the first that is a valid display name.
- Password: required, at most 1024 characters, no NUL; anything else is allowed (it never
  reaches an option string, a path or a log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..fields import unstorable
from .share import FieldError, ShareLocation, has_control, parse_share

MAX_FIELD = {"domain": 255, "username": 128, "displayName": 80, "password": 1024}

# Refused in every name: option separators, escapes, path parts, what Windows refuses.
_FIELD_BAD = {
    ",": "a comma",
    "=": "'='",
    "%": "'%'",
    "/": "'/'",
    "\\": "a backslash",
    ":": "':'",
    ";": "';'",
    '"': "a double quote",
    "*": "'*'",
    "?": "'?'",
    "<": "'<'",
    ">": "'>'",
    "|": "'|'",
}
_DOMAIN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Problem:
    """What is wrong with a value: a code shared with the frontend and an English message."""

    code: str
    message: str
    detail: str | None = None


def name_problem(value: str, max_len: int) -> Problem | None:
    """The first thing wrong with a name, in the order both implementations check."""
    if len(value) > max_len:
        return Problem("too-long", f"is too long (at most {max_len} characters).")
    if "\x00" in value:
        return Problem("control-char", "must not contain NUL characters.")
    if "\n" in value or "\r" in value:
        return Problem("control-char", "must not contain line breaks.")
    if has_control(value):
        return Problem("control-char", "must not contain control characters.")
    bad = next((char for char in value if char in _FIELD_BAD), None)
    if bad is not None:
        return Problem("forbidden-char", f"must not contain {_FIELD_BAD[bad]}.", bad)
    if ".." in value:
        return Problem("dot-dot", "must not contain '..'.")
    if value.startswith("-"):
        return Problem("leading-dash", "must not start with '-'.")
    # Control characters are refused above, so what is left to strip is a space (Zs).
    if value != value.strip():
        return Problem("spaces", "must not start or end with spaces.")
    return None


def domain_problem(value: str) -> Problem | None:
    problem = name_problem(value, MAX_FIELD["domain"])
    if problem is None and value and not _DOMAIN_RE.fullmatch(value):
        problem = Problem(
            "domain-chars",
            "may only contain letters, digits, '.', '_' and '-' (e.g. UNI or uni.example).",
        )
    return problem


def user_problem(value: str) -> Problem | None:
    """A user name without a ``DOMAIN\\`` prefix; ``user@realm`` is checked whole."""
    if not value:
        return Problem("required", "is required.")
    problem = name_problem(value, MAX_FIELD["username"])
    if problem is None and "@" in value:
        local, _, realm = value.partition("@")
        if not local or not realm or domain_problem(realm) is not None:
            problem = Problem(
                "realm",
                "must be user@domain with one '@' and a domain name after it "
                "(e.g. alice@uni.example).",
            )
    return problem


def _text(field: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(field, "must be a string.", code="type")
    return value


def _raise(field: str, problem: Problem | None) -> None:
    if problem is not None:
        raise FieldError(field, problem.message, code=problem.code, detail=problem.detail)


def check_domain(value: object) -> str:
    domain = _text("domain", value)
    _raise("domain", domain_problem(domain))
    return domain


def check_username(value: object) -> str:
    """A stored user name (no ``DOMAIN\\`` prefix: that is split off when connecting)."""
    user = _text("username", value)
    _raise("username", user_problem(user))
    return user


def check_display_name(value: object) -> str:
    name = _text("displayName", value)
    _raise("displayName", name_problem(name, MAX_FIELD["displayName"]))
    return name


def check_password(value: object) -> str:
    password = _text("password", value)
    if not password:
        raise FieldError("password", "is required.", code="required")
    if len(password) > MAX_FIELD["password"]:
        raise FieldError(
            "password",
            f"is too long (at most {MAX_FIELD['password']} characters).",
            code="too-long",
        )
    # Any other character may be in a password; what no backend stores cannot be sent.
    if unstorable(password) is not None:
        raise FieldError(
            "password",
            "must not contain NUL characters or unpaired surrogates.",
            code="control-char",
        )
    return password


def check_account(domain: object, username: object, default_domain: str = "") -> tuple[str, str]:
    """The (domain, user name) to sign in with, from the Domain and User name fields."""
    domain = check_domain(domain)
    user = _text("username", username)
    head, backslash, tail = user.partition("\\")
    if backslash:
        problem = Problem("required", "is missing.") if not head else domain_problem(head)
        if problem is not None:
            raise FieldError(
                "username",
                f"the domain before the backslash {problem.message}",
                code="user-domain",
                detail=problem.code,
            )
        if "@" in tail:
            raise FieldError(
                "username",
                "names its domain twice: write UNI\\alice or alice@uni.example.",
                code="two-domains",
            )
        return head, check_username(tail)
    user = check_username(user)
    if "@" in user:
        return "", user
    return domain or check_domain(default_domain), user


def default_display_name(location: ShareLocation) -> str:
    """The display name of a drive the user did not name ('' when no candidate is valid)."""
    candidates = (location.folder.rpartition("/")[2], location.share, location.server)
    return next(
        (name for name in candidates if name and not name_problem(name, MAX_FIELD["displayName"])),
        "",
    )


@dataclass(frozen=True)
class ConnectFields:
    location: ShareLocation
    domain: str
    username: str
    password: str
    display_name: str


def check_connect_fields(body: dict[str, Any], default_domain: str = "") -> ConnectFields:
    """Validate a connect request's fields (``POST drives``), the first error raised."""
    location = parse_share(body.get("share"))
    domain, username = check_account(body.get("domain"), body.get("username"), default_domain)
    return ConnectFields(
        location=location,
        domain=domain,
        username=username,
        password=check_password(body.get("password")),
        display_name=check_display_name(body.get("displayName")) or default_display_name(location),
    )
