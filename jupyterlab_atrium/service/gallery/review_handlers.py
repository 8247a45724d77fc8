"""The review endpoints of the gallery (service API v1; see docs/api.md, "Gallery API").

Authorization happens in :class:`.reviews.Reviews`, on the worker threads, like every gallery
endpoint's.
"""

from __future__ import annotations

from typing import Any

import tornado.web

from ...base import service_authorized
from .handlers import ID, GalleryEndpoint


class GalleryNotebookReviewsEndpoint(GalleryEndpoint):
    """``GET gallery/notebooks/{id}/reviews`` (with history) and ``POST`` (request one)."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        self.write_json(
            await self.call(self.store.notebook_reviews, self.gallery_user(), notebook_id)
        )

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, notebook_id: str) -> None:
        body = await self.body()
        review = await self.call(self.store.request_review, self.gallery_user(), notebook_id, body)
        self.write_json(review, 201)


class GalleryReviewQueueEndpoint(GalleryEndpoint):
    """``GET gallery/reviews``: open reviews of the kinds the caller reviews."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        self.write_json({"items": await self.call(self.store.review_queue, self.gallery_user())})


class GalleryReviewClaimEndpoint(GalleryEndpoint):
    """``POST gallery/reviews/{id}/claim``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, review_id: str) -> None:
        self.write_json(await self.call(self.store.claim_review, self.gallery_user(), review_id))


class GalleryReviewDecisionEndpoint(GalleryEndpoint):
    """``POST gallery/reviews/{id}/approve`` and ``…/request-changes``."""

    decision = ""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, review_id: str) -> None:
        body = await self.body()
        self.write_json(
            await self.call(
                self.store.decide_review, self.gallery_user(), review_id, self.decision, body
            )
        )


class GalleryReviewApproveEndpoint(GalleryReviewDecisionEndpoint):
    decision = "approve"


class GalleryReviewRequestChangesEndpoint(GalleryReviewDecisionEndpoint):
    decision = "request-changes"


REVIEW_ENDPOINTS: list[tuple[str, type]] = [
    (f"gallery/notebooks/{ID}/reviews", GalleryNotebookReviewsEndpoint),
    ("gallery/reviews", GalleryReviewQueueEndpoint),
    (f"gallery/reviews/{ID}/claim", GalleryReviewClaimEndpoint),
    (f"gallery/reviews/{ID}/approve", GalleryReviewApproveEndpoint),
    (f"gallery/reviews/{ID}/request-changes", GalleryReviewRequestChangesEndpoint),
]
