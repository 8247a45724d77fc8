"""Bad input to every gallery endpoint gets a 400 with a message, on SQLite and PostgreSQL.

Every text field refuses NUL and unpaired surrogates and values of the wrong JSON type; every
integer (path, query string, body) is checked against the range a database column holds. The
tables below name each endpoint's fields, so a field added without the shared validator shows
up here as a 500.
"""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_atrium.errors import AtriumError
from jupyterlab_atrium.service.gallery.config import AtriumGallery
from jupyterlab_atrium.service.gallery.store import prepare_upload

from .test_gallery_api import api, assert_error, notebook, publish  # noqa: F401

pytestmark = pytest.mark.usefixtures("gallery_users")

STRIP_FIXTURES = Path(__file__).parent / "fixtures" / "strip"
SURROGATE = "t\ud800"
NUL = "t\x00"
#: Values no text field accepts.
NOT_TEXT = [SURROGATE, NUL, {"x": 1}, ["a"], 5, True]


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    return jp_server_config


async def _setup(api) -> dict[str, Any]:
    """A notebook of alice with an open change request by bob."""
    nb = await publish(api)
    cr = await api(
        "POST",
        "notebooks",
        nb["id"],
        "change-requests",
        user="bob",
        body={"notebook": notebook("other()"), "comment": "try", "baseVersion": 1},
    )
    assert cr.code == 201, cr
    return {"nb": nb, "cr": cr.json}


def _requests(ids: dict[str, Any], field: str, value: Any) -> list[tuple[str, ...]]:
    """(method, path..., user) of every request that takes ``field`` in its body."""
    nid, crid = ids["nb"]["id"], ids["cr"]["id"]
    return {
        "title": [("POST", "notebooks"), ("PATCH", "notebooks", nid)],
        "description": [("POST", "notebooks"), ("PATCH", "notebooks", nid)],
        "visibility": [("POST", "notebooks"), ("PATCH", "notebooks", nid)],
        "tags": [("POST", "notebooks"), ("PATCH", "notebooks", nid)],
        "note": [
            ("POST", "notebooks"),
            ("PUT", "notebooks", nid),
            ("POST", "change-requests", crid, "accept"),
        ],
        "parentId": [("POST", "notebooks")],
        "comment": [
            ("POST", "notebooks", nid, "change-requests", "bob"),
            ("POST", "change-requests", crid, "decline"),
        ],
        "baseVersion": [("POST", "notebooks", nid, "change-requests", "bob")],
    }[field]


def _body(field: str, value: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Sales",
        "notebook": notebook("changed()"),
        "baseVersion": 1,
        "comment": "c",
    }
    return {**base, field: value}


async def _send(api, request: tuple[str, ...], body: dict[str, Any]):
    method, *path = request
    user = "alice"
    if path[-1] == "bob":
        path, user = path[:-1], "bob"
    return await api(method, *path, user=user, body=body, headers={"If-Match": '"v1"'})


TEXT_FIELDS = ["title", "description", "note", "comment", "parentId", "visibility"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(
    "value", NOT_TEXT, ids=["surrogate", "nul", "object", "list", "int", "bool"]
)
async def test_every_text_field_refuses_what_no_backend_stores(api, field, value):
    ids = await _setup(api)
    for request in _requests(ids, field, value):
        reply = await _send(api, request, _body(field, value))
        body = assert_error(reply, 400, "bad-request")
        assert f"'{field}'" in body["message"], (request, body)
    # Nothing was written by any of them.
    nb = (await api("GET", "notebooks", ids["nb"]["id"])).json
    assert nb["version"] == 1 and nb["title"] == ids["nb"]["title"]
    assert (await api("GET", "change-requests", ids["cr"]["id"])).json["status"] == "open"


@pytest.mark.parametrize("value", [[SURROGATE], [NUL], "sales", [1], {"a": 1}, 3])
async def test_tags_refuse_bad_items_and_types(api, value):
    ids = await _setup(api)
    for request in _requests(ids, "tags", value):
        assert_error(await _send(api, request, _body("tags", value)), 400, "bad-request")


@pytest.mark.parametrize("value", [2**31, 2**63, -1, 0, "1", True, 1.0, None])
async def test_base_version_is_a_bounded_whole_number(api, value):
    ids = await _setup(api)
    for request in _requests(ids, "baseVersion", value):
        reply = await _send(api, request, _body("baseVersion", value))
        body = assert_error(reply, 400, "bad-request")
        assert "'baseVersion'" in body["message"]


async def test_a_non_string_note_is_refused_not_stored_as_its_repr(api):
    reply = await api(
        "POST",
        "notebooks",
        body={"title": "t", "notebook": notebook(), "note": {"x": 1}},
    )
    body = assert_error(reply, 400, "bad-request")
    assert "'note'" in body["message"]


@pytest.mark.parametrize(
    "version",
    ["9223372036854775808", "2147483648", "-1", "0", "1e3", "0x10", "\u0661", "1_0", "9" * 5000],
)
async def test_content_version_out_of_range_is_400(api, version):
    nb = await publish(api)
    reply = await api("GET", "notebooks", nb["id"], "content", params={"version": version})
    body = assert_error(reply, 400, "bad-request")
    assert "'version'" in body["message"]


async def test_content_version_at_the_top_of_the_range_is_404(api):
    nb = await publish(api)
    reply = await api("GET", "notebooks", nb["id"], "content", params={"version": str(2**31 - 1)})
    assert_error(reply, 404, "not-found")


@pytest.mark.parametrize(
    "params",
    [
        {"page": "9223372036854775808"},
        {"perPage": "99999999999"},
        {"page": "x"},
        {"sort": NUL},
    ],
)
async def test_search_parameters_are_checked(api, params):
    # (tornado turns control characters of query arguments, NUL included, into spaces)
    await publish(api)
    assert_error(await api("GET", "notebooks", params=params), 400, "bad-request")


@pytest.mark.parametrize("params", [{"role": NUL}, {"status": "x" * 100}])
async def test_change_request_list_parameters_are_checked(api, params):
    assert_error(await api("GET", "change-requests", params=params), 400, "bad-request")


@pytest.mark.parametrize("cell_type", [{}, [], ["code"], 1, None])
async def test_a_cell_type_that_is_no_string_is_not_a_notebook(api, cell_type):
    """Found by schemathesis (/work/brief/schemathesis-gallery.md, 1): an unhashable
    ``cell_type`` was looked up in a set (500)."""
    ids = await _setup(api)
    bad = notebook()
    bad["cells"][0]["cell_type"] = cell_type
    nid = ids["nb"]["id"]
    for method, path, user, body in [
        ("POST", ("notebooks",), "alice", {"title": "t", "notebook": bad}),
        ("PUT", ("notebooks", nid), "alice", {"notebook": bad}),
        ("POST", ("notebooks", nid, "change-requests"), "bob", {"notebook": bad, "baseVersion": 1}),
    ]:
        reply = await api(method, *path, user=user, body=body, headers={"If-Match": '"v1"'})
        assert_error(reply, 400, "not-a-notebook")


@pytest.mark.parametrize("name", ["x" * 256])
async def test_a_user_name_no_database_holds_is_refused(api, name):
    """A deployment's authenticator may hand out any name; the service stores none it cannot."""
    body = {"title": "t", "notebook": notebook()}
    reply = await api("POST", "notebooks", user=name, body=body)
    assert_error(reply, 400, "bad-request")


def _paths(value: Any, prefix: tuple = ()):
    yield prefix
    if isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _paths(item, (*prefix, key))


def _replaced(nb: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    out = copy.deepcopy(nb)
    level = out
    for key in path[:-1]:
        level = level[key]
    level[path[-1]] = new
    return out


@pytest.mark.parametrize("fixture", sorted(STRIP_FIXTURES.glob("*.in.ipynb")), ids=lambda p: p.stem)
def test_any_value_of_any_json_type_anywhere_in_a_notebook_is_a_4xx_or_accepted(fixture):
    """Every value of every strip fixture replaced by each JSON type in turn: the upload check
    answers with a refusal (AtriumError: 4xx) or accepts it, never another exception (500)."""
    nb = json.loads(fixture.read_text())
    config = AtriumGallery()
    for path in _paths(nb):
        for new in ({}, [], 1, None, "x"):
            try:
                prepare_upload(_replaced(nb, path, new), config)
            except AtriumError:
                pass
