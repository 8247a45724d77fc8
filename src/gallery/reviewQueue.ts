import type { IReview } from './reviewTypes';

/*
 * The reviewer's queue apart from React: the order its rows are shown in and what each
 * row offers. The service sends them in this order already; the list keeps it while rows
 * change in place (a claim), and never offers a step the service would refuse.
 */

/** Where a review stands for the reviewer looking at the queue. */
export type QueueState = 'asked-again' | 'unclaimed' | 'mine';

export interface IQueueRow {
  review: IReview;
  state: QueueState;
  /** Claim (an unclaimed review) or only Open (theirs). */
  canClaim: boolean;
}

function stateOf(review: IReview, user: string | null): QueueState | null {
  if (review.status === 'requested') {
    return user !== null && review.requestedFrom === user
      ? 'asked-again'
      : 'unclaimed';
  }
  if (
    review.status === 'claimed' &&
    user !== null &&
    review.claimedBy === user
  ) {
    return 'mine';
  }
  return null; // decided, or claimed by someone else: not this reviewer's work
}

const ORDER: Record<QueueState, number> = {
  'asked-again': 0,
  unclaimed: 1,
  mine: 2
};

/**
 * The rows of `items` for `user`: unclaimed first (those asked of them again first), then
 * those they claimed; oldest request first within each; what is not theirs to take left
 * out.
 */
export function queueRows(
  items: readonly IReview[],
  user: string | null
): IQueueRow[] {
  const rows: IQueueRow[] = [];
  for (const review of items) {
    const state = stateOf(review, user);
    if (state !== null) {
      rows.push({ review, state, canClaim: state !== 'mine' });
    }
  }
  return rows.sort(
    (a, b) =>
      ORDER[a.state] - ORDER[b.state] ||
      a.review.requestedAt.localeCompare(b.review.requestedAt)
  );
}

/** `items` with `changed` in place of the review of the same id. */
export function replaceReview(
  items: readonly IReview[],
  changed: IReview
): IReview[] {
  return items.map(review => (review.id === changed.id ? changed : review));
}

/** How many rows wait for someone to claim them (the tab's badge). */
export function unclaimedCount(rows: readonly IQueueRow[]): number {
  return rows.filter(row => row.state !== 'mine').length;
}
