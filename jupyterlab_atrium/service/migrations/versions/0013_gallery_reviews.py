"""Gallery: reviews of notebooks and their history (verified notebooks).

* ``gallery_reviews``: a review of one kind (``AtriumGallery.review_kinds``) asked for a
  notebook, claimed by one reviewer and decided (approved or changes requested) for one
  content hash. A partial unique index keeps one open review per notebook and kind.
* ``gallery_review_events``: every step (requested, claimed, approved, changes requested,
  content changed, re-requested) with who, when and the version it concerned.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OPEN = "status IN ('requested', 'claimed')"


def upgrade() -> None:
    op.create_table(
        "gallery_reviews",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column(
            "notebook_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(255), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_from", sa.String(255), nullable=True),
        sa.Column("claimed_by", sa.String(255), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_gallery_reviews_verified",
        "gallery_reviews",
        ["notebook_pk", "status", "kind", "content_hash"],
    )
    op.create_index(
        "ix_gallery_reviews_open",
        "gallery_reviews",
        ["notebook_pk", "kind"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_index("ix_gallery_reviews_queue", "gallery_reviews", ["status", "kind"])
    op.create_table(
        "gallery_review_events",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "review_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_reviews.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_gallery_review_events_review_pk", "gallery_review_events", ["review_pk"])


def downgrade() -> None:
    op.drop_index("ix_gallery_review_events_review_pk", table_name="gallery_review_events")
    op.drop_table("gallery_review_events")
    op.drop_index("ix_gallery_reviews_queue", table_name="gallery_reviews")
    op.drop_index("ix_gallery_reviews_open", table_name="gallery_reviews")
    op.drop_index("ix_gallery_reviews_verified", table_name="gallery_reviews")
    op.drop_table("gallery_reviews")
