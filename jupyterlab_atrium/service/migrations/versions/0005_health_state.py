"""Health: each notebook's health as last computed, for gallery search to rank and filter.

* ``health_notebook_state``: label, score and reason of a notebook's current version, with
  the version and the day they were computed for. Ingest writes it in the batch's
  transaction, a new version and a day that drops runs out of the window recompute it, so
  a search can order and filter by health in SQL instead of computing it per result.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_notebook_state",
        sa.Column(
            "notebook_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("health_notebook_state")
