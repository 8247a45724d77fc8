"""The gallery inbox: what happened to a notebook for the people it concerns.

A feature that concerns someone (a share today, a review request next) calls :func:`record`
inside its own transaction, so the event exists exactly when the change does. An event is
addressed to a user or to a group. A group's event is stored once and expanded when a member
reads: the service learns a hub group's members only from their own identities, so it could
not list them when writing, and a member who joins later still sees what the group was sent.

Reading applies the gallery's one read rule (:mod:`.access`) to the event's notebook, so an
event never names a notebook its reader can no longer read (unshared, made private,
deleted: a deleted notebook's events are deleted with it). Nobody is told about their own
actions, nor asked to review a notebook they wrote or may change. Read state is one mark
per user, "read up to event id N", so a group's event needs no row per member.

Every function blocks (worker threads).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ... import fields
from ..models import GalleryInboxEvent, GalleryInboxRead
from . import access

if TYPE_CHECKING:
    from ..db import Database
    from .store import GalleryUser

#: A page of the inbox; the frontend asks for fewer.
MAX_PAGE = 100
#: Unread events are counted up to this many ("50+" is as useful as the exact figure).
MAX_COUNTED = 50
#: What an event kind is: a short word the frontend knows how to say.
KIND_MAX = 32


def record(
    session: Session,
    notebook_pk: int,
    kind: str,
    actor: str,
    recipients: Iterable[tuple[str, str]],
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one ``kind`` event about notebook ``notebook_pk`` by ``actor`` for each
    ``(kind, name)`` recipient ("user" or "group") to ``session``'s transaction; the
    caller commits (or rolls back) it with its own change."""
    from .store import now

    if len(kind) > KIND_MAX:
        raise ValueError(kind)
    when = now()
    payload = json.dumps(detail or {}, separators=(",", ":"), sort_keys=True)
    session.add_all(
        GalleryInboxEvent(
            notebook_pk=notebook_pk,
            kind=kind,
            actor=actor,
            recipient_kind=recipient_kind,
            recipient=recipient,
            detail=payload,
            created_at=when,
        )
        for recipient_kind, recipient in sorted(set(recipients))
    )


def _mine(user: GalleryUser) -> tuple[str, dict[str, Any]]:
    """The WHERE term (events ``e``, notebooks ``n``) of the events ``user`` may see."""
    sql, binds = access.condition(user, "read", "n")
    own, own_binds = access.authored(user, "n")
    binds.update(own_binds)
    binds["inbox_me"] = user.name
    groups = access._names("inbox_g", user.groups, binds)
    # A review request goes to the reviewer groups; a member who wrote or may change the
    # notebook may not review it (reviews.py), so is not asked to.
    return (
        "((e.recipient_kind = 'user' AND e.recipient = :inbox_me)"
        f" OR (e.recipient_kind = 'group' AND e.recipient IN {groups}))"
        f" AND e.actor <> :inbox_me AND {sql}"
        f" AND NOT (e.kind = 'review-requested' AND {own})"
    ), binds


def _read_mark(session: Session, user: GalleryUser) -> int:
    mark = session.scalar(
        select(GalleryInboxRead.read_up_to).where(GalleryInboxRead.username == user.name)
    )
    return mark or 0


def _unread(session: Session, user: GalleryUser, mark: int) -> int:
    where, binds = _mine(user)
    binds["inbox_mark"] = mark
    # Only bound parameters and this module's and access.py's names go into the SQL.
    found = session.execute(
        text(
            "SELECT COUNT(*) FROM (SELECT 1 FROM gallery_inbox_events e"  # noqa: S608
            " JOIN gallery_notebooks n ON n.pk = e.notebook_pk"
            f" WHERE e.pk > :inbox_mark AND {where} LIMIT {MAX_COUNTED + 1}) AS counted"
        ),
        binds,
    ).scalar()
    return int(found or 0)


def listing(database: Database, user: GalleryUser, before: int | None, limit: int) -> dict:
    """``user``'s events, newest first: at most ``limit`` with an id below ``before``; with
    ``nextBefore`` for the next page (None: no more), the read mark and the unread count."""
    limit = max(1, min(limit, MAX_PAGE))
    with database.sessions() as session:
        where, binds = _mine(user)
        page = ""
        if before is not None:
            binds["inbox_before"] = before
            page = "e.pk < :inbox_before AND "
        binds["inbox_limit"] = limit + 1
        rows = session.execute(
            text(
                "SELECT e.pk, e.kind, e.actor, e.recipient_kind, e.recipient, e.detail,"  # noqa: S608
                " e.created_at, n.id, n.title FROM gallery_inbox_events e"
                " JOIN gallery_notebooks n ON n.pk = e.notebook_pk"
                f" WHERE {page}{where} ORDER BY e.pk DESC LIMIT :inbox_limit"
            ),
            binds,
        ).all()
        mark = _read_mark(session, user)
        unread = _unread(session, user, mark)
    from .store import iso

    items = [
        {
            "id": pk,
            "kind": kind,
            "actor": actor,
            "via": {"kind": recipient_kind, "name": recipient},
            "detail": _detail(detail),
            "createdAt": iso(created),
            "notebookId": notebook_id,
            "notebookTitle": title,
            "read": pk <= mark,
        }
        for pk, kind, actor, recipient_kind, recipient, detail, created, notebook_id, title in (
            rows[:limit]
        )
    ]
    return {
        "items": items,
        "nextBefore": items[-1]["id"] if len(rows) > limit else None,
        "readUpTo": mark,
        "unread": unread,
        "unreadMore": unread > MAX_COUNTED,
    }


def _detail(stored: str) -> dict[str, Any]:
    try:
        value = json.loads(stored)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def mark_read(database: Database, user: GalleryUser, up_to: Any) -> dict[str, Any]:
    """Everything up to event ``up_to`` is read for ``user``. The mark only moves forward
    (two tabs marking at once keep the later), and never past the newest event, so events
    that arrive later are unread."""
    from .store import now

    wanted = fields.integer(up_to, "upTo", minimum=0)
    with database.sessions() as session:
        newest = session.scalar(select(func.max(GalleryInboxEvent.pk))) or 0
        mark = min(wanted, newest)
        if database.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert

            later = func.greatest
        else:
            from sqlalchemy.dialects.sqlite import insert

            later = func.max  # SQLite's two-argument max() is the scalar one
        statement = insert(GalleryInboxRead.__table__).values(
            username=user.name, read_up_to=mark, updated_at=now()
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["username"],
                set_={
                    "read_up_to": later(
                        GalleryInboxRead.__table__.c.read_up_to, statement.excluded.read_up_to
                    ),
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )
        session.commit()
        mark = _read_mark(session, user)
        return {"readUpTo": mark, "unread": _unread(session, user, mark)}
