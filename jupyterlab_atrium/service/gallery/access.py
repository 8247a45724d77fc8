"""Who may do what with a gallery notebook: the one permission rule, as SQL.

Every gallery read and write (search, listings, tags, a notebook and its content, versions,
stars, change requests, shares, health) filters notebooks with :func:`condition`, so a
notebook someone may not read is absent from every answer they get, and the rule is written
once. Four levels:

* ``manage`` — change sharing, visibility and ownership, delete: the owning user, or a member
  of the owning group.
* ``edit`` — publish new versions, change title, description and tags, decide change
  requests: managers, editors named by ``AtriumGallery.group_roles`` for the owning group, and
  users or groups the notebook is shared with for ``edit`` (unless it is private).
* ``curate`` — deprecate, freeze and undeprecate: managers and the editors ``group_roles``
  names for the owning group, not users or groups it is merely shared with for ``edit``
  (retiring a notebook is a decision for those who answer for it).
* ``read`` — everyone for a public notebook; else editors, readers named by ``group_roles``,
  and, for a ``shared`` notebook, whoever it is shared with; and reviewers while a review of
  their kind is open (see ``reviews.py``).

Gallery admins may do everything. The SQL uses only bound parameters; a user's groups become
one parameter each (a user is in tens of groups, not thousands).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

if TYPE_CHECKING:
    from .store import GalleryUser

LEVELS = ("read", "edit", "curate", "manage")


def _names(prefix: str, names: Iterable[str], binds: dict[str, Any]) -> str:
    """``(:p0, :p1, …)`` bound to ``names``; ``(NULL)``, which matches nothing, for none."""
    keys = []
    for index, name in enumerate(sorted(names)):
        key = f"{prefix}{index}"
        binds[key] = name
        keys.append(f":{key}")
    return f"({', '.join(keys)})" if keys else "(NULL)"


def condition(
    user: GalleryUser, level: str, alias: str = "n", prefix: str = "acc"
) -> tuple[str, dict[str, Any]]:
    """The WHERE term (on the notebooks table named ``alias``) admitting the notebooks
    ``user`` may ``read``, ``edit``, ``curate`` or ``manage``, and its bound parameters
    (all named ``<prefix>_…``, so the term mixes with other SQL, including another
    level's term under another prefix)."""
    if level not in LEVELS:
        raise ValueError(level)
    if user.admin:
        return "1 = 1", {}
    n = alias
    me = f"{prefix}_me"
    binds: dict[str, Any] = {me: user.name}
    member = _names(f"{prefix}_m", user.groups, binds)
    # The selective column first: SQLite then reads ``owner_kind`` (stored after the wide
    # search text in tables migrated from before 0011) only for the rows whose owner matches.
    terms = [
        f"({n}.owner = :{me} AND {n}.owner_kind = 'user')",
        f"({n}.owner IN {member} AND {n}.owner_kind = 'group')",
    ]
    if level == "manage":
        return f"({' OR '.join(terms)})", binds
    role = (user.read_groups if level == "read" else user.edit_groups) - user.groups
    if role:
        roles = _names(f"{prefix}_r", role, binds)
        terms.append(f"({n}.owner IN {roles} AND {n}.owner_kind = 'group')")
    if level == "curate":
        return f"({' OR '.join(terms)})", binds
    edit_only = " AND s.access = 'edit'" if level == "edit" else ""
    # Only names from this module and bound parameters go into the SQL.
    shared = (
        f"EXISTS (SELECT 1 FROM gallery_shares s WHERE s.notebook_pk = {n}.pk{edit_only}"  # noqa: S608
        f" AND ((s.kind = 'user' AND s.name = :{me}) OR (s.kind = 'group' AND s.name IN "
        f"{member})))"
    )
    if level == "edit":
        terms.append(f"({n}.visibility <> 'private' AND {shared})")
    else:
        terms.insert(0, f"{n}.visibility = 'public'")
        terms.append(f"({n}.visibility = 'shared' AND {shared})")
        if user.review_kinds:
            terms.append(_reviewing(n, user, binds, prefix))
    return f"({' OR '.join(terms)})", binds


def _reviewing(n: str, user: GalleryUser, binds: dict[str, Any], prefix: str) -> str:
    """Reviewers read what they review, whatever its visibility, while the review is open:
    a requested review lets every reviewer of its kind read the notebook (to decide whether
    to claim it), a claimed one only its claimer. Added only for reviewers, so nobody else's
    searches pay for it."""
    kinds = _names(f"{prefix}_k", user.review_kinds, binds)
    return (
        f"EXISTS (SELECT 1 FROM gallery_reviews r WHERE r.notebook_pk = {n}.pk "  # noqa: S608
        f"AND r.kind IN {kinds} AND (r.status = 'requested' OR "
        f"(r.status = 'claimed' AND r.claimed_by = :{prefix}_me)))"
    )


def authored(
    user: GalleryUser, alias: str = "n", prefix: str = "own"
) -> tuple[str, dict[str, Any]]:
    """The WHERE term admitting the notebooks ``user`` wrote or may change: those they may
    edit as themselves (an admin's rights do not count) and those whose current version they
    wrote (a change request's author, once accepted). Nobody reviews these, nor is asked to
    (``reviews.py``, ``inbox.py``)."""
    sql, binds = condition(replace(user, admin=False), "edit", alias, prefix)
    # Only names from this module and bound parameters go into the SQL.
    wrote = (
        f"EXISTS (SELECT 1 FROM gallery_versions v WHERE v.notebook_pk = {alias}.pk"  # noqa: S608
        f" AND v.version = {alias}.version AND v.author = :{prefix}_me)"
    )
    return f"({sql} OR {wrote})", binds


def clause(user: GalleryUser, level: str) -> Any:
    """:func:`condition` on the mapped ``gallery_notebooks`` table, for ORM queries."""
    sql, binds = condition(user, level, "gallery_notebooks")
    return text(sql).bindparams(**binds)


def allowed(session: Any, user: GalleryUser, level: str, pks: Iterable[int]) -> set[int]:
    """Which of the notebooks ``pks`` ``user`` may ``level``: one query for all of them."""
    pks = list(pks)
    if not pks:
        return set()
    if user.admin:
        return set(pks)
    sql, binds = condition(user, level)
    keys = _names("acc_pk", pks, binds)
    found = session.execute(
        text(f"SELECT n.pk FROM gallery_notebooks n WHERE n.pk IN {keys} AND {sql}"),  # noqa: S608
        binds,
    )
    return set(found.scalars())
