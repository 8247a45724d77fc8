"""Gallery: metadata edits in the ETag, and the title a change request was filed under.

* ``gallery_notebooks.edits`` counts metadata edits (PATCH) since the current version, so the
  ETag ``"v<version>.<edits>"`` changes with every edit and a PATCH from a stale ETag is
  refused like a PUT (the conditional UPDATE compares both columns).
* ``gallery_change_requests.notebook_title`` is the notebook's title when the request was
  filed: what its author is shown once the notebook is no longer theirs to read. Requests
  filed before this revision keep the title only where the notebook is still public.

Plain ``ADD COLUMN`` on both backends, so SQLite's FTS triggers on ``gallery_notebooks``
stay as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "gallery_notebooks",
        sa.Column("edits", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "gallery_change_requests",
        sa.Column("notebook_title", sa.String(200), nullable=False, server_default=""),
    )
    op.execute(
        "UPDATE gallery_change_requests SET notebook_title = COALESCE(("
        "SELECT n.title FROM gallery_notebooks n "
        "WHERE n.pk = gallery_change_requests.notebook_pk AND n.visibility = 'public'), '')"
    )


def downgrade() -> None:
    op.drop_column("gallery_change_requests", "notebook_title")
    op.drop_column("gallery_notebooks", "edits")
