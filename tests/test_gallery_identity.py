"""A server without real identity has one owner, under a stable, readable name.

jupyter_server's stock identity providers make up a random anonymous user for every token
request without a cookie and for every new browser. Atrium counts all of them as the server's
one owner (the OS user, or ``c.AtriumService.server_owner``), so publishing from one browser
and updating from another (or through the API) works, and owners read as names. A real
identity (a configured identity provider, JupyterHub) is used as it is.

The two "browsers" are two cookie jars: each gets its login cookie (its own anonymous user)
from a first token request, as a browser opened with the token in its URL does.
"""

from __future__ import annotations

import getpass
import json
from http.cookies import SimpleCookie
from typing import Any

import pytest

from .test_gallery_api import BASE, notebook

OS_USER = getpass.getuser()


class Browser:
    """A cookie jar over ``jp_fetch``: the token authenticates, the cookie names the user."""

    def __init__(self, jp_fetch) -> None:
        self.fetch = jp_fetch
        self.cookies: dict[str, str] = {}

    async def _fetch(self, *path: str, headers=None, **kwargs):
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = await self.fetch(*path, headers=all_headers, raise_error=False, **kwargs)
        for header in reply.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return reply

    async def __call__(self, method: str, *path: str, body: Any = None, headers=None, params=None):
        data = json.dumps(body) if body is not None else None
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = "{}"
        return await self._fetch(
            *BASE,
            *path,
            method=method,
            body=data,
            headers=headers,
            params=params,
            allow_nonstandard_methods=True,
        )

    async def login_user(self) -> str:
        """The user name jupyter_server gives this browser (its identity, not Atrium's)."""
        reply = await self._fetch("api", "me")
        return json.loads(reply.body)["identity"]["username"]


async def _publish(browser: Browser) -> tuple[dict[str, Any], str]:
    reply = await browser(
        "POST", "notebooks", body={"title": "Mine", "notebook": notebook("first()")}
    )
    assert reply.code == 201, reply.body
    return json.loads(reply.body), reply.headers["ETag"]


async def test_every_browser_and_token_request_is_the_one_owner(jp_fetch):
    first, second = Browser(jp_fetch), Browser(jp_fetch)
    # jupyter_server itself tells the two browsers apart (random anonymous users)...
    first_login, second_login = await first.login_user(), await second.login_user()
    assert first_login != second_login
    # ...Atrium does not: both are the owner of this server, under the OS user's name.
    for browser in (first, second):
        policy = json.loads((await browser("GET", "policy")).body)
        assert policy["user"] == OS_USER
    nb, etag = await _publish(first)
    assert nb["owner"] == OS_USER and nb["canEdit"] is True

    # The other browser updates it and edits its metadata; so does a bare token request.
    update = await second(
        "PUT",
        "notebooks",
        nb["id"],
        body={"notebook": notebook("second()")},
        headers={"If-Match": etag},
    )
    assert update.code == 200, update.body
    bare = Browser(jp_fetch)
    patch = await bare(
        "PATCH",
        "notebooks",
        nb["id"],
        body={"title": "Renamed"},
        headers={"If-Match": update.headers["ETag"]},
    )
    assert patch.code == 200, patch.body
    got = json.loads(patch.body)
    assert got["owner"] == OS_USER and got["title"] == "Renamed" and got["version"] == 2
    versions = json.loads((await first("GET", "notebooks", nb["id"], "versions")).body)["items"]
    assert {v["author"] for v in versions} == {OS_USER}
    mine = json.loads((await bare("GET", "notebooks", params={"mine": "1"})).body)
    assert [item["id"] for item in mine["items"]] == [nb["id"]]


@pytest.fixture
def named_owner(jp_server_config):
    jp_server_config.setdefault("AtriumService", {})["server_owner"] = "lab-owner"
    return jp_server_config


@pytest.mark.usefixtures("named_owner")
async def test_the_owner_name_is_a_setting(jp_fetch):
    nb, _ = await _publish(Browser(jp_fetch))
    assert nb["owner"] == "lab-owner"


@pytest.fixture
def fallback_provider(jp_server_config):
    """A configured identity provider: real users by a header, jupyter_server's anonymous
    user otherwise (as the UI tests' provider without its cookie)."""
    from jupyter_server.auth.identity import PasswordIdentityProvider, User

    class FallbackIdentityProvider(PasswordIdentityProvider):
        async def get_user(self, handler):  # type: ignore[override]
            user = await super().get_user(handler)
            name = handler.request.headers.get("X-Test-User")
            if user is not None and name:
                return User(username=name)
            return user

    jp_server_config["ServerApp"]["identity_provider_class"] = FallbackIdentityProvider
    return jp_server_config


@pytest.mark.usefixtures("fallback_provider")
async def test_a_real_identity_is_used_as_it_is(jp_fetch):
    browser = Browser(jp_fetch)
    nb, etag = await _publish(browser)
    # This provider's own anonymous fallback is still no identity: the owner.
    assert nb["owner"] == OS_USER
    named = await browser(
        "POST",
        "notebooks",
        body={"title": "Ada's", "notebook": notebook()},
        headers={"X-Test-User": "ada"},
    )
    assert named.code == 201 and json.loads(named.body)["owner"] == "ada"
    refused = await browser(
        "PATCH",
        "notebooks",
        nb["id"],
        body={"title": "x"},
        headers={"X-Test-User": "ben", "If-Match": etag},
    )
    assert refused.code == 403


@pytest.mark.parametrize("value", ["", "  ", "a\x00b", "x" * 256])
def test_a_bad_owner_name_is_refused_at_start(value):
    from traitlets import TraitError

    from jupyterlab_atrium.service.config import AtriumService

    with pytest.raises((TraitError, ValueError), match="server_owner"):
        AtriumService(server_owner=value)
