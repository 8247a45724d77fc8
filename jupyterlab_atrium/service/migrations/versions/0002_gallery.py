"""Gallery: notebooks, versions, tags, stars, change requests and the search index.

The search index depends on the dialect:

* SQLite: ``gallery_fts``, an FTS5 table with external content (``gallery_notebooks``),
  kept current by triggers, so the store only writes ordinary columns. Later migrations that
  rebuild ``gallery_notebooks`` (batch mode) must recreate these triggers.
* PostgreSQL: ``gallery_notebooks.search_vector``, a stored generated ``tsvector`` with a GIN
  index (title and tags weigh most, then the description, then the cell sources).

Both use word tokens without stemming (FTS5 ``unicode61``, PostgreSQL ``simple``) so a search
finds the same notebooks on either backend; code identifiers are searched as written.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE gallery_fts USING fts5("
    "title, description, tags_text, search_body, "
    "content='gallery_notebooks', content_rowid='pk', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER gallery_fts_insert AFTER INSERT ON gallery_notebooks BEGIN "
    "INSERT INTO gallery_fts(rowid, title, description, tags_text, search_body) "
    "VALUES (new.pk, new.title, new.description, new.tags_text, new.search_body); END",
    "CREATE TRIGGER gallery_fts_delete AFTER DELETE ON gallery_notebooks BEGIN "
    "INSERT INTO gallery_fts(gallery_fts, rowid, title, description, tags_text, search_body) "
    "VALUES ('delete', old.pk, old.title, old.description, old.tags_text, old.search_body); "
    "END",
    # Only changes to indexed columns re-index: a star or a new version number does not.
    "CREATE TRIGGER gallery_fts_update "
    "AFTER UPDATE OF title, description, tags_text, search_body ON gallery_notebooks BEGIN "
    "INSERT INTO gallery_fts(gallery_fts, rowid, title, description, tags_text, search_body) "
    "VALUES ('delete', old.pk, old.title, old.description, old.tags_text, old.search_body); "
    "INSERT INTO gallery_fts(rowid, title, description, tags_text, search_body) "
    "VALUES (new.pk, new.title, new.description, new.tags_text, new.search_body); END",
]


def _words(column: str) -> str:
    # ASCII (and, outside the C locale, all) punctuation becomes a space before parsing, as
    # FTS5's unicode61 tokenizer does: PostgreSQL's parser would otherwise read
    # "pd.read_csv" as one host name and "a/b.py" as one file path.
    return f"to_tsvector('simple'::regconfig, regexp_replace({column}, '[[:punct:]]+', ' ', 'g'))"


POSTGRES_FTS = [
    # Keep the heap rows narrow: the search text and vectors go to TOAST even when they
    # compress well, so the search's bitmap heap scans (which read each match's key) touch
    # few pages.
    "ALTER TABLE gallery_notebooks SET (toast_tuple_target = 128)",
    "ALTER TABLE gallery_notebooks ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"setweight({_words('title')}, 'A') || "
    f"setweight({_words('tags_text')}, 'A') || "
    f"setweight({_words('description')}, 'B') || "
    f"setweight({_words('search_body')}, 'D')) STORED",
    "CREATE INDEX ix_gallery_notebooks_search ON gallery_notebooks USING gin (search_vector)",
    # Title and tags alone, small and never TOASTed: relevance puts their matches first.
    "ALTER TABLE gallery_notebooks ADD COLUMN head_vector tsvector GENERATED ALWAYS AS ("
    f"{_words('title')} || {_words('tags_text')}) STORED",
    "CREATE INDEX ix_gallery_notebooks_head ON gallery_notebooks USING gin (head_vector)",
]


def _when() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "gallery_notebooks",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("tags_text", sa.Text, nullable=False, server_default=""),
        sa.Column("visibility", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("parent_id", sa.String(32), nullable=True),
        _when(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stars", sa.Integer, nullable=False, server_default="0"),
        sa.Column("search_body", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_gallery_notebooks_owner", "gallery_notebooks", ["owner", "updated_at"])
    op.create_index("ix_gallery_notebooks_updated", "gallery_notebooks", ["updated_at"])
    op.create_index("ix_gallery_notebooks_stars", "gallery_notebooks", ["stars", "updated_at"])
    op.create_index("ix_gallery_notebooks_title", "gallery_notebooks", ["title"])
    op.create_index("ix_gallery_notebooks_visibility", "gallery_notebooks", ["visibility", "owner"])
    if op.get_bind().dialect.name == "sqlite":
        # Search candidates are looked up through this index, which holds every column the
        # filters and sorts read: SQLite stores the wide search text inline in the table.
        op.create_index(
            "ix_gallery_notebooks_cover",
            "gallery_notebooks",
            ["pk", "visibility", "owner", "updated_at", "stars", "title"],
        )

    fk = sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE")
    op.create_table(
        "gallery_tags",
        sa.Column("notebook_pk", sa.Integer, fk, primary_key=True),
        sa.Column("tag", sa.String(40), primary_key=True),
    )
    # Covering: a tag filter reads the notebook keys from the index alone.
    op.create_index("ix_gallery_tags_tag", "gallery_tags", ["tag", "notebook_pk"])
    op.create_table(
        "gallery_versions",
        sa.Column(
            "notebook_pk",
            sa.Integer,
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(255), nullable=False),
        _when(),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_table(
        "gallery_stars",
        sa.Column(
            "notebook_pk",
            sa.Integer,
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("username", sa.String(255), primary_key=True),
    )
    op.create_index("ix_gallery_stars_username", "gallery_stars", ["username"])
    op.create_table(
        "gallery_change_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "notebook_pk",
            sa.Integer,
            sa.ForeignKey("gallery_notebooks.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        _when(),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(255), nullable=True),
        sa.Column("decision_comment", sa.Text, nullable=False, server_default=""),
        sa.Column("result_version", sa.Integer, nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_gallery_change_requests_notebook", "gallery_change_requests", ["notebook_pk", "status"]
    )
    op.create_index("ix_gallery_change_requests_author", "gallery_change_requests", ["author"])

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS gallery_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS gallery_fts")
    for table in (
        "gallery_change_requests",
        "gallery_stars",
        "gallery_versions",
        "gallery_tags",
        "gallery_notebooks",
    ):
        op.drop_table(table)
