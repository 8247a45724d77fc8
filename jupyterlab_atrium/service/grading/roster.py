"""The roster: the students a gradebook lists whether or not they submitted.

``c.AtriumGrader.students`` names them; in hub-service mode ``student_groups`` adds the
members of JupyterHub groups, read from the hub's REST API (``GET /hub/api/groups/{name}``,
the service's own token, which needs the ``read:groups`` scope) when a gradebook is read.
Instructors are left out by the one rule that makes someone an instructor
(``AtriumGrader.is_instructor``), with the groups a member was found in — so the
``instructor_groups`` are read from the hub too. Without a roster, a gradebook lists who
submitted.

Each hub call has a deadline; a hub that does not answer is a 502 that says so (never the
token). A group the hub does not know adds nobody (logged: a misspelt name in the config).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ...errors import AtriumError
from .config import AtriumGrader

log = logging.getLogger(__name__)

#: Seconds for one hub API call.
HUB_DEADLINE = 10.0


def _hub_unavailable(group: str, why: str) -> AtriumError:
    return AtriumError(
        f"The roster's JupyterHub group {group!r} could not be read from the hub ({why}); "
        "check c.AtriumGrader.student_groups and that the service's token has read:groups.",
        status=502,
        reason="hub-unavailable",
    )


async def _members(hub_auth: Any, group: str) -> list[str]:
    url = f"{hub_auth.api_url.rstrip('/')}/groups/{quote(group, safe='')}"
    request = HTTPRequest(
        url,
        headers={"Authorization": f"token {hub_auth.api_token}"},
        connect_timeout=HUB_DEADLINE,
        request_timeout=HUB_DEADLINE,
    )
    try:
        reply = await AsyncHTTPClient().fetch(request)
    except HTTPClientError as err:
        if err.code == 404:
            log.warning("Atrium grading: the hub has no group %r (student_groups)", group)
            return []
        raise _hub_unavailable(group, f"HTTP {err.code}") from None
    except OSError as err:
        raise _hub_unavailable(group, type(err).__name__) from None
    try:
        users = json.loads(reply.body).get("users")
    except (ValueError, AttributeError):
        users = None
    if not isinstance(users, list):
        raise _hub_unavailable(group, "the reply has no list of users")
    return [str(user) for user in users]


async def roster(config: AtriumGrader, hub_auth: Any | None) -> frozenset[str]:
    """The students on the roster; ``hub_auth`` (hub-service mode) reads ``student_groups``."""
    groups_of: dict[str, set[str]] = {name: set() for name in config.students}
    if hub_auth is not None and config.student_groups:
        wanted = sorted(config.student_groups | config.instructor_groups)
        for group in wanted:
            for member in await _members(hub_auth, group):
                groups_of.setdefault(member, set()).add(group)
    return frozenset(
        name
        for name, groups in groups_of.items()
        if (name in config.students or not groups.isdisjoint(config.student_groups))
        and not config.is_instructor(name, groups)
    )
