/*
 * The gallery search's state and the request made of it: shared by the search view and the
 * first page fetched while the panel's code is still loading (prefetch.ts).
 */

import type { HealthLabel, ISearchQuery, SortOrder } from '../types';

/**
 * What the list shows: the committed query (text boxes are committed after the debounce).
 */
export interface ISearchState {
  q: string;
  owner: string;
  tag: string;
  mine: boolean;
  starred: boolean;
  /** Only these health labels (empty: every label). */
  health: HealthLabel[];
  /** Only verified notebooks. */
  verified?: boolean;
  /** Deprecated notebooks too (left out by default). */
  deprecated?: boolean;
  sort: SortOrder;
  page: number;
}

export const INITIAL_SEARCH: ISearchState = {
  q: '',
  owner: '',
  tag: '',
  mine: false,
  starred: false,
  health: [],
  sort: 'relevance',
  page: 1
};

/**
 * The request for a search state: empty filters are left out.
 */
export function searchQuery(
  state: ISearchState,
  perPage: number
): ISearchQuery {
  const query: ISearchQuery = {
    sort: state.sort,
    page: state.page,
    perPage: Math.max(1, Math.min(100, Math.round(perPage) || 20))
  };
  const q = state.q.trim();
  const owner = state.owner.trim();
  if (q) {
    query.q = q;
  }
  if (owner) {
    query.owner = owner;
  }
  if (state.tag) {
    query.tag = state.tag;
  }
  if (state.mine) {
    query.mine = true;
  }
  if (state.starred) {
    query.starred = true;
  }
  if (state.health.length > 0) {
    query.health = [...state.health];
  }
  if (state.verified) {
    query.verified = true;
  }
  if (state.deprecated) {
    query.deprecated = 'include';
  }
  return query;
}
