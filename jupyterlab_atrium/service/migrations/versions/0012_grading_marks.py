"""Grading: instructors' marks — points and a comment per exercise of a submission.

* ``grading_marks``: the grade of a manual exercise, or an override of an autograded one
  (the autograde stays in the submission's result), with who set it and when.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grading_marks",
        sa.Column(
            "submission_pk",
            sa.Integer(),
            sa.ForeignKey("grading_submissions.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("exercise", sa.String(64), primary_key=True),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("graded_by", sa.String(255), nullable=False),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("grading_marks")
