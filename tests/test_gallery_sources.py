"""Sources stored as strings, so a copy opened in JupyterLab hashes like the gallery's."""

from __future__ import annotations

import json

from jupyterlab_atrium.gallery.content_hash import content_hash
from jupyterlab_atrium.service.gallery.config import AtriumGallery
from jupyterlab_atrium.service.gallery.store import prepare_upload


def notebook(source):
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {
                "cell_type": "code",
                "id": "a",
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            },
            {"cell_type": "markdown", "id": "b", "metadata": {}, "source": ["# T\n", "text"]},
        ],
    }


def test_line_list_sources_are_stored_and_hashed_as_strings():
    as_lines = prepare_upload(notebook(["x = 1\n", "y = 2"]), AtriumGallery())
    as_text = prepare_upload(notebook("x = 1\ny = 2"), AtriumGallery())
    assert as_lines.content_hash == as_text.content_hash
    stored = json.loads(as_lines.content)
    assert stored["cells"][0]["source"] == "x = 1\ny = 2"
    assert stored["cells"][1]["source"] == "# T\ntext"
    expected = notebook("x = 1\ny = 2")
    expected["cells"][1]["source"] = "# T\ntext"
    assert as_lines.content_hash == content_hash(expected)
