"""Gallery: notebooks owned by groups, shares with users and groups, and the principals seen.

* ``gallery_notebooks.owner_kind``: ``user`` (every existing notebook) or ``group``; on
  SQLite the search's covering index takes it in.
* ``gallery_shares``: a notebook shared with a user or group, to ``read`` or ``edit``.
* ``gallery_principals``: users and groups the service has seen in identities, for the share
  pickers and to refuse a share with a name nobody has.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "gallery_notebooks",
        sa.Column("owner_kind", sa.String(5), nullable=False, server_default="user"),
    )
    if op.get_bind().dialect.name == "sqlite":
        # The search's covering index must hold every column the permission filter reads:
        # the new column sits after the wide search text, which SQLite would walk to reach it.
        op.drop_index("ix_gallery_notebooks_cover", table_name="gallery_notebooks")
        op.create_index(
            "ix_gallery_notebooks_cover",
            "gallery_notebooks",
            ["pk", "visibility", "owner", "owner_kind", "updated_at", "stars", "title"],
        )
    op.create_table(
        "gallery_shares",
        sa.Column(
            "notebook_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("access", sa.String(4), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
    )
    op.create_index(
        "ix_gallery_shares_principal", "gallery_shares", ["kind", "name", "notebook_pk"]
    )
    op.create_table(
        "gallery_principals",
        sa.Column("kind", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("gallery_principals")
    op.drop_index("ix_gallery_shares_principal", table_name="gallery_shares")
    op.drop_table("gallery_shares")
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_gallery_notebooks_cover", table_name="gallery_notebooks")
        op.create_index(
            "ix_gallery_notebooks_cover",
            "gallery_notebooks",
            ["pk", "visibility", "owner", "updated_at", "stars", "title"],
        )
    op.drop_column("gallery_notebooks", "owner_kind")
