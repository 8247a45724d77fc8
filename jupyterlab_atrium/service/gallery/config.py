"""The gallery's settings, configured as ``c.AtriumGallery`` (embedded and hub-service mode)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from traitlets import Bool, Dict, Integer, Set, TraitError, Unicode, validate
from traitlets.config import LoggingConfigurable

if TYPE_CHECKING:
    from .store import GalleryUser

from ...gallery.strip import DEFAULT_MAX_BYTES

#: A review kind's name: it appears in URLs, the UI and the database (``gallery_reviews.kind``).
REVIEW_KIND = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


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

    groups = Dict(
        key_trait=Unicode(),
        value_trait=Set(Unicode()),
        config=True,
        help=(
            "Embedded mode: the groups of a shared single server, as group name -> user "
            "names. Notebooks can be owned by and shared with these groups. In hub-service "
            "mode a user's groups are their JupyterHub groups instead."
        ),
    )

    group_roles = Dict(
        key_trait=Unicode(),
        config=True,
        help=(
            "Who else, per group, may edit or only read the notebooks the group owns: "
            '{"data-team": {"edit": ["carol", "group:analysts"], "read": ["group:staff"]}}. '
            "Entries are user names, or group names after 'group:'. Members of the owning "
            "group always edit, share and delete its notebooks."
        ),
    )

    review_kinds = Dict(
        key_trait=Unicode(),
        config=True,
        help=(
            "Kinds of review a notebook can get, and the groups whose members review each: "
            '{"technical": ["reviewers-tech"], "compliance": ["compliance-team"]}. A notebook '
            "is verified when every kind has an approval for its current content. Empty (the "
            "default): no reviews, nothing is verified."
        ),
    )

    @validate("review_kinds")
    def _check_review_kinds(self, proposal: Any) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for kind, groups in proposal["value"].items():
            if not REVIEW_KIND.fullmatch(kind):
                raise TraitError(
                    f"review_kinds: {kind[:50]!r} is not a kind name (1-40 lower-case letters, "
                    "digits and - _)."
                )
            if isinstance(groups, str) or not isinstance(groups, (list, tuple, set, frozenset)):
                raise TraitError(f"review_kinds[{kind!r}] must be a list of group names.")
            if not groups or not all(isinstance(g, str) and g for g in groups):
                raise TraitError(
                    f"review_kinds[{kind!r}] must name at least one reviewer group (non-empty "
                    "names): a kind nobody may review could never be approved."
                )
            out[kind] = frozenset(groups)
        return out

    @validate("group_roles")
    def _check_group_roles(self, proposal: Any) -> dict[str, dict[str, frozenset[str]]]:
        out: dict[str, dict[str, frozenset[str]]] = {}
        for group, roles in proposal["value"].items():
            if not isinstance(roles, dict) or set(roles) - {"edit", "read"}:
                raise TraitError(
                    f"group_roles[{group!r}] must be a dict with 'edit' and/or 'read' lists."
                )
            out[group] = {}
            for role in ("edit", "read"):
                names = roles.get(role, ())
                if isinstance(names, str) or not all(isinstance(n, str) for n in names):
                    raise TraitError(f"group_roles[{group!r}][{role!r}] must be a list of names.")
                out[group][role] = frozenset(names)
        return out

    def user(self, name: str, admin: bool, groups: Iterable[str]) -> GalleryUser:
        """The gallery user ``name`` with the groups their identity names, and the groups
        whose notebooks ``group_roles`` lets them edit or read."""
        from .store import GalleryUser

        groups = frozenset(groups)
        return GalleryUser(
            name,
            admin,
            groups,
            self.role_groups(name, groups, "edit"),
            self.role_groups(name, groups, "read"),
            self.reviewer_of(groups),
        )

    def reviewer_of(self, groups: Iterable[str]) -> frozenset[str]:
        """The review kinds whose reviewer groups include one of ``groups``."""
        groups = frozenset(groups)
        return frozenset(
            kind
            for kind, reviewers in self.review_kinds.items()
            if not groups.isdisjoint(reviewers)
        )

    def embedded_user(self, name: str) -> GalleryUser:
        """Embedded mode: the gallery user ``name`` as this server's config makes them —
        admin if in ``admin_users``, in the groups ``groups`` puts them in."""
        return self.user(name, name in self.admin_users, self.groups_of(name))

    def groups_of(self, user: str) -> frozenset[str]:
        """Embedded mode: the groups ``groups`` names ``user`` in."""
        return frozenset(group for group, members in self.groups.items() if user in members)

    def role_groups(self, user: str, groups: Iterable[str], role: str) -> frozenset[str]:
        """The groups whose notebooks ``group_roles`` lets ``user`` (in ``groups``) ``edit``
        or ``read`` (edit implies read)."""
        names = {user, *(f"group:{group}" for group in groups)}
        roles = ("edit",) if role == "edit" else ("edit", "read")
        return frozenset(
            group
            for group, granted in self.group_roles.items()
            if any(not names.isdisjoint(granted.get(r, ())) for r in roles)
        )

    def configured_names(self, kind: str) -> frozenset[str]:
        """Users or groups the configuration names (beside those seen in identities)."""
        if kind == "group":
            return frozenset(self.groups) | frozenset(self.group_roles)
        users = {name for members in self.groups.values() for name in members}
        for granted in self.group_roles.values():
            for names in granted.values():
                users.update(n for n in names if not n.startswith("group:"))
        return frozenset(users)

    def policy(self, user: str, admin: bool, reviewer_of: Iterable[str] = ()) -> dict[str, object]:
        """``IGalleryPolicy`` for one user."""
        return {
            "maxNotebookBytes": self.max_notebook_bytes,
            "allowAttachments": self.allow_attachments,
            "admin": admin,
            "user": user,
            "apiVersion": 1,
            "reviewKinds": {
                kind: sorted(self.review_kinds[kind]) for kind in sorted(self.review_kinds)
            },
            "reviewerOf": sorted(reviewer_of),
        }
