"""The gallery's REST endpoints (service API v1; see docs/api.md, "Gallery API").

Endpoint classes are mixed with the deployment mode's handler base by
``service.handlers.build_routes``: that base authenticates (jupyter_server or JupyterHub)
and provides ``atrium_user()``. Authorization of every read and write happens in
:class:`.store.GalleryStore`, on the worker threads, next to the data.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import tornado.web

from ... import fields
from ...base import query_int, query_text, service_authorized
from ...errors import AtriumError
from ...gallery.strip import RAW_CEILING_FACTOR, NotebookRejected
from .deprecation import DeprecationVerbs, deprecated_mode
from .search import MAX_OFFSET, MAX_PER_PAGE, SORTS, SearchParams, parse_health
from .sharing import MAX_FOUND
from .store import ETag, GalleryUser, Summary, etag, parse_etag

if TYPE_CHECKING:
    from ..core import Service
    from .store import GalleryStore

#: One path segment. Written with ``\x2f`` rather than ``/`` so that the route's own text
#: (which the anonymous-access test requests literally) stays one segment too.
ID = r"([^\x2f]+)"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def body_ceiling(max_notebook_bytes: int) -> int:
    """The largest request body a gallery endpoint reads: a notebook far over the limit
    (before stripping, pretty-printed) plus the fields around it."""
    return RAW_CEILING_FACTOR * max_notebook_bytes + 64 * 1024


def parse_body(raw: bytes | bytearray) -> dict[str, Any]:
    """A request body (at most ``body_ceiling``, see ``GalleryEndpoint.body_limit``): a JSON
    object."""
    if not raw:
        return {}
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AtriumError(
            "The request body is not valid JSON.", status=400, reason="invalid-json"
        ) from None
    if not isinstance(body, dict):
        raise AtriumError(
            "The request body must be a JSON object.", status=400, reason="bad-request"
        )
    return body


class GalleryEndpoint:
    """Shared plumbing: the store, the requesting user, bodies, and errors with extra fields."""

    atrium_service: Service

    @property
    def store(self) -> GalleryStore:
        return self.atrium_service.gallery

    def gallery_user(self: Any) -> GalleryUser:
        return self.atrium_user()

    async def remember(self, user: GalleryUser) -> None:
        """The directory the share pickers search learns names and groups from identities."""
        if not self.store.remembers(user):
            await self.atrium_service.run(self.store.remember, user)

    async def call(self, fn: Any, *args: Any) -> Any:
        if args and isinstance(args[0], GalleryUser):
            await self.remember(args[0])
        return await self.atrium_service.run(fn, *args)

    def body_limit(self) -> int:
        return body_ceiling(self.atrium_service.gallery_config.max_notebook_bytes)

    def body_too_large(self, size: int | None, limit: int) -> AtriumError:
        told = f"The request is {size / 2**20:.1f} MiB; " if size is not None else ""
        notebook = self.atrium_service.gallery_config.max_notebook_bytes
        return NotebookRejected(
            413,
            "too-large",
            f"{told}The gallery accepts notebooks up to {notebook / 2**20:.1f} MiB without "
            "outputs.",
        )

    async def body(self: Any) -> dict[str, Any]:
        raw = self.request.body or b""
        if len(raw) < 64 * 1024:
            return parse_body(raw)
        return await self.call(parse_body, raw)

    #: What a missing or unreadable If-Match asks for (the grading endpoints say theirs).
    if_match_hint = (
        "Send the ETag of the notebook you are changing in an If-Match header "
        '("v<version>" or "v<version>.<edits>", as the gallery sent it).'
    )

    def if_match(self: Any, *, required: bool = True) -> ETag | None:
        header = self.request.headers.get("If-Match")
        if header is None and not required:
            return None
        expected = parse_etag(header)
        if expected is None:
            raise AtriumError(self.if_match_hint, status=428, reason="precondition-required")
        return expected

    def write_error(self: Any, status_code: int, **kwargs: Any) -> None:
        exc = (kwargs.get("exc_info") or (None, None, None))[1]
        payload = getattr(exc, "payload", None)
        if isinstance(exc, AtriumError) and payload:
            current = payload.get("current")
            if isinstance(current, Summary):
                # The state the client must name to retry, as a header like every ETag.
                self.set_header("ETag", current.etag)
            self.clear_header("Content-Type")
            self.set_status(exc.status)
            self.set_header("Content-Type", "application/json; charset=UTF-8")
            self.finish(json.dumps({"message": exc.message, "reason": exc.reason, **payload}))
            return
        super().write_error(status_code, **kwargs)  # type: ignore[misc]

    def write_summary(self: Any, summary: Summary, status: int = 200) -> None:
        self.set_header("ETag", summary.etag)
        self.write_json(summary, status)


def _flag(handler: Any, name: str) -> bool:
    return query_text(handler, name).lower() in ("1", "true", "yes")


class GalleryPolicyEndpoint(GalleryEndpoint):
    """``GET gallery/policy``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        user = self.gallery_user()
        await self.remember(user)
        config = self.atrium_service.gallery_config
        self.write_json(config.policy(user.name, user.admin, user.review_kinds))


class GalleryNotebooksEndpoint(GalleryEndpoint):
    """``GET gallery/notebooks`` (search) and ``POST gallery/notebooks`` (publish)."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        sort = fields.choice(query_text(self, "sort", "relevance"), "sort", SORTS)
        page = max(1, query_int(self, "page", 1))
        per_page = min(MAX_PER_PAGE, max(1, query_int(self, "perPage", 20)))
        if (page - 1) * per_page > MAX_OFFSET:
            raise AtriumError(
                "That page is too far back; narrow the search instead.",
                status=400,
                reason="bad-request",
            )
        params = SearchParams(
            q=query_text(self, "q")[:1000],
            mine=_flag(self, "mine"),
            starred=_flag(self, "starred"),
            tag=query_text(self, "tag") or None,
            owner=query_text(self, "owner") or None,
            sort=sort,
            page=page,
            per_page=per_page,
            health=parse_health(query_text(self, "health")[:200]),
            deprecated=deprecated_mode(query_text(self, "deprecated")),
            verified=_flag(self, "verified"),
        )
        self.write_json(await self.call(self.store.search, self.gallery_user(), params))

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any) -> None:
        body = await self.body()
        summary = await self.call(self.store.create, self.gallery_user(), body)
        self.write_summary(summary, 201)


class GalleryNotebookEndpoint(GalleryEndpoint):
    """``GET/PUT/PATCH/DELETE gallery/notebooks/{id}``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        user = self.gallery_user()
        wanted = self.request.headers.get("If-None-Match")
        if wanted:
            current = await self.call(self.store.etag_of, user, notebook_id)
            tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
            if current in tags or "*" in tags:
                self.set_header("ETag", current)
                self.set_status(304)
                self.finish()
                return
        self.write_summary(await self.call(self.store.get, user, notebook_id))

    @tornado.web.authenticated
    @service_authorized
    async def put(self: Any, notebook_id: str) -> None:
        expected = self.if_match()
        body = await self.body()
        summary = await self.call(
            self.store.update, self.gallery_user(), notebook_id, expected, body
        )
        self.write_summary(summary)

    @tornado.web.authenticated
    @service_authorized
    async def patch(self: Any, notebook_id: str) -> None:
        expected = self.if_match()
        body = await self.body()
        summary = await self.call(
            self.store.patch, self.gallery_user(), notebook_id, expected, body
        )
        self.write_summary(summary)

    @tornado.web.authenticated
    @service_authorized
    async def delete(self: Any, notebook_id: str) -> None:
        expected = self.if_match(required=False)
        await self.call(self.store.delete, self.gallery_user(), notebook_id, expected)
        self.set_status(204)
        self.finish()


class GalleryContentEndpoint(GalleryEndpoint):
    """``GET gallery/notebooks/{id}/content[?version=N]``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        number = fields.decimal(self.get_argument("version", None), "version", minimum=1)
        content, number = await self.call(
            self.store.content, self.gallery_user(), notebook_id, number
        )
        self.set_header("ETag", etag(number))
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(content)


class GalleryVersionsEndpoint(GalleryEndpoint):
    """``GET gallery/notebooks/{id}/versions``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        items = await self.call(self.store.versions, self.gallery_user(), notebook_id)
        self.write_json({"items": items})


class GalleryStarEndpoint(GalleryEndpoint):
    """``PUT/DELETE gallery/notebooks/{id}/star``"""

    @tornado.web.authenticated
    @service_authorized
    async def put(self: Any, notebook_id: str) -> None:
        self.write_json(await self.call(self.store.star, self.gallery_user(), notebook_id, True))

    @tornado.web.authenticated
    @service_authorized
    async def delete(self: Any, notebook_id: str) -> None:
        self.write_json(await self.call(self.store.star, self.gallery_user(), notebook_id, False))


class GalleryTagsEndpoint(GalleryEndpoint):
    """``GET gallery/tags``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        self.write_json({"items": await self.call(self.store.tags, self.gallery_user())})


class GallerySharesEndpoint(GalleryEndpoint):
    """``GET/PUT/DELETE gallery/notebooks/{id}/shares``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        self.write_json(await self.call(self.store.shares, self.gallery_user(), notebook_id))

    @tornado.web.authenticated
    @service_authorized
    async def put(self: Any, notebook_id: str) -> None:
        body = await self.body()
        self.write_json(await self.call(self.store.share, self.gallery_user(), notebook_id, body))

    @tornado.web.authenticated
    @service_authorized
    async def delete(self: Any, notebook_id: str) -> None:
        kind = query_text(self, "kind")
        name = query_text(self, "name")
        self.write_json(
            await self.call(self.store.unshare, self.gallery_user(), notebook_id, kind, name)
        )


class GalleryGroupsEndpoint(GalleryEndpoint):
    """``GET gallery/groups``: the caller's groups and those ``group_roles`` give them."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        self.write_json({"items": await self.call(self.store.my_groups, self.gallery_user())})


class GalleryPrincipalsEndpoint(GalleryEndpoint):
    """``GET gallery/principals?q=&kind=user|group&limit=``: the share pickers' search."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        q = query_text(self, "q")
        kind = query_text(self, "kind") or None
        limit = query_int(self, "limit", MAX_FOUND)
        items = await self.call(self.store.find_principals, self.gallery_user(), q, kind, limit)
        self.write_json({"items": items})


class GalleryDeprecationEndpoint(DeprecationVerbs, GalleryEndpoint):
    """``PUT/DELETE gallery/notebooks/{id}/deprecation``"""


class GalleryNotebookChangeRequestsEndpoint(GalleryEndpoint):
    """``POST gallery/notebooks/{id}/change-requests``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, notebook_id: str) -> None:
        body = await self.body()
        cr = await self.call(
            self.store.create_change_request, self.gallery_user(), notebook_id, body
        )
        self.write_json(cr, 201)


class GalleryChangeRequestsEndpoint(GalleryEndpoint):
    """``GET gallery/change-requests?role=incoming|outgoing&status=open|all``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        role = query_text(self, "role", "incoming")
        status = query_text(self, "status", "open")
        items = await self.call(self.store.list_change_requests, self.gallery_user(), role, status)
        self.write_json({"items": items})


class GalleryChangeRequestEndpoint(GalleryEndpoint):
    """``GET gallery/change-requests/{crid}``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, crid: str) -> None:
        self.write_json(await self.call(self.store.get_change_request, self.gallery_user(), crid))


class GalleryAcceptEndpoint(GalleryEndpoint):
    """``POST gallery/change-requests/{crid}/accept``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, crid: str) -> None:
        body = await self.body()
        result = await self.call(self.store.accept_change_request, self.gallery_user(), crid, body)
        self.set_header("ETag", result["notebook"].etag)
        self.write_json(result)


class GalleryDeclineEndpoint(GalleryEndpoint):
    """``POST gallery/change-requests/{crid}/decline``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, crid: str) -> None:
        body = await self.body()
        self.write_json(
            await self.call(self.store.decline_change_request, self.gallery_user(), crid, body)
        )


class GalleryWithdrawEndpoint(GalleryEndpoint):
    """``POST gallery/change-requests/{crid}/withdraw``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, crid: str) -> None:
        self.write_json(
            await self.call(self.store.withdraw_change_request, self.gallery_user(), crid)
        )


GALLERY_ENDPOINTS: list[tuple[str, type]] = [
    ("gallery/policy", GalleryPolicyEndpoint),
    ("gallery/tags", GalleryTagsEndpoint),
    ("gallery/groups", GalleryGroupsEndpoint),
    ("gallery/principals", GalleryPrincipalsEndpoint),
    ("gallery/notebooks", GalleryNotebooksEndpoint),
    (f"gallery/notebooks/{ID}", GalleryNotebookEndpoint),
    (f"gallery/notebooks/{ID}/content", GalleryContentEndpoint),
    (f"gallery/notebooks/{ID}/versions", GalleryVersionsEndpoint),
    (f"gallery/notebooks/{ID}/star", GalleryStarEndpoint),
    (f"gallery/notebooks/{ID}/shares", GallerySharesEndpoint),
    (f"gallery/notebooks/{ID}/change-requests", GalleryNotebookChangeRequestsEndpoint),
    (f"gallery/notebooks/{ID}/deprecation", GalleryDeprecationEndpoint),
    ("gallery/change-requests", GalleryChangeRequestsEndpoint),
    (f"gallery/change-requests/{ID}", GalleryChangeRequestEndpoint),
    (f"gallery/change-requests/{ID}/accept", GalleryAcceptEndpoint),
    (f"gallery/change-requests/{ID}/decline", GalleryDeclineEndpoint),
    (f"gallery/change-requests/{ID}/withdraw", GalleryWithdrawEndpoint),
]
