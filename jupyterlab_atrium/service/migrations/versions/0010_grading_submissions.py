"""Grading: students' submissions, every one kept, with the official grade once computed.

* ``grading_submissions``: the answers as submitted (by exercise id), the assignment version
  they answer, time, hash, whether late, the grading job, and the grade.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grading_submissions",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column(
            "assignment_pk",
            sa.Integer(),
            sa.ForeignKey("grading_assignments.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("assignment_version", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(255), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("job_id", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
    )
    op.create_index(
        "ix_grading_submissions_user",
        "grading_submissions",
        ["assignment_pk", "user", "submitted_at"],
    )
    op.create_index("ix_grading_submissions_rate", "grading_submissions", ["user", "submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_grading_submissions_rate", table_name="grading_submissions")
    op.drop_index("ix_grading_submissions_user", table_name="grading_submissions")
    op.drop_table("grading_submissions")
