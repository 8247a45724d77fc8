"""The gallery's logic and storage, separate from tornado: every method blocks.

Handlers call these through ``Service.run`` (worker threads). Every method takes the
requesting :class:`GalleryUser` and authorizes on its own, so no caller can forget to:
private notebooks of others do not exist for a user (404), notebooks of others can be read
but not changed (403), admins may do everything.

Updates are optimistic: ``UPDATE ... WHERE pk = :pk AND version = :v AND edits = :e`` decides
which of two concurrent writers wins; the loser gets :class:`Conflict` (409) with the current
summary. Nothing reads the version and then writes it back. The ETag names both counters:
``version`` (the content) and ``edits`` (metadata edits since that content), see :class:`ETag`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, defer

from ... import fields
from ...errors import AtriumError
from ...gallery.content_hash import content_hash
from ...gallery.strip import NotebookRejected, check_stripped, ensure_stripped, parse_notebook
from ..models import (
    GalleryChangeRequest,
    GalleryNotebook,
    GalleryStar,
    GalleryTag,
    GalleryVersion,
)
from . import access
from .deprecation import Deprecations
from .reviews import Reviews
from .sharing import Sharing

if TYPE_CHECKING:
    from ..db import Database
    from ..health.state import StoredHealth
    from .config import AtriumGallery

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_NOTE = 5000
MAX_TAGS = 20
MAX_TAG = 40
#: Cell sources kept for the search index (PostgreSQL's tsvector holds at most 1 MB).
MAX_SEARCH_BODY = 256 * 1024
MAX_LISTED_TAGS = 1000
MAX_LISTED_CHANGE_REQUESTS = 500
_TAG = re.compile(r"[\w.+-]+")
_ID = re.compile(r"[0-9a-f]{32}")
VISIBILITIES = ("public", "shared", "private")


@dataclass(frozen=True)
class GalleryUser:
    """Who is asking: the name the deployment authenticated, whether they are an admin, and
    their groups (JupyterHub's in hub-service mode, ``AtriumGallery.groups`` embedded)."""

    name: str
    admin: bool = False
    groups: frozenset[str] = frozenset()
    #: Groups whose notebooks ``AtriumGallery.group_roles`` lets this user edit / read
    #: (``AtriumGallery.user`` fills them in).
    edit_groups: frozenset[str] = frozenset()
    read_groups: frozenset[str] = frozenset()
    #: Review kinds this user reviews (``AtriumGallery.review_kinds`` names their groups).
    review_kinds: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Names come from the deployment's authenticator; the owner/author columns hold 255.
        fields.text(self.name, "user name", max_len=255, nonempty=True, strip=False)
        # A group name no column can hold cannot match a stored owner or share: leave it out.
        object.__setattr__(
            self,
            "groups",
            frozenset(g for g in self.groups if 0 < len(g) <= 255 and not fields.unstorable(g)),
        )


class Conflict(AtriumError):
    """409: the notebook changed since the version the client holds."""

    status = 409
    reason = "conflict"

    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.payload = {"current": current} if current is not None else {}


class NotStripped(NotebookRejected):
    """422 with the list of what is still in the notebook."""

    def __init__(self, message: str, problems: list[dict[str, str]]) -> None:
        super().__init__(422, "not-stripped", message)
        self.payload = {"problems": problems}


def bad_request(message: str) -> AtriumError:
    return AtriumError(message, status=400, reason="bad-request")


def not_found(what: str = "notebook") -> AtriumError:
    return AtriumError(
        f"This {what} does not exist, or you may not see it.", status=404, reason="not-found"
    )


def forbidden(message: str) -> AtriumError:
    return AtriumError(message, status=403, reason="forbidden")


def now() -> datetime:
    return datetime.now(timezone.utc)


def iso(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # raw SQL on SQLite (search) returns the stored text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- validation ----------------------------------------------------------------------------


def _text(body: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str | None:
    return fields.text(body.get(key), key, max_len=limit, required=required)


def validate_tags(value: Any) -> list[str]:
    tags: list[str] = []
    for tag in fields.text_list(value, "tags"):
        tag = tag.strip().lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG or not _TAG.fullmatch(tag):
            raise bad_request(
                f"Tags are at most {MAX_TAG} letters, digits and . _ + - (got {tag[:50]!r})."
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise bad_request(f"A notebook has at most {MAX_TAGS} tags.")
    return tags


def validate_metadata(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The metadata fields of a publish (all) or PATCH (any) body, checked and normalised."""
    out: dict[str, Any] = {}
    title = fields.text(
        body.get("title"), "title", max_len=MAX_TITLE, required=not partial, nonempty=True
    )
    if title is not None:
        out["title"] = title
    description = _text(body, "description", MAX_DESCRIPTION)
    if description is not None:
        out["description"] = description
    if body.get("tags") is not None:
        out["tags"] = validate_tags(body["tags"])
    if body.get("visibility") is not None or not partial:
        visibility = body.get("visibility", "public")
        out["visibility"] = fields.choice(visibility, "visibility", VISIBILITIES)
    return out


@dataclass(frozen=True)
class Upload:
    """A checked, stripped notebook as stored: compact JSON, its hash, size and search text."""

    content: str
    content_hash: str
    size: int
    search_body: str


def search_text(nb: dict[str, Any]) -> str:
    parts = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        parts.append(source if isinstance(source, str) else "".join(source))
    # NUL cannot be stored in PostgreSQL text; it is no word anyway.
    return "\n".join(parts)[:MAX_SEARCH_BODY].replace("\x00", " ")


def prepare_upload(notebook: Any, config: AtriumGallery) -> Upload:
    """Check a notebook from a request body against the strip contract and the admin's limits.

    400 (not a notebook), 413 (over ``max_notebook_bytes``), 422 (not stripped, with the
    problems). The stored form is compact JSON; the hash is the contract's canonical hash.
    """
    if notebook is None:
        raise bad_request("'notebook' is required.")
    try:
        raw = json.dumps(notebook, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:
        raise NotebookRejected(
            400, "invalid-json", "The notebook holds numbers JSON does not have (NaN, Infinity)."
        ) from None
    except RecursionError:
        raise NotebookRejected(400, "too-deep", "The notebook is nested too deeply.") from None
    try:
        data = raw.encode("utf-8")
    except UnicodeEncodeError:
        raise NotebookRejected(
            400, "invalid-json", "The notebook contains text that is not valid Unicode."
        ) from None
    nb = parse_notebook(
        data, max_bytes=config.max_notebook_bytes, allow_attachments=config.allow_attachments
    )
    try:
        ensure_stripped(nb, allow_attachments=config.allow_attachments)
    except NotebookRejected as exc:
        problems = check_stripped(nb, allow_attachments=config.allow_attachments)
        raise NotStripped(exc.message, [p.to_json() for p in problems]) from None
    if _join_sources(nb):
        raw = json.dumps(nb, ensure_ascii=False, separators=(",", ":"))
        data = raw.encode("utf-8")
    return Upload(raw, content_hash(nb), len(data), search_text(nb))


def _join_sources(nb: dict[str, Any]) -> bool:
    """Store sources as strings, the form JupyterLab holds them in; True if any changed.

    nbformat allows a source as a list of lines. A copy opened from the gallery is hashed by
    the browser from its string form, so storing lists would show every such copy as
    locally changed.
    """
    changed = False
    for cell in nb.get("cells", []):
        source = cell.get("source")
        if isinstance(source, list):
            cell["source"] = "".join(source)
            changed = True
    return changed


@dataclass(frozen=True)
class ETag:
    """A notebook's state as its ETag names it: ``"v<version>"`` or ``"v<version>.<edits>"``.

    ``version`` counts contents, ``edits`` the metadata edits (PATCH) since that content. Both
    only grow (a new version restarts ``edits`` at 0), so no state is ever named twice.
    ``edits`` is None for the short form ``"vN"`` sent as a precondition: PATCH and DELETE
    read it as ``N.0``, PUT as "my content is based on version N" (a PUT keeps the metadata,
    so an edit made meanwhile is not lost by it).
    """

    version: int
    edits: int | None = 0

    def __str__(self) -> str:
        return f'"v{self.version}"' if not self.edits else f'"v{self.version}.{self.edits}"'

    def conditions(self, *, content_only: bool = False) -> list[Any]:
        """The WHERE terms of a write that must find the notebook in this state."""
        terms = [GalleryNotebook.version == self.version]
        if self.edits is not None or not content_only:
            terms.append(GalleryNotebook.edits == (self.edits or 0))
        return terms

    def matches(self, row: GalleryNotebook, *, content_only: bool = False) -> bool:
        if row.version != self.version:
            return False
        return (self.edits is None and content_only) or (self.edits or 0) == row.edits


def parse_etag(value: str | None) -> ETag | None:
    """``"v3"`` -> ETag(3, None), ``"v3.2"`` -> ETag(3, 2) (``W/`` ignored); else None."""
    if not value:
        return None
    match = re.fullmatch(r'\s*(?:W/)?"v(\d{1,9})(?:\.(\d{1,9}))?"\s*', value)
    if not match:
        return None
    return ETag(int(match.group(1)), int(match.group(2)) if match.group(2) else None)


def etag(version: int, edits: int = 0) -> str:
    return str(ETag(version, edits))


class Summary(dict):  # type: ignore[type-arg]
    """An ``INotebookSummary`` (the dict) that knows its ETag (not part of the JSON)."""

    etag: str = ""


# --- the store -----------------------------------------------------------------------------


class GalleryStore(Reviews, Sharing, Deprecations):
    """Notebooks, versions, tags, stars, change requests and shares on the service database."""

    def __init__(
        self, database: Database, config: AtriumGallery, health: StoredHealth | None = None
    ) -> None:
        super().__init__()
        self.database = database
        self.config = config
        #: Each summary's health (the service's ``HealthStore.stored``); None: no health.
        self.health = health

    # summaries

    def _summaries(
        self, session: Session, user: GalleryUser, rows: Iterable[Any]
    ) -> list[dict[str, Any]]:
        rows = list(rows)
        if not rows:
            return []
        pks = [row.pk for row in rows]
        starred = set(
            session.scalars(
                select(GalleryStar.notebook_pk).where(
                    GalleryStar.notebook_pk.in_(pks), GalleryStar.username == user.name
                )
            )
        )
        editable = self._allowed(session, user, "edit", pks)
        manageable = self._allowed(session, user, "manage", editable)
        curators = self._allowed(session, user, "curate", editable)
        # A fork names its parent only to those who may read the parent.
        parents = {row.parent_id for row in rows if row.parent_id}
        readable_parents = set()
        if parents:
            readable_parents = set(
                session.scalars(
                    select(GalleryNotebook.id).where(
                        GalleryNotebook.id.in_(parents), self._clause(user, "read")
                    )
                )
            )
        open_crs: dict[int, int] = {}
        if editable:
            open_crs = dict(
                session.execute(
                    select(GalleryChangeRequest.notebook_pk, func.count())
                    .where(
                        GalleryChangeRequest.notebook_pk.in_(editable),
                        GalleryChangeRequest.status == "open",
                    )
                    .group_by(GalleryChangeRequest.notebook_pk)
                ).all()
            )
        health = self.health.read(session, rows) if self.health is not None else {}
        deprecations = self._deprecations(session, user, pks)
        verified = self._verified(session, rows)
        out = []
        for row in rows:
            can_edit = row.pk in editable
            summary = Summary(
                {
                    "id": row.id,
                    "title": row.title,
                    "description": row.description,
                    "tags": row.tags_text.split() if row.tags_text else [],
                    "owner": row.owner,
                    "ownerKind": row.owner_kind,
                    "visibility": row.visibility,
                    "version": row.version,
                    "contentHash": row.content_hash,
                    "createdAt": iso(row.created_at),
                    "updatedAt": iso(row.updated_at),
                    "stars": row.stars,
                    "starred": row.pk in starred,
                    "parentId": row.parent_id if row.parent_id in readable_parents else None,
                    "canEdit": can_edit,
                    "canManage": row.pk in manageable,
                    "canDeprecate": row.pk in curators,
                    "health": health.get(row.pk),
                    "openChangeRequests": open_crs.get(row.pk, 0) if can_edit else 0,
                    "deprecation": deprecations.get(row.pk),
                    "verified": row.pk in verified,
                }
            )
            summary.etag = etag(row.version, row.edits)
            out.append(summary)
        return out

    def _summary(self, session: Session, user: GalleryUser, row: GalleryNotebook) -> dict:
        return self._summaries(session, user, [row])[0]

    def _clause(self, user: GalleryUser, level: str) -> Any:
        return access.clause(user, level)

    def _allowed(
        self, session: Session, user: GalleryUser, level: str, pks: Iterable[int]
    ) -> set[int]:
        return access.allowed(session, user, level, pks)

    def _load(
        self,
        session: Session,
        user: GalleryUser,
        notebook_id: str,
        *,
        edit: bool = False,
        manage: bool = False,
    ) -> GalleryNotebook:
        """The notebook if ``user`` may read it (404 otherwise) and, with ``edit`` or
        ``manage``, do that (403 otherwise)."""
        if not isinstance(notebook_id, str) or not _ID.fullmatch(notebook_id):
            raise not_found()
        row = session.scalar(
            select(GalleryNotebook).where(
                GalleryNotebook.id == notebook_id, self._clause(user, "read")
            )
        )
        if row is None:
            raise not_found()
        if manage and not self._allowed(session, user, "manage", [row.pk]):
            raise forbidden(
                "Only the owner of this notebook (a member of the owning group) or a gallery "
                "admin may change its sharing, visibility or owner, or delete it."
            )
        if edit and not self._allowed(session, user, "edit", [row.pk]):
            raise forbidden("You may read this notebook but not change it.")
        return row

    def _health_changed(self, pk: int) -> None:
        """A new version was committed: its health is that of its own cells."""
        if self.health is not None:
            self.health.refresh_after([pk], "a new version")

    def _current(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        if self.health is not None:
            self.health.keep_current()
        with self.database.sessions() as session:
            return self._summary(session, user, self._load(session, user, notebook_id))

    # notebooks

    def create(self, user: GalleryUser, body: dict[str, Any]) -> dict[str, Any]:
        meta = validate_metadata(body, partial=False)
        note = _text(body, "note", MAX_NOTE) or ""
        parent_id = _text(body, "parentId", 32)
        upload = prepare_upload(body.get("notebook"), self.config)
        when = now()
        with self.database.sessions() as session:
            owner_kind, owner = self._new_owner(session, user, body) or ("user", user.name)
            if parent_id is not None:
                try:
                    self._load(session, user, parent_id)
                except AtriumError:
                    raise bad_request("'parentId' names no notebook you can see.") from None
            tags = meta.get("tags", [])
            row = GalleryNotebook(
                id=uuid.uuid4().hex,
                owner=owner,
                owner_kind=owner_kind,
                title=meta["title"],
                description=meta.get("description", ""),
                tags_text=" ".join(tags),
                visibility=meta["visibility"],
                version=1,
                content_hash=upload.content_hash,
                parent_id=parent_id,
                created_at=when,
                updated_at=when,
                stars=0,
                search_body=upload.search_body,
            )
            session.add(row)
            session.flush()
            session.add_all(GalleryTag(notebook_pk=row.pk, tag=tag) for tag in tags)
            session.add(self._version(row.pk, 1, upload, user.name, note))
            session.commit()
            return self._summary(session, user, row)

    @staticmethod
    def _version(pk: int, version: int, upload: Upload, author: str, note: str) -> GalleryVersion:
        return GalleryVersion(
            notebook_pk=pk,
            version=version,
            note=note[:MAX_NOTE],
            author=author,
            created_at=now(),
            content_hash=upload.content_hash,
            size=upload.size,
            content=upload.content,
        )

    def get(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        return self._current(user, notebook_id)

    def etag_of(self, user: GalleryUser, notebook_id: str) -> str:
        """Only the current ETag, for the cheap ``If-None-Match`` check."""
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            return etag(row.version, row.edits)

    def content(self, user: GalleryUser, notebook_id: str, version: int | None) -> tuple[str, int]:
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            self._refuse_frozen(session, user, row, "content")
            number = row.version if version is None else version
            content = session.scalar(
                select(GalleryVersion.content).where(
                    GalleryVersion.notebook_pk == row.pk, GalleryVersion.version == number
                )
            )
            if content is None:
                raise not_found("version")
            return content, number

    def _advance(
        self,
        session: Session,
        user: GalleryUser,
        row: GalleryNotebook,
        expected: ETag,
        upload: Upload,
        author: str,
        note: str,
    ) -> int:
        """Write ``upload`` as the next version if the notebook is still as ``expected``."""
        result = session.execute(
            update(GalleryNotebook)
            .where(
                GalleryNotebook.pk == row.pk,
                *expected.conditions(content_only=True),
                self.not_frozen(),
            )
            .values(
                version=expected.version + 1,
                edits=0,
                content_hash=upload.content_hash,
                updated_at=now(),
                search_body=upload.search_body,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            session.rollback()
            self._refuse_frozen(session, user, row, "version")
            raise self._stale(user, row.id, expected)
        session.add(self._version(row.pk, expected.version + 1, upload, author, note))
        self._reviews_follow_content(
            session, row.pk, row.content_hash, upload.content_hash, expected.version + 1, user.name
        )
        return expected.version + 1

    def _stale(self, user: GalleryUser, notebook_id: str, expected: ETag) -> Conflict:
        current = self._current(user, notebook_id)
        return Conflict(
            f"This notebook changed since {expected} (it is now at {current.etag}, "
            f"version {current['version']}); nothing was written.",
            current,
        )

    def update(
        self, user: GalleryUser, notebook_id: str, expected: ETag, body: dict[str, Any]
    ) -> dict[str, Any]:
        note = _text(body, "note", MAX_NOTE) or ""
        upload = prepare_upload(body.get("notebook"), self.config)
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id, edit=True)
            self._refuse_frozen(session, user, row, "version")
            if not expected.matches(row, content_only=True):
                raise Conflict(
                    f"The gallery has version {row.version} of this notebook; this update was "
                    f"based on version {expected.version}.",
                    self._summary(session, user, row),
                )
            if row.content_hash == upload.content_hash:
                return self._summary(session, user, row)
            pk = row.pk
            self._advance(session, user, row, expected, upload, user.name, note)
            session.commit()
        self._health_changed(pk)
        return self._current(user, notebook_id)

    def patch(
        self, user: GalleryUser, notebook_id: str, expected: ETag, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Change metadata if the notebook is exactly as ``expected``: the conditional
        UPDATE decides, so of simultaneous edits from one ETag exactly one is written."""
        meta = validate_metadata(body, partial=True)
        with self.database.sessions() as session:
            # Sharing, visibility and ownership are the owner's (nbgallery let any editor
            # re-share, its #258).
            owner_change = body.get("owner") is not None or body.get("ownerKind") is not None
            manage = owner_change or "visibility" in meta
            row = self._load(session, user, notebook_id, edit=True, manage=manage)
            new_owner = self._new_owner(session, user, body)
            if new_owner is not None:
                meta["owner_kind"], meta["owner"] = new_owner
            if not meta:
                if not expected.matches(row):
                    raise self._stale(user, notebook_id, expected)
                return self._summary(session, user, row)
            values: dict[str, Any] = {
                key: meta[key]
                for key in ("title", "description", "visibility", "owner", "owner_kind")
                if key in meta
            }
            if "tags" in meta:
                values["tags_text"] = " ".join(meta["tags"])
            result = session.execute(
                update(GalleryNotebook)
                .where(GalleryNotebook.pk == row.pk, *expected.conditions())
                .values(**values, edits=GalleryNotebook.edits + 1, updated_at=now())
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                session.rollback()
                raise self._stale(user, notebook_id, expected)
            if "tags" in meta:
                session.execute(delete(GalleryTag).where(GalleryTag.notebook_pk == row.pk))
                session.add_all(GalleryTag(notebook_pk=row.pk, tag=tag) for tag in meta["tags"])
            session.commit()
        return self._current(user, notebook_id)

    def delete(self, user: GalleryUser, notebook_id: str, expected: ETag | None) -> None:
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id, manage=True)
            condition = [GalleryNotebook.pk == row.pk]
            if expected is not None:
                condition.extend(expected.conditions())
            result = session.execute(delete(GalleryNotebook).where(*condition))
            if result.rowcount != 1:
                session.rollback()
                raise Conflict(
                    "This notebook changed since you loaded it.", self._current(user, notebook_id)
                )
            session.commit()

    def versions(self, user: GalleryUser, notebook_id: str) -> list[dict[str, Any]]:
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            versions = session.execute(
                select(
                    GalleryVersion.version,
                    GalleryVersion.note,
                    GalleryVersion.author,
                    GalleryVersion.created_at,
                    GalleryVersion.content_hash,
                    GalleryVersion.size,
                )
                .where(GalleryVersion.notebook_pk == row.pk)
                .order_by(GalleryVersion.version.desc())
            ).all()
            return [
                {
                    "version": v.version,
                    "note": v.note,
                    "author": v.author,
                    "createdAt": iso(v.created_at),
                    "contentHash": v.content_hash,
                    "size": v.size,
                }
                for v in versions
            ]

    def star(self, user: GalleryUser, notebook_id: str, on: bool) -> dict[str, Any]:
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            if on:
                if self.database.backend == "postgresql":
                    from sqlalchemy.dialects.postgresql import insert
                else:
                    from sqlalchemy.dialects.sqlite import insert
                table = GalleryStar.__table__
                inserted = session.execute(
                    insert(table)
                    .values(notebook_pk=row.pk, username=user.name)
                    .on_conflict_do_nothing()
                    .returning(table.c.notebook_pk)
                ).first()
                changed = 1 if inserted is not None else 0
            else:
                table = GalleryStar.__table__
                removed = session.execute(
                    delete(table)
                    .where(table.c.notebook_pk == row.pk, table.c.username == user.name)
                    .returning(table.c.notebook_pk)
                ).first()
                changed = -1 if removed is not None else 0
            if changed:
                # An increment under the row lock, not a recount: a recount's snapshot would
                # miss a concurrent star on PostgreSQL (READ COMMITTED).
                session.execute(
                    update(GalleryNotebook)
                    .where(GalleryNotebook.pk == row.pk)
                    .values(stars=GalleryNotebook.stars + changed)
                    .execution_options(synchronize_session=False)
                )
            session.commit()
            stars = session.scalar(
                select(GalleryNotebook.stars).where(GalleryNotebook.pk == row.pk)
            )
            return {"stars": stars or 0, "starred": on}

    def tags(self, user: GalleryUser) -> list[dict[str, Any]]:
        with self.database.sessions() as session:
            query = (
                select(GalleryTag.tag, func.count())
                .join(GalleryNotebook, GalleryNotebook.pk == GalleryTag.notebook_pk)
                .group_by(GalleryTag.tag)
                .order_by(func.count().desc(), GalleryTag.tag)
                .limit(MAX_LISTED_TAGS)
                .where(self._clause(user, "read"))
            )
            return [{"tag": tag, "count": count} for tag, count in session.execute(query)]

    def search(self, user: GalleryUser, params: Any) -> dict[str, Any]:
        from .search import search, snippet

        if self.health is not None:
            self.health.keep_current()
        params = replace(params, review_kinds=tuple(sorted(self.config.review_kinds)))
        with self.database.sessions() as session:
            read = access.condition(user, "read")
            rows, total, exact, terms = search(session, self.database.backend, user, read, params)
            # nbgallery answered a search whose only matches were deprecated with nothing
            # (its #487): say how many there are, so the user can choose to see them.
            deprecated_only = 0
            if total == 0 and params.deprecated_mode == "exclude":
                only = replace(params, deprecated="only", page=1, per_page=1)
                deprecated_only = search(session, self.database.backend, user, read, only)[1]
            items = self._summaries(session, user, rows)
            if terms and rows:
                bodies = dict(
                    session.execute(
                        select(GalleryNotebook.pk, GalleryNotebook.search_body).where(
                            GalleryNotebook.pk.in_([row.pk for row in rows])
                        )
                    ).all()
                )
                for item, row in zip(items, rows, strict=True):
                    item["snippet"] = snippet(terms, row.description, bodies.get(row.pk, ""))
        return {
            "items": items,
            "total": total,
            "totalExact": exact,
            "deprecatedMatches": deprecated_only,
            "page": params.page,
            "perPage": params.per_page,
        }

    # change requests

    def _cr_json(
        self, cr: GalleryChangeRequest, row: GalleryNotebook, readable: bool
    ) -> dict[str, Any]:
        # The author of a request on a notebook they may no longer read sees it as it was
        # when filed.
        title = row.title if readable else cr.notebook_title
        return {
            "id": cr.id,
            "notebookId": row.id,
            "notebookTitle": title,
            "author": cr.author,
            "comment": cr.comment,
            "baseVersion": cr.base_version,
            "status": cr.status,
            "createdAt": iso(cr.created_at),
            "decidedAt": iso(cr.decided_at),
            "decidedBy": cr.decided_by,
            "decisionComment": cr.decision_comment,
            "resultVersion": cr.result_version,
        }

    def create_change_request(
        self, user: GalleryUser, notebook_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        comment = _text(body, "comment", MAX_NOTE) or ""
        base = fields.integer(body.get("baseVersion"), "baseVersion")
        upload = prepare_upload(body.get("notebook"), self.config)
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            self._refuse_frozen(session, user, row, "change request")
            if self._allowed(session, user, "edit", [row.pk]):
                raise AtriumError(
                    "You may edit this notebook: update it instead of requesting a change.",
                    status=400,
                    reason="own-notebook",
                )
            if base > row.version:
                raise bad_request(
                    f"'baseVersion' {base} is newer than the notebook ({row.version})."
                )
            cr = GalleryChangeRequest(
                id=uuid.uuid4().hex,
                notebook_pk=row.pk,
                notebook_title=row.title,
                author=user.name,
                comment=comment,
                base_version=base,
                status="open",
                created_at=now(),
                decision_comment="",
                content_hash=upload.content_hash,
                size=upload.size,
                content=upload.content,
            )
            session.add(cr)
            session.commit()
            return self._cr_json(cr, row, True)

    def list_change_requests(
        self, user: GalleryUser, role: str, status: str
    ) -> list[dict[str, Any]]:
        fields.choice(role, "role", ("incoming", "outgoing"))
        fields.choice(status, "status", ("open", "all"))
        with self.database.sessions() as session:
            query = select(GalleryChangeRequest, GalleryNotebook).join(
                GalleryNotebook, GalleryNotebook.pk == GalleryChangeRequest.notebook_pk
            )
            if role == "incoming":
                # An admin's inbox holds the requests on notebooks they edit themselves, not
                # every request in the gallery (they may still open and decide any).
                query = query.where(self._clause(replace(user, admin=False), "edit"))
            else:
                query = query.where(GalleryChangeRequest.author == user.name)
            if status == "open":
                query = query.where(GalleryChangeRequest.status == "open")
            query = (
                query.order_by(GalleryChangeRequest.created_at.desc())
                .limit(MAX_LISTED_CHANGE_REQUESTS)
                .options(defer(GalleryChangeRequest.content), defer(GalleryNotebook.search_body))
            )
            found = session.execute(query).all()
            readable = self._allowed(session, user, "read", {row.pk for _cr, row in found})
            return [self._cr_json(cr, row, row.pk in readable) for cr, row in found]

    def _load_cr(
        self, session: Session, user: GalleryUser, crid: str, *, decide: bool = False
    ) -> tuple[GalleryChangeRequest, GalleryNotebook]:
        """The request if ``user`` is its author or may edit its notebook (404 otherwise);
        with ``decide``, only the latter (403 for the author)."""
        if not isinstance(crid, str) or not _ID.fullmatch(crid):
            raise not_found("change request")
        found = session.execute(
            select(GalleryChangeRequest, GalleryNotebook)
            .join(GalleryNotebook, GalleryNotebook.pk == GalleryChangeRequest.notebook_pk)
            .where(GalleryChangeRequest.id == crid)
        ).first()
        if found is None:
            raise not_found("change request")
        cr, row = found
        editor = bool(self._allowed(session, user, "edit", [row.pk]))
        if not (editor or cr.author == user.name):
            raise not_found("change request")
        if decide and not editor:
            raise forbidden("Only those who may edit the notebook may accept or decline.")
        return cr, row

    def _cr_reply(
        self, session: Session, user: GalleryUser, cr: GalleryChangeRequest, row: GalleryNotebook
    ) -> dict[str, Any]:
        return self._cr_json(cr, row, bool(self._allowed(session, user, "read", [row.pk])))

    def get_change_request(self, user: GalleryUser, crid: str) -> dict[str, Any]:
        with self.database.sessions() as session:
            cr, row = self._load_cr(session, user, crid)
            out = self._cr_reply(session, user, cr, row)
            out["notebook"] = json.loads(cr.content)
            return out

    def _decide(
        self,
        session: Session,
        cr: GalleryChangeRequest,
        status: str,
        user: GalleryUser,
        comment: str,
        result_version: int | None = None,
    ) -> None:
        result = session.execute(
            update(GalleryChangeRequest)
            .where(GalleryChangeRequest.id == cr.id, GalleryChangeRequest.status == "open")
            .values(
                status=status,
                decided_at=now(),
                decided_by=user.name,
                decision_comment=comment,
                result_version=result_version,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            session.rollback()
            raise Conflict("This change request is no longer open.")

    def _require_open(self, cr: GalleryChangeRequest) -> None:
        if cr.status != "open":
            raise Conflict(f"This change request is already {cr.status}.")

    def accept_change_request(
        self, user: GalleryUser, crid: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        note = _text(body, "note", MAX_NOTE)
        with self.database.sessions() as session:
            cr, row = self._load_cr(session, user, crid, decide=True)
            self._require_open(cr)
            upload = Upload(
                cr.content, cr.content_hash, cr.size, search_text(json.loads(cr.content))
            )
            version = row.version
            advanced, pk = row.content_hash != cr.content_hash, row.pk
            if advanced:
                version = self._advance(
                    session,
                    user,
                    row,
                    ETag(row.version, None),
                    upload,
                    cr.author,
                    cr.comment if note is None else note,
                )
            self._decide(session, cr, "accepted", user, note or "", version)
            session.commit()
            crid = cr.id
        if advanced:
            self._health_changed(pk)
        with self.database.sessions() as session:
            cr, row = self._load_cr(session, user, crid)
            return {
                "changeRequest": self._cr_reply(session, user, cr, row),
                "notebook": self._summary(session, user, row),
            }

    def decline_change_request(
        self, user: GalleryUser, crid: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        comment = _text(body, "comment", MAX_NOTE) or ""
        with self.database.sessions() as session:
            cr, _row = self._load_cr(session, user, crid, decide=True)
            self._require_open(cr)
            self._decide(session, cr, "declined", user, comment)
            session.commit()
        return self._reload_cr(user, crid)

    def withdraw_change_request(self, user: GalleryUser, crid: str) -> dict[str, Any]:
        with self.database.sessions() as session:
            cr, _row = self._load_cr(session, user, crid)
            if cr.author != user.name:
                raise forbidden("Only the author may withdraw a change request.")
            self._require_open(cr)
            self._decide(session, cr, "withdrawn", user, "")
            session.commit()
        return self._reload_cr(user, crid)

    def _reload_cr(self, user: GalleryUser, crid: str) -> dict[str, Any]:
        with self.database.sessions() as session:
            cr, row = self._load_cr(session, user, crid)
            return self._cr_reply(session, user, cr, row)
