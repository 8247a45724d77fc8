"""Health: keep the terms of each stored verdict, so the browser words it in the user's language.

* ``health_notebook_state.explanation``: JSON (the formula's ``explanation``). Rows written
  before it stay NULL until their notebook's health is next computed; until then the
  gallery shows their English ``reason`` as before.

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


def downgrade() -> None:
    with op.batch_alter_table("health_notebook_state") as batch:
        batch.drop_column("explanation")
