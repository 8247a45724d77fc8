"""Sharing a gallery notebook: owners (a user or a group), shares with users and groups, and
the directory of users and groups the share pickers search.

Groups are not copied by hand: a user's groups arrive with their identity (JupyterHub's
groups in hub-service mode, ``AtriumGallery.groups`` embedded). The service remembers each
name and group it has seen (``gallery_principals``), so an owner can share with someone who
has used the gallery, or with a group someone has, and a name nobody has is refused (400)
rather than stored as a share that can never match.

Mixed into :class:`.store.GalleryStore`; every method blocks (worker threads).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ... import fields
from ...errors import AtriumError
from ..models import GalleryNotebook, GalleryPrincipal, GalleryShare
from . import inbox

if TYPE_CHECKING:
    from .store import GalleryUser

KINDS = ("user", "group")
ACCESS = ("read", "edit")
MAX_SHARES = 500
#: Pickers search as the user types: a page of names, never the directory.
MAX_FOUND = 20
MAX_LISTED_GROUPS = 500


def _unknown(kind: str, name: str) -> AtriumError:
    shown = name if len(name) <= 80 else name[:80] + "…"
    return AtriumError(
        f"There is no {kind} {shown!r} in this gallery: a user appears once they have used "
        "it, a group once one of its members has (or when the admin configures it).",
        status=400,
        reason=f"unknown-{kind}",
    )


def _like(q: str) -> str:
    """``q`` as a LIKE pattern matching it anywhere, its wildcards taken literally."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Sharing:
    """Owners, shares and the directory; needs the store's ``database``, ``config``,
    ``_load`` and ``_allowed``."""

    database: Any
    config: Any
    _load: Any
    _allowed: Any

    def __init__(self) -> None:
        #: Identities (name, groups) already in the directory: remembering is one write per
        #: identity and process, not one per request.
        self._seen: set[tuple[str, frozenset[str]]] = set()
        self._seen_lock = threading.Lock()

    def remembers(self, user: GalleryUser) -> bool:
        return (user.name, user.groups) in self._seen

    def remember(self, user: GalleryUser) -> None:
        """Record ``user``'s name and groups in the directory (once per process and identity)."""
        if self.remembers(user):
            return
        from .store import now

        when = now()
        wanted = {("user", user.name), *(("group", group) for group in user.groups)}
        with self.database.sessions() as session:
            if self.database.backend == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            session.execute(
                insert(GalleryPrincipal.__table__)
                .values([{"kind": k, "name": n, "seen_at": when} for k, n in sorted(wanted)])
                .on_conflict_do_nothing()
            )
            session.commit()
        with self._seen_lock:
            self._seen.add((user.name, user.groups))

    def _known(self, session: Session, user: GalleryUser, kind: str, name: str) -> bool:
        if (kind == "user" and name == user.name) or (kind == "group" and name in user.groups):
            return True
        if name in self.config.configured_names(kind):
            return True
        found = session.scalar(
            select(GalleryPrincipal.name).where(
                GalleryPrincipal.kind == kind, GalleryPrincipal.name == name
            )
        )
        return found is not None

    def _principal(self, session: Session, user: GalleryUser, body: dict[str, Any]) -> tuple:
        kind = fields.choice(body.get("kind"), "kind", KINDS)
        name = fields.text(body.get("name"), "name", max_len=255, required=True, strip=False)
        assert name is not None
        if not self._known(session, user, kind, name):
            raise _unknown(kind, name)
        return kind, name

    def _new_owner(
        self, session: Session, user: GalleryUser, body: dict[str, Any]
    ) -> tuple[str, str] | None:
        """The owner a publish or PATCH body names (``owner``, ``ownerKind``), or None.

        A notebook goes to a known user, or to a group the caller is a member of (admins:
        any known group), so nobody hands their notebooks to a group they are not in.
        """
        if body.get("owner") is None and body.get("ownerKind") is None:
            return None
        kind, name = self._principal(
            session, user, {"kind": body.get("ownerKind", "user"), "name": body.get("owner")}
        )
        if kind == "group" and not (user.admin or name in user.groups):
            raise AtriumError(
                "You can give a notebook only to a group you are a member of.",
                status=403,
                reason="forbidden",
            )
        return kind, name

    def _shares_json(
        self, session: Session, user: GalleryUser, row: GalleryNotebook
    ) -> dict[str, Any]:
        items = session.execute(
            select(GalleryShare.kind, GalleryShare.name, GalleryShare.access)
            .where(GalleryShare.notebook_pk == row.pk)
            .order_by(GalleryShare.kind.desc(), GalleryShare.name)
        ).all()
        return {
            "owner": row.owner,
            "ownerKind": row.owner_kind,
            "visibility": row.visibility,
            "canManage": bool(self._allowed(session, user, "manage", [row.pk])),
            "items": [{"kind": k, "name": n, "access": a} for k, n, a in items],
        }

    def shares(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        """The shares of a notebook: its editors see them (they name people)."""
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id, edit=True)
            return self._shares_json(session, user, row)

    def share(self, user: GalleryUser, notebook_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Share with one user or group to read or edit (replacing its earlier share)."""
        level = fields.choice(body.get("access"), "access", ACCESS)
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id, manage=True)
            kind, name = self._principal(session, user, body)
            if (kind, name) == (row.owner_kind, row.owner):
                raise AtriumError(
                    f"The {kind} {name!r} owns this notebook already.",
                    status=400,
                    reason="bad-request",
                )
            count = session.scalar(select(func.count()).where(GalleryShare.notebook_pk == row.pk))
            if (count or 0) >= MAX_SHARES:
                raise AtriumError(
                    f"A notebook is shared with at most {MAX_SHARES} users and groups; share "
                    "with a group instead.",
                    status=400,
                    reason="too-many-shares",
                )
            if self.database.backend == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            from .store import now

            before = session.scalar(
                select(GalleryShare.access).where(
                    GalleryShare.notebook_pk == row.pk,
                    GalleryShare.kind == kind,
                    GalleryShare.name == name,
                )
            )
            statement = insert(GalleryShare.__table__).values(
                notebook_pk=row.pk,
                kind=kind,
                name=name,
                access=level,
                created_at=now(),
                created_by=user.name,
            )
            # Two owners sharing at once: the later write wins, neither fails.
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["notebook_pk", "kind", "name"],
                    set_={"access": level, "created_by": user.name},
                )
            )
            if before != level:  # the people it concerns hear of it, with this very commit
                inbox.record(session, row.pk, "share", user.name, [(kind, name)], {"access": level})
            session.commit()
            return self._shares_json(session, user, row)

    def unshare(self, user: GalleryUser, notebook_id: str, kind: str, name: str) -> dict[str, Any]:
        """Stop sharing with one user or group (idempotent)."""
        kind = fields.choice(kind, "kind", KINDS)
        name = fields.text(name, "name", max_len=255, required=True, strip=False) or ""
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id, manage=True)
            session.execute(
                delete(GalleryShare).where(
                    GalleryShare.notebook_pk == row.pk,
                    GalleryShare.kind == kind,
                    GalleryShare.name == name,
                )
            )
            session.commit()
            return self._shares_json(session, user, row)

    def my_groups(self, user: GalleryUser) -> list[dict[str, Any]]:
        """The caller's groups (they may give notebooks to these) and the groups whose
        notebooks ``group_roles`` lets them edit or read."""
        editor, reader = user.edit_groups, user.read_groups
        items = []
        for group in sorted(user.groups | editor | reader)[:MAX_LISTED_GROUPS]:
            role = "member" if group in user.groups else "editor" if group in editor else "reader"
            items.append({"name": group, "role": role})
        return items

    def find_principals(
        self, user: GalleryUser, q: str, kind: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """Users and groups whose name holds ``q`` (case-insensitive), for the pickers:
        at most ``MAX_FOUND``, names starting with ``q`` first."""
        if kind is not None:
            fields.choice(kind, "kind", KINDS)
        q = fields.text(q, "q", max_len=255) or ""
        limit = max(1, min(limit, MAX_FOUND))
        kinds = [kind] if kind else list(KINDS)
        needle = q.lower()
        found: dict[tuple[str, str], bool] = {}
        with self.database.sessions() as session:
            rows = session.execute(
                select(GalleryPrincipal.kind, GalleryPrincipal.name)
                .where(
                    GalleryPrincipal.kind.in_(kinds),
                    func.lower(GalleryPrincipal.name).like(_like(q), escape="\\"),
                )
                .order_by(func.length(GalleryPrincipal.name), GalleryPrincipal.name)
                .limit(limit * 2)
            ).all()
        for k, n in rows:
            found[(k, n)] = True
        for k in kinds:
            for n in self.config.configured_names(k):
                if needle in n.lower():
                    found[(k, n)] = True
        ordered = sorted(
            found, key=lambda kn: (not kn[1].lower().startswith(needle), len(kn[1]), kn)
        )
        return [{"kind": k, "name": n} for k, n in ordered[:limit]]
