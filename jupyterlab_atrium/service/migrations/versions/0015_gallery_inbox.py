"""Gallery: the inbox — what happened to a notebook for the people it concerns.

* ``gallery_inbox_events``: one row per event (a share, and later a review request) and
  recipient, a user or a group; a group's event is one row that every member reads (the
  service knows a hub group's members only from their own identities, so it cannot expand a
  group when writing). Deleting a notebook deletes its events.
* ``gallery_inbox_reads``: per user, the newest event id they have read.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gallery_inbox_events",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "notebook_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("recipient_kind", sa.String(5), nullable=False),
        sa.Column("recipient", sa.String(255), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_gallery_inbox_events_notebook_pk", "gallery_inbox_events", ["notebook_pk"])
    op.create_index(
        "ix_gallery_inbox_events_recipient",
        "gallery_inbox_events",
        ["recipient_kind", "recipient", "pk"],
    )
    op.create_table(
        "gallery_inbox_reads",
        sa.Column("username", sa.String(255), primary_key=True),
        sa.Column("read_up_to", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("gallery_inbox_reads")
    op.drop_index("ix_gallery_inbox_events_recipient", table_name="gallery_inbox_events")
    op.drop_index("ix_gallery_inbox_events_notebook_pk", table_name="gallery_inbox_events")
    op.drop_table("gallery_inbox_events")
