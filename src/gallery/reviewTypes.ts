/*
 * Wire types of the gallery's reviews (docs/api.md, "Gallery API"; openapi.json `Review`,
 * `NotebookReviews`).
 */

export type ReviewStatus =
  'requested' | 'claimed' | 'approved' | 'changes-requested';

export type ReviewAction =
  | 'requested'
  | 're-requested'
  | 'claimed'
  | 'approved'
  | 'changes-requested'
  | 'content-changed';

export interface IReviewStep {
  action: ReviewAction;
  by: string;
  at: string;
  version: number;
  comment: string;
}

export interface IReview {
  id: string;
  notebookId: string;
  notebookTitle: string;
  kind: string;
  status: ReviewStatus;
  /** The content the review applies to. */
  contentHash: string;
  version: number;
  /** False: a decision about earlier content (stale). */
  current: boolean;
  requestedBy: string;
  requestedAt: string;
  /** After a content change: the reviewer asked again. */
  requestedFrom: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  decidedAt: string | null;
  /** The reviewer's decision comment. */
  comment: string;
  history: IReviewStep[];
  /**
   * Only in the reply to a decision: whether the reviewer may still read the notebook
   * (false: they read it only as its reviewer, and that ended with the decision).
   */
  readable?: boolean;
}

export interface INotebookReviews {
  /** The enabled review kinds (empty: reviews are off). */
  kinds: string[];
  verified: boolean;
  /** The requester may ask for reviews (the owner; a group's editors). */
  canRequest: boolean;
  contentHash: string;
  /** Newest first. */
  items: IReview[];
}

export type ReviewDecision = 'approve' | 'request-changes';

/** A reviewer's queue (`GET gallery/reviews`): unclaimed first, then theirs. */
export interface IReviewQueue {
  items: IReview[];
}
