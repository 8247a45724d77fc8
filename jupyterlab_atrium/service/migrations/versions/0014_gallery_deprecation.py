"""Gallery: deprecated notebooks, their alternatives and the freeze.

* ``gallery_deprecations``: one row per deprecated notebook (reason, who, when, frozen). The
  search leaves deprecated notebooks out with a primary-key probe into this table, so the
  notebooks table and its covering index are untouched.
* ``gallery_alternatives``: the notebooks to use instead, in the order the editor gave them;
  an alternative that is deleted drops out (cascade), undeprecating drops them all.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gallery_deprecations",
        sa.Column(
            "notebook_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("deprecated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deprecated_by", sa.String(255), nullable=False),
    )
    op.create_table(
        "gallery_alternatives",
        sa.Column(
            "notebook_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_deprecations.notebook_pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "alternative_pk",
            sa.Integer(),
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ix_gallery_alternatives_alternative_pk", "gallery_alternatives", ["alternative_pk"]
    )


def downgrade() -> None:
    op.drop_index("ix_gallery_alternatives_alternative_pk", table_name="gallery_alternatives")
    op.drop_table("gallery_alternatives")
    op.drop_table("gallery_deprecations")
