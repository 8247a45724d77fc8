"""The gallery's settings, configured as ``c.AtriumGallery`` (embedded and hub-service mode)."""

from __future__ import annotations

from traitlets import Bool, Integer, Set, Unicode
from traitlets.config import LoggingConfigurable

from ...gallery.strip import DEFAULT_MAX_BYTES


class AtriumGallery(LoggingConfigurable):
    """Limits and admins of the gallery: the frontend shows them, the service enforces them."""

    max_notebook_bytes = Integer(
        DEFAULT_MAX_BYTES,
        config=True,
        help=(
            "Largest notebook the gallery accepts, in bytes, counted as compact UTF-8 JSON "
            "after stripping (outputs are never uploaded). Larger uploads get 413."
        ),
    )

    allow_attachments = Bool(
        False,
        config=True,
        help=(
            "Let published notebooks keep cell attachments (images pasted into Markdown "
            "cells). Off by default: attachments can hold screenshots of data."
        ),
    )

    admin_users = Set(
        Unicode(),
        config=True,
        help="User names that may see, edit and delete every notebook, private ones included.",
    )

    admin_groups = Set(
        Unicode(),
        config=True,
        help=(
            "Hub-service mode: members of these JupyterHub groups are gallery admins too "
            "(JupyterHub admins always are)."
        ),
    )

    def policy(self, user: str, admin: bool) -> dict[str, object]:
        """``IGalleryPolicy`` for one user."""
        return {
            "maxNotebookBytes": self.max_notebook_bytes,
            "allowAttachments": self.allow_attachments,
            "admin": admin,
            "user": user,
            "apiVersion": 1,
        }
