"""Baseline: the installation record.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "atrium_installation",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(table, [{"id": str(uuid.uuid4()), "created_at": datetime.now(timezone.utc)}])


def downgrade() -> None:
    op.drop_table("atrium_installation")
