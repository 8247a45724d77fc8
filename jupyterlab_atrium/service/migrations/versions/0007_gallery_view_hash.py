"""Gallery: content hashes become hashes of the notebook's diff view.

The content hash used to cover the whole stripped notebook (minus ``language_info``), so a
copy that JupyterLab had only opened (kernelspec rewritten, cell ids added, nbformat_minor
raised) no longer matched it and said "Local changes" (issue 12). It now covers the diff view
(``jupyterlab_atrium/gallery/diff_view.py``); this recomputes the stored hashes of every
version, change request and notebook, so copies opened before keep matching their version.
No schema change. Downgrading leaves the new hashes (the old rule is gone).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

from jupyterlab_atrium.gallery.content_hash import content_hash

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Rows read at once: contents are up to the notebook size limit each.
BATCH = 50

versions = sa.table(
    "gallery_versions",
    sa.column("notebook_pk", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("content_hash", sa.String),
    sa.column("content", sa.Text),
)
requests = sa.table(
    "gallery_change_requests",
    sa.column("id", sa.String),
    sa.column("content_hash", sa.String),
    sa.column("content", sa.Text),
)
notebooks = sa.table(
    "gallery_notebooks",
    sa.column("pk", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("content_hash", sa.String),
)


def _rehash(conn: sa.Connection, table: sa.TableClause, keys: list[str]) -> None:
    columns = [table.c[k] for k in keys]
    all_keys = conn.execute(sa.select(*columns).order_by(*columns)).all()
    for start in range(0, len(all_keys), BATCH):
        batch = all_keys[start : start + BATCH]
        match = sa.tuple_(*columns).in_([tuple(row) for row in batch])
        rows = conn.execute(
            sa.select(*columns, table.c.content_hash, table.c.content).where(match)
        ).all()
        for row in rows:
            new = content_hash(json.loads(row.content))
            if new != row.content_hash:
                conn.execute(
                    table.update()
                    .where(*(c == getattr(row, c.name) for c in columns))
                    .values(content_hash=new)
                )


def upgrade() -> None:
    conn = op.get_bind()
    _rehash(conn, versions, ["notebook_pk", "version"])
    _rehash(conn, requests, ["id"])
    current = (
        sa.select(versions.c.content_hash)
        .where(versions.c.notebook_pk == notebooks.c.pk, versions.c.version == notebooks.c.version)
        .scalar_subquery()
    )
    # A notebook row always has its current version; should one not, its hash stays.
    conn.execute(
        notebooks.update().values(content_hash=sa.func.coalesce(current, notebooks.c.content_hash))
    )


def downgrade() -> None:
    pass
