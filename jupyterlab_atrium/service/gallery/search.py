"""Gallery search: full text (SQLite FTS5 or PostgreSQL tsvector + GIN), filters, sorting, pages.

The user's query never reaches the full-text syntax of either database: it is cut into word
tokens (letters and digits), each token is quoted as a literal, the tokens must all match
(AND), and the last one matches as a prefix so results follow typing. ``"``, ``*``, ``NEAR(``,
``OR`` or ``:*`` in a query are therefore just text. Everything else is bound parameters.

Blocking: called on the service's worker threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from .store import GalleryUser

SORTS = ("relevance", "updated", "title", "stars")
MAX_PER_PAGE = 100
MAX_TERMS = 16
MAX_TERM_LENGTH = 64
#: A search looks at this many matching notebooks at most (the newest), and counts up to it.
WINDOW = 1000
#: Pages beyond the window are refused: narrow the search instead.
MAX_OFFSET = WINDOW

_TOKEN = re.compile(r"[^\W_]+")

#: Columns of the search result rows (the summary needs them all; the body is read for snippets).
COLUMNS = (
    "n.pk, n.id, n.owner, n.title, n.description, n.tags_text, n.visibility, n.version, "
    "n.content_hash, n.parent_id, n.created_at, n.updated_at, n.stars"
)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    mine: bool = False
    starred: bool = False
    tag: str | None = None
    owner: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def query_terms(q: str) -> list[str]:
    """The words of a query: lower case, letters and digits only, at most 16 of 64 characters."""
    terms = []
    for match in _TOKEN.finditer(q.lower()):
        term = match.group()[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term a quoted string, the last one a prefix."""
    # Terms hold only letters and digits, so quoting cannot be escaped from.
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def tsquery(terms: list[str]) -> str:
    """A ``to_tsquery('simple', ...)`` expression: terms ANDed, the last one a prefix."""
    parts = [f"'{term}'" for term in terms]
    parts[-1] += ":*"
    return " & ".join(parts)


def _filters(user: GalleryUser, params: SearchParams, binds: dict[str, Any]) -> list[str]:
    where = []
    binds["me"] = user.name
    if not user.admin:
        where.append("(n.visibility = 'public' OR n.owner = :me)")
    if params.mine:
        where.append("n.owner = :me")
    if "\x00" in (params.owner or "") + (params.tag or ""):
        # No stored name or tag holds NUL, and PostgreSQL refuses it even as a parameter.
        where.append("1 = 0")
        return where
    if params.owner:
        where.append("n.owner = :owner")
        binds["owner"] = params.owner
    if params.tag:
        where.append("n.pk IN (SELECT t.notebook_pk FROM gallery_tags t WHERE t.tag = :tag)")
        binds["tag"] = params.tag.lower()
    if params.starred:
        where.append("n.pk IN (SELECT s.notebook_pk FROM gallery_stars s WHERE s.username = :me)")
    return where


_ORDER = {
    "updated": "n.updated_at DESC, n.pk DESC",
    "title": "n.title ASC, n.pk ASC",
    "stars": "n.stars DESC, n.updated_at DESC, n.pk DESC",
}


def _candidates(backend: str, terms: list[str], binds: dict[str, Any]) -> tuple[str, str]:
    """CTEs naming the newest ``WINDOW + 1`` matches (``c``) and, among the newest matches in
    the title or tags only, those (``h``); and the join of ``c`` with the notebooks."""
    if backend == "sqlite":
        binds["match"] = fts5_query(terms)
        binds["head"] = "{title tags_text} : (" + fts5_query(terms) + ")"
        ctes = (
            "WITH c AS MATERIALIZED (SELECT rowid AS pk FROM gallery_fts "
            "WHERE gallery_fts MATCH :match ORDER BY rowid DESC LIMIT :counted), "
            "h AS MATERIALIZED (SELECT rowid AS pk FROM gallery_fts "
            "WHERE gallery_fts MATCH :head ORDER BY rowid DESC LIMIT :counted) "
        )
        # The covering index keeps the candidates' look-ups off the wide table rows.
        join = (
            "c CROSS JOIN gallery_notebooks n INDEXED BY ix_gallery_notebooks_cover ON n.pk = c.pk"
        )
    else:
        binds["tsq"] = tsquery(terms)
        ctes = (
            "WITH q AS (SELECT to_tsquery('simple', :tsq) AS query), "
            "c AS MATERIALIZED (SELECT n.pk FROM gallery_notebooks n, q "
            "WHERE n.search_vector @@ q.query ORDER BY n.pk DESC LIMIT :counted), "
            "h AS MATERIALIZED (SELECT n.pk FROM gallery_notebooks n, q "
            "WHERE n.head_vector @@ q.query ORDER BY n.pk DESC LIMIT :counted) "
        )
        join = "c JOIN gallery_notebooks n ON n.pk = c.pk"
    return ctes, join


def search(
    session: Session, backend: str, user: GalleryUser, params: SearchParams
) -> tuple[list[Any], int, bool, list[str]]:
    """Rows of one page (``COLUMNS``), the number of hits (at most ``WINDOW``), whether that
    number is exact, and the query's terms.

    A full-text search takes the ``WINDOW`` most recently published notebooks that match
    (newest first, which both indexes yield without sorting) and orders those: by relevance,
    notebooks whose title or tags hold all the words come first, then the most recently
    updated; or by the chosen sort. The cost of a search then stays bounded however many
    notebooks a common word matches. Listings without words count up to ``WINDOW`` too.
    """
    binds: dict[str, Any] = {
        "limit": params.per_page,
        "offset": params.offset,
        "counted": WINDOW + 1,
    }
    where = _filters(user, params, binds)
    condition = " AND ".join(where) or "1 = 1"
    terms = query_terms(params.q)
    sort = params.sort if params.sort in SORTS else "relevance"
    if terms:
        keys, total = _search_words(session, backend, terms, sort, condition, binds, params)
    else:
        keys, total = _list(session, sort, condition, binds, params)
    rows = []
    if keys:
        page_rows = f"SELECT {COLUMNS} FROM gallery_notebooks n WHERE n.pk IN :keys"  # noqa: S608
        found = {
            row.pk: row
            for row in session.execute(
                text(page_rows).bindparams(bindparam("keys", expanding=True)),
                {"keys": list(keys)},
            )
        }
        rows = [found[key] for key in keys if key in found]
    return rows, min(total, WINDOW), total <= WINDOW, terms


def _list(
    session: Session, sort: str, condition: str, binds: dict[str, Any], params: SearchParams
) -> tuple[list[int], int]:
    """Listings without words: the indexes on the sort columns give the page directly."""
    order = _ORDER["updated" if sort == "relevance" else sort]
    keys = list(
        session.execute(
            text(
                f"SELECT n.pk FROM gallery_notebooks n WHERE {condition} "  # noqa: S608
                f"ORDER BY {order} LIMIT :limit OFFSET :offset"
            ),
            binds,
        ).scalars()
    )
    if params.offset == 0 and len(keys) < params.per_page:
        return keys, len(keys)
    total = session.execute(
        text(
            "SELECT count(*) FROM (SELECT 1 FROM gallery_notebooks n "  # noqa: S608
            f"WHERE {condition} LIMIT :counted) AS hits"
        ),
        binds,
    ).scalar_one()
    return keys, int(total)


def _search_words(
    session: Session,
    backend: str,
    terms: list[str],
    sort: str,
    condition: str,
    binds: dict[str, Any],
    params: SearchParams,
) -> tuple[list[int], int]:
    """Full-text searches: one query fetches the sort keys of every candidate that passes the
    filters (at most ``WINDOW + 1`` small rows); counting, ordering and paging happen here."""
    ctes, source = _candidates(backend, terms, binds)
    title = "n.title" if sort == "title" else "''"
    candidates = [
        tuple(row)
        for row in session.execute(
            text(
                f"{ctes}SELECT n.pk, n.updated_at, n.stars, {title}, "  # noqa: S608
                "CASE WHEN n.pk IN (SELECT pk FROM h) THEN 0 ELSE 1 END "
                f"FROM {source} WHERE {condition}"
            ),
            binds,
        )
    ]
    # Columns: 0 pk, 1 updated_at, 2 stars, 3 title, 4 tier (0: all words in title or tags).
    if sort == "title":
        candidates.sort(key=itemgetter(3, 0))
    else:
        # Newest first (pk breaks ties), then stable sorts by the stronger key.
        candidates.sort(key=itemgetter(1, 0), reverse=True)
        if sort == "stars":
            candidates.sort(key=itemgetter(2), reverse=True)
        elif sort == "relevance":
            candidates.sort(key=itemgetter(4))
    page = candidates[params.offset : params.offset + params.per_page]
    return [row[0] for row in page], len(candidates)


# --- snippets ---------------------------------------------------------------------------

SNIPPET_CHARS = 160


def snippet(terms: list[str], description: str, body: str) -> str:
    """Plain-text context around the first hit in the description or the cell sources."""
    for field in (description, body):
        at = _first_word_start(field, terms)
        if at is not None:
            return _cut(field, at)
    return _cut(description or body, 0)


def _first_word_start(field: str, terms: list[str]) -> int | None:
    """Where one of ``terms`` first starts a word in ``field`` (plain ``str.find``, not a
    regular expression: bodies are long and this runs for every result)."""
    lower = field.lower()
    best = None
    for term in terms:
        at = lower.find(term)
        while at >= 0 and (best is None or at < best):
            if at == 0 or not lower[at - 1].isalnum():
                best = at
                break
            at = lower.find(term, at + 1)
    return best


def _cut(field: str, at: int) -> str:
    start = max(0, at - SNIPPET_CHARS // 3)
    if start:
        space = field.find(" ", start, at)  # start on a word boundary
        start = space + 1 if space >= 0 else start
    end = min(len(field), start + SNIPPET_CHARS)
    text_ = " ".join(field[start:end].split())
    return ("…" if start else "") + text_ + ("…" if end < len(field) else "")
