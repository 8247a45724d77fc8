"""Grading: the queue of grading work that workers take with leases.

* ``grading_jobs``: one row per unit of work (a submission to grade). Workers take the
  oldest job that is queued or whose lease has passed (PostgreSQL: ``FOR UPDATE SKIP
  LOCKED``, so several workers never take the same job; SQLite: one writer at a time).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grading_jobs",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("lease_token", sa.String(32), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_index("ix_grading_jobs_state", "grading_jobs", ["state", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_grading_jobs_state", table_name="grading_jobs")
    op.drop_table("grading_jobs")
