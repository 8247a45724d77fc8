"""Deprecating a gallery notebook: a reason, alternatives, and an optional freeze.

* Who: those who answer for the notebook — its owner, members of the owning group, editors
  ``group_roles`` names for it, and admins (the ``curate`` level of :mod:`.access`). Users or
  groups it is merely shared with for ``edit`` may edit it but not retire it.
* Alternatives are gallery ids the deprecating editor can read; an unknown or unreadable id
  is refused (400, the same answer for both so nothing leaks), and so is the notebook itself
  (nbgallery #958 let a notebook be its own alternative). Readers see only the alternatives
  *they* may read: the filter is :func:`.access.condition` in the SQL that lists them.
* Frozen: the service refuses the content (Open a copy, downloads, diffs) to those who may
  not edit the notebook, and new versions (updates, change requests and their acceptance) to
  everyone, with 423 ``frozen`` — nbgallery froze only its buttons. Editors keep reading the
  content, so they can decide to undeprecate.
* Deprecating is metadata: the content hash and version stay, the ETag's edit count moves
  (like a PATCH), and both writes need ``If-Match``.

Mixed into :class:`.store.GalleryStore`; every method blocks (worker threads).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import tornado.web
from sqlalchemy import bindparam, delete, exists, select, text, update
from sqlalchemy.orm import Session

from ... import fields
from ...base import service_authorized
from ...errors import AtriumError
from ..models import GalleryAlternative, GalleryDeprecation, GalleryNotebook
from . import access

if TYPE_CHECKING:
    from .store import ETag, GalleryUser

MAX_REASON = 2000
MAX_ALTERNATIVES = 10
_ID = re.compile(r"[0-9a-f]{32}")
#: The ``deprecated`` search parameter: leave deprecated notebooks out, include them, or
#: only them.
SEARCH_MODES = ("exclude", "include", "only")
#: The SQL term (on the notebooks table ``n``) of a deprecated notebook: a primary-key probe.
DEPRECATED = "EXISTS (SELECT 1 FROM gallery_deprecations d WHERE d.notebook_pk = n.pk)"


def frozen_error(what: str) -> AtriumError:
    return AtriumError(
        f"This notebook is deprecated and frozen: {what}. Use one of its alternatives, or "
        "ask its owner to undeprecate it.",
        status=423,
        reason="frozen",
    )


def deprecated_mode(value: str) -> str | None:
    """The ``deprecated`` query parameter (empty: the search's default)."""
    return fields.choice(value, "deprecated", SEARCH_MODES) if value else None


def search_filter(mode: str) -> str | None:
    """The WHERE term of a search's ``deprecated`` mode (None: no filter)."""
    if mode == "exclude":
        return f"NOT {DEPRECATED}"
    if mode == "only":
        return DEPRECATED
    return None


def _bad(message: str, reason: str = "bad-request") -> AtriumError:
    return AtriumError(message, status=400, reason=reason)


class Deprecations:
    """Deprecation, alternatives and the freeze; needs the store's ``database``, ``_load``,
    ``_allowed``, ``_summary``, ``_stale`` and ``_current``."""

    database: Any
    _load: Any
    _allowed: Any
    _summary: Any
    _stale: Any
    _current: Any

    def _deprecations(
        self, session: Session, user: GalleryUser, pks: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        """The ``deprecation`` of each of the notebooks ``pks`` that is deprecated, with the
        alternatives ``user`` may read (two queries for a whole page)."""
        pks = list(pks)
        if not pks:
            return {}
        rows = session.execute(
            select(GalleryDeprecation).where(GalleryDeprecation.notebook_pk.in_(pks))
        ).scalars()
        from .store import iso

        out = {
            d.notebook_pk: {
                "reason": d.reason,
                "frozen": bool(d.frozen),
                "deprecatedAt": iso(d.deprecated_at),
                "deprecatedBy": d.deprecated_by,
                "alternatives": [],
            }
            for d in rows
        }
        if not out:
            return out
        read, binds = access.condition(user, "read")
        found = session.execute(
            text(
                "SELECT a.notebook_pk, n.id, n.title FROM gallery_alternatives a "  # noqa: S608
                "JOIN gallery_notebooks n ON n.pk = a.alternative_pk "
                f"WHERE a.notebook_pk IN :deprecated AND {read} "
                "ORDER BY a.notebook_pk, a.position"
            ).bindparams(bindparam("deprecated", expanding=True)),
            {"deprecated": list(out), **binds},
        )
        for pk, nid, title in found:
            out[pk]["alternatives"].append({"id": nid, "title": title})
        return out

    def _frozen(self, session: Session, pk: int) -> bool:
        return bool(
            session.scalar(
                select(GalleryDeprecation.frozen).where(GalleryDeprecation.notebook_pk == pk)
            )
        )

    def _refuse_frozen(
        self, session: Session, user: GalleryUser, row: GalleryNotebook, what: str
    ) -> None:
        """423 if ``row`` is frozen and ``what`` is refused to ``user``: reading the content
        is refused only to those who may not edit it; everything else to everyone."""
        if not self._frozen(session, row.pk):
            return
        if what == "content" and self._allowed(session, user, "edit", [row.pk]):
            return
        raise frozen_error(
            {
                "content": "its content cannot be opened or downloaded",
                "version": "it takes no new versions",
                "change request": "it takes no change requests",
            }[what]
        )

    @staticmethod
    def not_frozen() -> Any:
        """A WHERE term for a content write: the notebook is not frozen (decided in the same
        UPDATE as the version, so a freeze and an update cannot both win)."""
        return ~exists().where(
            GalleryDeprecation.notebook_pk == GalleryNotebook.pk,
            GalleryDeprecation.frozen.is_(True),
        )

    def _alternatives(
        self, session: Session, user: GalleryUser, row: GalleryNotebook, value: Any
    ) -> list[int]:
        if value is None:
            return []
        ids = fields.text_list(value, "alternatives")
        unique = list(dict.fromkeys(ids))
        if len(unique) > MAX_ALTERNATIVES:
            raise _bad(f"A notebook has at most {MAX_ALTERNATIVES} alternatives.")
        if row.id in unique:
            raise _bad(
                "A notebook cannot be its own alternative: name the notebooks to use instead.",
                "self-alternative",
            )
        wanted = [i for i in unique if _ID.fullmatch(i)]
        by_id: dict[str, int] = {}
        if wanted:
            by_id = dict(
                session.execute(
                    select(GalleryNotebook.id, GalleryNotebook.pk).where(
                        GalleryNotebook.id.in_(wanted), access.clause(user, "read")
                    )
                ).all()
            )
        missing = [i for i in unique if i not in by_id]
        if missing:
            shown = missing[0] if len(missing[0]) <= 40 else missing[0][:40] + "…"
            raise _bad(
                f"There is no notebook {shown!r} you can see to name as an alternative.",
                "unknown-alternative",
            )
        return [by_id[i] for i in unique]

    def _touch(self, session: Session, user: GalleryUser, row: GalleryNotebook, expected: ETag):
        """Count a metadata edit if the notebook is as ``expected`` (409 otherwise)."""
        from .store import now

        result = session.execute(
            update(GalleryNotebook)
            .where(GalleryNotebook.pk == row.pk, *expected.conditions())
            .values(edits=GalleryNotebook.edits + 1, updated_at=now())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            session.rollback()
            raise self._stale(user, row.id, expected)

    def deprecate(
        self, user: GalleryUser, notebook_id: str, expected: ETag, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Deprecate (or change the deprecation of) a notebook; its summary."""
        from .store import now

        reason = fields.text(body.get("reason"), "reason", max_len=MAX_REASON, required=True)
        freeze = body.get("freeze", False)
        if not isinstance(freeze, bool):
            raise _bad("'freeze' must be true or false.")
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            self._require_curator(session, user, row)
            alternatives = self._alternatives(session, user, row, body.get("alternatives"))
            self._touch(session, user, row, expected)
            session.execute(
                delete(GalleryDeprecation).where(GalleryDeprecation.notebook_pk == row.pk)
            )
            session.add(
                GalleryDeprecation(
                    notebook_pk=row.pk,
                    reason=reason,
                    frozen=freeze,
                    deprecated_at=now(),
                    deprecated_by=user.name,
                )
            )
            session.flush()
            session.add_all(
                GalleryAlternative(notebook_pk=row.pk, alternative_pk=pk, position=index)
                for index, pk in enumerate(alternatives)
            )
            session.commit()
        return self._current(user, notebook_id)

    def undeprecate(self, user: GalleryUser, notebook_id: str, expected: ETag) -> dict[str, Any]:
        """Lift a deprecation (and its freeze); the summary. Idempotent on a live notebook."""
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            self._require_curator(session, user, row)
            if not self._deprecated(session, row.pk):
                if not expected.matches(row):
                    raise self._stale(user, notebook_id, expected)
                return self._summary(session, user, row)
            self._touch(session, user, row, expected)
            session.execute(
                delete(GalleryDeprecation).where(GalleryDeprecation.notebook_pk == row.pk)
            )
            session.commit()
        return self._current(user, notebook_id)

    def _deprecated(self, session: Session, pk: int) -> bool:
        found = session.scalar(
            select(GalleryDeprecation.notebook_pk).where(GalleryDeprecation.notebook_pk == pk)
        )
        return found is not None

    def _require_curator(self, session: Session, user: GalleryUser, row: GalleryNotebook) -> None:
        if not self._allowed(session, user, "curate", [row.pk]):
            raise AtriumError(
                "Only the owner of this notebook (a member of the owning group, or an editor "
                "the gallery's group roles name) or a gallery admin may deprecate or "
                "undeprecate it.",
                status=403,
                reason="forbidden",
            )


class DeprecationVerbs:
    """``PUT/DELETE gallery/notebooks/{id}/deprecation`` (with ``If-Match``), mixed with
    ``handlers.GalleryEndpoint`` (which imports the store, which imports this module)."""

    @tornado.web.authenticated
    @service_authorized
    async def put(self: Any, notebook_id: str) -> None:
        expected = self.if_match()
        body = await self.body()
        summary = await self.call(
            self.store.deprecate, self.gallery_user(), notebook_id, expected, body
        )
        self.write_summary(summary)

    @tornado.web.authenticated
    @service_authorized
    async def delete(self: Any, notebook_id: str) -> None:
        expected = self.if_match()
        summary = await self.call(
            self.store.undeprecate, self.gallery_user(), notebook_id, expected
        )
        self.write_summary(summary)
