"""Gallery search: full text (SQLite FTS5 or PostgreSQL tsvector + GIN), filters, sorting, pages.

The user's query never reaches the full-text syntax of either database: it is cut into word
tokens (letters and digits), each token is quoted as a literal, the tokens must all match
(AND), and the last one matches as a prefix so results follow typing. ``"``, ``*``, ``NEAR(``,
``OR`` or ``:*`` in a query are therefore just text. Everything else is bound parameters.

Blocking: called on the service's worker threads.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from .deprecation import search_filter
from .reviews import verified_filter, verified_rank
from .store import GalleryUser, bad_request

SORTS = ("relevance", "updated", "title", "stars", "health")
#: Health labels (``health.formula.LABELS``), in the order search ranks them.
HEALTH_LABELS = ("healthy", "unknown", "unhealthy")
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
    "n.pk, n.id, n.owner, n.owner_kind, n.title, n.description, n.tags_text, n.visibility, "
    "n.version, n.edits, n.content_hash, n.parent_id, n.created_at, n.updated_at, n.stars"
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
    #: Only notebooks with one of these health labels (None: any).
    health: tuple[str, ...] | None = None
    #: Deprecated notebooks: ``exclude``, ``include`` or ``only`` (None: left out of
    #: searches, kept in the lists of one's own or starred notebooks).
    deprecated: str | None = None
    #: Only verified notebooks (an approval of every review kind for the current content).
    verified: bool = False
    #: The enabled review kinds (``AtriumGallery.review_kinds``; the store fills them in).
    review_kinds: tuple[str, ...] = ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def deprecated_mode(self) -> str:
        if self.deprecated is not None:
            return self.deprecated
        return "include" if self.mine or self.starred else "exclude"


def parse_health(value: str) -> tuple[str, ...] | None:
    """The ``health`` query parameter: labels separated by commas (``healthy,unknown``)."""
    labels = [part.strip().lower() for part in value.split(",") if part.strip()]
    if not labels:
        return None
    for label in labels:
        if label not in HEALTH_LABELS:
            raise bad_request(
                "'health' is a comma-separated list of "
                f"{', '.join(HEALTH_LABELS)} (got {label[:40]!r})."
            )
    return tuple(sorted(set(labels), key=HEALTH_LABELS.index))


# The stored health (health/state.py) of the notebook whose key is ``{pk}``: a notebook
# without one has had no runs, so it is unknown. Correlated lookups by primary key, made
# only for the rows that need them (filtered rows, at most WINDOW + 1 candidates).
_LABEL = (
    "COALESCE((SELECT s.label FROM health_notebook_state s WHERE s.notebook_pk = {pk}), 'unknown')"
)
_HEALTH_RANK = (
    "COALESCE((SELECT CASE s.label WHEN 'healthy' THEN 0 WHEN 'unhealthy' THEN 2 ELSE 1 END "
    "FROM health_notebook_state s WHERE s.notebook_pk = {pk}), 1)"
)
_HEALTH_SCORE = (
    "COALESCE((SELECT s.score FROM health_notebook_state s WHERE s.notebook_pk = {pk}), -1)"
)


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


def _filters(
    user: GalleryUser,
    read: str,
    params: SearchParams,
    binds: dict[str, Any],
    *,
    probe: bool = False,
) -> list[str]:
    """The WHERE terms of the filters on ``n``. With ``probe`` the tag and star filters are
    looked up per row (primary keys ``(notebook_pk, tag)``, ``(notebook_pk, username)``), for
    plans that walk candidates in order and stop early; otherwise they are sets SQL may start
    from."""
    where = []
    binds["me"] = user.name
    if read != "1 = 1":
        where.append(read)
    if params.mine:
        where.append("n.owner = :me AND n.owner_kind = 'user'")
    if "\x00" in (params.owner or "") + (params.tag or ""):
        # No stored name or tag holds NUL, and PostgreSQL refuses it even as a parameter.
        where.append("1 = 0")
        return where
    if params.owner:
        where.append("n.owner = :owner")
        binds["owner"] = params.owner
    if params.tag:
        binds["tag"] = params.tag.lower()
        where.append(
            "EXISTS (SELECT 1 FROM gallery_tags t WHERE t.notebook_pk = n.pk AND t.tag = :tag)"
            if probe
            else "n.pk IN (SELECT t.notebook_pk FROM gallery_tags t WHERE t.tag = :tag)"
        )
    if params.starred:
        where.append(
            "EXISTS (SELECT 1 FROM gallery_stars s WHERE s.notebook_pk = n.pk AND s.username = :me)"
            if probe
            else "n.pk IN (SELECT s.notebook_pk FROM gallery_stars s WHERE s.username = :me)"
        )
    deprecated = search_filter(params.deprecated_mode)
    if deprecated is not None:
        where.append(deprecated)
    if params.health and len(params.health) < len(HEALTH_LABELS):
        names = [f"health{i}" for i in range(len(params.health))]
        binds.update(zip(names, params.health, strict=True))
        where.append(f"{_LABEL.format(pk='n.pk')} IN ({', '.join(':' + n for n in names)})")
    if params.verified:
        where.append(verified_filter(params.review_kinds, binds))
    return where


_ORDER = {
    "updated": "n.updated_at DESC, n.pk DESC",
    "title": "n.title ASC, n.pk ASC",
    "stars": "n.stars DESC, n.updated_at DESC, n.pk DESC",
    # No index orders by health: the visible notebooks are sorted (a listing, no words).
    "health": f"{_HEALTH_RANK.format(pk='n.pk')}, {_HEALTH_SCORE.format(pk='n.pk')} DESC, "
    "n.updated_at DESC, n.pk DESC",
}

#: On PostgreSQL, a word search without filters of its own whose last word is a prefix of at
#: most ``SHORT_PREFIX`` characters (what search-as-you-type sends first) walks the primary key
#: backwards (testing each notebook's vector, ~4 pages of TOAST a row) instead of taking the
#: GIN bitmap when the planner expects its words to match so many notebooks, so large a
#: share, that ``matches x share`` reaches ``WALK_WINDOWS`` windows. The bitmap costs every
#: match and, for a prefix, every word of the index starting with it: ``8`` is in 95 % of the
#: bench's notebooks and starts 107,802 distinct words (hexadecimal ids), 0.1-0.6 s; the walk
#: costs about ``WINDOW / share`` rows. Break-even measured at 100k notebooks: a share of
#: ~30 %. Longer words are not checked: the estimate is one more round trip, and their GIN
#: scans are one word's list.
SHORT_PREFIX = 3
WALK_WINDOWS = 10
#: The walk looks at the newest ``WALK_SPAN / share`` windows of notebooks at most, so a wrong
#: estimate or a user who may read few of them costs a bounded detour: if the walk finds fewer
#: than a window, the search takes the bitmap.
WALK_SPAN = 4

#: On SQLite, a filter to one user's notebooks or stars that keeps fewer rows than this drives
#: a word search (its notebooks are looked up in the set of full-text matches: probing FTS5 row
#: by row re-reads the word's whole list each time); larger filters are applied while the
#: full-text matches are walked newest first.
SMALL_FILTER = 2000


def search(
    session: Session,
    backend: str,
    user: GalleryUser,
    read: tuple[str, dict[str, Any]],
    params: SearchParams,
) -> tuple[list[Any], int, bool, list[str]]:
    """Rows of one page (``COLUMNS``), the number of hits (at most ``WINDOW``), whether that
    number is exact, and the query's terms.

    A full-text search takes the ``WINDOW`` most recently published notebooks that match the
    words and pass the filters (newest first, which both indexes yield without sorting every
    match) and orders those: by relevance, notebooks whose title or tags hold all the words
    come first, then the most recently updated; or by the chosen sort. The cost of a search
    then stays bounded however many notebooks a common word matches. Listings without words
    count up to ``WINDOW`` too.
    """
    binds: dict[str, Any] = {
        "limit": params.per_page,
        "offset": params.offset,
        "counted": WINDOW + 1,
        **read[1],
    }
    terms = query_terms(params.q)
    sort = params.sort if params.sort in SORTS else "relevance"
    if terms:
        keys, total = _search_words(session, backend, user, read[0], terms, sort, binds, params)
    else:
        where = _filters(user, read[0], params, binds)
        keys, total = _list(session, sort, " AND ".join(where) or "1 = 1", binds, params)
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


def _small_filter(session: Session, user: GalleryUser, params: SearchParams) -> bool:
    """Whether the owner / mine / starred filters keep fewer than ``SMALL_FILTER`` rows (an
    index-only count that stops there)."""
    owners = {params.owner} if params.owner else set()
    if params.mine:
        owners.add(user.name)
    if owners and "\x00" not in "".join(owners):
        if len(owners) > 1:
            return True  # two different owners: nothing passes
        fewest = (
            "SELECT count(*) FROM (SELECT 1 FROM gallery_notebooks "
            "WHERE owner = :who LIMIT :small) AS o"
        )
        who = owners.pop()
    elif params.starred:
        fewest = (
            "SELECT count(*) FROM (SELECT 1 FROM gallery_stars "
            "WHERE username = :who LIMIT :small) AS s"
        )
        who = user.name
    else:
        return False
    count = session.execute(text(fewest), {"who": who, "small": SMALL_FILTER}).scalar_one()
    return int(count) < SMALL_FILTER


#: Orders of the candidates (``c``: ``pk, updated_at, stars, title, tier, hr, hs``).
#: At equal relevance (tier), healthy notebooks come first, unhealthy ones last.
_CANDIDATE_ORDER = {
    "relevance": "tier, hr, updated_at DESC, pk DESC",
    "health": "hr, hs DESC, updated_at DESC, pk DESC",
    "updated": "updated_at DESC, pk DESC",
    "title": "title ASC, pk ASC",
    "stars": "stars DESC, updated_at DESC, pk DESC",
}


def _health_columns(sort: str) -> str:
    """``hr`` (health rank) and ``hs`` (score) of the candidates ``w``, for the sorts that
    use them (looked up for at most ``WINDOW + 1`` rows)."""
    if sort not in ("relevance", "health"):
        return ", 1 AS hr, 0 AS hs"
    return f", {_HEALTH_RANK.format(pk='w.pk')} AS hr, {_HEALTH_SCORE.format(pk='w.pk')} AS hs"


def _candidates(
    session: Session,
    backend: str,
    user: GalleryUser,
    read: str,
    terms: list[str],
    sort: str,
    binds: dict[str, Any],
    params: SearchParams,
    walk: int | None = None,
) -> str:
    """CTEs ending in ``c``: ``pk, updated_at, stars, title, tier`` of the newest
    ``WINDOW + 1`` notebooks that match and pass the filters (tier 0: the title or tags hold
    all the words; only computed for the relevance sort). PostgreSQL only: with ``walk``, the
    candidates are the newest matches among the ``walk`` newest notebooks, found by walking
    the primary key (see ``WALK_WINDOWS``)."""
    title = "n.title" if sort == "title" else "''"
    # The tag's words in the tags column narrow the matches inside the index (a superset of
    # the notebooks with that tag, which the join table then confirms).
    tag = (params.tag or "").lower()
    tag_words = _TOKEN.findall(tag) if tag.isascii() else []
    if backend != "sqlite":
        binds["tsq"] = tsquery(terms)
        in_tags = []
        if tag_words:
            # Without it PostgreSQL starts from the tag's rows and tests each one's TOASTed
            # search_vector (7 pages a row); with it both GIN bitmaps are ANDed first.
            binds["tag_tsq"] = " & ".join(f"'{word}'" for word in tag_words)
            in_tags.append("n.head_vector @@ to_tsquery('simple', :tag_tsq)")
        where = " AND ".join(
            ["n.search_vector @@ q.query", *in_tags, *_filters(user, read, params, binds)]
        )
        # "+ 0": not an index order. Walking the primary key backwards and testing each
        # row's (TOASTed) vector costs far more than the GIN bitmap and a top-N sort, which
        # the planner underestimates for words in a few percent of the notebooks - but not
        # for words in most of them (``walk``).
        order = "n.pk + 0 DESC"
        if walk is not None:
            binds["span"] = walk
            where += " AND n.pk > (SELECT max(pk) FROM gallery_notebooks) - :span"
            order = "n.pk DESC"
        # The walk's candidates test their own head_vector (read for them only): the GIN
        # index of a short prefix's title words is no cheaper, and for ``p`` the planner took
        # a sequential scan of every notebook's vector instead (1 s).
        tier = ""
        if walk is not None and sort == "relevance":
            tier = ", CASE WHEN n.head_vector @@ q.query THEN 0 ELSE 1 END AS tier"
        w = (
            f"SELECT n.pk, n.updated_at, n.stars, {title} AS title{tier} "  # noqa: S608
            "FROM gallery_notebooks n, (SELECT to_tsquery('simple', :tsq) AS query) AS q "
            f"WHERE {where} ORDER BY {order} LIMIT :counted"
        )
        if sort != "relevance":
            return (
                f"WITH c AS MATERIALIZED (SELECT *, 1 AS tier{_health_columns(sort)} "  # noqa: S608
                f"FROM ({w}) AS w) "
            )
        if tier:
            return (
                f"WITH w AS MATERIALIZED ({w}), "  # noqa: S608
                f"c AS MATERIALIZED (SELECT w.*{_health_columns(sort)} FROM w) "
            )
        # Title or tag matches among the candidates, through the GIN index of head_vector
        # (testing the vector row by row would read it from TOAST for every candidate;
        # "+ 0" again keeps the planner from walking the primary key instead).
        head = (
            "SELECT n.pk FROM gallery_notebooks n "
            "WHERE n.head_vector @@ to_tsquery('simple', :tsq) "
            "AND n.pk + 0 >= (SELECT min(pk) FROM w)"
        )
        return (
            f"WITH w AS MATERIALIZED ({w}), h AS MATERIALIZED ({head}), "  # noqa: S608
            "c AS MATERIALIZED (SELECT w.*, CASE WHEN w.pk IN (SELECT pk FROM h) THEN 0 ELSE 1 "
            f"END AS tier{_health_columns(sort)} FROM w) "
        )
    words = fts5_query(terms)
    narrow = f' AND {{tags_text}} : "{" ".join(tag_words)}"' if tag_words else ""
    binds["match"] = f"({words}){narrow}"
    if _small_filter(session, user, params):
        where = " AND ".join(_filters(user, read, params, binds))
        c = (
            f"SELECT n.pk, n.updated_at, n.stars, {title} AS title "  # noqa: S608
            f"FROM gallery_notebooks n WHERE {where} AND n.pk IN "
            "(SELECT rowid FROM gallery_fts WHERE gallery_fts MATCH :match) "
            "ORDER BY n.pk DESC LIMIT :counted"
        )
    else:
        where = " AND ".join(
            ["gallery_fts MATCH :match", *_filters(user, read, params, binds, probe=True)]
        )
        c = (
            f"SELECT n.pk, n.updated_at, n.stars, {title} AS title "  # noqa: S608
            "FROM gallery_fts CROSS JOIN gallery_notebooks n "
            "INDEXED BY ix_gallery_notebooks_cover ON n.pk = gallery_fts.rowid "
            f"WHERE {where} ORDER BY gallery_fts.rowid DESC LIMIT :counted"
        )
    if sort != "relevance":
        return (
            f"WITH c AS MATERIALIZED (SELECT *, 1 AS tier{_health_columns(sort)} "  # noqa: S608
            f"FROM ({c}) AS w) "
        )
    binds["head"] = f"({{title tags_text}} : ({words})){narrow}"
    return (
        f"WITH w AS MATERIALIZED ({c}), "  # noqa: S608
        # Title or tag matches among the candidates (at most their rowid range).
        "h AS MATERIALIZED (SELECT rowid AS pk FROM gallery_fts WHERE gallery_fts MATCH :head "
        "AND rowid >= (SELECT min(pk) FROM w)), "
        "c AS MATERIALIZED (SELECT w.*, CASE WHEN w.pk IN (SELECT pk FROM h) THEN 0 ELSE 1 END "
        f"AS tier{_health_columns(sort)} FROM w) "
    )


def _search_words(
    session: Session,
    backend: str,
    user: GalleryUser,
    read: str,
    terms: list[str],
    sort: str,
    binds: dict[str, Any],
    params: SearchParams,
) -> tuple[list[int], int]:
    """Full-text searches: the candidates (at most ``WINDOW + 1``) are ordered, counted and
    paged in the database, which returns the page's keys only."""
    walk = _walk_span(session, terms, params) if backend == "postgresql" else None
    if walk is not None:
        keys, total = _page(
            session,
            _candidates(session, backend, user, read, terms, sort, binds, params, walk),
            sort,
            binds,
            params,
        )
        if total > WINDOW:
            return keys, total  # a full window among the newest: the same as the bitmap's
    ctes = _candidates(session, backend, user, read, terms, sort, binds, params)
    return _page(session, ctes, sort, binds, params)


def _walk_span(session: Session, terms: list[str], params: SearchParams) -> int | None:
    """How many of the newest notebooks a PostgreSQL search should walk (``WALK_WINDOWS``),
    or None for the GIN bitmap. Only for short prefixes (``SHORT_PREFIX``) and searches the
    words alone narrow: the other filters (mine, owner, tag, stars, health, verified) may keep
    few of the walked rows."""
    if (
        len(terms[-1]) > SHORT_PREFIX
        or params.mine
        or params.owner
        or params.tag
        or params.starred
        or params.health
        or params.verified
        or params.deprecated_mode == "only"
    ):
        return None
    # The planner's estimates (its statistics of the vectors' most common words, which also
    # cover prefixes) of the matches and of the table's rows, in one round trip.
    plan = session.execute(
        text(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM gallery_notebooks n "
            "WHERE n.search_vector @@ to_tsquery('simple', :tsq) "
            "UNION ALL SELECT 1 FROM gallery_notebooks"
        ),
        {"tsq": tsquery(terms)},
    ).scalar_one()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    parts = [float(part["Plan Rows"]) for part in plan[0]["Plan"].get("Plans", [])]
    if len(parts) != 2:
        return None
    matches, notebooks = parts
    if notebooks <= 0 or matches <= 0:
        return None
    share = min(1.0, matches / float(notebooks))
    if matches * share < WALK_WINDOWS * (WINDOW + 1):
        return None
    return math.ceil(WALK_SPAN * (WINDOW + 1) / share)


def _page(
    session: Session, ctes: str, sort: str, binds: dict[str, Any], params: SearchParams
) -> tuple[list[int], int]:
    """The page's keys and the number of candidates ``c``."""
    order = _CANDIDATE_ORDER[sort]
    if sort == "relevance" and params.review_kinds and not params.verified:
        # At equal relevance verified notebooks first (looked up for the candidates only).
        rank = verified_rank(params.review_kinds, "c.pk", binds)
        order = order.replace("tier, ", f"tier, {rank}, ", 1)
    page = session.execute(
        text(
            f"{ctes}SELECT pk, count(*) OVER () FROM c "  # noqa: S608
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        ),
        binds,
    ).all()
    if page:
        return [row[0] for row in page], int(page[0][1])
    # A page past the end: count on its own.
    total = session.execute(text(f"{ctes}SELECT count(*) FROM c"), binds).scalar_one()  # noqa: S608
    return [], int(total)


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
