"""Grading: which of a student's submissions counts — the latest graded one, or the best.

* ``grading_assignments.counted``: ``latest`` (what every assignment did before) or
  ``best``; part of the assignment's policy, set at release.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grading_assignments") as batch:
        batch.add_column(
            sa.Column("counted", sa.String(8), nullable=False, server_default="latest")
        )


def downgrade() -> None:
    with op.batch_alter_table("grading_assignments") as batch:
        batch.drop_column("counted")
