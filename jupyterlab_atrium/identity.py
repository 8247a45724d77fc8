"""Who is asking, on the user's own server (embedded mode).

jupyter_server's stock identity providers know no users: they make up a random anonymous one
("Anonymous Io", id a uuid4 hex) for every token request without a login cookie and for every
new browser. Recording those as gallery owners would lose a notebook's ownership with the next
browser, cleared cookies or API call, and show owners as 32 hex digits. Such a server has one
owner (whoever holds its token or password), so every anonymous user is that owner, under
``AtriumService.server_owner`` (default: the OS user). A real identity, from JupyterHub or a
configured identity provider, is used as it is.
"""

from __future__ import annotations

import getpass
import re
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider
from jupyter_server.auth.utils import moons_of_jupyter

#: Providers whose every user is anonymous: they have no source of identity but the token.
_ANONYMOUS_ONLY = (IdentityProvider, PasswordIdentityProvider)
_ANONYMOUS_ID = re.compile(r"[0-9a-f]{32}")
_ANONYMOUS_NAMES = frozenset(f"Anonymous {moon}" for moon in moons_of_jupyter)


def os_user() -> str:
    """The name of the account running this server, or "owner" where it has none."""
    try:
        return getpass.getuser() or "owner"
    except (KeyError, OSError):  # no USER variable and no passwd entry (a bare container uid)
        return "owner"


def is_anonymous(user: Any, provider: Any) -> bool:
    """True for jupyter_server's made-up users, whichever provider handed them out."""
    if type(provider) in _ANONYMOUS_ONLY:
        return True
    # A configured provider may still fall back to jupyter_server's anonymous users.
    return bool(
        _ANONYMOUS_ID.fullmatch(getattr(user, "username", "") or "")
        and getattr(user, "name", None) in _ANONYMOUS_NAMES
    )


def user_name(user: Any, provider: Any, server_owner: str) -> str:
    """The name Atrium records for ``user``: the server owner's for an anonymous one."""
    return server_owner if is_anonymous(user, provider) else user.username
