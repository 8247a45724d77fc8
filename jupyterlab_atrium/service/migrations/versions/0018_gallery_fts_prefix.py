"""Gallery search on SQLite: FTS5 prefix indexes for 1-, 2- and 3-character prefixes.

Search as you type sends a query after the first character, and its last word is matched as
a prefix. Without a prefix index, FTS5 answers ``p*`` by merging the posting list of every
word that starts with ``p``: at 100k notebooks ``a`` took 495 ms, ``re`` 287 ms and ``p``
186 ms. With ``prefix='1 2 3'`` such a prefix is one list (0.2 ms on a 10k copy), for an
index about 3 times larger, about a fifth more database. PostgreSQL is unchanged: its short
prefixes walk the newest notebooks instead (``service/gallery/search.py``).

The virtual table is made again with the option and rebuilt from ``gallery_notebooks`` (its
content table); the triggers that keep it current name it, not its options, and stay.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _fts(options: str) -> list[str]:
    return [
        "DROP TABLE gallery_fts",
        "CREATE VIRTUAL TABLE gallery_fts USING fts5("
        "title, description, tags_text, search_body, "
        "content='gallery_notebooks', content_rowid='pk', "
        f"tokenize='unicode61 remove_diacritics 0'{options})",
        "INSERT INTO gallery_fts(gallery_fts) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _fts(", prefix='1 2 3'"):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _fts(""):
            op.execute(statement)
