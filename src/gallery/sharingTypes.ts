/*
 * Wire types of sharing and the inbox (service v1, docs/api.md): a notebook's shares, the
 * pickers' directory search, and the caller's inbox.
 */

export type ShareVisibility = 'public' | 'shared' | 'private';
export type PrincipalKind = 'user' | 'group';
export type ShareAccess = 'read' | 'edit';

/** A user or a group, as the pickers find them. */
export interface IPrincipal {
  kind: PrincipalKind;
  name: string;
}

export interface IShare extends IPrincipal {
  access: ShareAccess;
}

/** `GET gallery/notebooks/{id}/shares` (and what PUT/DELETE answer). */
export interface IShares {
  owner: string;
  ownerKind: PrincipalKind;
  visibility: ShareVisibility;
  canManage: boolean;
  items: IShare[];
}

/** One event of the inbox (`GET gallery/inbox`). */
export interface IInboxEvent {
  id: number;
  /** `share`; other features add their own kinds (a review request). */
  kind: string;
  actor: string;
  /** Whom it was addressed to: the reader, or one of their groups. */
  via: IPrincipal;
  /** The kind's own fields: a share's `access`. */
  detail: Record<string, unknown>;
  createdAt: string;
  notebookId: string;
  notebookTitle: string;
  read: boolean;
}

export interface IInboxPage {
  items: IInboxEvent[];
  /** `before` of the next page; null: no more. */
  nextBefore: number | null;
  readUpTo: number;
  /** Counted up to 51; `unreadMore` when there are more than 50. */
  unread: number;
  unreadMore: boolean;
}

export interface IInboxReadState {
  readUpTo: number;
  unread: number;
}
