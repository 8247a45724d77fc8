"""Health: execution records, day aggregates, sessions and the service's own secrets.

* ``atrium_secrets``: secrets generated once and shared by replicas (the health key in
  embedded mode, where no one configures one).
* ``health_executions``: raw records for the 30-day window; ``event_id`` is unique so a batch
  sent twice is stored once.
* ``health_cell_days`` / ``health_notebook_days`` / ``health_depth_days`` /
  ``health_notebook_users``: aggregates updated at ingest with upserts, so reading health
  costs the same at any amount of history; ``health_sessions`` (one user's deepest cell per
  day and version) is only read and written by ingest.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _notebook_pk() -> sa.Column:
    return sa.Column(
        "notebook_pk",
        sa.Integer(),
        sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
        nullable=False,
    )


def _counts() -> list[sa.Column]:
    # Summed milliseconds pass 32 bits after 25 days of running: a bigint.
    return [
        sa.Column(name, kind, nullable=False, server_default="0")
        for name, kind in (
            ("passes", sa.Integer()),
            ("failures", sa.Integer()),
            ("expected", sa.Integer()),
            ("duration_ms", sa.BigInteger()),
        )
    ]


def upgrade() -> None:
    op.create_table(
        "atrium_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )
    op.create_table(
        "health_executions",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        _notebook_pk(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("user_hash", sa.String(64), nullable=False),
        sa.Column("outcome", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("client_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_health_executions_notebook_pk", "health_executions", ["notebook_pk"])
    op.create_index("ix_health_executions_user", "health_executions", ["user_hash"])
    op.create_index("ix_health_executions_client_at", "health_executions", ["client_at"])
    op.create_table(
        "health_cell_days",
        _notebook_pk(),
        sa.Column("cell_id", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("notebook_pk", "cell_id", "fingerprint", "day"),
    )
    op.create_table(
        "health_notebook_days",
        _notebook_pk(),
        sa.Column("day", sa.Integer(), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("notebook_pk", "day"),
    )
    op.create_table(
        "health_sessions",
        _notebook_pk(),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_hash", sa.String(64), nullable=False),
        sa.Column("reached", sa.Integer(), nullable=False, server_default="-1"),
        sa.PrimaryKeyConstraint("notebook_pk", "day", "version", "user_hash"),
    )
    op.create_index("ix_health_sessions_user", "health_sessions", ["user_hash"])
    op.create_table(
        "health_depth_days",
        _notebook_pk(),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reached", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("notebook_pk", "day", "version", "reached"),
    )
    op.create_table(
        "health_notebook_users",
        _notebook_pk(),
        sa.Column("user_hash", sa.String(64), nullable=False),
        sa.Column("last_day", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("notebook_pk", "user_hash"),
    )
    op.create_index("ix_health_notebook_users_user", "health_notebook_users", ["user_hash"])


def downgrade() -> None:
    op.drop_table("health_notebook_users")
    op.drop_table("health_depth_days")
    op.drop_table("health_sessions")
    op.drop_table("health_notebook_days")
    op.drop_table("health_cell_days")
    op.drop_table("health_executions")
    op.drop_table("atrium_secrets")
