"""The gallery's diff view and the content hash computed from it (issue 12: an untouched copy
said "Local changes").

tests/fixtures/diffview/ holds notebooks written by Notebook 7, classic Notebook, VS Code and
nbformat (Python and R kernels), each as JupyterLab holds it after opening it untouched
(``*.opened.ipynb``), and edits a colleague would see. src/gallery/__tests__/view.spec.ts
holds the browser's hash and diff to the same file, and opens each notebook in a real
JupyterLab notebook model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from jupyterlab_atrium.gallery.content_hash import content_hash
from jupyterlab_atrium.gallery.diff_view import compile_view_rules, notebook_view
from jupyterlab_atrium.gallery.rules import RulesError
from jupyterlab_atrium.gallery.strip import strip_notebook
from jupyterlab_atrium.service.db import Database, _alembic_config

from .test_gallery_api import rest_client

pytestmark = pytest.mark.usefixtures("gallery_users")

FIXTURES = Path(__file__).parent / "fixtures" / "diffview"
CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
ORIGINALS = sorted(name for name in CASES["sha256"] if name.count(".") == 1)
BASE = ("atrium", "api", "service", "gallery")


def read(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_the_fixtures_cover_the_writers_and_kernels():
    assert ORIGINALS == [
        "classic.ipynb",
        "nbformat.ipynb",
        "notebook7.ipynb",
        "r-kernel.ipynb",
        "vscode.ipynb",
    ]
    assert sorted(p.name for p in FIXTURES.glob("*.ipynb")) == sorted(CASES["sha256"])
    kernels = {read(n)["metadata"].get("kernelspec", {}).get("display_name") for n in ORIGINALS}
    assert kernels == {"Python 3 (ipykernel)", "Python 3", ".venv", None, "R"}


@pytest.mark.parametrize("name", sorted(CASES["sha256"]))
def test_fixture_hashes(name):
    assert content_hash(read(name)) == CASES["sha256"][name]


@pytest.mark.parametrize("a,b,why", CASES["same"], ids=[c[2] for c in CASES["same"]])
def test_what_jupyterlab_and_other_writers_change_is_not_a_change(a, b, why):
    assert notebook_view(read(a)) == notebook_view(read(b))
    assert content_hash(read(a)) == content_hash(read(b))


@pytest.mark.parametrize("a,b,why", CASES["different"], ids=[c[2] for c in CASES["different"]])
def test_what_a_colleague_sees_is_a_change(a, b, why):
    assert content_hash(read(a)) != content_hash(read(b))


NBFORMAT_TESTS = CASES["nbformatTests"]["sha256"]


@pytest.mark.parametrize("name", sorted(NBFORMAT_TESTS))
def test_nbformats_own_test_notebooks(name):
    """Real notebooks with outputs: stripped as the browser strips them, then hashed."""
    nb = json.loads((FIXTURES / "nbformat-tests" / name).read_text(encoding="utf-8"))
    stripped, _ = strip_notebook(nb)
    assert content_hash(stripped) == NBFORMAT_TESTS[name]


def test_one_notebook_in_nbformat_4_0_and_4_5_hashes_alike():
    # test4.ipynb: nbformat 4.0, no kernelspec, no cell ids, ``collapsed``; test4.5.ipynb:
    # the same cells in 4.5 with ids and ipykernel's kernelspec.
    assert NBFORMAT_TESTS["test4.ipynb"] == NBFORMAT_TESTS["test4.5.ipynb"]


def test_the_view_leaves_out_the_rule_paths_and_what_they_leave_empty():
    rules = compile_view_rules(
        {"notebookMetadata": [{"path": ["a", "b"]}], "cellMetadata": [{"path": ["x"]}]}
    )
    nb = {
        "nbformat": 4,
        "nbformat_minor": 4,
        "metadata": {"a": {"b": 1}, "c": 2},
        "cells": [
            {
                "cell_type": "code",
                "id": "i",
                "source": ["a\n", "b"],
                "metadata": {"x": 1},
                "outputs": [],
                "execution_count": None,
                "attachments": {},
            }
        ],
    }
    assert notebook_view(nb, rules) == {
        "nbformat": 4,
        "metadata": {"c": 2},
        "cells": [{"cell_type": "code", "source": "a\nb"}],
    }
    with pytest.raises(RulesError, match=r"notebookMetadata\[0\]"):
        compile_view_rules({"notebookMetadata": [{}], "cellMetadata": []})


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


@pytest.mark.parametrize("name", ORIGINALS)
async def test_the_service_gives_a_copy_the_hash_it_has_once_opened(api, name):
    """The link of a copy carries the service's hash: JupyterLab's opened form must match it,
    and an update with nothing but that form is no new version."""
    reply = await api(
        "POST", "notebooks", body={"title": name, "visibility": "public", "notebook": read(name)}
    )
    assert reply.code == 201, reply
    summary = reply.json
    opened = name.replace(".ipynb", ".opened.ipynb")
    assert summary["contentHash"] == CASES["sha256"][opened] == CASES["sha256"][name]

    same = await api(
        "PUT",
        "notebooks",
        summary["id"],
        body={"notebook": read(opened), "note": ""},
        headers={"If-Match": '"v1"'},
    )
    assert same.code == 200, same
    assert same.json["version"] == 1


async def test_an_edit_is_a_new_version(api):
    reply = await api(
        "POST",
        "notebooks",
        body={"title": "survey", "visibility": "public", "notebook": read("notebook7.ipynb")},
    )
    edited = await api(
        "PUT",
        "notebooks",
        reply.json["id"],
        body={"notebook": read("notebook7.edited-tags.ipynb"), "note": "tags"},
        headers={"If-Match": '"v1"'},
    )
    assert edited.code == 200, edited
    assert edited.json["version"] == 2
    assert edited.json["contentHash"] == CASES["sha256"]["notebook7.edited-tags.ipynb"]


def test_migration_0007_rehashes_what_is_stored(database_url):
    """Copies opened before the upgrade carry the service's old hash of their version;
    after it, the gallery's hash of that version is the one they compute."""
    db = Database(database_url)
    cfg = _alembic_config()
    content = json.dumps(read("classic.ipynb"))
    stale = "0" * 64
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        before = ScriptDirectory.from_config(cfg).get_revision("0007").down_revision
        command.upgrade(cfg, str(before))
        conn.execute(
            sa.text(
                "INSERT INTO gallery_notebooks (pk, id, owner, title, description, tags_text,"
                " visibility, version, edits, content_hash, created_at, updated_at, stars,"
                " search_body) VALUES (1, 'n1', 'alice', 't', '', '', 'public', 2, 0, :h,"
                " :now, :now, 0, '')"
            ),
            {"h": stale, "now": "2026-12-07 00:00:00"},
        )
        for version in (1, 2):
            conn.execute(
                sa.text(
                    "INSERT INTO gallery_versions (notebook_pk, version, note, author,"
                    " created_at, content_hash, size, content) VALUES (1, :v, '', 'alice',"
                    " :now, :h, 1, :c)"
                ),
                {"v": version, "h": stale, "c": content, "now": "2026-12-07 00:00:00"},
            )
        conn.execute(
            sa.text(
                "INSERT INTO gallery_change_requests (id, notebook_pk, notebook_title, author,"
                " comment, base_version, status, created_at, decision_comment, content_hash,"
                " size, content) VALUES ('cr1', 1, 't', 'bob', '', 1, 'open', :now, '', :h,"
                " 1, :c)"
            ),
            {"h": stale, "c": content, "now": "2026-12-07 00:00:00"},
        )
    db.migrate()
    expected = CASES["sha256"]["classic.ipynb"]
    with db.engine.connect() as conn:
        hashes = [
            *conn.execute(sa.text("SELECT content_hash FROM gallery_versions")).scalars(),
            *conn.execute(sa.text("SELECT content_hash FROM gallery_change_requests")).scalars(),
            *conn.execute(sa.text("SELECT content_hash FROM gallery_notebooks")).scalars(),
        ]
    db.close()
    assert hashes == [expected] * 4
