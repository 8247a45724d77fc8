import type { INotebookContent } from '@jupyterlab/nbformat';

import type { DeprecatedMode, IDeprecation } from './deprecationTypes';

/*
 * Wire types of the gallery REST API (service v1, see docs/api.md) and the frontend's own
 * shared types: settings, the local link and the sync status.
 */

/** `shared`: only those it is shared with (docs/gallery.md, "Groups and sharing"). */
export type Visibility = 'public' | 'shared' | 'private';

export type HealthLabel = 'healthy' | 'unhealthy' | 'unknown';

/**
 * A notebook's execution health as the service computes it (docs/health.md).
 */
export interface INotebookHealth {
  label: HealthLabel;
  /** 0..1; null: too few runs to judge. */
  score: number | null;
  /** The verdict in words (from the service, in English). */
  reason: string;
  /** The verdict's terms, which the browser words in the user's language (healthReason.ts). */
  explanation?: unknown;
}

/**
 * One code cell of the current version (`GET service/health/notebooks/{id}/cells`).
 */
export interface ICellHealth {
  cellId: string;
  /** 0-based among the code cells. */
  index: number;
  optional: boolean;
  raisesException: boolean;
  label: HealthLabel;
  score: number | null;
  /** Passes / (passes + failures); null: no counted runs. */
  passRate: number | null;
  passes: number;
  failures: number;
  expected: number;
  meanDurationMs: number | null;
}

export interface ICellHealthReply {
  notebookId: string;
  version: number;
  items: ICellHealth[];
}

export interface INotebookSummary {
  /** Opaque, URL-safe (uuid4 hex). */
  id: string;
  title: string;
  description: string;
  tags: string[];
  owner: string;
  visibility: Visibility;
  /** 1, 2, ... */
  version: number;
  /** sha256 hex of the canonical stripped notebook (see hash.ts). */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
  stars: number;
  /** Starred by the requesting user. */
  starred: boolean;
  /** The notebook this one was forked from. */
  parentId: string | null;
  /** The requester is the owner or an admin. */
  canEdit: boolean;
  /** Execution health of the current version. */
  health: INotebookHealth;
  /** Only counted for `canEdit`, else 0. */
  openChangeRequests: number;
  /** Every review kind approved the current content (reviews: reviewTypes.ts). */
  verified?: boolean;
  /** Why and for what it was deprecated (null: it is not). */
  deprecation?: IDeprecation | null;
  /** May deprecate and undeprecate it (owner, owning group, group_roles editors). */
  canDeprecate?: boolean;
  /** Search hit context (plain text), only in search results. */
  snippet?: string;
}

export interface IVersion {
  version: number;
  note: string;
  author: string;
  createdAt: string;
  contentHash: string;
  size: number;
}

export type ChangeRequestStatus =
  'open' | 'accepted' | 'declined' | 'withdrawn';

export interface IChangeRequest {
  id: string;
  notebookId: string;
  notebookTitle: string;
  author: string;
  comment: string;
  baseVersion: number;
  status: ChangeRequestStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionComment: string;
  resultVersion: number | null;
}

export interface IChangeRequestWithNotebook extends IChangeRequest {
  notebook: INotebookContent;
}

export interface IGalleryPolicy {
  maxNotebookBytes: number;
  allowAttachments: boolean;
  admin: boolean;
  user: string;
  apiVersion: 1;
  /** Review kinds and their reviewer groups (empty: reviews are off). */
  reviewKinds?: Record<string, string[]>;
  /** The review kinds the user reviews. */
  reviewerOf?: string[];
}

export type SortOrder = 'relevance' | 'updated' | 'title' | 'stars' | 'health';

export interface ISearchQuery {
  q?: string;
  mine?: boolean;
  starred?: boolean;
  tag?: string;
  owner?: string;
  /** Only notebooks with one of these health labels. */
  health?: HealthLabel[];
  /** Only verified notebooks. */
  verified?: boolean;
  /** Deprecated notebooks: left out by default. */
  deprecated?: DeprecatedMode;
  sort?: SortOrder;
  page?: number;
  perPage?: number;
}

export interface IPage<T> {
  items: T[];
  total: number;
  /** Searches: deprecated notebooks that matched when nothing else did. */
  deprecatedMatches?: number;
  page: number;
  perPage: number;
}

export interface ITagCount {
  tag: string;
  count: number;
}

/** The editable fields of a gallery entry. */
export interface INotebookFields {
  title: string;
  description: string;
  tags: string[];
  visibility: Visibility;
}

export interface IPublishBody extends INotebookFields {
  parentId?: string | null;
  notebook: INotebookContent;
}

export interface IUpdateBody {
  notebook: INotebookContent;
  note: string;
}

export interface IChangeRequestBody {
  notebook: INotebookContent;
  comment: string;
  baseVersion: number;
}

export type ChangeRequestRole = 'incoming' | 'outgoing';

export interface IStarState {
  stars: number;
  starred: boolean;
}

export interface IAcceptResult {
  changeRequest: IChangeRequest;
  notebook: INotebookSummary;
}

/**
 * A summary with the ETag it came with (`"v<version>"`).
 */
export interface ITaggedSummary {
  summary: INotebookSummary;
  etag: string;
}

/**
 * The link a linked notebook carries in `metadata.atrium.gallery`. The strip contract
 * removes it from what is uploaded.
 */
export interface IGalleryLink {
  id: string;
  /** The gallery version the local notebook was last published as or opened from. */
  version: number;
  /** Content hash of the stripped notebook at that version. */
  contentHash: string;
  /** 'owner' may update; 'copy' may file change requests. */
  role: 'owner' | 'copy';
  parentId?: string;
}

/**
 * The sync status of a linked notebook, as the toolbar indicator shows it.
 *
 * - `up-to-date`: same content as the gallery's latest version;
 * - `local-changes`: edited here since, the gallery has nothing newer;
 * - `behind`: unchanged here, the gallery has a newer version;
 * - `diverged`: both;
 * - `unknown`: not checked yet, or the gallery cannot be reached;
 * - `gone`: the gallery entry was deleted (or is no longer visible to this user).
 */
export type SyncStatus =
  'up-to-date' | 'local-changes' | 'behind' | 'diverged' | 'unknown' | 'gone';

/**
 * The user settings of the gallery plugin (schema/gallery.json).
 */
export interface IGallerySettings {
  /** Folder (relative to the server root) where "Open a copy" writes notebooks. */
  workspaceFolder: string;
  pageSize: number;
  searchDebounceMs: number;
  syncIntervalSeconds: number;
  warnAboutSecrets: boolean;
}

export const DEFAULT_SETTINGS: Readonly<IGallerySettings> = Object.freeze({
  workspaceFolder: 'gallery',
  pageSize: 20,
  searchDebounceMs: 300,
  syncIntervalSeconds: 60,
  warnAboutSecrets: true
});

/**
 * Settings read from the registry, with every missing or malformed value replaced by its
 * default (the registry validates too; this keeps a stand-in registry honest).
 */
export function normalizeSettings(
  raw: Partial<Record<keyof IGallerySettings, unknown>> | null | undefined
): IGallerySettings {
  const value = raw ?? {};
  const int = (v: unknown, min: number, max: number, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? Math.round(v)
      : fallback;
  return {
    workspaceFolder:
      typeof value.workspaceFolder === 'string'
        ? value.workspaceFolder
        : DEFAULT_SETTINGS.workspaceFolder,
    pageSize: int(value.pageSize, 1, 100, DEFAULT_SETTINGS.pageSize),
    searchDebounceMs: int(
      value.searchDebounceMs,
      0,
      5000,
      DEFAULT_SETTINGS.searchDebounceMs
    ),
    syncIntervalSeconds: int(
      value.syncIntervalSeconds,
      10,
      86400,
      DEFAULT_SETTINGS.syncIntervalSeconds
    ),
    warnAboutSecrets:
      typeof value.warnAboutSecrets === 'boolean'
        ? value.warnAboutSecrets
        : DEFAULT_SETTINGS.warnAboutSecrets
  };
}
