"""The OpenAPI document: served, valid, and exactly the routes and verbs the server has."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import schemathesis
from jupyter_server.utils import url_path_join
from tornado.web import RequestHandler

from jupyterlab_atrium import __version__
from jupyterlab_atrium.base import MAX_URL_BYTES
from jupyterlab_atrium.openapi import load_document

from .test_api import atrium_rules

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("get", "post", "put", "patch", "delete")
# A value for each path parameter, so that a documented path becomes a URL to route.
SAMPLES = {"id": "0" * 32, "crid": "f" * 32, "name": "drive-1", "path": "folder/file.txt"}


def api_docs():
    spec = importlib.util.spec_from_file_location("api_docs", ROOT / "scripts" / "api_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def implemented(handler: type) -> set[str]:
    return {m for m in METHODS if getattr(handler, m) is not getattr(RequestHandler, m)}


def test_document_is_valid_openapi_3_1():
    doc = load_document()
    assert doc["openapi"].startswith("3.1.")
    schema = schemathesis.openapi.from_dict(doc)
    operations = list(schema.get_all_operations())
    errors = [op.err() for op in operations if not hasattr(op, "ok")]
    assert not errors, errors
    assert len(operations) == sum(
        1 for item in doc["paths"].values() for method in METHODS if method in item
    )


def test_every_operation_documents_its_error_shape():
    for path, item in load_document()["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert responses.get("default") == {"$ref": "#/components/responses/Error"}, (
                method,
                path,
            )
            assert any(code.startswith("2") for code in responses), (method, path)
            assert operation.get("x-atrium-who"), (method, path)


def test_document_lists_exactly_the_registered_routes(jp_serverapp):
    rules = atrium_rules(jp_serverapp)
    documented: dict[type, set[str]] = defaultdict(set)
    for path, item in load_document()["paths"].items():
        url = url_path_join(
            jp_serverapp.base_url, re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], path)
        )
        handlers = [handler for regex, handler in rules if regex.match(url)]
        assert handlers, f"{path} is documented but no Atrium route serves it"
        handler = handlers[0]  # tornado takes the first match
        methods = {m for m in METHODS if m in item}
        missing = methods - implemented(handler)
        assert not missing, f"{path}: {handler.__name__} has no {sorted(missing)}"
        documented[handler] |= methods
    for regex, handler in rules:
        assert handler in documented, f"route {regex.pattern} is missing from openapi.json"
        assert documented[handler] == implemented(handler), (
            f"route {regex.pattern}: the document has {sorted(documented[handler])}, "
            f"{handler.__name__} implements {sorted(implemented(handler))}"
        )


async def test_the_server_serves_the_document(jp_fetch, jp_serverapp):
    reply = await jp_fetch("atrium", "api", "openapi.json")
    assert reply.headers["Content-Type"].startswith("application/json")
    served = json.loads(reply.body)
    assert served["info"]["version"] == __version__
    assert served["servers"] == [{"url": jp_serverapp.base_url.rstrip("/")}]
    shipped = load_document()
    assert served["paths"] == shipped["paths"]
    assert served["components"] == shipped["components"]


def test_api_md_endpoint_tables_are_generated_from_the_document():
    module = api_docs()
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    tags = {tag for match in module.SECTION.finditer(text) for tag in match.group(2).split(",")}
    assert tags == {tag["name"] for tag in load_document()["tags"]}, "a tag has no table"
    assert module.render(text, load_document()) == text, (
        "docs/api.md is stale: run python scripts/api_docs.py"
    )


def test_the_installed_package_ships_the_document():
    shipped = {str(f) for f in importlib.metadata.files("jupyterlab-atrium") or []}
    assert "jupyterlab_atrium/openapi.json" in shipped


def operations():
    for path, item in load_document()["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_lists_the_414_of_a_long_url():
    for path, method, operation in operations():
        assert operation["responses"].get("414") == {"$ref": "#/components/responses/UriTooLong"}, (
            method,
            path,
        )


async def test_every_operation_answers_a_long_url_with_a_json_414(jp_fetch):
    """What the 414 lines promise: every documented operation, a URL just over 8 KiB."""
    for path, method, _operation in operations():
        url = re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], path)
        reply = await jp_fetch(
            *url.strip("/").split("/"),
            method=method.upper(),
            params={"pad": "x" * MAX_URL_BYTES},
            body=b"{}" if method in ("post", "put", "patch") else None,
            allow_nonstandard_methods=True,
            raise_error=False,
        )
        assert reply.code == 414, (method, path, reply.code, reply.body[:200])
        assert json.loads(reply.body)["reason"] == "uri-too-long", (method, path)


#: The operations whose 409 carries the notebook's (assignment's) current ETag (a stale
#: If-Match; for an accept, a notebook updated while the change request was being accepted).
ETAG_ON_409 = {
    ("put", "/atrium/api/service/gallery/notebooks/{id}"),
    ("patch", "/atrium/api/service/gallery/notebooks/{id}"),
    ("delete", "/atrium/api/service/gallery/notebooks/{id}"),
    ("post", "/atrium/api/service/gallery/change-requests/{crid}/accept"),
    ("put", "/atrium/api/service/gallery/notebooks/{id}/deprecation"),
    ("delete", "/atrium/api/service/gallery/notebooks/{id}/deprecation"),
    ("put", "/atrium/api/service/grading/assignments/{id}"),
    ("delete", "/atrium/api/service/grading/assignments/{id}"),
}


def test_the_409s_that_carry_an_etag_say_so():
    doc = load_document()
    for path, method, operation in operations():
        conflict = operation["responses"].get("409")
        headers = api_docs()._resolve(doc, conflict).get("headers", {}) if conflict else {}
        assert ("ETag" in headers) == ((method, path) in ETAG_ON_409), (method, path)
        if "ETag" in headers:
            assert headers["ETag"] == {"$ref": "#/components/headers/ETag"}


async def test_a_stale_if_match_gets_409_with_the_current_etag(jp_fetch):
    gallery = ("atrium", "api", "service", "gallery", "notebooks")
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"id": "a1", "cell_type": "markdown", "source": "# ETag", "metadata": {}}],
    }
    reply = await jp_fetch(
        *gallery, method="POST", body=json.dumps({"title": "ETag", "notebook": notebook})
    )
    nid, current = json.loads(reply.body)["id"], reply.headers["ETag"]
    pattern = load_document()["components"]["headers"]["ETag"]["schema"]["pattern"]
    bodies = {"PUT": {"notebook": notebook}, "PATCH": {"title": "Other"}, "DELETE": None}
    for method, body in bodies.items():
        reply = await jp_fetch(
            *gallery,
            nid,
            method=method,
            body=None if body is None else json.dumps(body),
            headers={"If-Match": '"v7"'},
            allow_nonstandard_methods=True,
            raise_error=False,
        )
        assert reply.code == 409, (method, reply.body[:200])
        assert reply.headers["ETag"] == current, method
        assert re.fullmatch(pattern, reply.headers["ETag"]), method
