"""Reviews of gallery notebooks and the *verified* state they give.

Admins name the kinds of review and their reviewer groups (``AtriumGallery.review_kinds``).
The owner (or, for a group-owned notebook, an editor) requests a review of a kind; a reviewer
of that kind claims it — a conditional ``UPDATE … WHERE status = 'requested'``, so of
simultaneous claims exactly one wins — then approves it or asks for changes with a comment.
Every step is a row in ``gallery_review_events`` (who, when, which version).

A review applies to a content hash. A notebook is verified when every enabled kind has an
approved review for its current content hash: a metadata edit (title, tags, sharing,
visibility) changes no hash and keeps it verified (nbgallery lost it on a visibility toggle,
its #730); a new version leaves earlier approvals with the old hash (stale) and asks their
reviewers again (:meth:`Reviews._reviews_follow_content`).

Nobody reviews their own notebook: whoever may edit it, or wrote its current version, gets
403 (``own-notebook``). Reviewers read what they review through the one read rule
(``access.condition``): an open request lets the reviewers of its kind read the notebook, a
claimed one its claimer, until it is decided. A decision ends that read (least privilege:
the owner lent the notebook for the review, not beyond it); the decision's reply says so
(``readable``) so the reviewer's page can show what they decided instead of "not found".

Each step tells the people it concerns through the gallery inbox, in the step's own
transaction: a request its kind's reviewer groups (expanded when a member reads, as the read
rule expands groups), a claim or decision the owner (a user, or the owning group's members),
a content change that re-opens a decided kind the reviewer who decided it.

Mixed into :class:`.store.GalleryStore`; every method blocks (worker threads).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import fields
from ...errors import AtriumError
from ..models import GalleryNotebook, GalleryReview, GalleryReviewEvent
from . import access, inbox

if TYPE_CHECKING:
    from .store import GalleryUser

OPEN = ("requested", "claimed")
DECISIONS = {"approve": "approved", "request-changes": "changes-requested"}
MAX_COMMENT = 5000
MAX_LISTED_REVIEWS = 200
MAX_HISTORY = 200
#: How much of a comment an inbox event repeats (the page shows it whole).
EVENT_COMMENT = 280


def verified_sql(kinds: Iterable[str], pk: str, content_hash: str, binds: dict[str, Any]) -> str:
    """A SQL condition: the notebook ``pk`` has an approval of every kind in ``kinds`` for the
    content ``content_hash`` (SQL expressions); false when no kind is enabled. Each kind is a
    probe of ``ix_gallery_reviews_verified``; its name is a bound parameter ``rvk…``."""
    terms = []
    for index, kind in enumerate(sorted(kinds)):
        binds[f"rvk{index}"] = kind
        r = f"rv{index}"
        # Only aliases and expressions of this package's SQL, and bound parameters.
        terms.append(
            f"EXISTS (SELECT 1 FROM gallery_reviews {r} WHERE {r}.notebook_pk = {pk} "  # noqa: S608
            f"AND {r}.status = 'approved' AND {r}.kind = :rvk{index} "
            f"AND {r}.content_hash = {content_hash})"
        )
    return f"({' AND '.join(terms)})" if terms else "1 = 0"


def verified_filter(kinds: Iterable[str], binds: dict[str, Any]) -> str:
    """The search's ``verified=1`` filter on ``n``: first the notebooks with any approval of
    one kind (a set the database builds once and probes by key), then the exact test, which
    reads each candidate's content hash from its row."""
    exact = verified_sql(kinds, "n.pk", "n.content_hash", binds)
    if exact == "1 = 0":
        return exact
    return (
        "n.pk IN (SELECT rvf.notebook_pk FROM gallery_reviews rvf "  # noqa: S608
        f"WHERE rvf.status = 'approved' AND rvf.kind = :rvk0) AND {exact}"
    )


def verified_rank(kinds: Iterable[str], pk: str, binds: dict[str, Any]) -> str:
    """0 for a verified notebook ``pk``, else 1: the search's order at equal relevance (looked
    up for the candidates only)."""
    current = f"(SELECT rvn.content_hash FROM gallery_notebooks rvn WHERE rvn.pk = {pk})"  # noqa: S608
    return f"CASE WHEN {verified_sql(kinds, pk, current, binds)} THEN 0 ELSE 1 END"


def _error(message: str, status: int, reason: str) -> AtriumError:
    return AtriumError(message, status=status, reason=reason)


class Reviews:
    """Requests, claims, decisions and the verified state; needs the store's ``database``,
    ``config``, ``_load`` and ``_allowed``."""

    database: Any
    config: Any
    _load: Any
    _allowed: Any

    # --- verified -------------------------------------------------------------------------

    def _verified(self, session: Session, rows: Iterable[Any]) -> set[int]:
        """Which of ``rows`` (with ``pk`` and ``content_hash``) are verified: one query."""
        kinds = set(self.config.review_kinds)
        hashes = {row.pk: row.content_hash for row in rows}
        if not kinds or not hashes:
            return set()
        approved: dict[int, set[str]] = {}
        for pk, kind, content_hash in session.execute(
            select(GalleryReview.notebook_pk, GalleryReview.kind, GalleryReview.content_hash).where(
                GalleryReview.notebook_pk.in_(list(hashes)),
                GalleryReview.status == "approved",
                GalleryReview.kind.in_(sorted(kinds)),
            )
        ):
            if hashes[pk] == content_hash:
                approved.setdefault(pk, set()).add(kind)
        return {pk for pk, done in approved.items() if done >= kinds}

    # --- helpers --------------------------------------------------------------------------

    def _kind(self, value: Any) -> str:
        kinds = sorted(self.config.review_kinds)
        if not kinds:
            raise _error(
                "Reviews are not enabled in this gallery (AtriumGallery.review_kinds).",
                400,
                "reviews-disabled",
            )
        return fields.choice(value, "kind", kinds)

    def _authored(
        self, session: Session, user: GalleryUser, rows: Iterable[GalleryNotebook]
    ) -> set[int]:
        """Which of ``rows`` ``user`` wrote or may change (:func:`.access.authored`)."""
        pks = [row.pk for row in rows]
        if not pks:
            return set()
        sql, binds = access.authored(user)
        keys = access._names("own_pk", pks, binds)
        found = session.execute(
            text(f"SELECT n.pk FROM gallery_notebooks n WHERE n.pk IN {keys} AND {sql}"),  # noqa: S608
            binds,
        )
        return set(found.scalars())

    def _is_author(self, session: Session, user: GalleryUser, row: GalleryNotebook) -> bool:
        return row.pk in self._authored(session, user, [row])

    def _tell(
        self,
        session: Session,
        row: GalleryNotebook,
        review: GalleryReview,
        kind: str,
        actor: str,
        recipients: Iterable[tuple[str, str]],
        **detail: Any,
    ) -> None:
        """An inbox event ``kind`` about ``review`` in the step's transaction."""
        if detail.get("comment"):
            detail["comment"] = detail["comment"][:EVENT_COMMENT]
        else:
            detail.pop("comment", None)
        inbox.record(
            session,
            row.pk,
            kind,
            actor,
            recipients,
            {"reviewId": review.id, "reviewKind": review.kind, "version": review.version, **detail},
        )

    def _reviewer_groups(self, kind: str) -> list[tuple[str, str]]:
        return [("group", group) for group in sorted(self.config.review_kinds.get(kind, ()))]

    @staticmethod
    def _owner(row: GalleryNotebook) -> list[tuple[str, str]]:
        return [(row.owner_kind, row.owner)]

    @staticmethod
    def _event(
        session: Session, review: GalleryReview, action: str, actor: str, comment: str = ""
    ) -> None:
        from .store import now

        session.add(
            GalleryReviewEvent(
                review_pk=review.pk,
                action=action,
                actor=actor,
                at=now(),
                version=review.version,
                comment=comment,
            )
        )

    def _review_json(
        self, session: Session, review: GalleryReview, row: GalleryNotebook
    ) -> dict[str, Any]:
        from .store import iso

        events = session.scalars(
            select(GalleryReviewEvent)
            .where(GalleryReviewEvent.review_pk == review.pk)
            .order_by(GalleryReviewEvent.pk)
            .limit(MAX_HISTORY)
        ).all()
        return {
            "id": review.id,
            "notebookId": row.id,
            "notebookTitle": row.title,
            "kind": review.kind,
            "status": review.status,
            "contentHash": review.content_hash,
            "version": review.version,
            # A decision about other content than the notebook's now is stale.
            "current": review.content_hash == row.content_hash,
            "requestedBy": review.requested_by,
            "requestedAt": iso(review.requested_at),
            "requestedFrom": review.requested_from,
            "claimedBy": review.claimed_by,
            "claimedAt": iso(review.claimed_at),
            "decidedAt": iso(review.decided_at),
            "comment": review.comment,
            "history": [
                {
                    "action": e.action,
                    "by": e.actor,
                    "at": iso(e.at),
                    "version": e.version,
                    "comment": e.comment,
                }
                for e in events
            ],
        }

    def _load_review(
        self, session: Session, user: GalleryUser, review_id: str
    ) -> tuple[GalleryReview, GalleryNotebook]:
        """The review and its notebook if ``user`` may read the notebook (404 otherwise)."""
        from .store import _ID, not_found

        if not isinstance(review_id, str) or not _ID.fullmatch(review_id):
            raise not_found("review")
        review = session.scalar(select(GalleryReview).where(GalleryReview.id == review_id))
        if review is None:
            raise not_found("review")
        row = session.get(GalleryNotebook, review.notebook_pk)
        if row is None or not self._allowed(session, user, "read", [row.pk]):
            raise not_found("review")
        return review, row

    def _may_review(
        self, session: Session, user: GalleryUser, review: GalleryReview, row: GalleryNotebook
    ) -> None:
        if review.kind not in user.review_kinds:
            groups = ", ".join(sorted(self.config.review_kinds.get(review.kind, ()))) or "none"
            raise _error(
                f"Only members of the {review.kind} reviewer groups ({groups}) review this.",
                403,
                "not-a-reviewer",
            )
        if self._is_author(session, user, row):
            raise _error(
                "You may change this notebook or wrote its current version: someone else "
                "must review it.",
                403,
                "own-notebook",
            )

    def _reload_review(self, user: GalleryUser, review_id: str) -> dict[str, Any]:
        with self.database.sessions() as session:
            review, row = self._load_review(session, user, review_id)
            return self._review_json(session, review, row)

    # --- endpoints ------------------------------------------------------------------------

    def notebook_reviews(self, user: GalleryUser, notebook_id: str) -> dict[str, Any]:
        """The reviews of a notebook, newest first, and whether it is verified: everyone who
        may read the notebook sees them."""
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            reviews = session.scalars(
                select(GalleryReview)
                .where(GalleryReview.notebook_pk == row.pk)
                .order_by(GalleryReview.pk.desc())
                .limit(MAX_LISTED_REVIEWS)
            ).all()
            return {
                "kinds": sorted(self.config.review_kinds),
                "verified": row.pk in self._verified(session, [row]),
                "canRequest": self._may_request(session, user, row),
                "contentHash": row.content_hash,
                "items": [self._review_json(session, review, row) for review in reviews],
            }

    def _may_request(self, session: Session, user: GalleryUser, row: GalleryNotebook) -> bool:
        """The owner asks for reviews; for a group-owned notebook, its editors too."""
        level = "edit" if row.owner_kind == "group" else "manage"
        return bool(self._allowed(session, user, level, [row.pk]))

    def request_review(
        self, user: GalleryUser, notebook_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        from .store import forbidden, now

        kind = self._kind(body.get("kind"))
        comment = fields.text(body.get("comment"), "comment", max_len=MAX_COMMENT) or ""
        with self.database.sessions() as session:
            row = self._load(session, user, notebook_id)
            if not self._may_request(session, user, row):
                raise forbidden(
                    "Only the owner of this notebook (for a group's notebook, its editors) "
                    "may ask for a review."
                )
            if self._approved(session, row, kind):
                raise _error(
                    f"This content already has a {kind} approval.", 409, "already-approved"
                )
            review = GalleryReview(
                id=uuid.uuid4().hex,
                notebook_pk=row.pk,
                kind=kind,
                status="requested",
                content_hash=row.content_hash,
                version=row.version,
                requested_by=user.name,
                requested_at=now(),
                comment="",
            )
            session.add(review)
            try:
                session.flush()
            except IntegrityError:
                # The partial unique index: one open review per notebook and kind.
                session.rollback()
                raise _error(
                    f"A {kind} review of this notebook is already open.", 409, "review-open"
                ) from None
            self._event(session, review, "requested", user.name, comment)
            self._tell(
                session,
                row,
                review,
                "review-requested",
                user.name,
                self._reviewer_groups(kind),
                comment=comment,
            )
            session.commit()
            review_id = review.id
        return self._reload_review(user, review_id)

    def _approved(self, session: Session, row: GalleryNotebook, kind: str) -> bool:
        found = session.scalar(
            select(GalleryReview.pk).where(
                GalleryReview.notebook_pk == row.pk,
                GalleryReview.status == "approved",
                GalleryReview.kind == kind,
                GalleryReview.content_hash == row.content_hash,
            )
        )
        return found is not None

    def claim_review(self, user: GalleryUser, review_id: str) -> dict[str, Any]:
        from .store import now

        with self.database.sessions() as session:
            review, row = self._load_review(session, user, review_id)
            self._may_review(session, user, review, row)
            claimed = session.execute(
                update(GalleryReview)
                .where(GalleryReview.pk == review.pk, GalleryReview.status == "requested")
                .values(status="claimed", claimed_by=user.name, claimed_at=now())
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                session.rollback()
                session.refresh(review)
                who = f" by {review.claimed_by}" if review.claimed_by else ""
                raise _error(
                    f"This review is already {review.status}{who}.", 409, "already-claimed"
                )
            self._event(session, review, "claimed", user.name)
            self._tell(session, row, review, "review-claimed", user.name, self._owner(row))
            session.commit()
        return self._reload_review(user, review_id)

    def decide_review(
        self, user: GalleryUser, review_id: str, decision: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Approve or ask for changes (``decision``), for the content the reviewer read."""
        from .store import now

        status = DECISIONS[decision]
        comment = fields.text(body.get("comment"), "comment", max_len=MAX_COMMENT) or ""
        if status == "changes-requested" and not comment:
            raise _error("Say what should change: 'comment' is required.", 400, "bad-request")
        seen = fields.text(body.get("contentHash"), "contentHash", max_len=64, required=True)
        with self.database.sessions() as session:
            review, row = self._load_review(session, user, review_id)
            self._may_review(session, user, review, row)
            if review.status != "claimed" or review.claimed_by != user.name:
                raise _error(
                    "Claim this review before deciding it (it is "
                    f"{review.status}{' by ' + review.claimed_by if review.claimed_by else ''}).",
                    409,
                    "not-claimed",
                )
            decided = session.execute(
                update(GalleryReview)
                .where(
                    GalleryReview.pk == review.pk,
                    GalleryReview.status == "claimed",
                    GalleryReview.claimed_by == user.name,
                    # The decision is about the content the reviewer read.
                    GalleryReview.content_hash == seen,
                )
                .values(status=status, decided_at=now(), comment=comment)
                .execution_options(synchronize_session=False)
            )
            if decided.rowcount != 1:
                session.rollback()
                raise _error(
                    "The notebook changed since you read it (or the review was decided): "
                    "reload it and review the current version.",
                    409,
                    "content-changed",
                )
            self._event(session, review, status, user.name, comment)
            self._tell(
                session,
                row,
                review,
                f"review-{status}",
                user.name,
                self._owner(row),
                comment=comment,
            )
            session.commit()
            # In this session: a decision ends the reviewer's read of a notebook they could
            # read only as its reviewer, but they still get their decision back, and whether
            # they may still read it (the page then shows the decision, not "not found").
            session.refresh(review)
            decided_json = self._review_json(session, review, row)
            decided_json["readable"] = bool(self._allowed(session, user, "read", [row.pk]))
            return decided_json

    def review_queue(self, user: GalleryUser) -> list[dict[str, Any]]:
        """A reviewer's work: open reviews of the kinds ``user`` reviews that they may take
        — unclaimed ones first (those asked of them again first, then oldest first), then
        those they claimed. Notebooks they may change or whose current version they wrote
        are left out (they could not claim them); so are those they may not read."""
        if not user.review_kinds:
            return []
        with self.database.sessions() as session:
            found = session.execute(
                select(GalleryReview, GalleryNotebook)
                .join(GalleryNotebook, GalleryNotebook.pk == GalleryReview.notebook_pk)
                .where(
                    GalleryReview.kind.in_(sorted(user.review_kinds)),
                    (GalleryReview.status == "requested")
                    | (
                        (GalleryReview.status == "claimed")
                        & (GalleryReview.claimed_by == user.name)
                    ),
                )
                .order_by(GalleryReview.requested_at, GalleryReview.pk)
                .limit(MAX_LISTED_REVIEWS)
            ).all()
            rows = {row.pk: row for _r, row in found}
            readable = self._allowed(session, user, "read", rows)
            own = self._authored(session, user, (rows[pk] for pk in readable))
            taken = [
                (review, row) for review, row in found if row.pk in readable and row.pk not in own
            ]
            taken.sort(
                key=lambda pair: (
                    pair[0].status != "requested",
                    pair[0].requested_from != user.name,
                )
            )
            return [self._review_json(session, review, row) for review, row in taken]

    # --- content changes ------------------------------------------------------------------

    def _reviews_follow_content(
        self, session: Session, pk: int, old_hash: str, new_hash: str, version: int, actor: str
    ) -> None:
        """A new version of notebook ``pk`` is being written (same transaction): open reviews
        move to it, and each kind last decided for the old content is asked again of the
        reviewer who decided it. Approvals of the old content stay, stale."""
        from .store import now

        open_reviews = session.scalars(
            select(GalleryReview).where(
                GalleryReview.notebook_pk == pk, GalleryReview.status.in_(OPEN)
            )
        ).all()
        for review in open_reviews:
            review.content_hash, review.version = new_hash, version
            self._event(session, review, "content-changed", actor)
        kinds = set(self.config.review_kinds) - {review.kind for review in open_reviews}
        # Content approved before (a version restored): its approvals count again.
        kinds -= set(
            session.scalars(
                select(GalleryReview.kind).where(
                    GalleryReview.notebook_pk == pk,
                    GalleryReview.status == "approved",
                    GalleryReview.content_hash == new_hash,
                )
            )
        )
        if not kinds:
            session.flush()
            return
        decided = session.scalars(
            select(GalleryReview)
            .where(
                GalleryReview.notebook_pk == pk,
                GalleryReview.content_hash == old_hash,
                GalleryReview.status.in_(tuple(DECISIONS.values())),
                GalleryReview.kind.in_(sorted(kinds)),
            )
            .order_by(GalleryReview.pk.desc())
        ).all()
        latest: dict[str, GalleryReview] = {}
        for review in decided:
            latest.setdefault(review.kind, review)
        for kind, previous in sorted(latest.items()):
            again = GalleryReview(
                id=uuid.uuid4().hex,
                notebook_pk=pk,
                kind=kind,
                status="requested",
                content_hash=new_hash,
                version=version,
                requested_by=actor,
                requested_at=now(),
                requested_from=previous.claimed_by,
                comment="",
            )
            try:
                # A request of the same kind made meanwhile keeps its place (the partial
                # unique index); the new version is still written.
                with session.begin_nested():
                    session.add(again)
            except IntegrityError:
                continue
            self._event(
                session,
                again,
                "re-requested",
                actor,
                f"version {version} replaces "
                f"version {previous.version}, which {previous.claimed_by} reviewed",
            )
            if previous.claimed_by:
                row = session.get(GalleryNotebook, pk)
                self._tell(
                    session,
                    row,
                    again,
                    "review-re-requested",
                    actor,
                    [("user", previous.claimed_by)],
                    previousVersion=previous.version,
                    previousStatus=previous.status,
                )
        session.flush()
