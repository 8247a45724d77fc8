"""Health: the terms of each stored verdict, and a user's own newest records.

* ``health_notebook_state.explanation``: JSON (the formula's ``explanation``). Rows written
  before it stay NULL until their notebook's health is next computed; until then the
  gallery shows their English ``reason`` as before.
* ``ix_health_executions_user_time``: ``GET health/executions`` lists the caller's newest
  records (Help > What Atrium Reports) from the index instead of sorting all of them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("health_notebook_state") as batch:
        batch.add_column(sa.Column("explanation", sa.Text(), nullable=True))
    op.create_index(
        "ix_health_executions_user_time", "health_executions", ["user_hash", "client_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_health_executions_user_time", table_name="health_executions")
    with op.batch_alter_table("health_notebook_state") as batch:
        batch.drop_column("explanation")
