"""Grading: released assignments and their versions.

* ``grading_assignments``: one row per assignment (title, course label, deadline and late
  policy, reveal policy, the latest version number).
* ``grading_assignment_versions``: every release, with the full instructor notebook (kept
  only here) and the generated student version.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grading_assignments",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("course", sa.String(200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late_penalty", sa.Float(), nullable=False),
        sa.Column("reveal", sa.String(24), nullable=False),
    )
    op.create_table(
        "grading_assignment_versions",
        sa.Column(
            "assignment_pk",
            sa.Integer(),
            sa.ForeignKey("grading_assignments.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("instructor", sa.Text(), nullable=False),
        sa.Column("student", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("student_hash", sa.String(64), nullable=False),
        sa.Column("exercises", sa.Text(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(255), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("grading_assignment_versions")
    op.drop_table("grading_assignments")
