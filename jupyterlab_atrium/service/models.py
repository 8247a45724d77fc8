"""Tables of the service. Every change here comes with an Alembic revision in migrations/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Installation(Base):
    """One row naming this database, so replicas and admins can tell deployments apart."""

    __tablename__ = "atrium_installation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- gallery (migration 0002) -------------------------------------------------------------
# The search index is not mapped here: migration 0002 creates it per dialect (an external
# content FTS5 table kept by triggers on SQLite, a generated tsvector column with a GIN index
# on PostgreSQL), and ``service/gallery/search.py`` queries it with SQL of its own. The
# indexes are declared in the migration too.


class GalleryNotebook(Base):
    """A published notebook: its metadata and the number and hash of its latest version."""

    __tablename__ = "gallery_notebooks"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    owner: Mapped[str] = mapped_column(String(255))
    #: Whether ``owner`` names a user or a group (migration 0011).
    owner_kind: Mapped[str] = mapped_column(String(5), default="user", server_default="user")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: The tags, space separated, for the search index (GalleryTag holds them one by one).
    tags_text: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    #: Metadata edits since ``version`` (migration 0003): the ETag is "v<version>.<edits>".
    edits: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stars: Mapped[int] = mapped_column(Integer, default=0)
    #: The latest version's cell sources, for the search index and snippets.
    search_body: Mapped[str] = mapped_column(Text, default="")


class GalleryTag(Base):
    __tablename__ = "gallery_tags"
    # Covering: a tag filter reads the notebook keys from the index alone.
    __table_args__ = (Index("ix_gallery_tags_tag", "tag", "notebook_pk"),)

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


class GalleryVersion(Base):
    """Every version keeps its full (stripped) content."""

    __tablename__ = "gallery_versions"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    content_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)


class GalleryStar(Base):
    __tablename__ = "gallery_stars"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    username: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class GalleryShare(Base):
    """A notebook shared with a user or a group, to read or to edit (migration 0011)."""

    __tablename__ = "gallery_shares"
    # "Shared with me": the notebooks of one user's or group's shares, from the index alone.
    __table_args__ = (Index("ix_gallery_shares_principal", "kind", "name", "notebook_pk"),)

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    access: Mapped[str] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(255))


class GalleryPrincipal(Base):
    """A user or group the gallery has seen (an identity's name and groups), for the share
    pickers and to refuse shares with names nobody has (migration 0011)."""

    __tablename__ = "gallery_principals"

    kind: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GalleryInboxEvent(Base):
    """Something that happened to a notebook for a user or a group to see in their inbox (a
    share, a review request): addressed to the group itself, expanded when a member reads
    (migration 0015, see service/gallery/inbox.py)."""

    __tablename__ = "gallery_inbox_events"
    # A reader's events, newest first, from the index alone.
    __table_args__ = (
        Index("ix_gallery_inbox_events_recipient", "recipient_kind", "recipient", "pk"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(255))
    recipient_kind: Mapped[str] = mapped_column(String(5))
    recipient: Mapped[str] = mapped_column(String(255))
    #: A small JSON object of the kind's own fields (a share's ``access``).
    detail: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GalleryInboxRead(Base):
    """How far a user has read their inbox: every event up to ``read_up_to`` is read."""

    __tablename__ = "gallery_inbox_reads"

    username: Mapped[str] = mapped_column(String(255), primary_key=True)
    read_up_to: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GalleryChangeRequest(Base):
    __tablename__ = "gallery_change_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    notebook_pk: Mapped[int] = mapped_column(ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"))
    #: The notebook's title when the request was filed (migration 0003).
    notebook_title: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(255))
    comment: Mapped[str] = mapped_column(Text, default="")
    base_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    result_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)


class GalleryReview(Base):
    """A review of one kind asked for a notebook's content (migration 0013).

    ``content_hash`` is the content it applies to: an open review follows the notebook's
    content, a decided one keeps the content it decided. At most one open review per notebook
    and kind (a partial unique index); a claim is a conditional UPDATE of ``status``.
    """

    __tablename__ = "gallery_reviews"
    __table_args__ = (
        Index("ix_gallery_reviews_verified", "notebook_pk", "status", "kind", "content_hash"),
        Index(
            "ix_gallery_reviews_open",
            "notebook_pk",
            "kind",
            unique=True,
            sqlite_where=text("status IN ('requested', 'claimed')"),
            postgresql_where=text("status IN ('requested', 'claimed')"),
        ),
        Index("ix_gallery_reviews_queue", "status", "kind"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    notebook_pk: Mapped[int] = mapped_column(ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    #: requested · claimed · approved · changes-requested
    status: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(255))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: The reviewer a re-request after a content change asks first (None: any reviewer).
    requested_from: Mapped[str | None] = mapped_column(String(255), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")


class GalleryReviewEvent(Base):
    """One step of a review, with who and when (migration 0013)."""

    __tablename__ = "gallery_review_events"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_reviews.pk", ondelete="CASCADE"), index=True
    )
    #: requested · re-requested · claimed · approved · changes-requested · content-changed
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class GalleryDeprecation(Base):
    """A deprecated notebook: why, by whom, and whether it is frozen (migration 0014). A
    table of its own, so the search's "not deprecated" test is one primary-key probe."""

    __tablename__ = "gallery_deprecations"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    deprecated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deprecated_by: Mapped[str] = mapped_column(String(255))


class GalleryAlternative(Base):
    """A notebook a deprecated notebook's readers should use instead, in the order given
    (migration 0014)."""

    __tablename__ = "gallery_alternatives"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_deprecations.notebook_pk", ondelete="CASCADE"), primary_key=True
    )
    alternative_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


# --- health (migration 0004) --------------------------------------------------------------
# User names and cell fingerprints are stored only as keyed hashes (HMAC-SHA256 with the
# service's secret, ``AtriumSecret`` "health" unless configured). Days are whole days since
# 1970-01-01 UTC of the client's timestamp.


class AtriumSecret(Base):
    """Secrets the service generates once and shares between its replicas."""

    __tablename__ = "atrium_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class HealthExecution(Base):
    """One reported execution, kept for the window (pruned after it; aggregates stay)."""

    __tablename__ = "health_executions"
    __table_args__ = (
        Index("ix_health_executions_user", "user_hash"),
        # A user's own newest records (GET health/executions), without a sort of them all.
        Index("ix_health_executions_user_time", "user_hash", "client_at"),
        Index("ix_health_executions_client_at", "client_at"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    cell_id: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    user_hash: Mapped[str] = mapped_column(String(64))
    #: 1 passed, 0 failed, 2 failed as expected.
    outcome: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    client_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HealthCellDay(Base):
    """Runs of one cell (id + fingerprint, whatever the version) on one day."""

    __tablename__ = "health_cell_days"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    cell_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    passes: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    #: Summed milliseconds: past 32 bits after 25 days of running.
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)


class HealthNotebookDay(Base):
    """Every run reported for one notebook on one day (the daily series)."""

    __tablename__ = "health_notebook_days"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    passes: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    #: Summed milliseconds: past 32 bits after 25 days of running.
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)


class HealthSession(Base):
    """One user's runs of one version on one day: how deep they got (execution depth).

    ``reached`` is the position of the deepest cell not tagged optional that ran as intended,
    among that version's such cells (-1: none).
    """

    __tablename__ = "health_sessions"
    __table_args__ = (Index("ix_health_sessions_user", "user_hash"),)

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    reached: Mapped[int] = mapped_column(Integer, default=-1)


class HealthDepthDay(Base):
    """How many sessions of one version on one day got to each position (``reached``):
    execution depth read without touching per-user rows. A session moves up at ingest
    (-1 at its old position, +1 at its new one)."""

    __tablename__ = "health_depth_days"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    reached: Mapped[int] = mapped_column(Integer, primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer, default=0)


class HealthNotebookUser(Base):
    """The last day each (keyed) user ran a notebook: distinct users in the window."""

    __tablename__ = "health_notebook_users"
    __table_args__ = (Index("ix_health_notebook_users_user", "user_hash"),)

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_day: Mapped[int] = mapped_column(Integer)


class HealthNotebookState(Base):
    """A notebook's health as last computed (label, score, reason), for the version and day
    it was computed for: what gallery search orders, filters and shows without computing
    health per result. Kept current by ingest, new versions and the window's daily move."""

    __tablename__ = "health_notebook_state"

    notebook_pk: Mapped[int] = mapped_column(
        ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    #: JSON: the verdict's terms, which the browser words in the user's language.
    explanation: Mapped[str | None] = mapped_column(Text, nullable=True)


# --- grading (migration 0008) -------------------------------------------------------------


class GradingJob(Base):
    """One unit of grading work (a submission to grade), taken by one worker at a time.

    A worker holds a job by its lease; a worker that dies leaves the lease to expire and
    another takes the job again (``attempts`` counts the takes). Only the holder of the
    current lease can finish the job, so a job is never finished twice."""

    __tablename__ = "grading_jobs"
    __table_args__ = (Index("ix_grading_jobs_state", "state", "created_at"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: JSON: what the worker needs to find the work (e.g. the submission's id).
    payload: Mapped[str] = mapped_column(Text)
    #: queued, running, done or failed.
    state: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    #: The holder's lease; a running job whose lease passed may be taken again.
    lease_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: JSON result of a finished job, or the last error of a failed one.
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


# --- grading: assignments (migration 0009) ------------------------------------------------


class GradingAssignment(Base):
    """A released assignment: its title and policies, and the number of its latest version.

    The instructor copy (solutions, hidden tests, expected answers, notes) lives only in
    :class:`GradingAssignmentVersion`; only its student version is ever served to students."""

    __tablename__ = "grading_assignments"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: A label for grouping (a course or class); it does not restrict who sees the assignment.
    course: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The latest version; a re-release writes the next one (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer)
    #: Students see the assignment from this moment on.
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: Submissions after ``deadline`` are accepted (late) until then; None: not at all.
    late_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: The fraction of the score a late submission loses (0 to 1).
    late_penalty: Mapped[float] = mapped_column(Float, default=0.0)
    #: What official results show students: test-code-and-message, message-only, score-only.
    reveal: Mapped[str] = mapped_column(String(24))
    #: Which of a student's graded submissions counts: ``latest`` or ``best``.
    counted: Mapped[str] = mapped_column(String(8), default="latest", server_default="latest")


class GradingAssignmentVersion(Base):
    """One release of an assignment: the instructor notebook as released and its student
    version, both as JSON text, with their hashes and the exercises' public summary."""

    __tablename__ = "grading_assignment_versions"

    assignment_pk: Mapped[int] = mapped_column(
        ForeignKey("grading_assignments.pk", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    instructor: Mapped[str] = mapped_column(Text)
    student: Mapped[str] = mapped_column(Text)
    #: sha256 of the instructor notebook's canonical JSON (instructors only).
    content_hash: Mapped[str] = mapped_column(String(64))
    #: sha256 of the student version as served.
    student_hash: Mapped[str] = mapped_column(String(64))
    #: JSON: ``[{id, title, points}]`` and the total, from the grader's summary.
    exercises: Mapped[str] = mapped_column(Text)
    points: Mapped[float] = mapped_column(Float)
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[str] = mapped_column(String(255))


class GradingSubmission(Base):
    """A student's submission of an assignment, kept with every earlier one (the audit log):
    the answers as submitted, when, against which version, and the official grade once a
    worker has computed it."""

    __tablename__ = "grading_submissions"
    __table_args__ = (
        Index("ix_grading_submissions_user", "assignment_pk", "user", "submitted_at"),
        Index("ix_grading_submissions_rate", "user", "submitted_at"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    assignment_pk: Mapped[int] = mapped_column(
        ForeignKey("grading_assignments.pk", ondelete="CASCADE")
    )
    assignment_version: Mapped[int] = mapped_column(Integer)
    user: Mapped[str] = mapped_column(String(255))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: sha256 of the answers as stored (the receipt's hash).
    content_hash: Mapped[str] = mapped_column(String(64))
    #: JSON: ``{exercise id: answer source}``, and the notes of reading the submission.
    answers: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean)
    #: queued, graded or failed.
    state: Mapped[str] = mapped_column(String(10))
    job_id: Mapped[str] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    points: Mapped[float] = mapped_column(Float)
    #: JSON: the per-test results (what the reveal policy may show).
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    graded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(255), nullable=True)
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)


# --- grading: manual marks (migration 0012) -----------------------------------------------


class GradingMark(Base):
    """An instructor's points and comment for one exercise of one submission: the grade of a
    manual exercise, or an override of an autograded one (whose autograde stays in the
    submission's result)."""

    __tablename__ = "grading_marks"

    submission_pk: Mapped[int] = mapped_column(
        ForeignKey("grading_submissions.pk", ondelete="CASCADE"), primary_key=True
    )
    exercise: Mapped[str] = mapped_column(String(64), primary_key=True)
    points: Mapped[float] = mapped_column(Float)
    #: The exercise's points when the mark was set (the bound it was checked against).
    max_points: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text)
    graded_by: Mapped[str] = mapped_column(String(255))
    graded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
