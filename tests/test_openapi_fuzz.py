"""Fuzz a real Jupyter server with Atrium against its own OpenAPI document (schemathesis).

One server per database backend (SQLite, PostgreSQL), started as a subprocess with a token,
auth and XSRF on, and a network drive connected to the test Samba share. Schemathesis
sends valid and invalid requests for every documented operation, within a fixed budget and a
fixed seed, and fails on any 5xx that is not a documented answer (a 500 always fails) and on
any response that breaks the document. docs/development.md, "Fuzzing the API", says how to
reproduce a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from jupyterlab_atrium.identity import os_user
from jupyterlab_atrium.openapi import load_document

from .real_server import AtriumServer, running_server

#: Examples per operation in the fuzzing phase; the coverage phase adds its boundary cases.
EXAMPLES = int(os.environ.get("ATRIUM_FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("ATRIUM_FUZZ_SEED", "11"))
DRIVE = "fuzz"


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": False},
            # Unexpected verbs are tests/test_api.py's (every route, every verb, 403/405).
            "coverage": {"enabled": True, "unexpected-methods": []},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        # Hypothesis's speed checks measure the busy machine, not the API.
        "suppress-health-check": ["too_slow", "filter_too_much"],
    }
)


NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {},
    "cells": [{"id": "a1", "cell_type": "markdown", "source": "# Fuzz", "metadata": {}}],
}
#: Files on the drive, so that generated requests reach files and folders that exist.
FILES = {"a.txt": b"text", "nb.ipynb": json.dumps(NOTEBOOK).encode(), "dir/b.bin": b"\xff\x00"}
#: Real values of path parameters for the current server; the hook below mixes them into
#: generated requests (a random drive name or notebook id would only ever meet a 404).
KNOWN: dict[str, list[str]] = {"name": [DRIVE], "path": [*FILES, "dir"], "id": []}


class Fixtures:
    """What the fuzzed server holds before each operation's run: a connected drive with
    some files, and published notebooks. The previous operation may have deleted them."""

    def __init__(self, server: AtriumServer, samba, folder: Path) -> None:
        self.server, self.samba, self.folder = server, samba, folder
        self.assignment = ""

    def ensure(self) -> None:
        drive = self.server.session.get(f"{self.server.url}/atrium/api/netdrive/drives/{DRIVE}")
        if drive.status_code == 404:
            self.server.call(
                "POST",
                "netdrive/drives",
                json={
                    "name": DRIVE,
                    "share": f"smb://127.0.0.1:{self.samba.port}/data/{self.folder.name}",
                    "username": self.samba.user,
                    "password": self.samba.password,
                },
            )
        elif drive.json()["state"] != "connected":
            self.server.call(
                "POST", f"netdrive/drives/{DRIVE}/connect", json={"password": self.samba.password}
            )
        for name, data in FILES.items():
            target = self.folder / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
        self.samba.own(self.folder)
        ids = []
        for known in KNOWN["id"]:
            reply = self.server.session.get(
                f"{self.server.url}/atrium/api/service/gallery/notebooks/{known}"
            )
            if reply.status_code == 200:
                ids.append(known)
        while len(ids) < 2:
            reply = self.server.call(
                "POST",
                "service/gallery/notebooks",
                json={"title": f"Fuzz {len(ids)}", "tags": ["fuzz"], "notebook": NOTEBOOK},
            )
            ids.append(reply.json()["id"])
        KNOWN["id"] = [*ids, self.ensure_assignment()]

    def ensure_assignment(self) -> str:
        """A released assignment (the id goes with the notebooks': one path parameter)."""
        url = f"{self.server.url}/atrium/api/service/grading/assignments/{self.assignment}"
        if not self.assignment or self.server.session.get(url).status_code != 200:
            body = {"title": "Fuzz", "notebook": NOTEBOOK}
            self.assignment = self.server.call(
                "POST", "service/grading/assignments", json=body
            ).json()["id"]
        return self.assignment


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_server(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "sqlite":
        database_url = f"sqlite:///{root / 'atrium.sqlite'}"
    else:
        database_url = request.getfixturevalue("postgres").create_database()
    samba = request.getfixturevalue("samba")
    folder = samba.share_path("data") / f"fuzz-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    config = {
        "AtriumService": {"database_url": database_url},
        "AtriumNetDrive": {
            "state_file": str(root / "netdrives.json"),
            # Only the test share: a generated server name is refused before it is dialled.
            "allowed_servers": [f"127.0.0.1:{samba.port}"],
            "connect_timeout": 20.0,
        },
        # Reporting on, so generated batches reach the checks past the policy's 403.
        "AtriumTelemetry": {"policy": "on", "spool_dir": str(root / "spool")},
        # The server's owner releases assignments, so generated ones get past the 403.
        "AtriumGrader": {"instructors": [os_user()]},
    }
    KNOWN["id"] = []
    try:
        with running_server(root, config) as server:
            yield Fixtures(server, samba, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fuzzed(fuzz_server):
    fuzz_server.ensure()
    return fuzz_server.server


# The shipped document; tests/test_openapi.py holds the served one to be the same.
schema = schemathesis.openapi.from_dict(load_document(), config=CONFIG)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Often a real drive name, file path or notebook id instead of the generated one."""
    if not path_parameters:
        return st.just(path_parameters)
    choices = {
        key: [value, *KNOWN[key]] if KNOWN.get(key) else [value]
        for key, value in path_parameters.items()
    }
    return st.fixed_dictionaries({key: st.sampled_from(values) for key, values in choices.items()})


@schema.hook
def flatmap_headers(context, headers):
    """Often the seeded notebooks' version in If-Match, so that updates get past the 409."""
    if not headers or "If-Match" not in headers:
        return st.just(headers)
    return st.sampled_from([headers["If-Match"], '"v1"']).map(
        lambda value: {**headers, "If-Match": value}
    )


#: Integers past 32 and 64 bits: SQLite and PostgreSQL refuse them as column values.
HUGE = [2**31, 2**63, -(2**63) - 1, 10**30]


@schema.hook
def flatmap_query(context, query):
    """Often a huge number in an integer query parameter."""
    if not query:
        return st.just(query)
    choices = {
        key: [value, *HUGE] if isinstance(value, int) and not isinstance(value, bool) else [value]
        for key, value in query.items()
    }
    return st.fixed_dictionaries({key: st.sampled_from(values) for key, values in choices.items()})


@schema.hook
def flatmap_body(context, body):
    """Often a lone surrogate in one text field: JSON (as "\\ud800") and Python strings hold
    one, UTF-8 and the databases do not. Hypothesis never generates them itself."""
    if not isinstance(body, dict):
        return st.just(body)
    texts = [key for key, value in body.items() if isinstance(value, str)]
    if not texts:
        return st.just(body)
    return st.sampled_from([None, *texts]).map(
        lambda key: body if key is None else {**body, key: body[key] + "\ud800"}
    )


@schema.hook
def after_call(context, case, response):
    """With ATRIUM_FUZZ_STATS=file: how far the generated requests got (docs/development.md)."""
    if os.environ.get("ATRIUM_FUZZ_STATS"):
        with open(os.environ["ATRIUM_FUZZ_STATS"], "a") as out:
            out.write(f"{case.method} {case.operation.path} {response.status_code}\n")


@schema.parametrize()
# `fuzzed` resets the server's data once per operation, deliberately not once per example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_server_error_and_every_response_matches_the_document(case, fuzzed):
    start = fuzzed.log_size()
    try:
        case.call_and_validate(
            base_url=fuzzed.url,
            session=fuzzed.session,
            checks=[not_a_server_error, response_schema_conformance],
            timeout=60,
        )
    except BaseException as err:
        if hasattr(err, "add_note"):
            err.add_note(f"server log of this request:\n{fuzzed.log(start)[-4000:]}")
        raise
